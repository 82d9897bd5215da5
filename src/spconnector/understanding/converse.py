"""One metered Bedrock Converse call with one forced tool: what understanding (labelling a buyer
message) and KB phrasing (writing an answer) share.

Guarantees:
- the model is forced to call the one tool whose schema is ours; `tool_input` accepts only an
  answer that is exactly one call of it (the caller validates the input strictly);
- timeout and retries come from botocore's Config (`bedrock_client`);
- a per-tenant monthly cost cap is checked before each call; every call's tokens and cost are
  added to the tenant's spend and reported through `on_usage` (EMF metrics by default) with
  an outcome; a failing metric never stops the caller;
- any failure (cap reached, error, timeout) raises `ConverseFailed` after it is reported, so
  the caller falls back to what it does without Bedrock.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

from spconnector.observability import get_logger

log = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class BedrockSettings:
    """Per tenant. `model_id` empty → off."""

    model_id: str = ""
    monthly_cost_cap_usd: Decimal = Decimal("20")
    # USD per 1,000 tokens for the chosen model (the seller's price list; no API gives it).
    input_price_per_1k: Decimal = Decimal("0.0008")
    output_price_per_1k: Decimal = Decimal("0.0032")
    max_tokens: int = 400

    @property
    def enabled(self) -> bool:
        return bool(self.model_id)


@dataclass(frozen=True, slots=True)
class Usage:
    tenant: str
    model_id: str
    input_tokens: int
    output_tokens: int
    cost_usd: Decimal
    outcome: str  # "bedrock", "phrased", … or why Bedrock's answer was not used


class SpendLedger(Protocol):
    def spent(self, tenant: str, month: str) -> Decimal: ...
    def add(self, tenant: str, month: str, amount: Decimal) -> None: ...


@dataclass
class MemorySpendLedger:
    """Spend per (tenant, month) in memory; a deployment keeps it in DynamoDB."""

    _spent: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def spent(self, tenant: str, month: str) -> Decimal:
        with self._lock:
            return self._spent.get((tenant, month), Decimal(0))

    def add(self, tenant: str, month: str, amount: Decimal) -> None:
        with self._lock:
            key = (tenant, month)
            self._spent[key] = self._spent.get(key, Decimal(0)) + amount


def forced_tool_request(
    model_id: str,
    *,
    system: str,
    envelope: str,
    tool_name: str,
    description: str,
    schema: dict[str, Any],
    max_tokens: int,
) -> dict[str, Any]:
    """The Converse request: our words as the system prompt, the caller's JSON envelope (buyer
    words travel inside it as data) as the one user turn, one tool the model must call."""
    return {
        "modelId": model_id,
        "system": [{"text": system}],
        "messages": [{"role": "user", "content": [{"text": envelope}]}],
        "toolConfig": {
            "tools": [
                {
                    "toolSpec": {
                        "name": tool_name,
                        "description": description,
                        "inputSchema": {"json": schema},
                    }
                }
            ],
            "toolChoice": {"tool": {"name": tool_name}},
        },
        "inferenceConfig": {"maxTokens": max_tokens, "temperature": 0},
    }


class NotOurTool(ValueError):
    """The answer is not exactly one call of the tool asked for."""


def tool_input(response: dict[str, Any], tool_name: str) -> Any:
    """The input of the answer's one call of `tool_name` (not validated: the caller does)."""
    content = response.get("output", {}).get("message", {}).get("content", [])
    calls = [c["toolUse"] for c in content if isinstance(c, dict) and "toolUse" in c]
    if len(calls) != 1 or calls[0].get("name") != tool_name:
        raise NotOurTool(f"expected exactly one call of the {tool_name} tool")
    return calls[0].get("input")


class ConverseFailed(Exception):
    """No answer to use (reported already); `outcome` says why."""

    def __init__(self, outcome: str) -> None:
        super().__init__(outcome)
        self.outcome = outcome


@dataclass(frozen=True, slots=True)
class Answered:
    response: dict[str, Any]
    input_tokens: int
    output_tokens: int
    cost_usd: Decimal


class MeteredConverse:
    """The client, settings and spend of one tenant's Bedrock use (see the guarantees)."""

    def __init__(
        self,
        client: Any,
        settings: BedrockSettings,
        *,
        tenant: str,
        ledger: SpendLedger | None = None,
        on_usage: Callable[[Usage], None] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.client = client
        self.settings = settings
        self.tenant = tenant
        self.ledger = ledger or MemorySpendLedger()
        self.on_usage = on_usage or emit_usage
        self.clock = clock

    def check_cap(self) -> None:
        """Raises ConverseFailed when this month's spend has reached the cap."""
        if self.ledger.spent(self.tenant, self._month()) >= self.settings.monthly_cost_cap_usd:
            self.report("cost cap reached")
            raise ConverseFailed("cost cap reached")

    def converse(self, request: dict[str, Any]) -> Answered:
        """Call Bedrock and book the call's cost; ConverseFailed on any error."""
        month = self._month()
        try:
            response = self.client.converse(**request)
        except Exception as exc:  # timeouts, throttling, access denied: the caller falls back
            outcome = f"error {type(exc).__name__}"
            self.report(outcome)
            raise ConverseFailed(outcome) from None
        usage = response.get("usage", {})
        tokens_in, tokens_out = int(usage.get("inputTokens", 0)), int(usage.get("outputTokens", 0))
        cost = (
            Decimal(tokens_in) * self.settings.input_price_per_1k
            + Decimal(tokens_out) * self.settings.output_price_per_1k
        ) / 1000
        self.ledger.add(self.tenant, month, cost)
        return Answered(response, tokens_in, tokens_out, cost)

    def report(self, outcome: str, answered: Answered | None = None) -> None:
        usage = Usage(
            self.tenant,
            self.settings.model_id,
            answered.input_tokens if answered else 0,
            answered.output_tokens if answered else 0,
            answered.cost_usd if answered else Decimal(0),
            outcome,
        )
        try:
            self.on_usage(usage)
        except Exception:  # metrics never stop a message or a reply
            log.warning("bedrock usage metric not recorded")

    def _month(self) -> str:
        return self.clock().strftime("%Y-%m")


def emit_usage(usage: Usage) -> None:
    """Tokens and cost per call as CloudWatch EMF (one JSON line; no buyer text)."""
    record = {
        "_aws": {
            "Timestamp": int(datetime.now(UTC).timestamp() * 1000),
            "CloudWatchMetrics": [
                {
                    "Namespace": "spconnector",
                    "Dimensions": [["tenant"]],
                    "Metrics": [
                        {"Name": "BedrockInputTokens", "Unit": "Count"},
                        {"Name": "BedrockOutputTokens", "Unit": "Count"},
                        {"Name": "BedrockCostUSD", "Unit": "None"},
                    ],
                }
            ],
        },
        "tenant": usage.tenant,
        "outcome": usage.outcome,
        "BedrockInputTokens": usage.input_tokens,
        "BedrockOutputTokens": usage.output_tokens,
        "BedrockCostUSD": float(usage.cost_usd),
    }
    print(json.dumps(record))


def bedrock_client(region: str, *, timeout_s: float = 8.0, attempts: int = 3) -> Any:
    """A bedrock-runtime client with a short timeout and bounded standard retries."""
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=timeout_s,
        read_timeout=timeout_s,
        retries={"max_attempts": attempts, "mode": "standard"},
    )
    return boto3.client("bedrock-runtime", region_name=region, config=config)
