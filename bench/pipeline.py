"""Pipeline: 10,000 buyer mails over 50 tenants, arrival → our reply leaving, nothing lost.

Two parts, and the output says which figure comes from which:

MEASURED — a sample of real mails (default 150: the simulator's relay mails, each with a
Message-ID of its tenant's own, over 50 tenants) goes through the real jobs in this process,
against moto and the SP-API simulator, exactly as the Lambdas chain them: the mail is stored
in S3 as SES stores it → `ingest_s3_object` (IngestEmail) → the case-events queue →
`process_case_event` (ProcessCase) → the actions queue → `act_on` (Act), then
`track_feeds.run` (TenantWorker) per tenant. Per mail it records each stage's wall and CPU
seconds, the SP-API operations each stage asked the limiter for, and how the mail ended:
a reply that reached the buyer, an escalation to a person, or a quarantine. Every sampled
buyer mail should end as one of those three. Amazon's own notices (refund issued, opt-out,
feedback …) owe the buyer no reply: one ends as a person's task or "notice recorded" (its
routing decision kept on the case, nobody asked), counted apart from the buyer's mail. A mail
that was decided but got neither (a buyer's mail with no reply and no person, a notice with no
decision of its own) is "unanswered" and fails that target; a mail with no recorded ending at
all is "lost".

MODELLED — a discrete-event simulation replays those measured traces for the full 10,000
mails (each modelled mail is one sampled trace, drawn with replacement, so a mail's stage
times, SP-API calls and ending stay together). Its settings are read from template.yaml:
  * IngestEmail: S3 invokes it asynchronously, one object per invocation (SES intake), or
    the IntakeSchedule poll (rate(5 minutes)) → MailboxPollQueue (FIFO, one group per tenant,
    BatchSize 1) → one PollMailbox run per tenant ingests everything new in that tenant's
    mailbox, one mail after another, with IngestEmail's measured times (IMAP intake; the IMAP
    fetch itself is not measured);
  * ProcessCase and Act: SQS event sources with the template's BatchSize (10) and no batching
    window; a batch's messages are handled one after another in one invocation, a message's
    reply leaves when its own handling ends;
  * concurrency: a function's ReservedConcurrentExecutions when the template reserves one,
    else the account's unreserved pool (--account-concurrency, AWS's default quota 1000),
    shared by all functions; SQS event sources scale up as AWS documents for standard queues
    (5 concurrent batches at first, +300 per minute, at most 1250);
  * SP-API: every getOrder-like call takes a token from that tenant's bucket with the usage
    plan of spconnector.sp.usage_plans (getOrder 0.5/s, burst 30); a call waits for a token
    inside its invocation, as our limiter does;
  * service time in Lambda: the measured CPU seconds × (1769 MB ÷ the template's MemorySize),
    because Lambda gives a function one vCPU per 1769 MB, plus the measured non-CPU seconds.
    The measured times include moto's in-process handling of every AWS call, so they are an
    overestimate of our own code; cold starts are not modelled (bench/cold_start.py).
Visibility timeouts (1800 s) exceed every modelled batch's duration, so no message is
received twice; the model checks that and would report it.

Baseline in the same run: one at a time — every function at concurrency 1 and BatchSize 1.
Arrivals: --window seconds (default 3600: a holiday weekend's backlog landing within an hour),
Poisson, tenants' shares Zipf-like (some sellers get far more mail than others).

Run: .venv/bin/python bench/pipeline.py [--sample 150] [--messages 10000] [--tenants 50]
     [--scale 10 → 100,000 modelled mails]
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import heapq
import io
import logging
import os
import random
import re
import sys
import time
import warnings
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from spconnector.domain import Tenant
from spconnector.jobs import track_feeds
from spconnector.jobs.act import act_on
from spconnector.jobs.ingest import ingest_s3_object
from spconnector.jobs.process_case import process_case_event
from spconnector.jobs.results import ReplyStatus
from spconnector.jobs.sp_wiring import sp_client_for
from spconnector.local.embedded import Embedded, embedded
from spconnector.local.fleet import add_tenant
from spconnector.sp.limiter import InProcessLimiter
from spconnector.sp.usage_plans import USAGE_PLANS

TEMPLATE = Path(__file__).resolve().parent.parent / "template.yaml"
_MESSAGE_ID = re.compile(rb"^Message-ID:\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)
SLA_SECONDS = 24 * 3600  # Amazon's buyer-message response expectation
LAMBDA_MB_PER_VCPU = 1769  # AWS Lambda: one full vCPU at 1,769 MB
# Amazon's own notice (refund issued, opt-out, good feedback …): no reply is owed, and its
# routing decision is recorded on the case. Not a buyer's mail, so never a "reply".
NOTICE_RECORDED = "notice recorded"
ENDINGS = ("reply", "escalation", "quarantine", NOTICE_RECORDED)
# A buyer's mail decided and recorded with no reply sent and no person asked: not dropped by
# the pipeline, but the buyer hears nothing. Counted apart, never folded into ENDINGS.
UNANSWERED = "unanswered"
_WITH_PERSON = ("escalated", "awaiting_approval")


# ---------------------------------------------------------------- template settings


class _CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation's short tags (!Ref, !GetAtt, !If …) as plain values."""


