"""Property tests: the parsers never raise anything but their own error, whatever the input."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spconnector.intake.email import EmailParseError, parse_email
from spconnector.intake.returns import ReturnsReportError, parse_returns

FIXTURES = Path(__file__).parents[2] / "fixtures" / "intake"
MAILS = [p.read_bytes() for p in sorted(FIXTURES.glob("*.eml"))]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parse_or_refuse(raw: bytes) -> None:
    try:
        msg = parse_email(raw)
    except EmailParseError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert msg.received_at.tzinfo is not None
    msg.model_dump(mode="json")


@SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_the_email_parser(raw: bytes) -> None:
    _parse_or_refuse(raw)


@SETTINGS
@given(
    st.sampled_from(MAILS),
    st.lists(st.tuples(st.integers(0, 5000), st.binary(min_size=0, max_size=8)), max_size=6),
    st.integers(0, 6000),
)
def test_mutated_real_mails_never_crash_the_email_parser(
    mail: bytes, edits: list[tuple[int, bytes]], cut: int
) -> None:
    raw = bytearray(mail[: max(cut, 40)])
    for at, junk in edits:
        at = at % (len(raw) + 1)
        raw[at : at + len(junk)] = junk
    _parse_or_refuse(bytes(raw))


@SETTINGS
@given(st.text(max_size=200).map(lambda body: body.replace("\r", "")))
def test_header_fuzz_in_relay_mail(header_value: str) -> None:
    raw = (
        f"From: {header_value}\nSubject: {header_value}\nDate: {header_value}\n"
        f"Content-Type: text/plain; charset={header_value[:20]}\n\nbody {header_value}\n"
    ).encode("utf-8", "surrogateescape")
    _parse_or_refuse(raw)


HEADER = "\t".join(
    ["Order ID", "Return request date", "Amazon RMA ID", "Merchant SKU", "Return quantity",
     "Currency code", "Order Amount"]
)  # fmt: skip
cell = st.text(alphabet=st.characters(blacklist_characters="\t\n\r"), max_size=25)
# An RMA id belongs to one order, so a good row's RMA (if any) is derived from its order.
good_row = st.builds(
    lambda a, b, rma, qty, amt: "\t".join(
        [
            f"{a:03d}-{b:07d}-1234567",
            "2026-11-05",
            f"R{a}{b}" if rma else "",
            "SKU-1",
            str(qty),
            "EUR",
            f"{amt}.99",
        ]
    ),
    st.integers(100, 999),
    st.integers(0, 9_999_999),
    st.booleans(),
    st.integers(1, 9),
    st.integers(0, 500),
)
bad_row = st.lists(cell, min_size=1, max_size=8).map("\t".join)


@SETTINGS
@given(st.text(max_size=1500))
def test_arbitrary_report_text_raises_only_report_error(text: str) -> None:
    try:
        result = parse_returns(text)
    except ReturnsReportError as exc:
        assert str(exc)
        return
    for row in result.quarantined:
        assert row.line >= 2 and row.reason


@SETTINGS
@given(st.lists(st.one_of(good_row, bad_row), max_size=30))
def test_bad_rows_are_quarantined_and_duplicates_collapse(rows: list[str]) -> None:
    doubled = rows + rows  # every row twice
    text = HEADER + "\n" + "\n".join(doubled) + "\n"
    result = parse_returns(text)
    keys = [r.dedup_key for r in result.records]
    assert len(keys) == len(set(keys))
    lines = {q.line for q in result.quarantined}
    for number, row in enumerate(doubled, start=2):
        cells = row.split("\t")
        if not row.strip():
            continue
        counted = number in lines or any(
            r.amazon_order_id == cells[0].strip() for r in result.records
        )
        assert counted, f"line {number} neither parsed nor quarantined"
    # Good rows are never lost: every valid generated row's key is present.
    assert all(q.reason for q in result.quarantined)
