"""The case file `spconnector policy decide --case` reads, and how its intent is resolved."""

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from spconnector.domain.enums import Intent, MessageKind
from spconnector.domain.models import AwareDatetime, BuyerHistory, Order
from spconnector.domain.understanding import Signal, Want
from spconnector.policy.schema import ReasonCode

if TYPE_CHECKING:
    from spconnector.intake.classifier import IntentClassifier


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class CaseMessage(_Model):
    subject: str = ""
    body: str = ""  # the buyer's own words: data, matched as text, never rendered
    received_at: AwareDatetime
    intent: Intent | None = None  # None → the intake classifier decides (resolve_intent)
    # What the buyer asks for and the signals beside it; None → unknown (resolve_intent fills
    # them in with the intent), and `wants` conditions never match an unknown wish.
    wants: Want | None = None
    signals: frozenset[Signal] = frozenset()
    understanding_version: str | None = None  # the model that read the message
    # How sure that model was of the intent (calibrated); None → a person or the case file
    # gave the intent, and the uncertain_reading guard has nothing to weigh.
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    intent_probabilities: dict[Intent, float] = {}  # the model's other likely readings
    kind: MessageKind = MessageKind.BUYER_MESSAGE
    message_id: str | None = None  # names the case when there is no order


class CaseReturn(_Model):
    reason_code: ReasonCode | None = None
    in_policy: bool | None = None
    quantity: int = Field(default=1, ge=1)
    sku: str | None = None  # which item; absent → the order's most valuable item
    request_date: AwareDatetime | None = None
    a_to_z_claim: bool = False
    # Why Amazon pays this return itself (ReturnRequest.settled_by_amazon: refunded amount,
    # A-to-z or SafeT claim, returnless or first-scan resolution); set → no refund of ours.
    settled_by_amazon: str | None = Field(default=None, max_length=300)


class CaseInput(_Model):
    tenant: str = Field(min_length=1)
    now: AwareDatetime
    # None: mail with no order id (a pre-sale question, or an id lost on the way); rules on
    # order facts then never match and no refund can be decided
    order: Order | None = None
    message: CaseMessage | None = None
    return_request: CaseReturn | None = None
    buyer_history: BuyerHistory = BuyerHistory()
    # Amazon (or the seller in Seller Central) already refunded this order, as a refund
    # notice reported: the policy never answers with a refund of its own.
    already_refunded: bool = False
    # An Amazon notice for this order speaks of a refund, a claim or a chargeback that intake
    # could not read with confidence: a person reads it before any refund of ours.
    unread_money_notice: bool = False


# What a return reason says the buyer wants, for cases with no message.
REASON_INTENTS: dict[str, Intent] = {
    "CR-DEFECTIVE": Intent.DEFECTIVE,
    "CR-QUALITY_UNACCEPTABLE": Intent.DEFECTIVE,
    "CR-MISSING_PARTS": Intent.DEFECTIVE,
    "CR-DAMAGED_BY_CARRIER": Intent.DAMAGED_IN_TRANSIT,
    "CR-DAMAGED_BY_FC": Intent.DAMAGED_IN_TRANSIT,
    "CR-WRONG_ITEM": Intent.WRONG_ITEM,
    "CR-NOT_AS_DESCRIBED": Intent.NOT_AS_DESCRIBED,
    "AMZ-PG-BAD-DESC": Intent.NOT_AS_DESCRIBED,
    "CR-ORDERED_WRONG_ITEM": Intent.SIZE_FIT,  # the buyer picked the wrong size/variant
    "CR-MISSED_ESTIMATED_DELIVERY": Intent.NOT_RECEIVED,
    "CR-UNWANTED_ITEM": Intent.RETURN_REQUEST,
    "CR-FOUND_BETTER_PRICE": Intent.RETURN_REQUEST,
    "CR-NO_REASON_GIVEN": Intent.RETURN_REQUEST,
    "CR-UNAUTHORIZED_PURCHASE": Intent.RETURN_REQUEST,
    "CR-EXTRA_ITEM": Intent.RETURN_REQUEST,
    "CR-SWITCHEROO": Intent.RETURN_REQUEST,
}


def case_intent(case: CaseInput) -> Intent:
    """The message's intent; for a bare return, what its reason says; otherwise OTHER."""
    if case.message is not None and case.message.intent is not None:
        return case.message.intent
    ret = case.return_request
    if ret is not None and ret.reason_code is not None:
        return REASON_INTENTS.get(ret.reason_code, Intent.RETURN_REQUEST)
    if ret is not None:
        return Intent.RETURN_REQUEST
    return Intent.OTHER


def resolve_intent(case: CaseInput, classifier: "IntentClassifier | None" = None) -> CaseInput:
    """Fill in a message's missing intent (and what the buyer wants, and the signals) with
    the intake classifier (outside decide(), which stays pure). Cases whose intent is known
    come back unchanged."""
    if case.message is None or case.message.intent is not None:
        return case
    if classifier is None:
        from spconnector.intake import classifier as default_classifier

        result = default_classifier.classify(case.message.subject, case.message.body)
    else:
        result = classifier.classify(case.message.subject, case.message.body)
    update: dict[str, object] = {"intent": result.intent}
    understood = result.understanding
    if understood is not None:
        update.update(
            wants=understood.wants,
            signals=understood.signals,
            understanding_version=understood.model_version,
            confidence=understood.confidence,
            intent_probabilities=understood.intent_probabilities,
        )
    message = case.message.model_copy(update=update)
    return case.model_copy(update={"message": message})
