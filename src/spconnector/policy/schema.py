"""The policy language: YAML validated by these pydantic models.

A policy is ordered rules (first match wins), guards applied after the rules, a catalog
keyed by SKU and defaults for SKUs the catalog does not know. Amounts are Decimal: a plain
number is in the policy's currency (`defaults.currency`); a mapping gives one amount per
currency (`{USD: 25, EUR: 23}`) so one policy can serve several marketplaces. A threshold
with no amount for the case's currency never matches, and a guard with no amount for it
asks a person — the safe side.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from spconnector.domain.enums import Action, FulfillmentChannel, Intent, MessageKind, Priority
from spconnector.domain.understanding import Signal, Want

SCHEMA_VERSION: Literal[1] = 1
MAX_SLA_HOURS = 8760
_CURRENCY = re.compile(r"^[A-Z]{3}$")
RULE_ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]{0,63}$"
TEMPLATE_PATTERN = r"^[a-z_]+(\.[a-z_]+)?$"


# No amount, percentage or count in a policy comes near this; beyond it a number is a typo,
# and bounding it here keeps every later conversion (float, timedelta, quantize) in range.
_MAX_NUMBER = Decimal("1000000000")


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("expected a number, not true/false")
    if isinstance(value, float):
        number = Decimal(repr(value))  # 12.99 stays 12.99
    elif isinstance(value, int):
        if abs(value) >= _MAX_NUMBER:  # before Decimal(): 10**5000 is a typo, not a number
            raise ValueError(f"must be below {_MAX_NUMBER}")
        number = Decimal(value)
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        if len(value) > 40:
            raise ValueError(f"not a number: {value[:20]!r}…")
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
    else:
        raise ValueError(f"expected a number, got {type(value).__name__}")
    if not number.is_finite():
        raise ValueError("must be a finite number")
    if number.adjusted() > 12 or abs(number) >= _MAX_NUMBER:
        raise ValueError(f"must be below {_MAX_NUMBER}")
    return number


def _finite(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError("must be a finite number")
    return value


Number = Annotated[Decimal, BeforeValidator(_decimal)]


def _amounts(value: Any) -> Any:
    """25 → {"": 25} (the policy currency, filled in later); "25 EUR" → {"EUR": 25};
    {USD: 25, EUR: 23} stays a mapping."""
    if isinstance(value, dict):
        out: dict[str, Decimal] = {}
        for currency, amount in value.items():
            if not isinstance(currency, str) or not _CURRENCY.match(currency):
                raise ValueError(f"currency {currency!r} is not a 3-letter code like USD")
            out[currency] = _nonneg(_finite(_decimal(amount)))
        if not out:
            raise ValueError("needs at least one currency")
        return out
    if isinstance(value, str) and " " in value.strip():
        amount, _, currency = value.strip().rpartition(" ")
        if not _CURRENCY.match(currency):
            raise ValueError(f"currency {currency!r} is not a 3-letter code like USD")
        return {currency: _nonneg(_finite(_decimal(amount)))}
    return {"": _nonneg(_finite(_decimal(value)))}


def _nonneg(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError("an amount cannot be negative")
    return value


# currency → amount; "" stands for the policy currency until the Policy fills it in
_AMOUNT_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "number", "minimum": 0, "description": "in the policy currency"},
        {"type": "string", "pattern": r"^\s*[0-9]+(\.[0-9]+)?(\s+[A-Z]{3})?\s*$"},
        {
            "type": "object",
            "description": "one amount per currency, e.g. {USD: 25, EUR: 23}",
            "propertyNames": {"pattern": "^[A-Z]{3}$"},
            "additionalProperties": {
                "anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}]
            },
            "minProperties": 1,
        },
    ]
}
Amounts = Annotated[dict[str, Decimal], BeforeValidator(_amounts), WithJsonSchema(_AMOUNT_SCHEMA)]


class _Strict(BaseModel):
    # extra="forbid": a misspelt condition must be an error, not a rule that matches all
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class NumberRange(_Strict):
    """Inclusive bounds: `min` ≤ value ≤ `max`."""

    min: Number | None = None
    max: Number | None = None

    @model_validator(mode="after")
    def _bounds(self) -> "NumberRange":
        if self.min is None and self.max is None:
            raise ValueError("give min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class MoneyRange(_Strict):
    """Inclusive bounds on an amount in the case's currency."""

    min: Amounts | None = None
    max: Amounts | None = None

    @model_validator(mode="after")
    def _bounds(self) -> "MoneyRange":
        if self.min is None and self.max is None:
            raise ValueError("give min, max or both")
        if self.min is not None and self.max is not None:
            for currency, low in self.min.items():
                high = self.max.get(currency)
                if high is not None and low > high:
                    raise ValueError(f"min {low} is above max {high} ({currency or 'policy'})")
        return self


