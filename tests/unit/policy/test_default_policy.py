"""Table tests: every rule of policies/default.yaml, one case that fires it and what it says."""

from __future__ import annotations

from decimal import Decimal

import pytest

from spconnector.domain import Action, Priority
from spconnector.policy import Policy, decide, load_policy
from tests.unit.policy.cases import DEFAULT_POLICY, make_case


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(DEFAULT_POLICY)


# rule id, case, action, reply template, refund (amount, requires_return) or None, photos
TABLE = [
    (
        "abusive-to-owner",
        make_case(intent="abusive", body="You idiots, I will ruin you"),
        Action.ESCALATE_OWNER,
        "escalate_owner.holding",
        None,
        False,
    ),
    (
        "abusive-signal-to-owner",
        make_case(
            intent="defective", signals=("abusive",), body="Broken junk, I know where you live"
        ),
        Action.ESCALATE_OWNER,
        "escalate_owner.holding",
        None,
        False,
    ),
    (
        "safety-urgent",
        make_case(intent="defective", signals=("safety",), body="It caught fire"),
        Action.ESCALATE_REVIEW,
        None,
        None,
        False,
    ),
    (
        "thanks-only",
        make_case(intent="feedback", wants="nothing", signals=("thanks_only",), body="Thanks!"),
        Action.ESCALATE_REVIEW,
        None,
        None,
        False,
    ),
    (
        "pre-sale-question",
        make_case(intent="product_question", order=False, body="Does it fit a 12 inch pan?"),
        Action.ACKNOWLEDGE,
        "acknowledge.product_question",
        None,
        False,
    ),
    (
        "no-order-to-review",
        make_case(intent="defective", order=False),
        Action.ESCALATE_REVIEW,
        None,
        None,
        False,
    ),
    (
        "a-to-z-claim",
        make_case(intent=None, message=False, reason="CR-DEFECTIVE", a_to_z=True),
        Action.ESCALATE_REVIEW,
        None,
        None,
        False,
    ),
    (
        "custom-item-buyer-mistake",
        make_case(intent="size_fit", sku="JB-CUSTOM-01", price="29.00", body="way too small"),
        Action.DECLINE,
        "decline.custom_item",
        None,
        False,
    ),
    (
        "final-sale-buyer-mistake",
        make_case(intent="return_request", sku="X-9", item={"flags": ["final_sale"]}),
        Action.DECLINE,
        "decline.final_sale",
        None,
        False,
    ),
    (
        "normal-wear",
        make_case(intent="defective", sku="LS-01", price="39.00", body="It is full of wrinkles!"),
        Action.EDUCATE,
        "educate.care",
        None,
        False,
    ),
    (
        "how-to-tips",
        make_case(intent="defective", body="How do I use this? The garlic won't go through"),
        Action.EDUCATE,
        "educate",
        None,
        False,
    ),
    (
        "lifetime-guarantee",
        make_case(intent="defective", sku="JK-LIFE-01", price="189.00", delivered_days_ago=900),
        Action.REPLACE,
        "replace",
        None,
        True,
    ),
    (
        "defect-replacement-wanted",
        make_case(intent="defective", wants="replacement", body="Broke, please send a new one"),
        Action.REPLACE,
        "replace",
        None,
        True,
    ),
    (
        "low-value-problem",
        make_case(intent="defective"),
        Action.REFUND_WITHOUT_RETURN,
        "refund_without_return.low_value",
        ("12.99", False),
        False,
    ),
    (
        "return-costs-too-much",
        make_case(
            intent="damaged_in_transit",
            sku="VASE",
            price="30.00",
            item={"return_shipping_cost": {"amount": "16.00", "currency": "USD"}},
        ),
        Action.REFUND_WITHOUT_RETURN,
        "refund_without_return.low_value",
        ("30.00", False),
        False,
    ),
    (
        "defect-higher-value",
        make_case(intent="defective", sku="KN-01", price="60.00"),
        Action.REFUND_WITHOUT_RETURN,
        "refund_without_return.defect_photo",
        ("60.00", False),
        True,
    ),
    (
        "wrong-item-sent",
        make_case(intent="wrong_item", sku="KN-01", price="60.00"),
        Action.REPLACE,
        "replace",
        None,
        False,
    ),
    (
        "wrong-size-refund-wanted",
        make_case(intent="size_fit", wants="refund", sku="SH-01", price="40.00"),
        Action.REFUND_ON_RETURN,
        "refund_on_return",
        ("40.00", True),
        False,
    ),
    (
        "wrong-size-exchange",
        make_case(intent="size_fit", sku="SH-01", price="40.00", body="I ordered a M, need L"),
        Action.REPLACE,
        "replace.size_exchange",
        None,
        False,
    ),
    (
        "changed-mind-return",
        make_case(intent=None, message=False, reason="CR-UNWANTED_ITEM", price="40.00"),
        Action.REFUND_ON_RETURN,
        "refund_on_return",
        ("40.00", True),
        False,
    ),
    (
        "not-received",
        make_case(intent="not_received"),
        Action.ACKNOWLEDGE,
        "acknowledge.not_received",
        None,
        False,
    ),
    (
        "cancel-request",
        make_case(intent="cancel_request"),
        Action.ESCALATE_REVIEW,
        "escalate_review.cancel_request",
        None,
        False,
    ),
]


def test_every_default_rule_has_a_row(policy: Policy) -> None:
    assert {row[0] for row in TABLE} == {rule.id for rule in policy.rules}


# A person answers these themselves: a hazard is never a form letter, thanks needs Seller
# Central's "no response needed", and mail with no order or a claim is read first.
PERSON_ANSWERS = {"safety-urgent", "thanks-only", "no-order-to-review", "a-to-z-claim"}


