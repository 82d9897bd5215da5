"""What 1,000 buyer messages cost to run in AWS, from work counted in the embedded pipeline.

The real Lambda handlers of template.yaml (lambdas/, each imported once: a warm container per
function, with the environment the template gives it) run against moto and the SP-API
simulator: SES stores each buyer mail in S3 → IngestEmail (one invocation per mail, as the S3
notification delivers it) → case-events SQS → ProcessCase (batches of the template's
BatchSize) → actions SQS → Act. Counted on the way:

- Lambda: invocations and billed duration × the function's MemorySize from template.yaml.
  Duration here is this machine's CPU time (wall time on a shared machine is mostly waiting
  for a core); a Lambda of M MB gets M/1769 of a vCPU (AWS Lambda docs: 1,769 MB = one
  vCPU), so billed ms = the handler thread's CPU time ÷ that share + ASSUMED_AWS_LATENCY_MS
  per AWS request + ASSUMED_SP_API_LATENCY_MS per SP-API request (moto answers in-process:
  its CPU is already inside the thread's CPU time, so this overstates rather than
  understates);
- DynamoDB read/write request units, from botocore event hooks on every call and the sizes of
  the items read and written (DynamoDB's item-size rules: names + values; a write also pays
  for the one GSI, gsi1, when the item carries its key; strongly consistent reads 1 RRU per
  4 KB, eventually consistent ½, transactional 2×). An update is charged for the item as it
  is after the update (read back from moto's backend, uncounted);
- SQS requests: the code's own sends (hooks) plus, per batch the event source mapping hands a
  function, one ReceiveMessage and one DeleteMessageBatch (each 64 KB chunk a request);
- S3 requests (SES's PUT of each inbound mail + the code's own), SES (inbound mails and 256 KB
  chunks, outbound mails), SNS publishes, Secrets Manager calls, KMS calls if any;
- CloudWatch Logs ingestion: every byte the handlers write to stdout (Powertools JSON logs and
  EMF metric lines) + LAMBDA_PLATFORM_LOG_BYTES per invocation for START/END/REPORT lines;
- X-Ray: as template.yaml's Tracing parameter sets it (default PassThrough: no trace of our
  own; with Active, one trace per invocation, which below Lambda's 1 request/s reservoir is
  what it records);
- Bedrock (off by default): tokens of the request `converse_request` builds for each message
  (≈ 4 characters per token) and ASSUMED_OUTPUT_TOKENS for the tool answer, priced at the
  project's default BedrockSettings prices; reported separately.

Configurations a seller chooses between, from the same run: SES receiving + SES sending (the
template's default); IMAP intake (PollMailbox reads the seller's own mailbox: no SES receiving
fees, no S3 PUT of SES's copy of each mail nor IngestEmail's read of it; PollMailbox's own
invocations every 5 minutes are fixed, not per mail) + SES sending (replies to buyers go
through Amazon's relay by mail); IMAP intake + SMTP sending (replies leave through the
seller's own mailbox, `tenant.smtp_mailbox`: no SES fee; Act's extra billed time per reply is
ASSUMED_SMTP_SEND_MS, and one Secrets Manager read per reply); and our own infrastructure
alone (no SES fee at all). Each gets its own target line.

Fixed monthly costs (per tenant secret, custom metrics, idle SQS long polling) are not per
message: printed below the table, not in the $/1,000 figure. Free tiers are ignored.

    .venv/bin/python bench/cost.py [--tenants 5] [--messages 10]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import math
import os
import sys
import threading
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from fanout import tenant_mails

from spconnector.local.embedded import Embedded, embedded
from spconnector.local.fleet import add_tenant
from spconnector.local.invoke import LocalContext, function_environment
from spconnector.local.samples import s3_event
from spconnector.local.template import Function, Template

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"

# List prices, us-east-1, on-demand, without free tiers. Taken from the AWS pricing pages below
# as published in 2025 (DynamoDB after its November 2024 on-demand reduction); prices were not
# re-checked online from this machine (no internet): re-check them before quoting a figure.
# Table written 2026-12-02.
PRICES_CHECKED = "2026-12-02 (from the 2025 published list prices; see PRICE_SOURCES)"
PRICE_SOURCES = {
    "lambda": "https://aws.amazon.com/lambda/pricing/",
    "dynamodb": "https://aws.amazon.com/dynamodb/pricing/on-demand/",
    "sqs": "https://aws.amazon.com/sqs/pricing/",
    "s3": "https://aws.amazon.com/s3/pricing/",
    "ses": "https://aws.amazon.com/ses/pricing/",
    "sns": "https://aws.amazon.com/sns/pricing/",
    "cloudwatch": "https://aws.amazon.com/cloudwatch/pricing/",
    "xray": "https://aws.amazon.com/xray/pricing/",
    "secretsmanager": "https://aws.amazon.com/secrets-manager/pricing/",
    "kms": "https://aws.amazon.com/kms/pricing/",
    "bedrock": "https://aws.amazon.com/bedrock/pricing/",
}
PRICE = {
    "lambda_request": Decimal("0.20") / 1_000_000,
    "lambda_gb_second_x86": Decimal("0.0000166667"),
    "lambda_gb_second_arm": Decimal("0.0000133334"),
    "dynamodb_wru": Decimal("0.625") / 1_000_000,
    "dynamodb_rru": Decimal("0.125") / 1_000_000,
    "sqs_standard_request": Decimal("0.40") / 1_000_000,
    "sqs_fifo_request": Decimal("0.50") / 1_000_000,
    "s3_put": Decimal("0.005") / 1_000,  # PUT, COPY, POST, LIST
    "s3_get": Decimal("0.0004") / 1_000,  # GET and all other requests
    "ses_inbound_mail": Decimal("0.10") / 1_000,
    "ses_inbound_chunk": Decimal("0.09") / 1_000,  # per 256 KB incoming chunk
    "ses_outbound_mail": Decimal("0.10") / 1_000,
    "sns_publish": Decimal("0.50") / 1_000_000,
    "logs_ingest_gb": Decimal("0.50"),
    "xray_trace": Decimal("5.00") / 1_000_000,
    "secrets_api_call": Decimal("0.05") / 10_000,
    "secret_month": Decimal("0.40"),
    "kms_request": Decimal("0.03") / 10_000,
    "custom_metric_month": Decimal("0.30"),
}
ASSUMED_AWS_LATENCY_MS = 8.0  # one AWS API round trip from a Lambda in the same region
ASSUMED_SP_API_LATENCY_MS = 250.0  # one SP-API round trip (Amazon's endpoints are slower)
# One reply through the seller's own mailbox (spconnector.aws.smtp_mail): Act's Lambda waits
# for connect, TLS, EHLO, AUTH, MAIL, RCPT, DATA and the provider's answer to the final dot
# (~9 round trips plus its spam scan): assumed, not measured (no provider reachable here).
ASSUMED_SMTP_SEND_MS = 1500.0
LAMBDA_PLATFORM_LOG_BYTES = 350  # START, END and REPORT lines of one invocation
ASSUMED_OUTPUT_TOKENS = 120  # the labels tool call: intent, wants, signals, evidence
ONE_VCPU_MB = 1769
SQS_CHUNK = 64 * 1024
TARGET_USD_PER_1000 = Decimal("0.05")
INGEST, PROCESS, ACT = "IngestEmailFunction", "ProcessCaseFunction", "ActFunction"

_S3_PUT_OPS = {"PutObject", "CopyObject", "PostObject", "ListObjects", "ListObjectsV2"}
_FIFO = ".fifo"


def item_size(item: dict[str, Any]) -> int:
    """DynamoDB's size of an item in the low-level format (names + values)."""
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def _value_size(value: dict[str, Any]) -> int:
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(str(inner).encode())
    if kind == "N":
        digits = str(inner).lstrip("-").replace(".", "").lstrip("0") or "0"
        return math.ceil(len(digits) / 2) + 1
    if kind == "B":
        return len(inner) if isinstance(inner, bytes | bytearray) else len(str(inner)) * 3 // 4
    if kind in ("BOOL", "NULL"):
        return 1
    if kind in ("SS", "NS", "BS"):
        return sum(_value_size({kind[0]: v}) for v in inner)
    if kind == "L":
        return 3 + sum(1 + _value_size(v) for v in inner)
    if kind == "M":
        return 3 + sum(len(k.encode()) + 1 + _value_size(v) for k, v in inner.items())
    return 0


