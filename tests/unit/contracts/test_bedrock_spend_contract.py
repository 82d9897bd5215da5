"""The SpendLedger port (Bedrock's monthly spend per tenant): amounts add up, per tenant and
month, and concurrent adds lose nothing; on DynamoDB two readers in two "containers" share
one cap."""

from __future__ import annotations

from decimal import Decimal

import boto3
import pytest
from botocore.stub import Stubber

from spconnector.aws.bedrock_spend import DynamoBedrockSpend
from spconnector.understanding.bedrock import BedrockReader
from spconnector.understanding.converse import BedrockSettings, MemorySpendLedger, SpendLedger
from tests.unit.contracts.conftest import ADAPTERS, TABLE, run_together

D = Decimal


@pytest.fixture(params=ADAPTERS)
def ledger(request: pytest.FixtureRequest) -> SpendLedger:
    if request.param == "memory":
        return MemorySpendLedger()
    return DynamoBedrockSpend(request.getfixturevalue("ddb"), TABLE)


def test_nothing_spent_reads_zero(ledger: SpendLedger) -> None:
    assert ledger.spent("acme", "2026-11") == D(0)


def test_amounts_add_up_per_tenant_and_month(ledger: SpendLedger) -> None:
    ledger.add("acme", "2026-11", D("0.0012"))
    ledger.add("acme", "2026-11", D("0.0030"))
    ledger.add("acme", "2026-12", D("1"))
    ledger.add("other", "2026-11", D("5"))
    assert ledger.spent("acme", "2026-11") == D("0.0042")
    assert ledger.spent("acme", "2026-12") == D(1)
    assert ledger.spent("other", "2026-11") == D(5)


def test_concurrent_adds_lose_nothing(ledger: SpendLedger) -> None:
    run_together(8, lambda _i: ledger.add("acme", "2026-11", D("0.25")))
    assert ledger.spent("acme", "2026-11") == D(2)


class _Local:
    def understand(self, subject: str, body: str, *, attachments: int = 0) -> object:
        from spconnector.understanding.model import default_model

        return default_model().understand(subject, body, attachments=attachments)


def test_the_cap_holds_across_containers(ddb: object) -> None:
    """Two readers (two Lambda containers) over one DynamoDB ledger: spend booked by one
    counts against the cap the other checks, so the second makes no call."""
    shared = DynamoBedrockSpend(ddb, TABLE)
    settings = BedrockSettings(model_id="m", monthly_cost_cap_usd=D("0.50"))
    outcomes: list[str] = []
    first, second = (
        BedrockReader(
            boto3.client("bedrock-runtime", region_name="us-east-1"),
            settings,
            _Local(),  # type: ignore[arg-type]
            tenant="acme",
            ledger=shared,
            on_usage=lambda usage: outcomes.append(usage.outcome),
        )
        for _ in range(2)
    )
    shared.add("acme", first.clock().strftime("%Y-%m"), D("0.50"))  # what `first` spent
    with Stubber(second.client) as stubber:  # no response stubbed: any call would fail
        result = second.understand("", "The kettle stopped working.")
        stubber.assert_no_pending_responses()
    assert result.model_version != "bedrock:m"
    assert outcomes == ["cost cap reached"]  # refused before calling, not a failed call