def _cfn_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return {suffix: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {suffix: loader.construct_sequence(node, deep=True)}
    return {suffix: loader.construct_mapping(node, deep=True)}  # type: ignore[arg-type]


_CfnLoader.add_multi_constructor("!", _cfn_tag)


@dataclass
class FunctionSettings:
    name: str
    batch_size: int  # 0: not queue-fed (asynchronous invocation)
    visibility: int  # the feeding queue's VisibilityTimeout, s
    reserved: int | None  # ReservedConcurrentExecutions at the template's defaults
    timeout: int


@dataclass
class TemplateSettings:
    memory_mb: int
    intake_poll: int  # IntakeSchedule, s
    track_feeds: int  # TrackFeedsSchedule, s
    functions: dict[str, FunctionSettings]


def _rate_seconds(expression: str) -> int:
    m = re.fullmatch(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)", expression)
    if not m:
        raise ValueError(f"template.yaml: not a rate() schedule: {expression}")
    unit = {"minute": 60, "hour": 3600, "day": 86400}[m.group(2).rstrip("s")]
    return int(m.group(1)) * unit


def read_template(path: Path = TEMPLATE) -> TemplateSettings:
    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_CfnLoader)  # a SafeLoader subclass
    params, resources = doc["Parameters"], doc["Resources"]
    glob = doc["Globals"]["Function"]

    def reserved(props: dict[str, Any]) -> int | None:
        value = props.get("ReservedConcurrentExecutions")
        if value is None:
            return None
        _, when_set, _ = value["If"]  # !If [HasXReservation, !Ref XConcurrency, NoValue]
        default = int(params[when_set["Ref"]]["Default"])
        return default or None  # the template's default 0 means "no reservation"

    functions: dict[str, FunctionSettings] = {}
    for name in ("IngestEmail", "ProcessCase", "Act", "TenantWorker"):
        props = resources[f"{name}Function"]["Properties"]
        batch, visibility = 0, 0
        for event in (props.get("Events") or {}).values():
            if event["Type"] == "SQS":
                batch = int(event["Properties"]["BatchSize"])
                queue = event["Properties"]["Queue"]["GetAtt"].split(".")[0]
                visibility = int(resources[queue]["Properties"]["VisibilityTimeout"])
        functions[name] = FunctionSettings(
            name, batch, visibility, reserved(props), int(props.get("Timeout", glob["Timeout"]))
        )
    return TemplateSettings(
        memory_mb=int(glob["MemorySize"]),
        intake_poll=_rate_seconds(params["IntakeSchedule"]["Default"]),
        track_feeds=_rate_seconds(params["TrackFeedsSchedule"]["Default"]),
        functions=functions,
    )


# ---------------------------------------------------------------- measured part