@dataclass
class Counted:
    calls: Counter[str] = field(default_factory=Counter)  # "service:Operation"
    rru: float = 0.0
    wru: float = 0.0
    sqs_requests: Counter[str] = field(default_factory=Counter)  # "standard" / "fifo"
    s3_put: int = 0
    s3_get: int = 0
    ses_out: int = 0
    meter_errors: Counter[str] = field(default_factory=Counter)
    ddb_kinds: Counter[str] = field(default_factory=Counter)  # "Operation kind-of-item"
    lock: threading.Lock = field(default_factory=threading.Lock)
    quiet: threading.local = field(default_factory=threading.local)


class AwsCallMeter:
    """botocore hooks on the shared session: every AWS call the code makes is counted, with
    the request units DynamoDB would charge for it."""

    def __init__(self, counted: Counted, table: str) -> None:
        self.counted = counted
        self.table = table

    def install(self) -> None:
        from spconnector.aws import clients

        session = clients._shared_session()
        session.events.register("after-call", self._after_call)
        clients.reset_clients()  # clients made from now on carry the hook

    def _after_call(self, http_response: Any, parsed: Any, model: Any, **kwargs: Any) -> None:
        if getattr(self.counted.quiet, "on", False):
            return
        context = kwargs.get("context") or {}
        params = context.get("spconnector_params") or {}
        service = model.service_model.service_name
        op = model.name
        c = self.counted
        with c.lock:
            c.calls[f"{service}:{op}"] += 1
            if service == "dynamodb":
                c.ddb_kinds[f"{op} {_key_kind(params)}"] += 1
        if service == "dynamodb":
            try:
                self._dynamodb(op, params, parsed)
            except Exception as exc:  # the meter must never break what it measures
                with c.lock:
                    c.meter_errors[f"{op}: {type(exc).__name__}: {exc}"] += 1
        elif service == "sqs":
            self._sqs(op, params)
        elif service == "s3":
            with c.lock:
                if op in _S3_PUT_OPS:
                    c.s3_put += 1
                else:
                    c.s3_get += 1
        elif service in ("ses", "sesv2") and op.startswith("Send"):
            with c.lock:
                c.ses_out += 1

    def _sqs(self, op: str, params: dict[str, Any]) -> None:
        kind = "fifo" if str(params.get("QueueUrl", "")).endswith(_FIFO) else "standard"
        if op == "SendMessageBatch":
            size = sum(len(str(e.get("MessageBody", "")).encode()) for e in params["Entries"])
        else:
            size = len(str(params.get("MessageBody", "")).encode())
        with self.counted.lock:
            self.counted.sqs_requests[kind] += max(1, math.ceil(size / SQS_CHUNK))

    def _dynamodb(self, op: str, params: dict[str, Any], parsed: dict[str, Any]) -> None:
        rru = wru = 0.0
        consistent = bool(params.get("ConsistentRead"))
        read_factor = 1.0 if consistent else 0.5
        if op == "GetItem":
            item = _low_level(parsed.get("Item", {}))
            rru = read_factor * max(1, math.ceil(item_size(item) / 4096))
        elif op in ("Query", "Scan"):
            total = sum(item_size(_low_level(i)) for i in parsed.get("Items", []))
            rru = read_factor * max(1, math.ceil(total / 4096))
        elif op == "BatchGetItem":
            for items in parsed.get("Responses", {}).values():
                rru += sum(0.5 * max(1, math.ceil(item_size(i) / 4096)) for i in items)
        elif op in ("PutItem", "DeleteItem", "UpdateItem"):
            wru = self._write_units(params["TableName"], params.get("Item") or params["Key"])
        elif op == "BatchWriteItem":
            for table, requests in params["RequestItems"].items():
                for r in requests:
                    body = r.get("PutRequest", {}).get("Item") or r["DeleteRequest"]["Key"]
                    wru += self._write_units(table, body)
        elif op == "TransactWriteItems":
            for entry in params["TransactItems"]:
                ((_kind, body),) = entry.items()
                key = body.get("Item") or body.get("Key") or {}
                wru += 2 * self._write_units(body["TableName"], key)
        elif op == "TransactGetItems":
            rru = 2.0 * len(params["TransactItems"])
        with self.counted.lock:
            self.counted.rru += rru
            self.counted.wru += wru

    def _write_units(self, table: str, item_or_key: dict[str, Any]) -> float:
        item_or_key = _low_level(item_or_key)
        stored = self._stored(table, item_or_key) or item_or_key
        size = item_size(stored)
        units = max(1, math.ceil(size / 1024))
        if "gsi1pk" in stored:  # ProjectionType ALL: the index gets the whole item too
            units += max(1, math.ceil(size / 1024))
        return float(units)

    def _stored(self, table: str, item_or_key: dict[str, Any]) -> dict[str, Any] | None:
        """The item as moto holds it now (after the write), read without being counted."""
        from spconnector.aws.clients import client

        key = {k: item_or_key[k] for k in ("pk", "sk") if k in item_or_key}
        self.counted.quiet.on = True
        try:
            got = client("dynamodb").get_item(TableName=table, Key=key).get("Item")
        except Exception:
            got = None
        finally:
            self.counted.quiet.on = False
        return got


