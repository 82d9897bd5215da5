"""Fuzz: the MFN and FBA returns reports. Whatever the file — cut, garbled, hostile cells — the
parser returns records and quarantined rows or raises ReturnsReportError; every non-blank data
line ends as a record, a duplicate or a quarantined row with its line number (nothing lost);
no record carries a quantity below 1, a negative amount or a currency outside ISO 4217."""

from __future__ import annotations

import random

from hypothesis import given

from spconnector.domain.enums import FulfillmentChannel
from spconnector.domain.money import ISO_4217
from spconnector.intake.returns import ReturnsReportError, parse_returns
from tests.fuzz.budget import BATCH, SEEDS, Tally, fuzz_settings
from tests.fuzz.grammar import value

INPUTS = 20_000
_GOOD = {
    "order": ["113-1234567-1234567", "302-0000001-7654321", "028-9999999-0000000", "12-3"],
    "date": ["2026-11-05", "2026-11-05T10:00:00+00:00", "05-Nov-2026", "05.11.2026",
             "2026-11-05 10:00:00 UTC"],
    "quantity": ["1", "2", "10", "0", "2.0"],
    "currency": ["USD", "EUR", "GBP", "JPY", "usd"],
    "amount": ["12.99", "0.00", "1,234.56", "12,99", "1.234,56", "7"],
    "flag": ["Y", "N", "yes", "no", "true", ""],
    "text": ["SKU-1", "B000000001", "DEFECTIVE", "Refund", "CR-DAMAGED_BY_CARRIER", ""],
}  # fmt: skip
MFN = [("Order ID", "order"), ("Order date", "date"), ("Return request date", "date"),
       ("Amazon RMA ID", "text"), ("Merchant SKU", "text"), ("ASIN", "text"),
       ("Return quantity", "quantity"), ("Return reason", "text"), ("In policy", "flag"),
       ("Currency code", "currency"), ("Order Amount", "amount"), ("Refunded Amount", "amount"),
       ("Label cost", "amount"), ("A-to-z Claim", "flag")]  # fmt: skip
FBA = [("return-date", "date"), ("order-id", "order"), ("sku", "text"), ("asin", "text"),
       ("fnsku", "text"), ("quantity", "quantity"), ("fulfillment-center-id", "text"),
       ("detailed-disposition", "text"), ("reason", "text"),
       ("license-plate-number", "text")]  # fmt: skip


def _report(rnd: random.Random, layout: list[tuple[str, str]]) -> tuple[bytes | str, int]:
    columns = [c for c in layout if rnd.random() < 0.85]
    rnd.shuffle(columns)
    sep = "\t" if rnd.random() < 0.9 else ","
    lines = [sep.join(name for name, _ in columns)]
    for _ in range(rnd.randrange(0, 6)):
        cells = [value(rnd, _GOOD[kind]) for _, kind in columns]
        if rnd.random() < 0.1:
            cells = cells[: rnd.randrange(len(cells) + 1)]  # a row cut short
        lines.append(sep.join(cells))
    text = "\n".join(lines) + ("\n" if rnd.random() < 0.9 else "")
    if rnd.random() < 0.1:
        text = text[: rnd.randrange(len(text) + 1)]  # a file cut anywhere
    if rnd.random() < 0.3:
        return text.encode("utf-8", "surrogatepass" if rnd.random() < 0.5 else "replace"), 0
    return text, 0


def _parse(data: bytes | str, channel: FulfillmentChannel | None) -> str:
    try:
        result = parse_returns(data, fulfillment=channel)
    except ReturnsReportError as exc:
        assert str(exc) and "\n" not in str(exc)
        return "refused"
    # Nothing lost: every non-blank line after the header (the first non-blank line) is a
    # record, a duplicate or a quarantined row.
    lines = _text_of(data).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header = next(i for i, ln in enumerate(lines) if ln.strip())
    rows = sum(1 for ln in lines[header + 1 :] if ln.strip())
    assert len(result.records) + result.duplicates + len(result.quarantined) == rows
    for bad in result.quarantined:
        assert bad.line >= 2 and bad.reason and "\n" not in bad.reason
    for record in result.records:
        assert record.quantity >= 1
        for money in (record.order_amount, record.refunded_amount, record.label_cost):
            if money is not None:
                assert money.amount >= 0 and money.currency in ISO_4217
        record.model_dump(mode="json")
    return "records" if result.records else "quarantined" if result.quarantined else "empty"


def _text_of(data: bytes | str) -> str:
    """The text as the parser reads it (UTF-8, else Windows-1252)."""
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _target(layout: list[tuple[str, str]], channel: FulfillmentChannel, tally: Tally):  # type: ignore[no-untyped-def]
    @fuzz_settings(INPUTS)
    @given(SEEDS)
    def run(seed: int) -> None:
        rnd = random.Random(seed)
        for _ in range(BATCH):
            data, _ = _report(rnd, layout)
            forced = channel if rnd.random() < 0.5 else None
            tally.run(_parse, data, forced)

    return run


mfn_tally = Tally(INPUTS)
fba_tally = Tally(INPUTS)
test_fuzz_mfn_returns_report = _target(MFN, FulfillmentChannel.MFN, mfn_tally)
test_fuzz_fba_returns_report = _target(FBA, FulfillmentChannel.FBA, fba_tally)


def test_fuzz_returns_ran_their_inputs() -> None:
    for tally in (mfn_tally, fba_tally):
        tally.check()
        assert tally.outcomes.get("records", 0) > 0
        assert tally.outcomes.get("quarantined", 0) > 0
        assert tally.outcomes.get("refused", 0) > 0
