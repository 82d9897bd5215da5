"""`spconnector demo`: one full cycle on the embedded default.

A simulated seller's buyer mail and returns go through intake, the policy, actions and
impact — the same jobs the Lambdas run — against the in-process SP-API simulator and moto.

Time is simulated: history is replayed with the jobs' clock pinned to when each mail arrived
(plus RESPONSE_DELAY) and to when the hourly PollReturns would have seen each return, so
first-response times are what a seller running the service then would have seen. Metrics
(EMF) go to out/metrics.jsonl; the terminal gets one line per step and the explained summary.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from spconnector.jobs.results import ReplyStatus
from spconnector.jobs.services import Services
from spconnector.local import demo_growth as growth
from spconnector.local.demo_summary import counts
from spconnector.local.embedded import Embedded, embedded


def run_demo(
    *, json_out: bool = False, seed: int = 7, out_dir: Path | None = None
) -> dict[str, Any]:
    import contextlib
    import warnings

    from spconnector.local.demo_summary import MetricsSink

    out_dir = out_dir or Path("out")
    out_dir.mkdir(parents=True, exist_ok=True)
    metrics_path = out_dir / "metrics.jsonl"
    # Powertools prints EMF metric lines on stdout (CloudWatch reads them there in Lambda);
    # on the CLI stdout carries the summary, so they go to out/metrics.jsonl.
    with (
        metrics_path.open("w", encoding="utf-8") as metrics_file,
        contextlib.redirect_stdout(MetricsSink(metrics_file)) as sink,
        warnings.catch_warnings(),
    ):
        # no Lambda context on the CLI: Powertools idempotency warns it cannot see time left
        warnings.filterwarnings("ignore", message="Couldn't determine the remaining time")
        warnings.filterwarnings("ignore", message="No application metrics to publish")
        with embedded(seed=seed, time_scale=60.0) as env:
            summary = run_cycle(env, out_dir=out_dir, progress=None if json_out else _say)
        sink.flush()
    summary["metrics"] = {"file": str(metrics_path), "lines": sink.count}
    if json_out:
        print(json.dumps(summary, indent=2, default=str))
    else:
        _print_summary(summary)
    return summary


def run_cycle(env: Embedded, *, out_dir: Path, progress: Any = None) -> dict[str, Any]:
    from spconnector.jobs import impact_report, poll_feedback, poll_returns, track_feeds
    from spconnector.jobs.act import act_on
    from spconnector.jobs.ingest import ingest_s3_object
    from spconnector.jobs.process_case import process_case_event
    from spconnector.local.demo_summary import (
        EscalationInbox,
        escalations,
        first_responses,
        refund_decisions,
    )

    say = progress or (lambda *_: None)
    services, tenant, sim = env.services, env.tenant, env.sim
    from spconnector.aws.clients import client

    s3 = client("s3")
    inbox = EscalationInbox(env.topic_arn)
    summary: dict[str, Any] = {"tenant": tenant.tenant_id, "mode": tenant.mode.value}
    decided: Counter[str] = Counter()
    acted: list[dict[str, Any]] = []
    first_reply: dict[str, datetime] = {}

    def act_on_queue() -> None:
        for body in env.drain("actions"):
            outcome = act_on(services, body)
            acted.append(outcome)
            if "reply" in outcome and ReplyStatus(outcome["reply"]["status"]).reached_buyer:
                first_reply.setdefault(str(outcome.get("case_id")), services.now())

    # 1. Weeks of buyer mail, replayed in the order it arrived: each mail is stored the way
    #    SES stores it, then ingested, decided and answered a few minutes after it arrived —
    #    the jobs' clock is pinned to that moment, as if the service had been running then.
    clock = _ReplayClock(services.clock)
    services.clock = clock.now
    emails = sorted(
        enumerate(sim.scenario.emails), key=lambda item: _arrival(item[1]) or services.now()
    )
    outcomes: Counter[str] = Counter()
    for n, raw in emails:
        arrived = _arrival(raw)
        clock.pin(arrived + RESPONSE_DELAY if arrived else None)
        key = f"inbound/{tenant.tenant_id}/{n:05d}.eml"
        s3.put_object(Bucket=env.bucket, Key=key, Body=raw)
        outcomes[ingest_s3_object(services, env.bucket, key).status] += 1
        for body in env.drain("case-events"):
            decided[process_case_event(services, body)["status"]] += 1
        act_on_queue()
        # TrackFeeds runs every few minutes in a deployment: approved refunds leave then, not
        # weeks later (a refund left unsent past its deadline goes to a person).
        track_feeds.run(services, tenant, services.now())
    clock.pin(None)  # from here on, the simulator's present
    days = sorted({a.date().isoformat() for a in map(_arrival, sim.scenario.emails) if a})
    span = f"{days[0]} to {days[-1]}" if days else "no dates"
    summary["messages_ingested"] = outcomes["ingested"]
    say(
        f"buyer mail: {len(emails)} mails from {span} replayed in order, each handled "
        f"{RESPONSE_DELAY.seconds // 60} min after it arrived; {counts(outcomes)}"
    )

    # 2. Returns from the Reports API (request, let the simulator build them, finish).
    first = poll_returns.run(services, tenant, services.now())
    sim.simulator.advance(120)
    returns = poll_returns.run(services, tenant, services.now())
    summary["returns_ingested"] = first["ingested"] + returns["ingested"]
    bad_rows = returns["quarantined"]
    say(
        f"returns: {summary['returns_ingested']} read from the Reports API, "
        f"{bad_rows} rows quarantined"
    )

    # 3. Decide and act on the cases the returns opened or changed. The report spans weeks,
    #    but PollReturns runs hourly (template.yaml ReturnsSchedule): each return is handled
    #    as that job would have, within RETURNS_POLL of its request, not weeks later.
    present = services.now()
    for body in env.drain("case-events"):
        clock.pin(_return_seen(services, body, present))
        decided[process_case_event(services, body)["status"]] += 1
        act_on_queue()
    clock.pin(None)
    cases = services.cases.list_cases(tenant.tenant_id)
    say(
        f"policy: {decided['decided']} decisions on {len(cases)} cases "
        f"(a case is decided again when a new mail or return arrives)"
    )

    # 4. Act: replies by SES, refunds recorded, escalations to SNS (anything left over).
    act_on_queue()
    replies_sent = sum(1 for a in acted if a.get("reply", {}).get("status") == ReplyStatus.SENT)
    summary["replies_sent"] = replies_sent
    say(f"actions: {len(acted)} carried out, {replies_sent} replies sent by SES")

    # 5. Refunds go out in batched adjustment feeds and are confirmed from the report.
    for _ in range(4):
        track_feeds.run(services, tenant, services.now())
        sim.simulator.advance(150)
    refunds = track_feeds.confirmed_refunds(services, tenant)
    total = sum((r.total.amount for r in refunds), Decimal(0))
    summary["refunds"] = {"count": len(refunds), "amount": format(total, "f"), "currency": "USD"}
    say(f"refunds: {len(refunds)} paid ({total} USD), sent in batched adjustment feeds")

    # 6. Amazon's review request for every eligible order, then again days later (past more
    #    orders' day in the window): once per order, never chosen by sentiment.
    summary["solicitations"] = growth.review_requests(env, say)

    # 7. Feedback, impact ledger and the report; 1–3★ feedback Amazon would remove → a person.
    poll_feedback.run(services, tenant, services.now())
    sim.simulator.advance(120)
    poll_feedback.run(services, tenant, services.now())
    summary["removal_candidates"] = growth.removal_candidates(env, say)
    summary["a_to_z_claims"] = growth.a_to_z_claims(env, say)
    out_dir.mkdir(parents=True, exist_ok=True)
    report_path = impact_report.write_local(services, tenant, out_dir / "impact-report.html")
    summary["report"] = str(report_path)
    summary["impact"] = impact_report.headline(impact_report.impact_summary(services, tenant))
    say(f"feedback and impact: report written to {report_path}")

    # Counted at the end: feedback can open cases of its own.
    final = services.cases.list_cases(tenant.tenant_id)
    decisions: Counter[str] = Counter()
    for case in final:
        for decision in services.cases.decisions(tenant.tenant_id, case.case_id)[-1:]:
            decisions[decision.action.value] += 1
    summary["cases"] = len(final)
    summary["decisions"] = dict(sorted(decisions.items()))
    summary["escalations"] = sum(1 for c in final if c.status == "escalated")
    summary["quarantined"] = (
        outcomes["quarantined"]
        + returns["quarantined"]
        + sum(1 for c in final if c.status == "quarantined")
    )
    # What a seller asks about: where each refund decision went, why people were asked,
    # how fast buyers heard from us (simulated time).
    summary["refund_decisions"] = refund_decisions(acted, confirmed=len(refunds))
    summary["escalations_sent"] = escalations(inbox.read())
    summary["first_response"] = first_responses(
        {c.case_id: c.opened_at for c in final},
        first_reply,
        {c.case_id: _NO_REPLY.get(c.status.value, c.status.value) for c in final}
        | {c: "" for c in first_reply},
    )
    summary["first_response"]["not_answered_by_us"].pop("", None)
    # Last, as the schedule would go on: weeks later every order is past Amazon's window.
    summary["solicitations"].update(growth.past_the_window(env, say))
    return summary


# Why a case has no reply from spconnector, by its status at the end.
_NO_REPLY = {
    "escalated": "handed to a person",
    "awaiting_approval": "waiting for the seller's approval",
    "quarantined": "quarantined (unreadable or unknown order)",
    "open": "no reply needed (a notice, not a question)",
    "decided": "decided, reply not sent",
    "refunded": "refunded; the refund is the answer",
    # every buyer message ends in a reply or a person (jobs/act._finish): an "answered" case
    # with no reply is a return whose refund waits for the item to come back
    "answered": "no reply needed (a return: the refund follows the item's arrival)",
    "closed": "closed",
}

RETURNS_POLL = timedelta(hours=1)


def _return_seen(services: Services, body: dict[str, Any], present: datetime) -> datetime | None:
    """When the hourly PollReturns would have handled this return's case event — but never
    before the case's own mail, which the replay has already handled."""
    if body.get("event") != "return":
        return None
    tenant, case_id = str(body["tenant"]), str(body["case_id"])
    ret = next(
        (
            r
            for r in services.cases.returns(tenant, case_id)
            if r.dedup_key == body.get("return_key")
        ),
        None,
    )
    if ret is None or ret.request_date is None:
        return None
    seen = ret.request_date + RETURNS_POLL + RESPONSE_DELAY
    mail = [m.received_at for m in services.cases.messages(tenant, case_id) if m.received_at]
    if mail:
        seen = max(seen, max(mail) + RESPONSE_DELAY)
    return min(present, seen)