def _key_kind(params: dict[str, Any]) -> str:
    """What kind of item a call touches: its partition key without tenant and ids
    ("<tenant>#case#<id>" → "case"), or the index a query reads."""
    key = params.get("Key") or params.get("Item") or {}
    pk = key.get("pk")
    if isinstance(pk, dict):
        pk = pk.get("S")
    if pk is None:
        values = params.get("ExpressionAttributeValues") or {}
        first = next(iter(values.values()), None)
        pk = first.get("S") if isinstance(first, dict) else first
        if params.get("IndexName"):
            return f"{params['IndexName']}:{_kind(str(pk))}"
    return _kind(str(pk)) if pk else "?"


def _kind(pk: str) -> str:
    parts = pk.split("#")
    return "#".join(p for p in parts[1:3] if p and not any(ch.isdigit() for ch in p)) or parts[0]


_TYPE_TAGS = {"S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"}


def _low_level(item: dict[str, Any]) -> dict[str, Any]:
    """An item in DynamoDB's typed format; a boto3 resource's call carries Python values."""
    from boto3.dynamodb.types import TypeSerializer

    typed = all(isinstance(v, dict) and len(v) == 1 and set(v) <= _TYPE_TAGS for v in item.values())
    if typed:
        return item
    serializer = TypeSerializer()
    return {k: serializer.serialize(v) for k, v in item.items()}


