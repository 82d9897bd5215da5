"""Fuzz: `impact report` (a mutated ledger export and snapshots file — each record given a
hostile field, lines cut, not JSON, not UTF-8; hostile --out paths, --baseline and --title)
and `impact export` (hostile tenant ids and --out/--snapshots paths, against the in-memory
services of wiring.py with a small ledger and snapshots for the known tenant), each its own
target. Each input writes its file and prints its path, or exits 2 with one line (or Click's
usage message); never a traceback, never over a second of CPU. Every path written is inside
the target's tmp directory (hostile names never carry a "/"), or one that cannot be written.
One input in MAIN_SHARE goes through the console script's main() (argv parsing, Click's
--baseline bounds); the rest call the command function as main() would."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from pathlib import Path

from hypothesis import given

from spconnector.cli.impact import export, report
from spconnector.impact.feedback import FeedbackSnapshot
from spconnector.impact.ledger import ImpactRecord
from tests.fuzz.budget import BATCH, SEEDS, Tally, fuzz_settings
from tests.fuzz.entry import extra_argument, run_command, run_main, write
from tests.fuzz.grammar import junk, pick, value
from tests.fuzz.wiring import NOW, ORDER, TENANT, CliServices

REPORT_INPUTS = 20_000
EXPORT_INPUTS = 20_000
MAIN_SHARE = 0.1
RECORD = {
    "tenant": TENANT,
    "case_id": f"{TENANT}#order#{ORDER}",
    "amazon_order_id": ORDER,
    "decided_at": "2026-11-20T10:00:00Z",
    "action": "refund_without_return",
    "intent": "defective",
    "policy_version": "sha256:1b809defd33e",
    "refund": {"amount": "12.99", "currency": "USD"},
    "goods_kept": {"amount": "4.10", "currency": "USD"},
    "first_response_seconds": 420.0,
    "met_respond_by": True,
    "within_24h": True,
    "knowledge": None,
    "feedback_rating": 2,
    "feedback_at": "2026-11-25T08:00:00Z",
    "feedback_removed": True,
}
SNAPSHOT = {
    "tenant": TENANT,
    "taken_at": "2026-11-20T00:00:00Z",
    "marketplace_id": "ATVPDKIKX0DER",
    "positive_pct": 97.5,
    "count": 412,
    "negatives_30d": 2,
    "negatives_90d": 5,
    "negatives_365d": 11,
    "order_defect_rate": 0.004,
    "negative_feedback_rate": 0.012,
}
FIELD_VALUES: dict[str, list[object]] = {
    "decided_at": ["2026-11-21T10:00:00+01:00", "9999-12-31T23:59:59-23:59",
                   "0001-01-01T00:00:00+23:59", "2026-11-20T10:00:00", 1e20, "2026-02-30"],
    "feedback_at": ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", None],
    "taken_at": ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "x"],
    "action": ["replace", "educate", "acknowledge", "refund_on_return", "nope", None],
    "refund": [None, {"amount": "1e999999999", "currency": "USD"}, {"amount": "-5", "currency":
               "USD"}, {"amount": "12,99", "currency": "EUR"}, {"amount": "NaN", "currency":
               "USD"}, {"amount": 1e308, "currency": "JPY"}, {"amount": "3", "currency": "XYZ"},
               "12.99"],
    "goods_kept": [None, {"amount": "1e5000", "currency": "USD"}, {"amount": "0", "currency":
                   "EUR"}],
    "first_response_seconds": [0, -1, 1e308, float("inf"), "NaN", None],
    "feedback_rating": [1, 5, 0, 6, 3.0, "2", True, None],
    "positive_pct": [0, 100, 101, -1, float("nan"), None],
    "count": [0, -1, 10**30, None],
    "negatives_30d": [0, -1, 10**30, 2**63],
    "order_defect_rate": [float("nan"), float("inf"), -1.0, 1e308, None],
    "negative_feedback_rate": [float("nan"), float("inf"), -1.0, 1e308, None],
    "tenant": [TENANT, "other", "", None, 7],
}  # fmt: skip

report_tally = Tally(REPORT_INPUTS)
export_tally = Tally(EXPORT_INPUTS)


def _line(rnd: random.Random, base: dict[str, object]) -> str:
    record = dict(base)
    for _ in range(rnd.randrange(3)):
        field = pick(rnd, [*list(record), "extra"])
        roll = rnd.random()
        if field in FIELD_VALUES and roll < 0.6:
            record[field] = FIELD_VALUES[field][rnd.randrange(len(FIELD_VALUES[field]))]
        elif roll < 0.7:
            record.pop(field, None)
        else:
            record[field] = value(rnd, [str(record.get(field))])
    text = json.dumps(record, allow_nan=True)
    roll = rnd.random()
    if roll < 0.05:
        text = text[: rnd.randrange(len(text) + 1)]
    elif roll < 0.08:
        text = pick(rnd, ["[]", "null", "3", '"x"', "{}", "", "   ", junk(rnd, 20)])
    return text


def _jsonl(rnd: random.Random, base: dict[str, object]) -> bytes:
    lines = [_line(rnd, base) for _ in range(rnd.randrange(6))]
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    if rnd.random() < 0.03:
        data += pick(rnd, [b"\n\xff\xfe", b"\r\n\x00", b"\n" + b"9" * 5_000])
    return data


def _name(rnd: random.Random, default: str) -> str:
    """A file name as argv can carry one (never a path: no "/", no NUL; a lone surrogate
    only as the OS decodes a non-UTF-8 byte, U+DC80..U+DCFF)."""
    name = value(rnd, [default]).replace("/", "_").replace("\x00", "_")
    return "".join("?" if 0xD800 <= ord(c) < 0xDC80 or 0xDD00 <= ord(c) < 0xE000 else c
                   for c in name) or default  # fmt: skip


def _out(rnd: random.Random, tmp: Path, n: int) -> Path:
    roll = rnd.random()
    if roll < 0.7:
        return tmp / f"r{n}.html"
    if roll < 0.8:
        return tmp  # a directory
    if roll < 0.88:
        return tmp / "sub" / _name(rnd, f"r{n}.html")  # created with its parents
    if roll < 0.92:
        return tmp / f"r{n}.html" / "below-a-file.html"
    if roll < 0.96:
        return Path("/proc/self/cannot-write-here.html")
    return tmp / _name(rnd, f"r{n}.html")


def _input_file(rnd: random.Random, tmp: Path, name: str, base: dict[str, object]) -> Path | None:
    roll = rnd.random()
    if roll < 0.25:
        return None
    if roll < 0.3:
        return tmp / "missing.jsonl"
    if roll < 0.33:
        return tmp
    return write(tmp, name, _jsonl(rnd, base))


@fuzz_settings(REPORT_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_impact_report(tmp: Path, seed: int) -> None:
    rnd = random.Random(seed)
    (tmp / "sub").mkdir(exist_ok=True)
    for n in range(BATCH):
        out = _out(rnd, tmp, n)
        ledger = _input_file(rnd, tmp, f"l{n}.jsonl", RECORD)
        snapshots = _input_file(rnd, tmp, f"s{n}.jsonl", SNAPSHOT)
        title = value(rnd, ["spconnector — feedback impact", "Acme <b>Q4</b>"])
        if rnd.random() < MAIN_SHARE:
            args = ["impact", "report", "--out", str(out)]
            args += ["--ledger", str(ledger)] if ledger else []
            args += ["--snapshots", str(snapshots)] if snapshots else []
            if rnd.random() < 0.3:
                args += ["--baseline", value(rnd, ["0.02", "0", "1", "1.5", "-0.1", "nan"])]
            if rnd.random() < 0.3:  # argv is decoded text: no lone surrogates (entry.py)
                args += ["--title", title.encode("utf-8", "replace").decode("utf-8")]
            report_tally.run(run_main, extra_argument(rnd, args))
        else:
            baseline = pick(rnd, [None, None, 0.02, 0.0, 1.0]) if rnd.random() < 0.9 else None
            report_tally.run(run_command, report, out, ledger, snapshots, baseline, title)


def _seed_impact(wired: CliServices) -> None:
    """The known tenant's ledger and snapshots: a few records a week apart, and another
    tenant's, which an export must leave out."""
    store = wired.services.impact
    base = ImpactRecord.model_validate(RECORD)
    for day in range(5):
        when = NOW - timedelta(days=7 * day)
        store.ledger.put(base.model_copy(update={"decided_at": when, "case_id": f"c{day}"}))
        snapshot = FeedbackSnapshot.model_validate(SNAPSHOT)
        store.put_snapshot(snapshot.model_copy(update={"taken_at": when}))
    store.ledger.put(base.model_copy(update={"tenant": "other"}))


