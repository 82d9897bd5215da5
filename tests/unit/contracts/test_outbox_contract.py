"""The Outbox port: a conditional claim, then done; a claim found "sending" is "unknown"."""

from __future__ import annotations

import pytest

from spconnector.aws.outbox import DynamoOutbox
from spconnector.jobs.ports import Outbox
from spconnector.memory import MemoryOutbox
from tests.unit.contracts.conftest import ADAPTERS, TABLE, run_together

CASE = "acme#order#111-0000000-0000001"


@pytest.fixture(params=ADAPTERS)
def outbox(request: pytest.FixtureRequest) -> Outbox:
    if request.param == "memory":
        return MemoryOutbox()
    return DynamoOutbox(request.getfixturevalue("ddb"), TABLE)


def test_claim_then_done_then_claim_again_answers_sent(outbox: Outbox) -> None:
    assert outbox.state("acme", CASE, "reply#000001") is None
    assert outbox.claim("acme", CASE, "reply#000001") == "claimed"
    assert outbox.state("acme", CASE, "reply#000001") == "sending"
    outbox.done("acme", CASE, "reply#000001", "ses-1")
    assert outbox.state("acme", CASE, "reply#000001") == "sent"
    assert outbox.claim("acme", CASE, "reply#000001") == "sent"


def test_a_claim_left_sending_is_unknown_never_claimed_again(outbox: Outbox) -> None:
    assert outbox.claim("acme", CASE, "reply#000001") == "claimed"
    assert outbox.claim("acme", CASE, "reply#000001") == "unknown"
    assert outbox.state("acme", CASE, "reply#000001") == "sending"
    assert outbox.claim("acme", CASE, "reply#000002") == "claimed"  # another effect


def test_of_many_concurrent_claims_exactly_one_wins(outbox: Outbox) -> None:
    results = run_together(8, lambda _i: outbox.claim("acme", CASE, "reply#000001"))
    assert sorted(results) == ["claimed"] + ["unknown"] * 7


def test_a_case_of_another_tenant_is_refused(outbox: Outbox) -> None:
    with pytest.raises(ValueError, match="another tenant"):
        outbox.claim("other", CASE, "reply#000001")
    with pytest.raises(ValueError, match="another tenant"):
        outbox.state("other", CASE, "reply#000001")