def _keep_params(params: Any, context: Any, **_: Any) -> None:
    context["spconnector_params"] = params


class StdoutBytes(io.TextIOBase):
    """What a function writes to stdout: CloudWatch Logs ingests exactly that."""

    def __init__(self) -> None:
        self.bytes = 0
        self.emf_lines = 0
        self.metric_names: set[str] = set()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.bytes += len(text.encode())
        for line in text.splitlines():
            if '"_aws"' in line:
                self.emf_lines += 1
                with contextlib.suppress(ValueError):
                    record = json.loads(line)
                    for directive in record["_aws"]["CloudWatchMetrics"]:
                        dims = tuple(sorted(k for d in directive["Dimensions"] for k in d))
                        for m in directive["Metrics"]:
                            self.metric_names.add(
                                f"{m['Name']}|" + ",".join(f"{d}={record.get(d)}" for d in dims)
                            )
        return len(text)


@dataclass
class FunctionUse:
    invocations: int = 0
    billed_ms: float = 0.0
    aws_calls: int = 0
    sp_calls: int = 0


@dataclass
class WarmFunction:
    """One function's handler, imported once with the template's environment for it."""

    function: Function
    handler: Any
    environment: dict[str, str]
    use: FunctionUse = field(default_factory=FunctionUse)

    def invoke(self, event: dict[str, Any], counted: Counted, sp_calls: Counter[str]) -> Any:
        context = LocalContext(
            self.function.logical_id, self.function.memory_mb, self.function.timeout
        )
        calls_before = sum(counted.calls.values())
        sp_before = sum(sp_calls.values())
        with _environment(self.environment):
            cpu = time.thread_time()
            result = self.handler(event, context)
            cpu = time.thread_time() - cpu
        calls = sum(counted.calls.values()) - calls_before
        sp = sum(sp_calls.values()) - sp_before
        share = min(1.0, self.function.memory_mb / ONE_VCPU_MB)
        billed = (
            cpu / share
            + calls * ASSUMED_AWS_LATENCY_MS / 1000
            + sp * ASSUMED_SP_API_LATENCY_MS / 1000
        )
        self.use.invocations += 1
        self.use.billed_ms += math.ceil(billed * 1000)
        self.use.aws_calls += calls
        self.use.sp_calls += sp
        return result


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def load_functions(env: Embedded, names: list[str]) -> dict[str, WarmFunction]:
    import importlib

    template = Template.load(TEMPLATE)
    code_dir = template.function(names[0]).code_dir
    sys.path.insert(0, str(code_dir))
    loaded: dict[str, WarmFunction] = {}
    for name in names:
        function = template.function(name)
        environment = function_environment(template, function, env)
        with _environment(environment):
            # each function its own copy of the handler modules, as its own container would
            handler_modules = ("_shared", "_sqs_batch", function.module)
            for stale in [m for m in sys.modules if m in handler_modules]:
                del sys.modules[stale]
            module = importlib.import_module(function.module)
        loaded[name] = WarmFunction(function, getattr(module, function.attribute), environment)
    return loaded


