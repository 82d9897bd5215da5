"""The impact ledger: one record per decision and action, and later the order's feedback.

No buyer PII is stored here (no names, addresses, relay aliases or message text) — only
order ids, amounts, times and ratings — so records need no expiry.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from spconnector.domain.case import AMAZON_RESPONSE_WINDOW, Case
from spconnector.domain.decision import Decision
from spconnector.domain.enums import Action, Intent
from spconnector.domain.models import AwareDatetime
from spconnector.domain.money import Money
from spconnector.impact.feedback import NEGATIVE_MAX_RATING, FeedbackEntry


class ImpactRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    tenant: str
    case_id: str
    amazon_order_id: str | None
    decided_at: AwareDatetime
    action: Action
    intent: Intent | None = None
    policy_version: str
    refund: Money | None = None
    goods_kept: Money | None = None  # returnless refund: the unit cost the buyer keeps
    first_response_seconds: float | None = Field(default=None, ge=0)
    met_respond_by: bool | None = None  # answered before the case's respond_by (policy SLA)
    within_24h: bool | None = None  # answered within Amazon's 24 hours
    # product knowledge base: the question answered from it, handed to a person, or educated
    knowledge: Literal["answered", "handed_over", "educated"] | None = None
    # Outcome, filled in when the order's feedback arrives.
    feedback_rating: int | None = Field(default=None, ge=1, le=5)
    feedback_at: AwareDatetime | None = None
    feedback_removed: bool = False  # removed or struck through by Amazon

    @property
    def key(self) -> str:
        return f"{self.decided_at.astimezone(UTC).isoformat()}#{self.case_id}#{self.action}"

    @property
    def negative(self) -> bool:
        return self.feedback_rating is not None and self.feedback_rating <= NEGATIVE_MAX_RATING

    @property
    def neutral(self) -> bool:
        return self.feedback_rating == NEGATIVE_MAX_RATING + 1

    @property
    def cost(self) -> list[Money]:
        return [m for m in (self.refund, self.goods_kept) if m is not None]

    @classmethod
    def from_decision(
        cls,
        decision: Decision,
        case: Case,
        *,
        first_response_at: datetime | None = None,
        goods_kept: Money | None = None,
        decided_at: datetime | None = None,
    ) -> ImpactRecord:
        """Build the record for a decision carried out on a case.

        first_response_at: when the first answer reached the buyer (None: not answered yet).
        goods_kept: for a refund without return, the unit cost of what the buyer keeps.
        """
        when = decided_at or decision.decided_at
        if when is None:
            raise ValueError("the decision has no decided_at; pass decided_at")
        seconds = met = within = None
        if first_response_at is not None:
            elapsed = first_response_at - case.opened_at
            seconds = max(elapsed.total_seconds(), 0.0)
            met = first_response_at <= case.respond_by
            within = elapsed <= AMAZON_RESPONSE_WINDOW
        return cls(
            tenant=case.tenant,
            case_id=case.case_id,
            amazon_order_id=case.amazon_order_id,
            decided_at=when,
            action=decision.action,
            intent=decision.intent or case.latest_intent,
            policy_version=decision.policy_version,
            refund=decision.refund.money if decision.refund else None,
            goods_kept=goods_kept,
            first_response_seconds=seconds,
            met_respond_by=met,
            within_24h=within,
        )

    def with_feedback(
        self, rating: int, feedback_at: datetime, removed: bool = False
    ) -> ImpactRecord:
        return self.model_copy(
            update={
                "feedback_rating": rating,
                "feedback_at": feedback_at,
                "feedback_removed": removed,
            }
        )


class LedgerStore(Protocol):
    def put(self, record: ImpactRecord) -> None:
        """Insert or replace (same key: same decision) — recording twice is harmless."""

    def records_for_order(self, tenant: str, amazon_order_id: str) -> list[ImpactRecord]: ...

    def iter_records(
        self, tenant: str, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[ImpactRecord]:
        """Stream the tenant's records in decided_at order, [since, until)."""
        ...


