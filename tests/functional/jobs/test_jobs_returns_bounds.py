"""The audit's returns-report reproducers through PollReturns: a row no reader can take (a
date at the edge of the calendar, an absurd quantity, a made-up currency, a negative amount) is
quarantined with its line number; the good rows beside it are ingested and the cursor moves on,
so the next report (FBA included) is still polled."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from spconnector.jobs import poll_returns

from .conftest import JobsEnv


@pytest.fixture
def extra_rows(jobs_env: JobsEnv) -> Iterator[list[dict[str, str]]]:
    """Rows appended to the simulated MFN report for one test, taken out again after: the
    generated scenario is shared by every simulator built from the same seed in the process."""
    rows = jobs_env.env.sim.scenario.returns_mfn_rows
    before = list(rows)
    try:
        yield rows
    finally:
        rows[:] = before


MFN = "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"
FBA = "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA"


def test_rows_no_reader_can_take_are_quarantined_and_the_cursor_moves_on(
    jobs_env: JobsEnv, extra_rows: list[dict[str, str]]
) -> None:
    good = extra_rows[0]
    recent = (jobs_env.now() - timedelta(days=1)).isoformat()
    bad_cells = [
        {"Return request date": "9999-12-31T23:59:59-23:59"},
        {"Return quantity": "1.0e5000", "Return request date": recent},
        {"Return quantity": "1.0e999999999", "Return request date": recent},
        {"Return quantity": "1.5", "Return request date": recent},
    ]
    for n, cells in enumerate(bad_cells):
        row = dict(good)
        row.update(cells)
        row["Order ID"] = f"113-9999999-000000{n}"
        extra_rows.append(row)

    first = poll_returns.run(jobs_env.services, jobs_env.tenant, jobs_env.now())
    windows = {t: jobs_env.services.pending_reports.get(jobs_env.tid, t) for t in (MFN, FBA)}
    assert all(windows.values()), first
    jobs_env.env.sim.advance(120)
    second = poll_returns.run(jobs_env.services, jobs_env.tenant, jobs_env.now())

    for report_type in (MFN, FBA):
        window = windows[report_type]
        assert window is not None
        cursor = jobs_env.services.checkpoints.cursor(jobs_env.tid, f"report:{report_type}")
        assert cursor == datetime.fromisoformat(window["end"]), second
    assert second["ingested"] > 0
    mfn_errors = [e for e in second["errors"] if e.startswith("MFN line ")]
    assert len(mfn_errors) >= 3, second["errors"]
    assert any("1.0e5000" in e for e in mfn_errors)
    assert any("1.5" in e for e in mfn_errors)
    # (the simulated report keeps only rows dated inside its window: the year-9999 row is
    # left out there and tested against the parser in tests/unit/intake)
    cases = [e["case_id"] for e in jobs_env.drain("case-events")]
    assert cases
    assert not [c for c in cases if "113-9999999-" in c]