def batches(bodies: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(bodies), size):
        yield bodies[i : i + size]


def sqs_batch_event(bodies: list[dict[str, Any]], queue_url: str) -> dict[str, Any]:
    from spconnector.local.samples import sqs_event

    records = [sqs_event(b, queue_url)["Records"][0] for b in bodies]
    return {"Records": records}


@dataclass
class Run:
    messages: int
    counted: Counted
    functions: dict[str, WarmFunction]
    stdout: StdoutBytes
    inbound_bytes: int
    esm_sqs: Counter[str]
    failures: int
    bedrock_in_tokens: int
    replies: int
    tracing: str


def run_pipeline(tenants: int, messages: int) -> Run:
    from spconnector.aws.clients import client

    counted = Counted()
    stdout = StdoutBytes()
    with contextlib.redirect_stdout(sys.stderr), embedded(seed=7, time_scale=60.0) as env:
        meter = AwsCallMeter(counted, env.services.settings.table)
        from spconnector.aws import clients

        clients._shared_session().events.register("provide-client-params", _keep_params)
        meter.install()
        tenant_ids = [f"c{n:03d}" for n in range(tenants)]
        for tid in tenant_ids:
            # each its own LWA token (its own usage-plan buckets), the demo tenant's recipient
            add_tenant(env, tid, label="bench", ses_recipient=env.tenant.ses_recipient)
        with contextlib.redirect_stdout(stdout):
            functions = load_functions(env, [INGEST, PROCESS, ACT])
        template = Template.load(TEMPLATE)
        batch_size = {
            name: int(
                next(iter(template.resources[name]["Properties"]["Events"].values()))[
                    "Properties"
                ].get("BatchSize", 10)
            )
            for name in ("ProcessCaseFunction", "ActFunction")
        }
        # what setting up cost (tenants, imports) is not the messages' work
        counted = meter.counted = Counted()
        stdout = StdoutBytes()

        sp_calls = _count_sp_api_requests(env)
        s3 = client("s3")
        inbound_bytes = 0
        esm_sqs: Counter[str] = Counter()
        failures = 0
        bedrock_in = 0
        total = 0
        with contextlib.redirect_stdout(stdout):
            for tid in tenant_ids:
                for n, raw in enumerate(tenant_mails(env, tid, messages)):
                    key = f"inbound/{tid}/{n}.eml"
                    # SES's receipt rule writes the mail: a PUT billed to the bucket owner
                    counted.quiet.on = True
                    s3.put_object(Bucket=env.bucket, Key=key, Body=raw)
                    counted.quiet.on = False
                    counted.s3_put += 1
                    inbound_bytes += len(raw)
                    bedrock_in += _bedrock_input_tokens(raw)
                    total += 1
                    functions[INGEST].invoke(s3_event(env.bucket, key, raw), counted, sp_calls)
            for stage, queue in ((PROCESS, "case-events"), (ACT, "actions")):
                while True:
                    counted.quiet.on = True
                    bodies = env.drain(queue)
                    counted.quiet.on = False
                    if not bodies:
                        break
                    for batch in batches(bodies, batch_size[stage]):
                        esm_sqs["standard"] += 2 * max(
                            1, math.ceil(len(json.dumps(batch).encode()) / SQS_CHUNK)
                        )
                        result = functions[stage].invoke(
                            sqs_batch_event(batch, env.queues[queue]), counted, sp_calls
                        )
                        failures += len((result or {}).get("batchItemFailures", []))
        replies = counted.ses_out
    return Run(
        total,
        counted,
        functions,
        stdout,
        inbound_bytes,
        esm_sqs,
        failures,
        bedrock_in,
        replies,
        template_tracing(template),
    )