RESPONSE_DELAY = timedelta(minutes=4)


class _ReplayClock:
    """The jobs' clock: pinned to a past moment while history is replayed, else the base."""

    def __init__(self, base: Callable[[], datetime]) -> None:
        self._base = base
        self._pinned: datetime | None = None

    def pin(self, moment: datetime | None) -> None:
        self._pinned = moment

    def now(self) -> datetime:
        return self._pinned or self._base()


def _arrival(raw: bytes) -> datetime | None:
    from email.parser import BytesHeaderParser
    from email.utils import parsedate_to_datetime

    try:
        date = BytesHeaderParser().parsebytes(raw).get("Date")
        return parsedate_to_datetime(date) if date else None
    except (TypeError, ValueError):
        return None


def _say(text: str) -> None:
    print(f"• {text}", file=sys.stderr)


def _print_summary(summary: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"spconnector demo — tenant {summary['tenant']} ({summary['mode']})")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, label in (
        ("messages_ingested", "buyer mails ingested"),
        ("returns_ingested", "returns ingested"),
        ("cases", "cases"),
        ("replies_sent", "replies sent"),
        ("escalations", "cases now with a person"),
        ("quarantined", "quarantined"),
    ):
        table.add_row(label, str(summary[key]))
    table.add_row("review requests sent", str(summary["solicitations"]["sent"]))
    table.add_row("removal candidates", str(summary["removal_candidates"]["count"]))
    table.add_row("A-to-z claims", str(summary["a_to_z_claims"]["opened"]))
    refunds = summary["refunds"]
    table.add_row("refunds paid", f"{refunds['count']} ({refunds['amount']} {refunds['currency']})")
    for action, count in summary["decisions"].items():
        table.add_row(f"  latest decision: {action}", str(count))
    console = Console()
    console.print(table)
    for line in explain(summary):
        console.print(line, markup=False, highlight=False)


