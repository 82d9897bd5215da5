"""CloudWatch metrics per tenant, as Powertools EMF lines (printed to stdout on flush).

One small function per event. Each `TenantMetrics` holds its own metric set (Powertools
`EphemeralMetrics`, not the process-wide singleton), so two tenants in one invocation never
share a dimension set. Use it as a context manager, or call `flush()`.

Every metric carries exactly one dimension, `tenant`: the alarms and dashboard searches in
infra/monitoring.yaml name that set, and CloudWatch matches a metric only by its full
dimension set. Powertools would add `service` (from POWERTOOLS_SERVICE_NAME, which the
Lambdas set) on flush, so the service is switched off here.
"""

from __future__ import annotations

from decimal import Decimal
from types import TracebackType

from aws_lambda_powertools.metrics import EphemeralMetrics, MetricUnit

NAMESPACE = "spconnector"
TENANT_DIMENSION = "tenant"
DIMENSIONS = (TENANT_DIMENSION,)  # the whole dimension set of every metric

# Metric names: infra/monitoring.yaml refers to the same strings.
REPLIES_SENT = "RepliesSent"
REFUNDS_ISSUED = "RefundsIssued"
REFUND_AMOUNT = "RefundAmount"
FIRST_RESPONSE_SECONDS = "FirstResponseSeconds"
NEGATIVE_FEEDBACK = "NegativeFeedback"
POSITIVE_FEEDBACK_PCT = "PositiveFeedbackPct"
SLA_BREACHES = "SlaBreaches"
REFUND_BUDGET_USED_PCT = "RefundBudgetUsedPct"
REFUNDS_NOT_CONFIRMED = "RefundsNotConfirmed"
KB_UNAVAILABLE = "KnowledgeBaseUnavailable"
FINANCES_CHECK_SKIPPED = "FinancesCheckSkipped"


class TenantMetrics:
    def __init__(self, tenant: str, namespace: str = NAMESPACE) -> None:
        self.tenant = tenant
        # service="" (not None, which falls back to POWERTOOLS_SERVICE_NAME): no `service`
        # dimension. A default dimension survives each flush's clear.
        self._metrics = EphemeralMetrics(
            namespace=namespace, service="", default_dimensions={TENANT_DIMENSION: tenant}
        )
        self._pending = False

    def _add(self, name: str, unit: MetricUnit, value: float) -> None:
        self._metrics.add_metric(name=name, unit=unit, value=value)
        self._pending = True

    def reply_sent(self, count: int = 1) -> None:
        self._add(REPLIES_SENT, MetricUnit.Count, count)

    def refund_issued(self, amount: Decimal, currency: str) -> None:
        """One refund. The amount is in the order's currency (kept as metadata); a tenant is
        one region, so its amounts mostly share a currency — the report splits by currency."""
        self._add(REFUNDS_ISSUED, MetricUnit.Count, 1)
        self._add(REFUND_AMOUNT, MetricUnit.NoUnit, float(amount))
        self._metrics.add_metadata(key="currency", value=currency)

    def first_response(self, seconds: float) -> None:
        self._add(FIRST_RESPONSE_SECONDS, MetricUnit.Seconds, max(seconds, 0.0))

    def negative_feedback(self, count: int = 1) -> None:
        self._add(NEGATIVE_FEEDBACK, MetricUnit.Count, count)

    def positive_feedback_pct(self, pct: float) -> None:
        self._add(POSITIVE_FEEDBACK_PCT, MetricUnit.Percent, pct)

    def sla_breach(self, count: int = 1) -> None:
        """A case answered (or still unanswered) after its respond_by."""
        self._add(SLA_BREACHES, MetricUnit.Count, count)

    def refund_budget_used_pct(self, pct: float) -> None:
        """Refunds so far this month as a percentage of the tenant's monthly budget."""
        self._add(REFUND_BUDGET_USED_PCT, MetricUnit.Percent, pct)

    def refund_not_confirmed(self, state: str) -> None:
        """A refund the buyer was told about that ended failed or unknown (a person was told).
        The state is metadata: the alarm counts them all."""
        self._add(REFUNDS_NOT_CONFIRMED, MetricUnit.Count, 1)
        self._metrics.add_metadata(key="refund_state", value=state)

    def kb_unavailable(self) -> None:
        """The tenant has a knowledge base that could not be read (denied, missing, invalid):
        replies go out without it, so the alarm is the only sign."""
        self._add(KB_UNAVAILABLE, MetricUnit.Count, 1)

    def finances_check_skipped(self) -> None:
        """An automatic refund went ahead without asking Amazon's Finances API whether the
        order was refunded already: the seller's app lacks the Finance role (403)."""
        self._add(FINANCES_CHECK_SKIPPED, MetricUnit.Count, 1)

    def flush(self) -> None:
        """Print the EMF line(s); nothing is printed when nothing was recorded."""
        if self._pending:
            self._metrics.flush_metrics()
            self._pending = False

    def __enter__(self) -> TenantMetrics:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.flush()
