"""The second returns corpus (fixtures/intake/returns_real2): every row read as its facts say.

The corpus was written from public descriptions of Amazon's two returns reports before its
author read the parser or the first corpus (see its README). Each case is one row of one
file (read with its key fields and money facts, or quarantined with a reason of the stated
kind), one file's totals (every data row ends read, quarantined or counted as a duplicate),
or one document that is no returns report at all (it must raise). A misread is an
xfail(strict=True) that says what is wrong, so a fix shows as an XPASS to be unmarked.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from spconnector.domain.enums import FulfillmentChannel
from spconnector.domain.models import ReturnRequest
from spconnector.intake.returns import ReturnsParseResult, ReturnsReportError, parse_returns

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "intake" / "returns_real2"
EXPECTED: dict[str, Any] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
REASON_KINDS: dict[str, str] = EXPECTED["reason_kinds"]

# The report files are pinned (sha256sum lines): a change to one is a new corpus, not a quiet edit.
PINNED = {
    name: digest
    for digest, name in (
        line.split()
        for line in """
2f1d8f17a3f1b34cb76e25a77eee883ad56feac3db7035f7d63ccece0f9d27a7  fba_blank_lines.tsv
26873b2f1d9eb649504674016d3b6e7581115201a424be9ddd8ce1611655d7a4  fba_eu_amazon_order_id.tsv
25947591eb84cb366336920597f241ce50ccab8dce80a963c4ce56aa09d488be  fba_online_headers.tsv
e7b68cd4d49a16c71664282bdab346657394f33b3b0d06d92db31e41aa634350  fba_us_dispositions.tsv
ce73f34172f50258b2a6828b3241aee9c3320bbdcc0d658f465a5e4e6cff2eed  mfn_cut_file.tsv
7869fc6d0ae83c0fa5b64c684635fa05216f4bfdc10a8443ca0ed2aa59685772  mfn_de_cp1252.tsv
f6bc42a1865287626ee9143945a3e3d78dc2b8b7d179fd757d698b83ea747a9e  mfn_excel_quoted.tsv
e41681aee732911b4135a777ccf160817d32821a189aa337f8d074f2b07a9fa8  mfn_header_only.tsv
3660efa5a23f2eb3cc6e6d80c4768ec4b736dde0b56d4cacb66207403ad33ae7  mfn_jp_yen.tsv
6f199e0b92838ccc645cdffac70648131795ddd62658b0453f58bc9adbf6073c  mfn_money_edge.tsv
38963a6fd04ad58c991a6bfb1fa9787ba1aed7d32750df1a902d6ad75433408e  mfn_reordered_extra_columns.tsv
c49b992a9bad2eb393b5b373b3bdf92e09e149139f0ec3135af51326cfd4e242  mfn_same_rma_updated.tsv
2cb6343170f748c247239e2f4800a90276b929bf02015e036cce6c508bf3db6e  mfn_uk_bom_crlf.tsv
a605c99e500edb6e80e850984afae0e432a27d73fb30edfe89f20fa3dcdd4de7  mfn_us_standard.tsv
675503b33916a4f49e12ad43d7898a558b925db074d702184e9c1541033904fb  mfn_utf16le.tsv
acc7ccf47a545da289526f5ae84d04b866215fe50ec303723be47c99c0842328  not_returns_s3_error.tsv
465ee6c882dcbb7fc97b03f75e28d430a5d4de723383b63faca772d1b4479691  not_returns_settlement.tsv
""".strip().splitlines()
    )
}

# (file, line or "totals"/"raises") -> what the parser gets wrong. Ten cases at the corpus's
# commit (quoted cells, FBA units merged, "Returned Date", a refund hidden by a duplicate,
# UTF-16); none since the fixes that followed it (see the corpus README).
MISREAD: dict[tuple[str, int | str], str] = {}


@cache
def _parsed(name: str) -> ReturnsParseResult:
    return parse_returns((CORPUS / name).read_bytes())


def _cases() -> list[Any]:
    cases = []
    for name, spec in EXPECTED["files"].items():
        keys: list[int | str] = ["raises"] if spec.get("raises") else ["totals"]
        keys += [row["line"] for row in spec.get("records", []) + spec.get("quarantined", [])]
        for key in keys:
            marks = []
            if (name, key) in MISREAD:
                marks.append(pytest.mark.xfail(strict=True, reason=MISREAD[(name, key)]))
            cases.append(pytest.param(name, key, marks=marks, id=f"{name}:{key}"))
    return cases


def _money(value: Any) -> tuple[Decimal, str] | None:
    return None if value is None else (Decimal(str(value.amount)), value.currency)


def _same_date(parsed: datetime | None, expected: str | None) -> bool:
    if expected is None or parsed is None:
        return parsed is expected
    if len(expected) == 10:  # a calendar day: the report gave no time of day
        return parsed.date().isoformat() == expected
    return parsed.astimezone(UTC) == datetime.fromisoformat(expected).astimezone(UTC)


def _mismatches(record: ReturnRequest, want: dict[str, Any]) -> list[str]:
    wrong = []
    for key in ("amazon_order_id", "sku", "asin", "rma_id", "quantity", "safet_claim_id"):
        if key in want and getattr(record, key) != want[key]:
            wrong.append(f"{key}={getattr(record, key)!r}, expected {want[key]!r}")
    if record.fulfillment.value != want["fulfillment"]:
        wrong.append(f"fulfillment={record.fulfillment.value}, expected {want['fulfillment']}")
    if not _same_date(record.request_date, want["request_date"]):
        wrong.append(f"request_date={record.request_date}, expected {want['request_date']}")
    for key in ("order_amount", "refunded_amount", "label_cost"):
        if key in want:
            expected = None if want[key] is None else (Decimal(want[key][0]), want[key][1])
            if _money(getattr(record, key)) != expected:
                wrong.append(f"{key}={_money(getattr(record, key))}, expected {expected}")
    if "a_to_z_claim" in want and bool(record.a_to_z_claim) != want["a_to_z_claim"]:
        wrong.append(f"a_to_z_claim={record.a_to_z_claim}, expected {want['a_to_z_claim']}")
    if "settled_by_amazon" in want and bool(record.settled_by_amazon) != want["settled_by_amazon"]:
        wrong.append(f"settled_by_amazon={record.settled_by_amazon!r}")
    if want.get("reason_code"):
        letters = re.sub(r"[^A-Z]", "", (record.reason_code or "").upper())
        if not letters.endswith(re.sub(r"[^A-Z]", "", want["reason_code"])):
            wrong.append(f"reason_code={record.reason_code!r}, expected {want['reason_code']}")
    return wrong


def test_the_corpus_files_are_the_pinned_ones() -> None:
    files = sorted(p.name for p in CORPUS.glob("*.tsv"))
    assert files == sorted(PINNED) == sorted(EXPECTED["files"])
    for name, digest in PINNED.items():
        assert hashlib.sha256((CORPUS / name).read_bytes()).hexdigest() == digest, name


@pytest.mark.parametrize(("name", "key"), _cases())
def test_row(name: str, key: int | str) -> None:
    spec = EXPECTED["files"][name]
    if key == "raises":
        with pytest.raises(ReturnsReportError):
            parse_returns((CORPUS / name).read_bytes())
        return
    result = _parsed(name)
    if key == "totals":
        ends = len(result.records) + len(result.quarantined) + result.duplicates
        assert ends == spec["data_rows"], (len(result.records), result.quarantined)
        safe_either = sum(1 for r in spec["records"] if r.get("accept_quarantine"))
        assert len(spec["records"]) - safe_either <= len(result.records) <= len(spec["records"])
        if spec["duplicates"] is not None:
            assert result.duplicates == spec["duplicates"]
        return
    held = [q for q in result.quarantined if q.line == key]
    want_q = next((q for q in spec["quarantined"] if q["line"] == key), None)
    if want_q is not None:
        assert held, f"line {key} not quarantined: {result.quarantined}"
        assert re.search(REASON_KINDS[want_q["reason_kind"]], held[0].reason, re.I), held[0]
        return
    want = next(r for r in spec["records"] if r["line"] == key)
    if held and want.get("accept_quarantine"):
        return
    assert not held, f"line {key} quarantined: {held[0].reason}"
    same = [
        r
        for r in result.records
        if r.amazon_order_id == want["amazon_order_id"] and r.sku == want["sku"]
    ]
    assert same, f"no record for line {key}"
    misses = [_mismatches(r, want) for r in same]
    assert [] in misses, misses


@pytest.mark.parametrize(
    "name", [n for n, spec in EXPECTED["files"].items() if not spec.get("raises")]
)
def test_the_channel_forced_by_report_type_reads_the_same(name: str) -> None:
    # PollReturns passes the channel of the report type it requested; the file's prefix says it.
    channel = FulfillmentChannel.FBA if name.startswith("fba_") else FulfillmentChannel.MFN
    forced = parse_returns((CORPUS / name).read_bytes(), fulfillment=channel)
    assert forced == _parsed(name)
