"""A chaos harness for the whole Act path (jobs/act.py) on the embedded default.

The real code runs against moto (DynamoDB, SES, SNS, SQS, S3) and the SP-API simulator over
HTTP, with Powertools idempotency on (moto's) DynamoDB. No AWS fake is hand-written: every
conditional write is moto's (tests/chaos/moto_speed.py only makes two of moto's lookups
cheaper, with the same results). What the harness adds is at the ports a job touches:

- `Crash` (an Exception, like a Lambda failing mid-way: Powertools deletes its in-progress
  record, so a redelivery runs again) raised just before or just after a call to the refund
  ledger, the outbox claim/done, SES, SNS, the case store, or the SP-API client;
- duplicate deliveries of the same action message, some on concurrent threads;
- simulator faults (500/503/502-HTML/429) on every SP-API call;
- then the faults stop and each action is delivered again until it stops raising, as SQS
  would (bounded), and a couple of times more;
- between runs, TrackFeeds sends the approved refunds while Amazon (the simulator) rejects
  messages, ends feeds FATAL after applying them, or never finishes them (`feeds_round`).

One run = one seeded case: a relay mail or a return row, a decision, deliveries, checks.
A run's replies are the mails SES accepted and the Messaging API messages the simulator
took while it ran: each must belong to this run's buyer thread or order.
"""

from __future__ import annotations

import random
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from spconnector.domain import (
    Action,
    Case,
    CaseStatus,
    Decision,
    FulfillmentChannel,
    Priority,
    RefundSpec,
    ReturnRequest,
    case_id_for,
)
from spconnector.local.embedded import Embedded

TERMINAL = {
    CaseStatus.ANSWERED,
    CaseStatus.REFUNDED,
    CaseStatus.ESCALATED,
    CaseStatus.QUARANTINED,
    CaseStatus.CLOSED,
}
# The points a worker may die at (each "before" and "after" the call).
PORT_CALLS = {
    "ledger": ("create_refund", "replace_refund", "claim_order", "release_order"),
    "outbox": ("claim", "done"),
    "ses": ("send",),
    "sns": ("publish",),
    "cases": ("upsert",),
    "sp": ("get_order", "get_messaging_actions", "get_buyer_locale", "create_unexpected_problem"),
}


class Crash(Exception):
    """The worker fails here: nothing after this point of the delivery runs."""


class Chaos:
    """Decides, under a lock, whether a worker crashes at a point; counts where it did."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(0)
        self.probability = 0.0
        self.hits: Counter[str] = Counter()

    def arm(self, seed: int, probability: float) -> None:
        with self._lock:
            self._rng = random.Random(seed)
            self.probability = probability

    def disarm(self) -> None:
        with self._lock:
            self.probability = 0.0

    def maybe(self, point: str) -> None:
        with self._lock:
            hit = self.probability > 0 and self._rng.random() < self.probability
            if hit:
                self.hits[point] += 1
        if hit:
            raise Crash(point)


class Crashing:
    """Wraps a port: the named methods may crash just before the call or just after it took
    effect; `observe` sees each call that completed."""

    def __init__(
        self,
        inner: Any,
        chaos: Chaos,
        port: str,
        methods: tuple[str, ...],
        observe: Callable[[str, tuple[Any, ...], Any], None] | None = None,
    ) -> None:
        self._inner = inner
        self._chaos = chaos
        self._port = port
        self._methods = methods
        self._observe = observe

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if name not in self._methods or not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            self._chaos.maybe(f"{self._port}.{name}:before")
            result = attr(*args, **kwargs)
            if self._observe is not None:
                self._observe(name, args, result)
            self._chaos.maybe(f"{self._port}.{name}:after")
            return result

        return call

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            setattr(self._inner, name, value)


class BrokenOutbox:
    """An outbox whose claim always answers "claimed" (the marker is never checked): what the
    Act path would do without one, for the test that shows the harness catches it."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def claim(self, tenant: str, case_id: str, key: str) -> Any:
        return "claimed"

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@dataclass
class RunOutcome:
    problems: list[str] = field(default_factory=list)
    kind: str = ""
    status: str = ""
    reply: str = ""
    deliveries: int = 0
    failed_deliveries: int = 0
    concurrent: bool = False


@dataclass
class Harness:
    env: Embedded
    chaos: Chaos
    escalations: dict[str, list[tuple[str, ...]]]  # run tag → reasons of each escalation
    published: list[Any]  # every escalation summary published, in order
    current: list[str]  # [run tag] of the run in progress
    tenant: Any  # read once: the runs do not change it
    mail_orders: list[Any]
    return_orders: list[Any]
    canceled_orders: list[Any]

    @property
    def services(self) -> Any:
        return self.env.services

    @property
    def tid(self) -> str:
        return self.env.tenant.tenant_id