class CountingLimiter(InProcessLimiter):
    """Our limiter, counting which SP-API operations the jobs asked it for."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.asked: Counter[str] = Counter()

    def acquire(self, seller_id: str, operation: str, deadline: Any) -> None:
        self.asked[operation] += 1
        super().acquire(seller_id, operation, deadline)


@dataclass
class Stage:
    wall: float = 0.0
    cpu: float = 0.0
    sp_calls: Counter[str] = field(default_factory=Counter)

    def add(self, wall: float, cpu: float, calls: Counter[str]) -> None:
        self.wall += wall
        self.cpu += cpu
        self.sp_calls.update(calls)


@dataclass
class Trace:
    """One sampled mail through the real jobs: each stage's measured cost and its ending."""

    tenant: str
    ingest: Stage = field(default_factory=Stage)
    process: Stage = field(default_factory=Stage)
    act: Stage = field(default_factory=Stage)
    ending: str = "lost"
    ended_in: str = ""  # the stage whose end is the mail's ending: ingest/process/act
    notice: bool = False  # one of Amazon's notices, not a buyer's mail


def register(env: Embedded, tenant_id: str) -> Tenant:
    # its own LWA token and secret; an SES recipient on the demo tenant's domain
    domain = env.tenant.ses_recipient.split("@")[-1] if env.tenant.ses_recipient else None
    recipient = f"{tenant_id}@{domain}" if domain else None
    return add_tenant(env, tenant_id, label="pipeline", ses_recipient=recipient)


def _timed(limiter: CountingLimiter, stage: Stage, call: Callable[[], Any]) -> Any:
    before = Counter(limiter.asked)
    wall, cpu = time.perf_counter(), time.thread_time()
    result = call()
    stage.add(time.perf_counter() - wall, time.thread_time() - cpu, limiter.asked - before)
    return result


def measure(sample: int, tenants: int, seed: int) -> tuple[list[Trace], Stage, int]:
    """Run `sample` real mails through the real jobs; return their traces and TrackFeeds."""
    with contextlib.redirect_stdout(sys.stderr), embedded(seed=seed, time_scale=60.0) as env:
        services = env.services
        limiter = CountingLimiter(time_scale=60.0)
        services.sp_factory = partial(sp_client_for, settings=services.settings, limiter=limiter)
        from spconnector.aws.clients import client

        s3 = client("s3")
        emails = env.sim.scenario.emails
        ids = [f"t{n:03d}" for n in range(min(tenants, sample))]
        registered = {tid: register(env, tid) for tid in ["warm-up", *ids]}
        traces: list[Trace] = []
        feeds = Stage()
        with contextlib.redirect_stdout(io.StringIO()):  # EMF metric lines, one per reply
            for n in range(sample + 1):
                tid = "warm-up" if n == 0 else ids[(n - 1) % len(ids)]
                mid = f"{tid}-{n}@pipeline.example"
                raw = _MESSAGE_ID.sub(
                    f"Message-ID: <{mid}>".encode(), emails[n % len(emails)], count=1
                )
                key = f"inbound/{tid}/{n:05d}.eml"
                s3.put_object(Bucket=env.bucket, Key=key, Body=raw)
                trace = Trace(tid)
                _follow(env, limiter, trace, key, mid)
                if n:  # the warm-up pays imports, the first LWA token, policy loads
                    traces.append(trace)
            for tid in ids:
                tenant = registered[tid]
                _timed(
                    limiter, feeds, lambda t=tenant: track_feeds.run(services, t, services.now())
                )
        return traces, feeds, len(ids)


def _follow(env: Embedded, limiter: CountingLimiter, trace: Trace, key: str, mid: str) -> None:
    """One mail along the chain the Lambdas form; its ending is read off what the jobs did."""
    services = env.services
    outcome = _timed(limiter, trace.ingest, lambda: ingest_s3_object(services, env.bucket, key))
    if outcome.status == "quarantined":
        trace.ending, trace.ended_in = "quarantine", "ingest"
        return
    decided = [
        _timed(limiter, trace.process, lambda b=body: process_case_event(services, b))
        for body in env.drain("case-events")
    ]
    acted = [
        _timed(limiter, trace.act, lambda b=body: act_on(services, b))
        for body in env.drain("actions")
    ]
    trace.ending, trace.ended_in = _ending(services, trace, outcome, mid, decided, acted)