def _reason_code(value: Any) -> Any:
    """FBA reports say DEFECTIVE where MFN reports say CR-DEFECTIVE: one spelling."""
    if isinstance(value, str):
        code = value.strip().upper()
        if code and not code.startswith(("CR-", "AMZ-")):
            code = "CR-" + code
        return code
    return value


ReasonCode = Annotated[str, BeforeValidator(_reason_code), Field(min_length=4)]


# Conditions on order facts: a case without an order never matches them.
ORDER_CONDITIONS = frozenset(
    {
        "item_value",
        "order_value",
        "cost_to_return_ratio",
        "order_age_days",
        "within_return_window",
        "within_warranty",
        "fulfillment_channel",
        "category",
        "flags_any",
        "flags_all",
        "flags_none",
        "marketplace",
    }
)


class When(_Strict):
    """Conditions over the case; all given conditions must hold (an empty `when` matches)."""

    intent: list[Intent] | None = Field(default=None, min_length=1)
    reason_code: list[ReasonCode] | None = Field(default=None, min_length=1)
    kind: list[MessageKind] | None = Field(default=None, min_length=1)
    has_order: bool | None = None
    has_message: bool | None = None
    has_return_request: bool | None = None
    in_policy: bool | None = None
    a_to_z_claim: bool | None = None
    item_value: MoneyRange | None = None
    order_value: MoneyRange | None = None
    cost_to_return_ratio: NumberRange | None = None
    order_age_days: NumberRange | None = None
    within_return_window: bool | None = None
    within_warranty: bool | None = None
    fulfillment_channel: list[FulfillmentChannel] | None = Field(default=None, min_length=1)
    category: list[str] | None = Field(default=None, min_length=1)
    flags_any: list[str] | None = Field(default=None, min_length=1)
    flags_all: list[str] | None = Field(default=None, min_length=1)
    flags_none: list[str] | None = Field(default=None, min_length=1)
    marketplace: list[str] | None = Field(default=None, min_length=1)
    buyer_orders_365d: NumberRange | None = None
    buyer_refunds_365d: NumberRange | None = None
    buyer_refund_rate: NumberRange | None = None
    message_mentions: list[str] | None = Field(default=None, min_length=1)
    # What the buyer asks for (the understanding model's `wants`); an unknown wish never
    # matches. Signals: any of `signals_any` present; none of `signals_none` present.
    wants: list[Want] | None = Field(default=None, min_length=1)
    signals_any: list[Signal] | None = Field(default=None, min_length=1)
    signals_none: list[Signal] | None = Field(default=None, min_length=1)

    @field_validator("message_mentions")
    @classmethod
    def _lower(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        words = [w.strip().lower() for w in value]
        if any(not w for w in words):
            raise ValueError("empty phrase")
        return words


class RefundRule(_Strict):
    """How much to refund: the affected item's value (`full`), a percentage of it
    (`partial`), optionally capped. Never more than the buyer was charged."""

    amount: Literal["full", "partial"] = "full"
    percent: Number | None = None
    cap: Amounts | None = None

    @model_validator(mode="after")
    def _percent(self) -> "RefundRule":
        if self.amount == "partial":
            if self.percent is None:
                raise ValueError("a partial refund needs percent (e.g. 50)")
            if not (0 < self.percent <= 100):
                raise ValueError("percent must be above 0 and at most 100")
        elif self.percent is not None:
            raise ValueError("percent is only for amount: partial")
        return self


class Then(_Strict):
    action: Action
    refund: RefundRule | None = None
    # Asked kindly alongside the decision — never a condition: nothing here can hold a
    # refund back until photos arrive.
    ask_for_photos: bool = False
    reply_template: str | None = Field(default=None, pattern=TEMPLATE_PATTERN)
    priority: Priority | None = None
    # Final-sale/customized items get no automatic refund unless the rule says so here.
    allow_protected_items: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> "Then":
        if self.refund is not None and not self.action.moves_money:
            raise ValueError(f"refund is only for refund actions, not {self.action.value}")
        if self.reply_template is not None:
            head = self.reply_template.split(".", 1)[0]
            if head != self.action.value:
                raise ValueError(
                    f"reply_template {self.reply_template!r} must be {self.action.value!r} "
                    f"or {self.action.value}.<variant>"
                )
        return self


class Rule(_Strict):
    id: str = Field(pattern=RULE_ID_PATTERN)
    # Said in every explanation: "a defect on a low-value item".
    description: str = Field(min_length=1, max_length=200)
    when: When = When()
    then: Then


class BuyerFrequencyGuard(_Strict):
    """An abuse signal: a buyer with many refunds in 365 days goes to a person."""

    max_refunds_365d: int | None = Field(default=None, ge=0)
    max_refund_rate: Number | None = None  # refunds ÷ orders in 365 days
    min_orders_for_rate: int = Field(default=3, ge=1)


class Guards(_Strict):
    autonomy_limit: Amounts | None = None  # one refund above this needs approval
    daily_refund_budget: Amounts | None = None
    monthly_refund_budget: Amounts | None = None
    buyer_refund_frequency: BuyerFrequencyGuard | None = None
    protected_flags: list[str] = ["final_sale", "customized"]
    abusive_to_owner: bool = True
    # A refund or a replacement decided on a reading the understanding model was less sure of
    # than this goes to a person (guard `uncertain_reading`); None turns the guard off. The
    # default is read off the calibration curve on the blind splits (bench/understanding.py).
    uncertain_reading_below: float | None = Field(default=0.6, ge=0.0, le=1.0)


class CatalogEntry(_Strict):
    title: str | None = None
    unit_cost: Amounts | None = None
    return_shipping_cost: Amounts | None = None
    category: str | None = None
    flags: list[str] = []
    care_notes: str | None = None
    warranty_days: int | None = Field(default=None, ge=0)


class Defaults(_Strict):
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    return_window_days: int = Field(default=30, ge=0)
    warranty_days: int = Field(default=0, ge=0)
    return_shipping_cost: Amounts | None = None  # for SKUs the catalog does not know
    category: str = "uncategorized"
    # Hours to answer, by priority; Amazon's 24 hours always applies on top.
    sla_hours: dict[Priority, Number] = {}
    # What happens when no rule matches: a person looks.
    fallback: Then = Then(action=Action.ESCALATE_REVIEW, reply_template=None)

    @field_validator("sla_hours")
    @classmethod
    def _positive(cls, value: dict[Priority, Decimal]) -> dict[Priority, Decimal]:
        for priority, hours in value.items():
            if hours <= 0:
                raise ValueError(f"sla_hours.{priority.value} must be above 0")
            if hours > MAX_SLA_HOURS:
                raise ValueError(
                    f"sla_hours.{priority.value} must be at most {MAX_SLA_HOURS} (a year)"
                )
        return value


# Amazon forbids selective review requests: "You may not request reviews only from buyers who
# had a positive experience", nor ask a buyer to remove or change a review (Seller Central
# Help, Communication Guidelines and "Customer product reviews policies"; Solicitations API use
# case guide, checked November 2026). So an exclusion may depend only on facts that say nothing
# of the buyer's sentiment or of how a case went. The names below are the whole language:
# `extra="forbid"` and this closed list make "skip unhappy buyers" or "skip refunded orders"
# impossible to write.
SolicitationExclusion = Literal[
    "asked_in_seller_central",  # Amazon no longer offers the action: always honoured anyway
    "fulfilled_by_amazon",  # every FBA order (a channel choice, not a buyer's mood)
    "fulfilled_by_merchant",  # every merchant-fulfilled order
]


class Solicitations(_Strict):
    """Amazon's review request (`createProductReviewAndSellerFeedbackSolicitation`), sent once
    per order on `day_after_delivery` (counted from the latest promised delivery date and
    kept inside Amazon's window: 5 days after the earliest to 30 after the latest)."""

    enabled: bool = False
    day_after_delivery: int = Field(default=7, ge=5, le=30)
    exclude: list[SolicitationExclusion] = ["asked_in_seller_central"]


class Policy(_Strict):
    schema_version: Literal[1] = SCHEMA_VERSION
    name: str = Field(min_length=1)
    description: str | None = None
    defaults: Defaults = Defaults()
    guards: Guards = Guards()
    catalog: dict[str, CatalogEntry] = {}
    rules: list[Rule] = Field(min_length=1)
    # None: no review requests (and the policy's version is what it was before the section)
    solicitations: Solicitations | None = None

    # filled on first use by spconnector.policy.loader: the compiled rules and the hash
    _compiled: Any = PrivateAttr(default=None)
    _version: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _checks(self) -> "Policy":
        seen: dict[str, int] = {}
        for index, rule in enumerate(self.rules):
            if rule.id in seen:
                raise ValueError(
                    f"rules[{index}].id: {rule.id!r} is already used by rules[{seen[rule.id]}]"
                )
            seen[rule.id] = index
        return self