def test_every_default_rule_the_buyer_hears_back_from_carries_a_reply(policy: Policy) -> None:
    # Act hands a buyer message with no reply to a person; the default policy should not need
    # that safety net: each rule either has a reply or is a person's by choice (listed above).
    silent = {r.id for r in policy.rules if r.then.reply_template is None}
    assert silent == PERSON_ANSWERS
    for rule in policy.rules:
        if rule.id in PERSON_ANSWERS:
            assert rule.then.action in (Action.ESCALATE_REVIEW, Action.ESCALATE_OWNER), rule.id


@pytest.mark.parametrize(
    ("rule_id", "case", "action", "template", "refund", "photos"),
    TABLE,
    ids=[row[0] for row in TABLE],
)
def test_default_rule(policy, rule_id, case, action, template, refund, photos) -> None:
    decision = decide(policy, case)
    assert decision.rules == (rule_id,)
    assert decision.action is action
    assert decision.reply_template == template
    assert decision.ask_for_photos is photos
    if refund is None:
        assert decision.refund is None
    else:
        assert decision.refund is not None
        assert decision.refund.amount == Decimal(refund[0])
        assert decision.refund.requires_return is refund[1]
    assert f"rule {rule_id}" in decision.explanation
    assert decision.explanation.endswith(".")


def test_every_rule_cites_a_seed() -> None:
    lines = DEFAULT_POLICY.read_text().splitlines()
    for index, line in enumerate(lines):
        if line.strip().startswith("- id:"):
            comment = []
            back = index - 1
            while back >= 0 and lines[back].strip().startswith("#"):
                comment.append(lines[back])
                back -= 1
            text = " ".join(comment)
            assert "[00" in text or "lead" in text, f"{line.strip()} cites no seed"


def test_priorities_follow_the_seeds(policy: Policy) -> None:
    assert decide(policy, make_case(intent="product_question")).priority is Priority.HIGH
    assert decide(policy, make_case(intent="abusive")).priority is Priority.URGENT
    assert decide(policy, make_case(intent="not_received")).priority is Priority.URGENT
    assert decide(policy, make_case(intent="defective")).priority is Priority.NORMAL


def test_old_defect_without_guarantee_goes_to_a_person(policy: Policy) -> None:
    decision = decide(policy, make_case(intent="defective", delivered_days_ago=200))
    assert decision.action is Action.ESCALATE_REVIEW
    assert decision.rules == ()
    assert "no rule matched" in decision.explanation


def test_lifetime_flag_on_the_item_honours_very_old_orders(policy: Policy) -> None:
    case = make_case(
        intent="defective",
        sku="MUG",
        price="20",
        delivered_days_ago=3650,
        item={"flags": ["lifetime_guarantee"]},
    )
    decision = decide(policy, case)
    assert decision.rules == ("lifetime-guarantee",)
    assert "lifetime guarantee" in decision.explanation


def test_warranty_days_on_the_item_count(policy: Policy) -> None:
    inside = make_case(intent="defective", delivered_days_ago=300, item={"warranty_days": 365})
    outside = make_case(intent="defective", delivered_days_ago=400, item={"warranty_days": 365})
    assert decide(policy, inside).rules == ("lifetime-guarantee",)
    assert decide(policy, outside).action is Action.ESCALATE_REVIEW


def test_defect_on_a_customized_item_is_refunded_only_with_approval(policy: Policy) -> None:
    decision = decide(policy, make_case(intent="defective", sku="JB-CUSTOM-01", price="29"))
    assert decision.action is Action.REFUND_WITHOUT_RETURN
    assert decision.needs_approval
    assert "protected_item" in decision.guards
    assert "guard protected_item" in decision.explanation


def test_fba_reason_codes_are_normalized(policy: Policy) -> None:
    decision = decide(policy, make_case(intent=None, message=False, reason="DEFECTIVE"))
    assert decision.rules == ("low-value-problem",)


def test_euro_thresholds_apply_to_amazon_de(policy: Policy) -> None:
    case = make_case(currency="EUR", marketplace="A1PA6795UKMFR9", price="19.99")
    decision = decide(policy, case)
    assert decision.rules == ("low-value-problem",)
    assert decision.refund is not None and decision.refund.currency == "EUR"
    assert "25.00 EUR" in decision.explanation


def test_safety_signal_goes_to_a_person_urgently(policy: Policy) -> None:
    decision = decide(policy, make_case(intent="defective", signals=("safety",)))
    assert decision.action is Action.ESCALATE_REVIEW and decision.priority is Priority.URGENT
    assert decision.refund is None


def test_an_unknown_wish_never_matches_a_wants_rule(policy: Policy) -> None:
    decision = decide(policy, make_case(intent="defective", wants=None))
    assert decision.rules == ("low-value-problem",)


def test_the_issue_size_exchange_is_read_and_honoured(policy: Policy) -> None:
    """Issue 15: "I ordered a medium but it's too small … Can I exchange it?" was wrong_item,
    then a refund without return; the buyer asked for the right size."""
    from spconnector.policy import resolve_intent

    body = "I ordered a medium but it's too small for me. Can I exchange it?"
    case = resolve_intent(make_case(intent=None, sku="SH-01", price="40.00", body=body))
    assert case.message is not None and case.message.wants is not None
    decision = decide(policy, case)
    assert decision.intent == "size_fit" and decision.wants == "exchange"
    assert decision.action is Action.REPLACE and decision.reply_template == "replace.size_exchange"
    assert decision.understanding_version and decision.understanding_version.startswith(
        "understanding-1."
    )