def _count_sp_api_requests(env: Embedded) -> Counter[str]:
    """Requests the simulator answers, by path (the SP-API calls the handlers made)."""
    seen: Counter[str] = Counter()
    simulator = env.sim.simulator
    answer = simulator.handle

    def counted(req: Any) -> Any:
        seen[req.path] += 1
        return answer(req)

    simulator.handle = counted  # type: ignore[method-assign]
    return seen


def _bedrock_input_tokens(raw: bytes) -> int:
    """Tokens of the Converse request Bedrock would get for this mail's buyer text."""
    import email
    from email import policy

    from spconnector.understanding.bedrock import converse_request, redact

    message = email.message_from_bytes(raw, policy=policy.default)
    body = message.get_body(("plain", "html"))  # type: ignore[attr-defined]
    text = f"{message['subject']}\n{body.get_content() if body else ''}"
    request = converse_request("anthropic.claude-3-5-haiku-20241022-v1:0", redact(text, None), 400)
    return math.ceil(len(json.dumps(request)) / 4)


def template_tracing(template: Template) -> str:
    """The functions' X-Ray mode as deployed with the template's defaults."""
    value = (template.body.get("Globals") or {}).get("Function", {}).get("Tracing", "PassThrough")
    if getattr(value, "name", None) == "Ref":
        return template.parameter_defaults[value.value]
    return str(value)


