"""The reports pipeline through PollReturns: request, finish later, ingest; CANCELLED moves the
cursor on, FATAL keeps it (the window is asked for again); bad rows are quarantined beside the
good ones. Tests run in order on one environment: each starts with a report still pending."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from spconnector.aws.clients import client
from spconnector.jobs import poll_returns

from .conftest import JobsEnv

MFN = "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"
FBA = "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA"
FOREIGN_MARKETPLACE = "A1PA6795UKMFR9"  # Germany: the simulated seller does not sell there


def _cursor(env: JobsEnv, report_type: str) -> datetime | None:
    cursor: datetime | None = env.services.checkpoints.cursor(env.tid, f"report:{report_type}")
    return cursor


def _pending(env: JobsEnv, report_type: str) -> dict[str, str] | None:
    return env.services.pending_reports.get(env.tid, report_type)


def _run(env: JobsEnv, tenant: Any = None) -> dict[str, Any]:
    return poll_returns.run(env.services, tenant or env.tenant, env.now())


def _quarantine_reasons(env: JobsEnv) -> list[str]:
    s3 = client("s3")
    prefix = f"tenants/{env.tid}/quarantine/"
    objects = s3.list_objects_v2(Bucket=env.env.bucket, Prefix=prefix).get("Contents", [])
    return [
        s3.head_object(Bucket=env.env.bucket, Key=o["Key"])["Metadata"]["reason"] for o in objects
    ]


def test_first_run_requests_the_next_run_ingests_and_bad_rows_are_quarantined(
    jobs_env: JobsEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = jobs_env.env.sim.scenario
    # the generated scenario is shared by every simulator of the same seed in the process:
    # the broken row is this test's only
    monkeypatch.setattr(scenario, "returns_mfn_rows", list(scenario.returns_mfn_rows))
    broken = dict(scenario.returns_mfn_rows[0])
    broken.update(
        {
            "Order ID": "not-an-order-id",
            "Return quantity": "lots",
            "Return request date": (jobs_env.now() - timedelta(days=1)).isoformat(),
        }
    )
    scenario.returns_mfn_rows.append(broken)

    first = _run(jobs_env)

    assert first["ingested"] == 0 and first["errors"] == []
    for report_type in (MFN, FBA):
        assert first[report_type]["finished"] == []
        assert first[report_type]["requested"]
        assert _pending(jobs_env, report_type) is not None
        assert _cursor(jobs_env, report_type) is None
    windows = {t: _pending(jobs_env, t) for t in (MFN, FBA)}

    jobs_env.env.sim.advance(120)
    second = _run(jobs_env)

    for report_type in (MFN, FBA):
        (finished,) = second[report_type]["finished"]
        assert finished == f"{first[report_type]['requested']}:DONE"
        window = windows[report_type]
        assert window is not None
        assert _cursor(jobs_env, report_type) == datetime.fromisoformat(window["end"])
    assert second["ingested"] > 0
    events = jobs_env.drain("case-events")
    assert len(events) == second["ingested"]
    assert all(e["tenant"] == jobs_env.tid for e in events)
    # The broken row is quarantined with its line and reason; the good rows beside it are in.
    assert second["quarantined"] == 1
    assert any(e.startswith("MFN line ") and "not-an-order-id" in e for e in second["errors"]), (
        second["errors"]
    )
    assert "1 bad rows" in _quarantine_reasons(jobs_env)


def test_the_same_return_rows_again_are_duplicates_not_new_inputs(jobs_env: JobsEnv) -> None:
    # Windows overlap by design (OVERLAP): a return already on its case is not published again.
    from spconnector.intake.returns import parse_returns
    from spconnector.jobs.ingest import ingest_returns
    from spconnector.sim import report_rows

    now = jobs_env.now()
    document = report_rows.render(jobs_env.env.sim.scenario, MFN, now - timedelta(days=60), now)
    assert document is not None
    parsed = parse_returns(document)
    good = parsed.records
    assert good

    ingest_returns(jobs_env.services, jobs_env.tenant, good)  # whatever was new is in now
    jobs_env.drain("case-events")

    again = ingest_returns(jobs_env.services, jobs_env.tenant, good)

    assert again.ingested == 0 and again.duplicates == len(good)
    assert jobs_env.drain("case-events") == []


def test_a_later_listing_that_says_amazon_paid_replaces_the_stored_return_once(
    jobs_env: JobsEnv,
) -> None:
    # Amazon back-updates its reports: the same return, listed again with its refund.
    from spconnector.domain import Money, case_id_for
    from spconnector.intake.returns import parse_returns
    from spconnector.jobs.ingest import ingest_returns
    from spconnector.sim import report_rows

    now = jobs_env.now()
    document = report_rows.render(jobs_env.env.sim.scenario, MFN, now - timedelta(days=60), now)
    assert document is not None
    first = next(r for r in parse_returns(document).records if not r.settled_by_amazon)
    ingest_returns(jobs_env.services, jobs_env.tenant, [first])
    jobs_env.drain("case-events")
    currency = first.order_amount.currency if first.order_amount is not None else "USD"
    paid = first.model_copy(update={"refunded_amount": Money.of("12.34", currency)})

    later = ingest_returns(jobs_env.services, jobs_env.tenant, [paid])
    replay = ingest_returns(jobs_env.services, jobs_env.tenant, [paid, first])

    assert (later.settled, later.duplicates) == (1, 0)
    assert (replay.settled, replay.duplicates) == (0, 2)
    assert len(jobs_env.drain("case-events")) == 1  # one new step, published once
    case_id = case_id_for(jobs_env.tenant.tenant_id, first.amazon_order_id)
    assert jobs_env.services.cases.returns(jobs_env.tenant.tenant_id, case_id) == [paid]


def test_a_cancelled_report_means_no_data_and_moves_the_cursor_on(
    jobs_env: JobsEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = jobs_env.env.sim.scenario
    jobs_env.env.sim.advance(120)
    _run(jobs_env)  # finish what is pending; a fresh window is requested
    windows = {t: _pending(jobs_env, t) for t in (MFN, FBA)}
    # Amazon has no returns at all for the requested windows.
    monkeypatch.setattr(scenario, "returns_mfn_rows", [])
    monkeypatch.setattr(scenario, "returns_fba_rows", [])
    jobs_env.env.sim.advance(120)

    run = _run(jobs_env)

    assert run["errors"] == [] and run["ingested"] == 0
    for report_type in (MFN, FBA):
        window = windows[report_type]
        assert window is not None
        assert run[report_type]["finished"] == [f"{window['report_id']}:CANCELLED"]
        assert _cursor(jobs_env, report_type) == datetime.fromisoformat(window["end"])


def test_a_fatal_report_keeps_the_cursor_and_asks_for_the_window_again(
    jobs_env: JobsEnv,
) -> None:
    # The seller is not registered in the marketplace asked for: Amazon ends the report FATAL.
    misconfigured = jobs_env.tenant.model_copy(update={"marketplace_ids": (FOREIGN_MARKETPLACE,)})
    jobs_env.env.sim.advance(120)
    _run(jobs_env, misconfigured)  # finishes what is pending, requests the foreign window
    asked = {t: _pending(jobs_env, t) for t in (MFN, FBA)}
    cursors = {t: _cursor(jobs_env, t) for t in (MFN, FBA)}
    jobs_env.env.sim.advance(120)

    run = _run(jobs_env, misconfigured)

    for report_type in (MFN, FBA):
        window = asked[report_type]
        assert window is not None
        assert run[report_type]["finished"] == [f"{window['report_id']}:FATAL"]
        assert f"report {window['report_id']} ended FATAL" in run["errors"]
        assert _cursor(jobs_env, report_type) == cursors[report_type]
        again = _pending(jobs_env, report_type)
        assert again is not None and again["report_id"] != window["report_id"]
        assert again["start"] == window["start"]  # the same window, asked for again
    jobs_env.drain("case-events")