def explain(summary: dict[str, Any]) -> list[str]:
    """The numbers a seller asks about, in sentences (simulated time throughout)."""
    lines: list[str] = []
    r = summary["refund_decisions"]
    lines.append(
        f"Refund decisions carried out: {r['total']}. {r['sent_for_payment']} sent to Amazon "
        f"for payment, {r['paid']} of them confirmed paid; {r['waiting_for_return']} wait for "
        "the item to come back."
    )
    for heading, group in (
        ("Held for approval", "held_for_approval"),
        ("Handed to a person", "to_a_person"),
    ):
        held = r[group]
        lines.append(f"{heading}: {sum(held.values())}" + (":" if held else "."))
        lines += [f"  {n} × {why}" for why, n in held.items()]
    e = summary["escalations_sent"]
    lines.append(f"Escalations a person received: {e['sent']} on {e['cases']} cases, because:")
    lines += [f"  {n} × {why}" for why, n in e["by_reason"].items()]
    f = summary["first_response"]
    if f["answered_cases"]:
        lines.append(
            f"First response (from the mail's arrival or the return's request to our reply "
            f"leaving): {f['answered_cases']} cases answered, median {f['median_minutes']:g} "
            f"min, mean {f['mean_minutes']:g} min, slowest {f['slowest_minutes']:g} min; "
            f"{f['within_24h']} within 24 h."
        )
    unanswered = f["not_answered_by_us"]
    if unanswered:
        lines.append(f"Cases with no reply from spconnector: {sum(unanswered.values())}:")
        lines += [f"  {n} × {why}" for why, n in unanswered.items()]
    lines.append(f"Impact report: {summary['report']}")
    metrics = summary.get("metrics")
    if metrics:
        lines.append(f"CloudWatch metrics (EMF, {metrics['lines']} lines): {metrics['file']}")
    return lines