@contextmanager
def harness(env: Embedded, *, broken_outbox: bool = False) -> Iterator[Harness]:
    """Wire the crash points into `env` for the duration (restored afterwards)."""
    from spconnector.sp.retry import RetryPolicy

    services = env.services
    chaos = Chaos()
    escalations: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    published: list[Any] = []
    current = [""]

    def seen_escalation(_name: str, args: tuple[Any, ...], _result: Any) -> None:
        escalations[current[0]].append(tuple(args[0].reasons))
        published.append(args[0])

    tenant = services.tenants.require(env.tenant.tenant_id)
    real_sp = services.sp(tenant)
    # Faults surface as errors to the job instead of being slept through in the client.
    real_sp.retry = RetryPolicy(max_attempts=2, backoff_base=0.0, sleep=lambda _s: None)
    swapped = ("refund_ledger", "mailer", "escalations", "cases", "outbox")
    saved = {k: getattr(services, k) for k in swapped}
    outbox = BrokenOutbox(services.outbox) if broken_outbox else services.outbox
    services.use(
        refund_ledger=Crashing(services.refund_ledger, chaos, "ledger", PORT_CALLS["ledger"]),
        mailer=Crashing(services.mailer, chaos, "ses", PORT_CALLS["ses"]),
        escalations=Crashing(
            services.escalations, chaos, "sns", PORT_CALLS["sns"], seen_escalation
        ),
        cases=Crashing(services.cases, chaos, "cases", PORT_CALLS["cases"]),
        outbox=Crashing(outbox, chaos, "outbox", PORT_CALLS["outbox"]),
    )
    services.use_sp(tenant.tenant_id, Crashing(real_sp, chaos, "sp", PORT_CALLS["sp"]))

    scenario = env.sim.scenario
    delivered = [o for o in scenario.orders if o.status == "Shipped" and o.delivered_at]
    try:
        yield Harness(
            env=env,
            chaos=chaos,
            escalations=escalations,
            published=published,
            current=current,
            tenant=tenant,
            mail_orders=delivered[::2],
            return_orders=delivered[1::2],
            canceled_orders=[o for o in scenario.orders if o.status == "Canceled"],
        )
    finally:
        services.use(**saved)
        services.use_sp(tenant.tenant_id, real_sp)
        env.sim.set_faults(internal_error=0, unavailable=0, bad_gateway_html=0, empty_throttle=0)


# --- Amazon's answers to the adjustment feeds ----------------------------------------------

FEED_FAULTS = {"feed_fatal": 0.08, "feed_stuck": 0.06, "message_rejected": 0.2}


def feeds_round(h: Harness, fate: str | None = None) -> None:
    """One TrackFeeds pass while Amazon misbehaves: it reads the outcomes of the feeds sent in
    the last round and sends what was approved since, which Amazon then processes under the
    faults (the fate of a feed is drawn when it is processed, not when it is read).

    `fate` ("fatal" or "stuck") makes every feed of this round end that way. Drawn fates alone
    depend on how many feeds a run happens to send (timing, under concurrent deliveries): about
    one run in twenty met no FATAL or stuck feed at all, so the unknown-outcome path was then
    not exercised."""
    from spconnector.jobs import track_feeds

    sim = h.env.sim
    forced = {"fatal": {"feed_fatal": 1.0}, "stuck": {"feed_stuck": 1.0}, None: {}}[fate]
    sim.set_faults(**{**FEED_FAULTS, **forced})
    try:
        track_feeds.run(h.services, h.tenant, h.services.now())
        sim.advance(150)
    finally:
        sim.set_faults()


# --- one run ------------------------------------------------------------------------------

_KINDS = (
    # (name, weight, action, template, with a relay mail, moves money)
    ("reply", 3, Action.ACKNOWLEDGE, "acknowledge.product_question", True, False),
    ("request_info", 2, Action.REQUEST_INFO, "request_info.photos", True, False),
    ("decline", 1, Action.DECLINE, "decline", True, False),
    ("refund_reply", 4, Action.REFUND_WITHOUT_RETURN, "refund_without_return", True, True),
    ("replace_reply", 1, Action.REPLACE, "replace", True, False),
    ("escalate", 1, Action.ESCALATE_OWNER, "escalate_owner.holding", True, False),
    ("refund_return", 2, Action.REFUND_ON_RETURN, "refund_on_return", False, True),
    ("proactive", 3, Action.REQUEST_INFO, "request_info", False, False),
    ("proactive_replace", 1, Action.REPLACE, "replace", False, False),
)