def _ending(
    services: Any,
    trace: Trace,
    outcome: Any,
    mid: str,
    decided: list[dict[str, Any]],
    acted: list[dict[str, Any]],
) -> tuple[str, str]:
    """How the mail ended, from what ProcessCase and Act reported and what the case holds.

    A reply reaching the buyer counts first, then a person asked, then a quarantine. One of
    Amazon's notices needs no reply: with a routing decision of its own recorded and nobody
    asked, it ends "notice recorded". A buyer's mail with none of these is "unanswered"."""
    if outcome.case_id is None:
        return f"lost (ingest {outcome.status}, no case)", ""
    tid = trace.tenant
    mail = next(
        (m for m in services.cases.messages(tid, outcome.case_id) if mid in m.message_id), None
    )
    if mail is None:
        return f"lost (ingest {outcome.status}, not on case {outcome.case_id})", ""
    trace.notice = mail.kind.is_notice
    replies = [ReplyStatus(a["reply"]["status"]) for a in acted if a.get("reply")]
    if any(r.reached_buyer for r in replies):
        return "reply", "act"
    if any(a.get("status") in _WITH_PERSON for a in acted) or any(r.escalates for r in replies):
        return "escalation", "act"
    if any(d.get("status") in _WITH_PERSON for d in decided):
        return "escalation", "process"
    if any(d.get("status") == "quarantined" for d in decided):
        return "quarantine", "process"
    case = services.cases.get(tid, outcome.case_id)
    status = case.status.value if case else ""
    stage = "act" if acted else "process"
    if status in _WITH_PERSON:
        return "escalation", stage
    if status == "quarantined":
        return "quarantine", "process"
    if trace.notice and any(
        d.rules[:1] == (f"notice:{mail.kind.value}",)
        for d in services.cases.decisions(tid, outcome.case_id)
    ):
        return NOTICE_RECORDED, "process"
    if decided or acted:
        return UNANSWERED, stage
    return f"lost (ingest {outcome.status}, case {outcome.case_id} never decided)", ""


# ---------------------------------------------------------------- modelled part


@dataclass
class Mail:
    n: int
    tenant: int
    arrived: float
    trace: Trace
    ended: float | None = None
    received: Counter[str] = field(default_factory=Counter)  # SQS receives, per stage


@dataclass
class ModelConfig:
    name: str
    intake: str  # "ses" or "imap"
    batch: dict[str, int]
    cap: dict[str, int]  # per-function concurrency cap
    account: int
    sqs_scaling: bool
    cpu_factor: float
    poll: int
    visibility: dict[str, int]


@dataclass
class ModelResult:
    config: ModelConfig
    mails: list[Mail]
    endings: Counter[str]
    redelivered: int
    sp_waits: float
    peak: dict[str, int]

    def latencies(self) -> list[float]:
        return sorted(m.ended - m.arrived for m in self.mails if m.ended is not None)

    def makespan(self) -> float:
        ends = [m.ended for m in self.mails if m.ended is not None]
        return max(ends) - min(m.arrived for m in self.mails)


def _service(stage: Stage, cpu_factor: float) -> float:
    return stage.cpu * cpu_factor + max(0.0, stage.wall - stage.cpu)


def _sp_call_count(stage: Stage) -> dict[str, int]:
    return {op: n for op, n in stage.sp_calls.items() if op in USAGE_PLANS}


class TenantBuckets:
    """Each tenant's SP-API usage-plan buckets, on the model's clock."""

    def __init__(self) -> None:
        self._level: dict[tuple[int, str], tuple[float, float]] = {}

    def take(self, tenant: int, operation: str, now: float) -> float:
        """The time the call can go out (now, or when its token has refilled)."""
        plan = USAGE_PLANS[operation]
        tokens, at = self._level.get((tenant, operation), (float(plan.burst), now))
        tokens = min(float(plan.burst), tokens + (max(now, at) - at) * plan.rate)
        at = max(now, at)
        if tokens >= 1:
            self._level[(tenant, operation)] = (tokens - 1, at)
            return at
        wait = (1 - tokens) / plan.rate
        self._level[(tenant, operation)] = (0.0, at + wait)
        return at + wait