class InMemoryLedgerStore:
    def __init__(self) -> None:
        self._records: dict[tuple[str, str], ImpactRecord] = {}

    def put(self, record: ImpactRecord) -> None:
        self._records[(record.tenant, record.key)] = record

    def records_for_order(self, tenant: str, amazon_order_id: str) -> list[ImpactRecord]:
        return sorted(
            (
                r
                for (t, _), r in self._records.items()
                if t == tenant and r.amazon_order_id == amazon_order_id
            ),
            key=lambda r: r.key,
        )

    def iter_records(
        self, tenant: str, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[ImpactRecord]:
        chosen = [
            r
            for (t, _), r in sorted(self._records.items())
            if t == tenant
            and (since is None or r.decided_at >= since)
            and (until is None or r.decided_at < until)
        ]
        return iter(chosen)


def _month(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m")


def _months(since: datetime, until: datetime) -> Iterator[str]:
    year, month = since.astimezone(UTC).year, since.astimezone(UTC).month
    end = until.astimezone(UTC)
    while (year, month) <= (end.year, end.month):
        yield f"{year:04d}-{month:02d}"
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


class DynamoLedgerStore:
    """Records in the single table (see spconnector.aws.table).

    pk = "<tenant>#impact#<yyyy-mm>" (a month per partition keeps reads by period cheap),
    sk = "<decided_at ISO>#<case_id>#<action>"; gsi1 finds an order's records:
    gsi1pk = "<tenant>#impact-order#<order id>". The record itself is one JSON attribute.
    No `expires_at`: the ledger holds no PII.
    """

    # Reads go back this far when no `since` is given.
    DEFAULT_HISTORY = timedelta(days=3 * 366)

    def __init__(self, table: Any, clock: Any = None) -> None:
        """table: a boto3 DynamoDB Table resource."""
        self._table = table
        self._now = clock or (lambda: datetime.now(UTC))

    @staticmethod
    def item_for(record: ImpactRecord) -> dict[str, Any]:
        item: dict[str, Any] = {
            "pk": f"{record.tenant}#impact#{_month(record.decided_at)}",
            "sk": record.key,
            "record": record.model_dump_json(),
        }
        if record.amazon_order_id:
            item["gsi1pk"] = f"{record.tenant}#impact-order#{record.amazon_order_id}"
            item["gsi1sk"] = record.key
        return item

    def put(self, record: ImpactRecord) -> None:
        self._table.put_item(Item=self.item_for(record))

    def records_for_order(self, tenant: str, amazon_order_id: str) -> list[ImpactRecord]:
        from boto3.dynamodb.conditions import Key

        out: list[ImpactRecord] = []
        kwargs: dict[str, Any] = {
            "IndexName": "gsi1",
            "KeyConditionExpression": Key("gsi1pk").eq(f"{tenant}#impact-order#{amazon_order_id}"),
        }
        while True:
            page = self._table.query(**kwargs)
            out.extend(ImpactRecord.model_validate_json(i["record"]) for i in page["Items"])
            if "LastEvaluatedKey" not in page:
                return out
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def iter_records(
        self, tenant: str, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[ImpactRecord]:
        from boto3.dynamodb.conditions import Key

        end = until or self._now()
        start = since or end - self.DEFAULT_HISTORY
        for month in _months(start, end):
            kwargs: dict[str, Any] = {
                "KeyConditionExpression": Key("pk").eq(f"{tenant}#impact#{month}"),
            }
            while True:
                page = self._table.query(**kwargs)
                for item in page["Items"]:
                    record = ImpactRecord.model_validate_json(item["record"])
                    if record.decided_at >= start and (until is None or record.decided_at < until):
                        yield record
                if "LastEvaluatedKey" not in page:
                    break
                kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def record_decision(store: LedgerStore, record: ImpactRecord) -> ImpactRecord:
    store.put(record)
    return record


def record_outcome(
    store: LedgerStore,
    tenant: str,
    amazon_order_id: str,
    rating: int,
    feedback_at: datetime,
    *,
    removed: bool = False,
) -> list[ImpactRecord]:
    """Attach an order's feedback to the decisions made on that order before it was left.

    Feedback carries only a day, so a decision on that same day counts as before it.
    Decisions made afterwards (e.g. the follow-up) are not blamed for it. Returns the
    updated records; an empty list means no decision of ours touched that order.
    """
    updated = []
    day = feedback_at.astimezone(UTC).date()
    for record in store.records_for_order(tenant, amazon_order_id):
        if record.decided_at.astimezone(UTC).date() > day:
            continue
        new = record.with_feedback(rating, feedback_at, removed)
        if new != record:
            store.put(new)
        updated.append(new)
    return updated


def record_feedback_entries(
    store: LedgerStore,
    tenant: str,
    entries: Iterable[FeedbackEntry],
    removed_keys: frozenset[str] = frozenset(),
) -> tuple[int, int]:
    """Match feedback report rows to ledger records by order id.
    Returns (rows matched to a decision, rows about orders we never decided on)."""
    matched = unmatched = 0
    for entry in entries:
        hits = record_outcome(
            store,
            tenant,
            entry.amazon_order_id,
            entry.rating,
            entry.feedback_at,
            removed=entry.dedup_key in removed_keys,
        )
        if hits:
            matched += 1
        else:
            unmatched += 1
    return matched, unmatched


class LedgerFileError(ValueError):
    """A JSON-lines ledger or snapshot file has a line that is not a valid record."""


def read_jsonl[M: BaseModel](path: Path, model: type[M]) -> Iterator[M]:
    """Stream models from a JSON-lines file, one per non-blank line (never all at once)."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LedgerFileError(f"{path}:{number}: not JSON ({exc.msg})") from None
            except ValueError as exc:  # an integer of over 4,300 digits
                raise LedgerFileError(f"{path}:{number}: not JSON ({exc})") from None
            try:
                yield model.model_validate(data)
            except ValidationError as exc:
                error = exc.errors()[0]
                where = ".".join(str(part) for part in error["loc"]) or "record"
                raise LedgerFileError(f"{path}:{number}: {where}: {error['msg']}") from None


def write_jsonl(path: Path, models: Iterable[BaseModel]) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for model in models:
            handle.write(model.model_dump_json() + "\n")
            count += 1
    return count
