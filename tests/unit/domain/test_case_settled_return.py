"""Case.attach_settled_return: a later listing saying Amazon paid is one more step, once, for a
return the case has; a case that had ended opens again for it."""

from __future__ import annotations

from datetime import UTC, datetime

from spconnector.domain import Case, CaseStatus, FulfillmentChannel, Money, ReturnRequest

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _return(rma: str = "RMA1", **update: object) -> ReturnRequest:
    ret = ReturnRequest(
        amazon_order_id="113-1234567-1234567",
        rma_id=rma,
        request_date=NOW,
        fulfillment=FulfillmentChannel.MFN,
    )
    return ret.model_copy(update=update)


def test_a_settled_relisting_is_one_more_step_once() -> None:
    case = Case.open_for_return("acme", _return(), NOW)
    assert case.step == 1
    paid = _return(refunded_amount=Money.of("20", "USD"))
    settled = case.attach_settled_return(paid)
    assert settled.step == 2 and settled.settled_return_keys == ("rma#RMA1",)
    assert settled.attach_settled_return(paid) == settled


def test_only_a_return_the_case_has_counts() -> None:
    case = Case.open_for_return("acme", _return(), NOW)
    assert case.attach_settled_return(_return("RMA2", safet_claim_id="29")) == case


def test_an_ended_case_opens_again_a_waiting_one_keeps_its_status() -> None:
    paid = _return(refunded_amount=Money.of("20", "USD"))
    ended = Case.open_for_return("acme", _return(), NOW).model_copy(
        update={"status": CaseStatus.REFUNDED}
    )
    assert ended.attach_settled_return(paid).status is CaseStatus.OPEN
    waiting = ended.model_copy(update={"status": CaseStatus.AWAITING_APPROVAL})
    assert waiting.attach_settled_return(paid).status is CaseStatus.AWAITING_APPROVAL


def test_a_later_listing_settles_only_towards_amazon_paid() -> None:
    first, paid = _return(), _return(refunded_amount=Money.of("20", "USD"))
    assert paid.settles(first)
    assert not first.settles(paid) and not paid.settles(paid) and not first.settles(first)