def simulate(config: ModelConfig, mails: list[Mail]) -> ModelResult:
    """Discrete events on a simulated clock: arrivals, invocations starting and ending."""
    events: list[tuple[float, int, str, Any]] = []
    seq = 0

    def at(t: float, kind: str, payload: Any = None) -> None:
        nonlocal seq
        seq += 1
        heapq.heappush(events, (t, seq, kind, payload))

    queues: dict[str, deque[Mail]] = {"ingest": deque(), "process": deque(), "act": deque()}
    polled: deque[list[Mail]] = deque()  # IMAP: one PollMailbox run per tenant's new mail
    mailbox: dict[int, list[Mail]] = {}
    running: Counter[str] = Counter()
    peak: Counter[str] = Counter()
    in_account = 0
    buckets = TenantBuckets()
    sp_waits = 0.0
    redelivered = 0
    next_stage = {"ingest": "process", "process": "act"}
    t0 = min(m.arrived for m in mails)
    remaining = len(mails)
    arrived = 0

    for mail in mails:
        at(mail.arrived, "arrive", mail)
    if config.intake == "imap":
        at(t0 - (t0 % config.poll) + config.poll, "poll")

    def cap(stage: str, now: float) -> int:
        limit = config.cap[stage]
        if config.sqs_scaling and stage != "ingest":
            limit = min(limit, 5 + int(300 * max(0.0, now - t0) / 60), 1250)
        return limit

    def run_invocation(stage: str, batch: list[Mail], now: float) -> float:
        """Handle a batch's messages one after another; returns when the invocation ends."""
        nonlocal sp_waits
        clock = now
        for mail in batch:
            part = getattr(mail.trace, stage)
            for op, n in _sp_call_count(part).items():
                for _ in range(n):
                    ready = buckets.take(mail.tenant, op, clock)
                    sp_waits += ready - clock
                    clock = ready
            clock += _service(part, config.cpu_factor)
            at(clock, "done", (stage, mail))
        return clock

    def dispatch(now: float) -> None:
        nonlocal in_account, redelivered
        for stage in ("act", "process", "ingest"):  # downstream first: drains the pipeline
            q = queues[stage]
            size = config.batch[stage] if stage != "ingest" else 1
            while (
                (polled if stage == "ingest" and config.intake == "imap" else q)
                and running[stage] < cap(stage, now)
                and in_account < config.account
            ):
                if stage == "ingest" and config.intake == "imap":
                    batch = polled.popleft()
                else:
                    batch = [q.popleft() for _ in range(min(size, len(q)))]
                for mail in batch:
                    mail.received[stage] += 1
                    redelivered += mail.received[stage] > 1
                running[stage] += 1
                in_account += 1
                peak[stage] = max(peak[stage], running[stage])
                end = run_invocation(stage, batch, now)
                if stage != "ingest" and end - now > config.visibility[stage]:
                    raise RuntimeError(f"{stage}: a batch outlived its visibility timeout")
                at(end, "free", stage)

    while events and remaining:
        now, _, kind, payload = heapq.heappop(events)
        if kind == "arrive":
            arrived += 1
            if config.intake == "ses":
                queues["ingest"].append(payload)
            else:
                mailbox.setdefault(payload.tenant, []).append(payload)
        elif kind == "poll":
            # the Scheduler enqueues one poll_mailbox per tenant; PollMailbox (FIFO, BatchSize
            # 1, one group per tenant) ingests everything new in that mailbox in one run
            for tenant, waiting in sorted(mailbox.items()):
                if waiting:
                    polled.append(waiting)
                    mailbox[tenant] = []
            if arrived < len(mails):  # mail still to come: the schedule keeps ticking
                at(now + config.poll, "poll")
        elif kind == "free":
            running[payload] -= 1
            in_account -= 1
        elif kind == "done":
            stage, mail = payload
            if mail.trace.ended_in == stage:
                mail.ended = now
                remaining -= 1
            elif stage in next_stage and getattr(mail.trace, next_stage[stage]).wall:
                queues[next_stage[stage]].append(mail)
        dispatch(now)
    endings = Counter(m.trace.ending if m.ended is not None else "lost" for m in mails)
    return ModelResult(config, mails, endings, redelivered, sp_waits, dict(peak))


