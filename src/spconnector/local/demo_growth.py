"""The demo's feedback-growth steps: review requests in and past Amazon's window, removal
candidates among the negative feedback, and an A-to-z claim with its evidence pack."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from spconnector.local.demo_summary import counts
from spconnector.local.embedded import Embedded

DAYS_LATER = 3  # the second review-request run, as the daily schedule would


def review_requests(env: Embedded, say: Callable[[str], None]) -> dict[str, Any]:
    from spconnector.jobs import solicit

    services, tenant, sim = env.services, env.tenant, env.sim
    runs = [solicit.run(services, tenant, services.now())]
    sim.simulator.advance(DAYS_LATER * 86400)
    runs.append(solicit.run(services, tenant, services.now()))
    out = {
        "sent": sum(len(r["sent"]) for r in runs),
        "sent_first_run": len(runs[0]["sent"]),
        "sent_days_later": len(runs[1]["sent"]),
        "not_offered_by_amazon": sum(len(r["not_offered"]) for r in runs),
        "waiting_for_their_day": runs[-1]["waiting"],
        "errors": sum(len(r["errors"]) for r in runs),
        "accepted_by_amazon": len(sim.state.solicitations_sent),
    }
    say(
        f"review requests: {out['sent']} sent ({out['sent_first_run']} now, "
        f"{out['sent_days_later']} {DAYS_LATER} days later), each order once; "
        f"{out['waiting_for_their_day']} not at their day yet"
    )
    return out


WEEKS_LATER = 5


def past_the_window(env: Embedded, say: Callable[[str], None]) -> dict[str, Any]:
    """The weekly ticks that follow (the schedule is daily; a week still lands every order
    inside its window), until every order is past Amazon's window."""
    from spconnector.jobs import solicit

    services, tenant, sim = env.services, env.tenant, env.sim
    sent = 0
    for _ in range(WEEKS_LATER):
        sim.simulator.advance(7 * 86400)
        tick = solicit.run(services, tenant, services.now())
        sent += len(tick["sent"])
    out = {
        "sent_in_later_weeks": sent,
        "window_closed": tick["window_closed"],
        "closed_unasked": tick["closed_unasked"],
        "never_delivered": tick["never_delivered"],
        "sent_past_the_window": len(tick["sent"]),
        "accepted_by_amazon": len(sim.state.solicitations_sent),
    }
    say(
        f"review requests over the next {WEEKS_LATER} weeks: {sent} more sent; now "
        f"{out['window_closed']} orders are past Amazon's window ({out['never_delivered']} never "
        f"delivered, so not asked), none asked after it; Amazon accepted "
        f"{out['accepted_by_amazon']} in all"
    )
    return out


def removal_candidates(env: Embedded, say: Callable[[str], None]) -> dict[str, Any]:
    from spconnector.jobs.removal_candidates import candidates

    found = candidates(env.services, env.tenant)
    by: Counter[str] = Counter(str(c["criterion"]) for c in found)
    say(
        f"removal candidates: {len(found)} negative feedback Amazon would likely remove "
        f"({counts(by)}), each a task with the reason and the Seller Central steps"
    )
    return {
        "count": len(found),
        "by_criterion": dict(sorted(by.items())),
        "items": [
            {k: c[k] for k in ("amazon_order_id", "rating", "criterion", "reason")} for c in found
        ],
    }


def a_to_z_claims(env: Embedded, say: Callable[[str], None]) -> dict[str, Any]:
    from spconnector.jobs import claims

    services, tenant = env.services, env.tenant
    out = claims.summary(services, tenant)
    records = claims.list_claims(services, tenant)
    if records:
        first = records[0]
        pack = claims.evidence_pack(services, tenant, first.amazon_order_id)
        out["evidence_pack"] = pack.as_dict()
        say(
            f"A-to-z claims: {out['opened']} recorded with deadlines; evidence pack for "
            f"{first.amazon_order_id}: spconnector claims evidence {tenant.tenant_id} "
            f"{first.amazon_order_id}"
        )
    else:
        say("A-to-z claims: none in this scenario")
    return out
