"""`spconnector demo`: one full cycle on the embedded default.

A simulated seller's buyer mail and returns go through intake, the policy, actions and
impact — the same jobs the Lambdas run — against the in-process SP-API simulator and moto.
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

from spconnector.jobs.embedded import Embedded, embedded


def run_demo(
    *, json_out: bool = False, seed: int = 7, out_dir: Path | None = None
) -> dict[str, Any]:
    import contextlib
    import warnings

    out_dir = out_dir or Path("out")
    # Powertools prints EMF metric lines on stdout (CloudWatch reads them there in Lambda);
    # on the CLI stdout carries the summary, so they go to stderr.
    with contextlib.redirect_stdout(sys.stderr), warnings.catch_warnings():
        # no Lambda context on the CLI: Powertools idempotency warns it cannot see time left
        warnings.filterwarnings("ignore", message="Couldn't determine the remaining time")
        with embedded(seed=seed, time_scale=60.0) as env:
            summary = run_cycle(env, out_dir=out_dir, progress=None if json_out else _say)
    if json_out:
        print(json.dumps(summary, indent=2, default=str))
    else:
        _print_summary(summary)
    return summary


def run_cycle(env: Embedded, *, out_dir: Path, progress: Any = None) -> dict[str, Any]:
    from spconnector.jobs import poll_feedback, poll_returns, report, track_feeds
    from spconnector.jobs.act import act_on
    from spconnector.jobs.ingest import ingest_s3_object
    from spconnector.jobs.process_case import process_case_event

    say = progress or (lambda *_: None)
    services, tenant, sim = env.services, env.tenant, env.sim
    from spconnector.aws.clients import client

    s3 = client("s3")
    summary: dict[str, Any] = {"tenant": tenant.tenant_id, "mode": tenant.mode.value}

    # 1. Weeks of buyer mail, replayed in the order it arrived: each mail is stored the way
    #    SES stores it, then ingested, decided and answered a few minutes after it arrived —
    #    the jobs' clock is pinned to that moment, as if the service had been running then.
    clock = _ReplayClock(services.clock)
    services.clock = clock.now
    emails = sorted(
        enumerate(sim.scenario.emails), key=lambda item: _arrival(item[1]) or services.now()
    )
    outcomes: Counter[str] = Counter()
    decided: Counter[str] = Counter()
    acted: list[dict[str, Any]] = []
    for n, raw in emails:
        arrived = _arrival(raw)
        clock.pin(arrived + RESPONSE_DELAY if arrived else None)
        key = f"inbound/{tenant.tenant_id}/{n:05d}.eml"
        s3.put_object(Bucket=env.bucket, Key=key, Body=raw)
        outcomes[ingest_s3_object(services, env.bucket, key).status] += 1
        for body in env.drain("case-events"):
            decided[process_case_event(services, body)["status"]] += 1
        acted.extend(act_on(services, body) for body in env.drain("actions"))
        # TrackFeeds runs every few minutes in a deployment: approved refunds leave then, not
        # weeks later (a refund left unsent past its deadline goes to a person).
        track_feeds.run(services, tenant, services.now())
    clock.pin(None)  # from here on, the simulator's present
    days = sorted({a.date().isoformat() for a in map(_arrival, sim.scenario.emails) if a})
    span = f"{days[0]} to {days[-1]}" if days else "no dates"
    say(f"buyer mail: {len(emails)} received ({span}), {dict(outcomes)}")
    summary["messages_ingested"] = outcomes["ingested"]

    # 2. Returns from the Reports API (request, let the simulator build them, finish).
    first = poll_returns.run(services, tenant, services.now())
    sim.simulator.advance(120)
    returns = poll_returns.run(services, tenant, services.now())
    summary["returns_ingested"] = first["ingested"] + returns["ingested"]
    bad_rows = returns["quarantined"]
    say(f"returns: {summary['returns_ingested']} ingested, {bad_rows} rows quarantined")

    # 3. Decide the cases the returns opened or changed (ProcessCase drains case events).
    for body in env.drain("case-events"):
        decided[process_case_event(services, body)["status"]] += 1
    cases = services.cases.list_cases(tenant.tenant_id)
    decisions: Counter[str] = Counter()
    for case in cases:
        for decision in services.cases.decisions(tenant.tenant_id, case.case_id)[-1:]:
            decisions[decision.action.value] += 1
    summary["cases"] = len(cases)
    summary["decisions"] = dict(sorted(decisions.items()))
    say(f"cases: {len(cases)} decided {dict(decided)}")

    # 4. Act: replies by SES, refunds recorded, escalations to SNS.
    acted.extend(act_on(services, body) for body in env.drain("actions"))
    replies_sent = sum(1 for a in acted if a.get("reply", {}).get("status") == "sent")
    summary["replies_sent"] = replies_sent

    # 5. Refunds go out in batched adjustment feeds and are confirmed from the report.
    for _ in range(4):
        track_feeds.run(services, tenant, services.now())
        sim.simulator.advance(150)
    refunds = track_feeds.confirmed_refunds(services, tenant)
    total = sum((r.total.amount for r in refunds), Decimal(0))
    summary["refunds"] = {"count": len(refunds), "amount": format(total, "f"), "currency": "USD"}
    say(f"refunds: {len(refunds)} confirmed, {total} USD, in batched feeds")

    # 6. Feedback, impact ledger and the report.
    poll_feedback.run(services, tenant, services.now())
    sim.simulator.advance(120)
    poll_feedback.run(services, tenant, services.now())
    out_dir.mkdir(parents=True, exist_ok=True)
    report_path = report.write_local(services, tenant, out_dir / "impact-report.html")
    summary["report"] = str(report_path)
    summary["impact"] = report.headline(report.impact_summary(services, tenant))

    escalations = sum(
        1 for c in services.cases.list_cases(tenant.tenant_id) if c.status == "escalated"
    )
    summary["escalations"] = escalations
    quarantined = (
        outcomes["quarantined"]
        + returns["quarantined"]
        + sum(1 for c in services.cases.list_cases(tenant.tenant_id) if c.status == "quarantined")
    )
    summary["quarantined"] = quarantined
    return summary


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
    for key in (
        "messages_ingested",
        "returns_ingested",
        "cases",
        "replies_sent",
        "escalations",
        "quarantined",
    ):
        table.add_row(key.replace("_", " "), str(summary[key]))
    refunds = summary["refunds"]
    table.add_row("refunds", f"{refunds['count']} ({refunds['amount']} {refunds['currency']})")
    for action, count in summary["decisions"].items():
        table.add_row(f"  decision: {action}", str(count))
    Console().print(table)
    print(f"impact report: {summary['report']}")