@fuzz_settings(EXPORT_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_impact_export(cli_services: CliServices, tmp: Path, seed: int) -> None:
    rnd = random.Random(seed)
    cli_services.fresh()
    _seed_impact(cli_services)
    for n in range(BATCH):
        tenant = value(rnd, [TENANT, TENANT, "other", "newco"])
        out = _out(rnd, tmp, n)
        snapshots = None
        if rnd.random() < 0.4:
            snapshots = _out(rnd, tmp, n + BATCH) if rnd.random() < 0.3 else tmp / f"e{n}.jsonl"
        if rnd.random() < MAIN_SHARE:
            args = ["impact", "export"]
            args += ["--tenant", tenant] if rnd.random() < 0.95 else []
            args += ["--out", str(out)] if rnd.random() < 0.95 else []
            args += ["--snapshots", str(snapshots)] if snapshots else []
            export_tally.run(run_main, extra_argument(rnd, args))
        else:
            export_tally.run(run_command, export, tenant, out, snapshots)
    # what a good export wrote is the tenant's ledger, and reads back
    written = tmp / "good.jsonl"
    assert run_command(export, TENANT, written, None) == "exit 0"
    lines = written.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5 and all(json.loads(line)["tenant"] == TENANT for line in lines)


def test_fuzz_cli_impact_ran_their_inputs() -> None:
    for tally in (report_tally, export_tally):
        tally.check()
        assert tally.outcomes.get("exit 0", 0) > 0, tally.outcomes
        assert tally.outcomes.get("exit 2", 0) > 0, tally.outcomes