def price(run: Run) -> tuple[list[tuple[str, str, Decimal]], Decimal]:
    """(component, counted work per 1,000 messages, $ per 1,000 messages) rows and the total."""
    per = Decimal(1000) / Decimal(run.messages)
    c = run.counted
    rows: list[tuple[str, str, Decimal]] = []
    invocations = 0
    for wf in run.functions.values():
        gb_s = Decimal(wf.use.billed_ms) / 1000 * Decimal(wf.function.memory_mb) / 1024
        cost = wf.use.invocations * PRICE["lambda_request"] + gb_s * PRICE["lambda_gb_second_x86"]
        invocations += wf.use.invocations
        rows.append(
            (
                f"Lambda {wf.function.short_name} ({wf.function.memory_mb} MB)",
                f"{float(wf.use.invocations * per):.0f} invocations, "
                f"{float(wf.use.billed_ms / max(1, wf.use.invocations)):.0f} ms billed each, "
                f"{wf.use.sp_calls * float(per):.0f} SP-API calls",
                cost * per,
            )
        )
    rows.append(
        (
            "DynamoDB on-demand",
            f"{c.rru * float(per):.0f} RRU, {c.wru * float(per):.0f} WRU",
            (
                Decimal(repr(c.rru)) * PRICE["dynamodb_rru"]
                + Decimal(repr(c.wru)) * PRICE["dynamodb_wru"]
            )
            * per,
        )
    )
    sqs_std = c.sqs_requests["standard"] + run.esm_sqs["standard"]
    sqs_fifo = c.sqs_requests["fifo"] + run.esm_sqs["fifo"]
    rows.append(
        (
            "SQS",
            f"{float(sqs_std * per):.0f} standard + {float(sqs_fifo * per):.0f} FIFO requests",
            (sqs_std * PRICE["sqs_standard_request"] + sqs_fifo * PRICE["sqs_fifo_request"]) * per,
        )
    )
    rows.append(
        (
            "S3 requests",
            f"{float(c.s3_put * per):.0f} PUT, {float(c.s3_get * per):.0f} GET/other",
            (c.s3_put * PRICE["s3_put"] + c.s3_get * PRICE["s3_get"]) * per,
        )
    )
    chunks = max(run.messages, math.ceil(run.inbound_bytes / (256 * 1024)))
    rows.append(
        (
            "SES",
            f"{float(run.messages * per):.0f} inbound mails ({float(chunks * per):.0f} chunks), "
            f"{float(c.ses_out * per):.0f} outbound",
            (
                run.messages * PRICE["ses_inbound_mail"]
                + chunks * PRICE["ses_inbound_chunk"]
                + c.ses_out * PRICE["ses_outbound_mail"]
            )
            * per,
        )
    )
    sns = c.calls["sns:Publish"]
    rows.append(("SNS", f"{float(sns * per):.0f} publishes", sns * PRICE["sns_publish"] * per))
    secrets = sum(n for k, n in c.calls.items() if k.startswith("secretsmanager:"))
    kms = sum(n for k, n in c.calls.items() if k.startswith("kms:"))
    rows.append(
        (
            "Secrets Manager + KMS",
            f"{float(secrets * per):.0f} secret reads, {float(kms * per):.0f} KMS calls",
            (secrets * PRICE["secrets_api_call"] + kms * PRICE["kms_request"]) * per,
        )
    )
    log_bytes = run.stdout.bytes + invocations * LAMBDA_PLATFORM_LOG_BYTES
    rows.append(
        (
            "CloudWatch Logs",
            f"{log_bytes * float(per) / 1024:.0f} KB ingested "
            f"({run.stdout.emf_lines * float(per):.0f} EMF lines)",
            Decimal(log_bytes) / Decimal(1024**3) * PRICE["logs_ingest_gb"] * per,
        )
    )
    traced = invocations if run.tracing == "Active" else 0
    active = invocations * PRICE["xray_trace"] * per
    rows.append(
        (
            f"X-Ray (Tracing: {run.tracing})",
            f"{float(traced * per):.0f} traces (Active would record "
            f"{float(invocations * per):.0f}: +${float(active):.4f})",
            traced * PRICE["xray_trace"] * per,
        )
    )
    total = sum((r[2] for r in rows), Decimal(0))
    return rows, total