def _relay_mail(order_id: str, alias: str, message_id: str, when: Any) -> bytes:
    mail = EmailMessage()
    mail["From"] = f'"Jane Doe - Amazon Marketplace" <{alias}>'
    mail["To"] = "seller-support@example.com"
    mail["Subject"] = f"Inquiry from Amazon customer Jane Doe (Order: {order_id})"
    mail["Message-ID"] = message_id
    mail["Date"] = format_datetime(when)
    mail.set_content(
        "------------- Begin message -------------\n\n"
        "The item arrived broken and I would like some help with it please.\n\n"
        "------------- End message -------------\n\n"
        f"Order ID: {order_id}\nItem: Something  ASIN: B000000001  Quantity: 1\n"
    )
    return mail.as_bytes()


def _setup_case(h: Harness, seed: int, rng: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
    """The case and its decision, written without chaos; returns (action message, facts)."""
    from spconnector.intake.email import parse_email

    services, tid = h.services, h.tid
    now = services.now()
    name, _w, action, template, with_mail, money = rng.choices(
        _KINDS, weights=[k[1] for k in _KINDS]
    )[0]
    facts: dict[str, Any] = {"kind": name, "with_mail": with_mail, "message_id": None}
    if with_mail:
        order = rng.choice(h.mail_orders)
        message_id = f"<chaos-{seed:06d}@email.amazonses.com>"
        alias = f"chaos{seed:06d}q@marketplace.amazon.com"
        raw = _relay_mail(order.order_id, alias, message_id, now - timedelta(minutes=30))
        # What IngestEmail records, without the S3 copy and the case event (not under test).
        message = parse_email(raw)
        case_id = case_id_for(tid, order.order_id)
        assert services.cases.add_message(tid, case_id, message, now=now)

        def opened(c: Case | None) -> Case:
            return Case.open_for_message(tid, message) if c is None else c.attach_message(message)

        facts.update(message_id=message_id, alias=alias)
    else:
        pool = h.canceled_orders if (rng.random() < 0.1 and not money) else h.return_orders
        order = rng.choice(pool)
        ret = ReturnRequest(
            amazon_order_id=order.order_id,
            rma_id=f"DCHAOS{seed:06d}",
            reason_code="CR-WRONG_ITEM",
            in_policy=True,
            request_date=now - timedelta(hours=2),
            fulfillment=(
                FulfillmentChannel.FBA
                if order.fulfillment_channel == "AFN"
                else FulfillmentChannel.MFN
            ),
        )
        # What PollReturns records, without the case event (not under test).
        case_id = case_id_for(tid, order.order_id)
        assert services.cases.add_return(tid, case_id, ret, now=now)

        def opened(c: Case | None) -> Case:
            return Case.open_for_return(tid, ret, now) if c is None else c.attach_return(ret, now)

    facts["order_id"] = order.order_id
    refund = None
    if money:
        amount = Decimal(rng.randint(50, 300)) / 100  # small: orders take many refunds
        refund = RefundSpec(
            amount=amount,
            currency=order.currency,
            requires_return=action is Action.REFUND_ON_RETURN,
        )
    decision = Decision(
        action=action,
        refund=refund,
        ask_for_photos=template.endswith("photos"),
        reply_template=template,
        priority=Priority.NORMAL,
        respond_by=None,
        needs_approval=False,
        rules=("chaos",),
        guards=(),
        explanation=f"chaos run {seed}",
        policy_version="chaos",
        tenant=tid,
        case_id=case_id,
        decided_at=now,
    )
    seq = services.cases.add_decision(tid, case_id, decision)
    # one write: the case as IngestEmail/PollReturns leaves it, then as ProcessCase leaves it
    services.cases.upsert(tid, case_id, lambda c: opened(c).with_status(CaseStatus.DECIDED))
    facts["seq"] = seq
    facts["case_id"] = case_id
    return {"tenant": tid, "case_id": case_id, "decision": seq}, facts


def _deliver(h: Harness, body: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    from spconnector.jobs.act import act_on

    try:
        return act_on(h.services, dict(body)), None
    except Exception as exc:  # Crash, SP-API faults, in-progress elsewhere: SQS redelivers
        return None, type(exc).__name__


def run_once(h: Harness, seed: int, *, probability: float = 0.12) -> RunOutcome:
    h.current[0] = f"run-{seed}"
    try:
        return _run(h, seed, probability)
    finally:
        h.current[0] = ""


def _run(h: Harness, seed: int, probability: float) -> RunOutcome:
    rng = random.Random(seed)
    out = RunOutcome()
    body, facts = _setup_case(h, seed, rng)
    out.kind = facts["kind"]
    sim = h.env.sim
    # What this run sent is what was added after this point (runs do not overlap).
    facts["mail_before"] = len(_ses_sent())
    facts["proactive_before"] = len(sim.state.messages_sent)

    # chaos: crashes, faults, duplicate and concurrent deliveries
    if rng.random() < 0.35:
        sim.set_faults(
            internal_error=rng.choice((0.0, 0.2)),
            unavailable=rng.choice((0.0, 0.1)),
            bad_gateway_html=rng.choice((0.0, 0.1)),
            empty_throttle=rng.choice((0.0, 0.2)),
        )
    h.chaos.arm(seed, probability)
    for _ in range(rng.randint(1, 2)):
        if rng.random() < 0.2:
            out.concurrent = True
            results: list[str | None] = []

            def worker(into: list[str | None] = results) -> None:
                into.append(_deliver(h, body)[1])

            workers = [threading.Thread(target=worker) for _ in range(2)]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            out.deliveries += len(workers)
            out.failed_deliveries += sum(1 for r in results if r)
        else:
            out.deliveries += 1
            out.failed_deliveries += 1 if _deliver(h, body)[1] else 0
    h.chaos.disarm()
    sim.set_faults(internal_error=0, unavailable=0, bad_gateway_html=0, empty_throttle=0)

    # settle: SQS redelivers until the handler stops raising (bounded), then once more
    result: dict[str, Any] | None = None
    error: str | None = None
    for _ in range(6):
        result, error = _deliver(h, body)
        out.deliveries += 1
        if result is not None:
            break
    if result is None:
        out.problems.append(f"{facts['kind']}: still failing after the faults stopped: {error}")
        return out
    if rng.random() < 0.25:
        again, error = _deliver(h, body)
        out.deliveries += 1
        if again is None:
            out.problems.append(f"{facts['kind']}: a redelivery after success failed: {error}")
    _check(h, facts, result, out)
    return out


def _check(h: Harness, facts: dict[str, Any], result: dict[str, Any], out: RunOutcome) -> None:
    services, tid = h.services, h.tid
    kind = facts["kind"]
    case = services.cases.get(tid, facts["case_id"])
    status = case.status if case is not None else None
    out.status = status.value if status else "missing"
    out.reply = str(result.get("reply", {}).get("status"))
    if status not in TERMINAL:
        out.problems.append(f"{kind}: case ends {status}, not terminal")
    reasons = [r for rs in h.escalations.get(h.current[0], []) for r in rs]
    escalated_with_reason = any(r.strip() for r in reasons)

    # replies: at most one, in this buyer's thread or for this order, and exactly one unless a
    # person was told why not
    mails = [_in_reply_to(m) for m in _ses_sent()[facts["mail_before"] :]]
    proactive = [m.order_id for m in h.env.sim.state.messages_sent[facts["proactive_before"] :]]
    if facts["with_mail"]:
        sent = len(mails)
        strays = [m for m in mails if m != facts["message_id"]] + proactive
    else:
        sent = len(proactive)
        strays = mails + [o for o in proactive if o != facts["order_id"]]
    if strays:
        out.problems.append(f"{kind}: sent outside this buyer's thread or order: {strays}")
    if sent > 1:
        out.problems.append(f"{kind}: the buyer got {sent} replies for one decision")
    expects_reply = facts["with_mail"] or kind.startswith("proactive")
    if expects_reply and sent == 0 and not escalated_with_reason:
        out.problems.append(f"{kind}: no reply and no escalation with a reason ({out.reply})")
    if status is CaseStatus.ESCALATED and not escalated_with_reason:
        out.problems.append(f"{kind}: case escalated but no escalation was published")

    # refunds: one record per (tenant, order, adjustment) of this decision
    if kind.startswith("refund"):
        from spconnector.refunds.model import adjustment_id_for

        adjustment = adjustment_id_for(tid, facts["case_id"], f"decision-{facts['seq']}")
        refund = services.refund_ledger.get_refund(tid, facts["order_id"], adjustment)
        state = result.get("refund", {}).get("state")
        if state == "awaiting_return":
            # the money moves when the item is back: nothing in the ledger yet, a person knows
            if refund is not None:
                out.problems.append(f"{kind}: refund recorded before the return arrived")
            if not escalated_with_reason:
                out.problems.append(f"{kind}: awaiting the return but nobody was told")
        elif refund is None and state != "refused":
            out.problems.append(f"{kind}: no refund recorded for the decision ({state})")


def _ses_sent() -> list[Any]:
    """Every mail SES accepted so far (moto keeps them, in order)."""
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    sent: list[Any] = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages
    return sent


def _in_reply_to(sent: Any) -> str | None:
    from email import message_from_string
    from email.policy import default as default_policy

    parent = message_from_string(sent.raw_data, policy=default_policy)["In-Reply-To"]
    return str(parent) if parent else None
