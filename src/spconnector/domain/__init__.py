"""Pure domain: models and rules. Imports nothing from boto3, sp_api or HTTP libraries.

When the models are built (a Lambda's cold start): a model that other models nest and that
is also made on its own (Money, Budgets, Order, OrderItem) is built at import, once, and
every model nesting it reuses that; every other model of the domain, the policy and the
queue messages is built on its first use (`defer_build`), so a handler's init builds none
it does not use, and a model nested in only one other is built inside that one alone. The
modules that define models evaluate their annotations at class creation (no `from
__future__ import annotations`): pydantic then reads types, not text it must compile.
"""

from spconnector.domain.case import Case, case_id_for, priority_for, respond_by
from spconnector.domain.decision import Decision
from spconnector.domain.enums import (
    Action,
    CaseStatus,
    FulfillmentChannel,
    Intent,
    MessageKind,
    Mode,
    Priority,
)
from spconnector.domain.models import (
    Attachment,
    BuyerHistory,
    BuyerMessage,
    Order,
    OrderItem,
    RefundSpec,
    ReturnRequest,
)
from spconnector.domain.money import CurrencyMismatch, Money
from spconnector.domain.tenant import Budgets, Tenant

__all__ = [
    "Action",
    "Attachment",
    "Budgets",
    "BuyerHistory",
    "BuyerMessage",
    "Case",
    "CaseStatus",
    "CurrencyMismatch",
    "Decision",
    "FulfillmentChannel",
    "Intent",
    "MessageKind",
    "Mode",
    "Money",
    "Order",
    "OrderItem",
    "Priority",
    "RefundSpec",
    "ReturnRequest",
    "Tenant",
    "case_id_for",
    "priority_for",
    "respond_by",
]