def configurations_of(run: Run, total: Decimal) -> list[tuple[str, str, Decimal, str]]:
    """(name, target-name suffix, $ per 1,000, what is in it) of each configuration."""
    per = Decimal(1000) / Decimal(run.messages)
    receiving = (
        run.messages * PRICE["ses_inbound_mail"]
        + max(run.messages, math.ceil(run.inbound_bytes / (256 * 1024)))
        * PRICE["ses_inbound_chunk"]
    ) * per
    sending = run.counted.ses_out * PRICE["ses_outbound_mail"] * per
    # SES's receipt rule writes each mail to S3 and IngestEmail reads it back: IMAP has neither
    ses_copy = run.messages * (PRICE["s3_put"] + PRICE["s3_get"]) * per
    ours = total - receiving - sending
    # replies through the seller's mailbox: no SES fee, but Act waits on the SMTP session and
    # reads the tenant's SMTP secret (Services.mailer_for) once per reply
    replies = Decimal(run.counted.ses_out)
    act_gb = Decimal(run.functions[ACT].function.memory_mb) / 1024
    smtp = (
        replies * Decimal(ASSUMED_SMTP_SEND_MS) / 1000 * act_gb * PRICE["lambda_gb_second_x86"]
        + replies * PRICE["secrets_api_call"]
    ) * per
    smtp_total = ours - ses_copy + smtp
    return [
        (
            "SES receiving + SES sending",
            "",
            total,
            f"SES receiving ${float(receiving):.4f} + sending ${float(sending):.4f} "
            f"({float(run.counted.ses_out * per):.0f} replies) + ours ${float(ours):.4f}",
        ),
        (
            "IMAP intake + SES sending",
            "-imap",
            total - receiving - ses_copy,
            f"SES sending ${float(sending):.4f} + ours ${float(ours - ses_copy):.4f}",
        ),
        (
            "IMAP intake + SMTP sending",
            "-imap-smtp",
            smtp_total,
            f"ours ${float(ours - ses_copy):.4f} + SMTP ${float(smtp):.4f} (Act held "
            f"{ASSUMED_SMTP_SEND_MS:.0f} ms per reply, assumed, and one secret read per reply); "
            f"the mailbox's own sending is the seller's mail plan, not AWS",
        ),
        (
            "our infrastructure alone",
            "-own-infrastructure",
            ours - ses_copy,
            "Lambda, DynamoDB, SQS, S3, SNS, secrets, logs, X-Ray; no SES fee",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--tenants", type=int, default=5)
    parser.add_argument("--messages", type=int, default=10, help="buyer mails per tenant")
    parser.add_argument("--calls", action="store_true", help="also list AWS calls by operation")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    warnings.filterwarnings("ignore")
    started = time.perf_counter()
    run = run_pipeline(args.tenants, args.messages)
    rows, total = price(run)
    print(
        f"cost bench: {run.messages} buyer mails over {args.tenants} tenants through the real "
        f"handlers (IngestEmail → ProcessCase → Act), {run.replies} replies sent, "
        f"{run.failures} record failures, {time.perf_counter() - started:.0f} s"
    )
    print(f"prices: us-east-1 list prices, {PRICES_CHECKED}")
    print(f"{'component':40} {'counted per 1,000 messages':58} {'$ / 1,000':>10}")
    for name, work, cost in rows:
        print(f"{name:40} {work:58} {float(cost):10.5f}")
    print(f"{'total without Bedrock':40} {'':58} {float(total):10.5f}")
    bedrock_in = run.bedrock_in_tokens * 1000 / run.messages
    bedrock_out = ASSUMED_OUTPUT_TOKENS * 1000
    from spconnector.understanding.bedrock import BedrockSettings

    s = BedrockSettings()
    bedrock = (
        Decimal(bedrock_in) * s.input_price_per_1k + Decimal(bedrock_out) * s.output_price_per_1k
    ) / 1000
    print(
        f"Bedrock when on (per 1,000 messages): ~{bedrock_in:.0f} input + {bedrock_out} output "
        f"tokens at ${s.input_price_per_1k}/${s.output_price_per_1k} per 1K = "
        f"${float(bedrock):.3f}; with it the total is ${float(total + bedrock):.3f}"
    )
    series = len(run.stdout.metric_names)
    print(
        f"fixed, not per message: a credentials secret ${PRICE['secret_month']}/tenant/month; "
        f"{series} EMF metric series seen in this run (${PRICE['custom_metric_month']} each "
        f"a month); idle SQS long polling by Lambda's pollers on 3 queues "
        f"(~{3 * 5 * 3 * 60 * 24 * 30 / 1e6:.1f} M requests/month ≈ "
        f"${float(3 * 5 * 3 * 60 * 24 * 30 * PRICE['sqs_standard_request']):.2f})"
    )
    if args.calls:
        per = 1000 / run.messages
        print("AWS calls per 1,000 messages, by operation:")
        for op, n in run.counted.calls.most_common():
            print(f"  {op:50} {n * per:8.0f}")
        print("DynamoDB calls per 1,000 messages, by operation and kind of item:")
        for op, n in run.counted.ddb_kinds.most_common():
            print(f"  {op:50} {n * per:8.0f}")
    if run.failures:
        print(f"NOT VALID: {run.failures} records failed in the pipeline")
    configurations = configurations_of(run, total)
    print("configurations ($ per 1,000 buyer mails, without Bedrock):")
    for name, _label, cost, parts in configurations:
        print(f"  {name:34} ${float(cost):.4f}  {parts}")
    for name, label, cost, _parts in configurations:
        verdict = "met" if cost <= TARGET_USD_PER_1000 and not run.failures else "NOT met"
        print(
            f"target cost-per-1000-messages{label}: {verdict} (${float(cost):.4f} per 1,000 "
            f"messages, {name}, target ≤ ${TARGET_USD_PER_1000}; Bedrock adds "
            f"${float(bedrock):.3f})"
        )


if __name__ == "__main__":
    main()