def modelled_mails(
    traces: list[Trace], count: int, tenants: int, window: float, rng: random.Random
) -> list[Mail]:
    weights = [1 / (k + 1) ** 0.8 for k in range(tenants)]  # Zipf-like shares
    cumulative = [sum(weights[: k + 1]) for k in range(tenants)]
    total = cumulative[-1]
    arrivals = sorted(rng.uniform(0, window) for _ in range(count))  # Poisson, given count
    return [
        Mail(
            n,
            min(tenants - 1, bisect.bisect(cumulative, rng.random() * total)),
            t,
            rng.choice(traces),
        )
        for n, t in enumerate(arrivals)
    ]


def pct(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def _fmt(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.1f}s"
    if seconds < 7200:
        return f"{seconds / 60:.1f}min"
    return f"{seconds / 3600:.2f}h"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=int, default=150, help="real mails measured")
    parser.add_argument("--messages", type=int, default=10_000, help="mails modelled")
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies --messages")
    parser.add_argument("--window", type=float, default=3600.0, help="arrival window, s")
    parser.add_argument("--account-concurrency", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.sample < 1 or args.messages < 1 or args.tenants < 1 or args.scale <= 0:
        parser.error("--sample, --messages, --tenants and --scale must be positive")

    logging.disable(logging.WARNING)
    warnings.filterwarnings("ignore")
    os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "spconnector-bench")
    settings = read_template()
    started = time.perf_counter()
    traces, feeds, sample_tenants = measure(args.sample, args.tenants, args.seed)
    measured_for = time.perf_counter() - started

    print(
        f"pipeline bench: MEASURED {len(traces)} real mails over {sample_tenants} tenants "
        f"through the real jobs ({measured_for:.0f}s); MODELLED "
        f"{int(args.messages * args.scale)} mails over {args.tenants} tenants"
    )
    sampled = Counter(t.ending for t in traces)
    print(f"measured endings: {dict(sampled)}")
    cpu_factor = LAMBDA_MB_PER_VCPU / settings.memory_mb
    print("measured per mail (mean over the sample; wall / CPU s; SP-API calls asked for):")
    for stage in ("ingest", "process", "act"):
        parts = [getattr(t, stage) for t in traces]
        ran = [p for p in parts if p.wall]
        calls: Counter[str] = Counter()
        for p in ran:
            calls.update(p.sp_calls)
        wall = sum(p.wall for p in ran) / max(1, len(ran))
        cpu = sum(p.cpu for p in ran) / max(1, len(ran))
        per = {op: round(n / max(1, len(ran)), 2) for op, n in sorted(calls.items())}
        print(f"  {stage:<8} {len(ran):>4} mails  {wall:.3f} / {cpu:.3f}  {per}")
    print(
        f"  track_feeds {sample_tenants} runs  {feeds.wall / sample_tenants:.3f} / "
        f"{feeds.cpu / sample_tenants:.3f} s per tenant run"
    )
    fs = settings.functions
    print(
        f"template.yaml: MemorySize {settings.memory_mb} MB (CPU × {cpu_factor:.2f} in Lambda), "
        f"IntakeSchedule {settings.intake_poll}s, TrackFeeds {settings.track_feeds}s, "
        + ", ".join(
            f"{f.name} batch {f.batch_size or 'async'} vis {f.visibility or '-'} "
            f"reserved {f.reserved or 'none'}"
            for f in fs.values()
        )
    )

    rng = random.Random(args.seed)
    count = int(args.messages * args.scale)
    arrivals = modelled_mails(traces, count, args.tenants, args.window, rng)

    def fresh() -> list[Mail]:
        return [Mail(m.n, m.tenant, m.arrived, m.trace) for m in arrivals]

    def caps(ours: bool) -> dict[str, int]:
        if not ours:
            return {"ingest": 1, "process": 1, "act": 1}
        pick = {"ingest": "IngestEmail", "process": "ProcessCase", "act": "Act"}
        return {s: fs[f].reserved or args.account_concurrency for s, f in pick.items()}

    batch = {"ingest": 1, "process": fs["ProcessCase"].batch_size, "act": fs["Act"].batch_size}
    visibility = {"process": fs["ProcessCase"].visibility, "act": fs["Act"].visibility}
    configs = [
        ModelConfig(
            "ses",
            "ses",
            batch,
            caps(True),
            args.account_concurrency,
            True,
            cpu_factor,
            settings.intake_poll,
            visibility,
        ),
        ModelConfig(
            "imap-poll",
            "imap",
            batch,
            caps(True),
            args.account_concurrency,
            True,
            cpu_factor,
            settings.intake_poll,
            visibility,
        ),
        ModelConfig(
            "one-at-a-time",
            "ses",
            {"ingest": 1, "process": 1, "act": 1},
            caps(False),
            args.account_concurrency,
            False,
            cpu_factor,
            settings.intake_poll,
            visibility,
        ),
    ]
    results = [simulate(c, fresh()) for c in configs]
    print(f"MODELLED ({count} mails arriving over {_fmt(args.window)}, simulated time):")
    print(f"{'run':<15}{'msg/s':>8}{'p50':>10}{'p95':>10}{'max':>10}{'peak conc.':>22}  endings")
    for r in results:
        lat = r.latencies()
        rate = len(lat) / r.makespan()
        peak = "/".join(str(r.peak.get(s, 0)) for s in ("ingest", "process", "act"))
        print(
            f"{r.config.name:<15}{rate:>8.2f}{_fmt(pct(lat, 50)):>10}{_fmt(pct(lat, 95)):>10}"
            f"{_fmt(lat[-1]):>10}{peak:>22}  {dict(r.endings)}"
        )
    ours, baseline = results[0], results[2]
    ours_lat, base_lat = ours.latencies(), baseline.latencies()
    print(
        f"ratio one-at-a-time / ses: p95 {pct(base_lat, 95) / pct(ours_lat, 95):.1f}x, "
        f"msg/s {len(ours_lat) / ours.makespan() / (len(base_lat) / baseline.makespan()):.1f}x"
    )
    print(f"SP-API token waits in the model: {ours.sp_waits:.0f}s summed over all calls (ses)")
    if any(r.redelivered for r in results):
        print(f"redeliveries: {[r.redelivered for r in results]}")

    lost_sample = sum(n for e, n in sampled.items() if e not in (*ENDINGS, UNANSWERED))
    lost_model = sum(r.endings.get("lost", 0) for r in results)
    print(
        f"target nothing lost: {'met' if not lost_sample and not lost_model else 'NOT met'} "
        f"(measured: {len(traces) - lost_sample}/{len(traces)} mails accounted for; "
        f"modelled: {lost_model} lost over {len(results)} runs)"
    )
    silent = sampled.get(UNANSWERED, 0)
    buyer = Counter(t.ending for t in traces if not t.notice)
    notices = Counter(t.ending for t in traces if t.notice)
    print(
        f"target every buyer mail ends as reply/escalation/quarantine: "
        f"{'met' if not silent and not lost_sample else 'NOT met'} "
        f"(measured: {sum(buyer.values())} buyer mails — {buyer['reply']} replied, "
        f"{buyer['escalation']} to a person, {buyer['quarantine']} quarantined, "
        f"{buyer[UNANSWERED]} unanswered; {sum(notices.values())} Amazon notices — "
        f"{notices[NOTICE_RECORDED]} recorded, {notices['escalation']} as a person's task, "
        f"{notices['quarantine']} quarantined, {notices[UNANSWERED]} with no ending)"
    )
    worst = max(pct(r.latencies(), 95) for r in results[:2])
    print(
        f"target p95 arrival→reply within 24h SLA: {'met' if worst <= SLA_SECONDS else 'NOT met'} "
        f"(modelled p95 ses {_fmt(pct(ours_lat, 95))}, imap-poll "
        f"{_fmt(pct(results[1].latencies(), 95))}; one-at-a-time {_fmt(pct(base_lat, 95))})"
    )
    print(
        f"target throughput: reported ({len(ours_lat) / ours.makespan():.2f} msg/s modelled for "
        f"the ses intake vs {len(base_lat) / baseline.makespan():.2f} one at a time)"
    )


if __name__ == "__main__":
    main()
