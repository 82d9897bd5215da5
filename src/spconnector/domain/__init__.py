"""Pure domain: models and rules. Imports nothing from boto3, sp_api or HTTP libraries."""

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
