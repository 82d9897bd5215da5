"""A report file's bytes → its text, and a row's text → its cells (returns reports).

Bytes are decoded by evidence, not by hope: UTF-16 behind its byte order mark (a
spreadsheet's "Unicode text" save); UTF-8 (BOM or not) when every byte is UTF-8, or
when its damaged bytes are no more than its well-formed multi-byte characters; else
Shift_JIS (cp932, Amazon's JP reports) when it reads every byte and gives kana, or kanji
where a Windows-1252 reading gives runs of symbols (mojibake) rather than one accented letter
at a time; else Windows-1252 (EU reports) when it reads every byte; else Shift_JIS when only
it does. When no
encoding reads every byte, each row holding an undecodable byte is quarantined, never read
with a wrong character in its SKU or ids.

A cell a spreadsheet wrapped in double quotes (a re-saved report) is read as its text, doubled
quotes as one; a quote inside an unwrapped cell (24" screen) is text.
"""

from __future__ import annotations

import csv
import re

_KANA = re.compile(r"[\u3040-\u30ff]")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uff61-\uff9f]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
UNDECODABLE = "\ufffd"


class ReportUnreadable(ValueError):
    """The bytes are no report text at all (binary data, not text or bytes)."""


def decode_report(data: bytes | str) -> tuple[str, bool]:
    """The report's text, and whether some bytes could not be read (marked U+FFFD)."""
    if isinstance(data, str):
        return data.lstrip("\ufeff"), False
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ReportUnreadable(f"expected report text or bytes, got {type(data).__name__}")
    raw = bytes(data)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # A spreadsheet's "Unicode text" save: UTF-16 behind its byte order mark, whose NUL
        # bytes are the encoding, not binary data. A cut (odd) tail loses its rows alone.
        text = raw.decode("utf-16", errors="replace")
        if "\x00" in text[:4096]:
            raise ReportUnreadable("binary data, not a tab-separated report")
        return text, UNDECODABLE in text
    if b"\x00" in raw[:4096]:
        raise ReportUnreadable("binary data, not a tab-separated report")
    try:
        return raw.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few damaged bytes (a cut multi-byte character) stays UTF-8: its many
    # well-formed multi-byte characters are the evidence, and the damaged rows are lost alone.
    text = raw.decode("utf-8-sig", errors="replace")
    damaged = text.count(UNDECODABLE)
    well_formed = len(text) - len(text.encode("ascii", "ignore")) - damaged
    if well_formed and damaged <= well_formed:
        return text, True
    # Amazon's Content-Type names the charset (Cp1252 in the EU, cp932 in Japan) but the
    # bytes arrive without it. Text that is not UTF-8 is Shift_JIS when Shift_JIS reads it
    # all and finds kana (Windows-1252 text almost never holds the two lead bytes of kana,
    # 0x82/0x83, and never 0x81); else Windows-1252 if it reads every byte.
    japanese = _strict(raw, "cp932")
    plausible = japanese is not None and not _PRIVATE_USE.search(japanese)
    if japanese is not None and plausible and _KANA.search(japanese):
        return japanese, False
    western = _strict(raw, "cp1252")
    if western is not None:
        # Kanji alone can be 1252 text misread (ä + r is a kanji in cp932), so they count
        # only when 1252 gives what cp932 text read as 1252 gives: runs of symbols and
        # accents ("IH‘Î‰ž"), where real European words hold one accented letter at a time.
        if japanese is not None and plausible and _JAPANESE.search(japanese):
            runs = _NON_ASCII_RUN.findall(western)
            if sum(map(len, runs)) >= 2 * len(runs):
                return japanese, False
        return western, False
    if japanese is not None:
        return japanese, False
    # No encoding reads it all: the one that loses least, and the rows it lost are quarantined.
    readings = [raw.decode(e, errors="replace") for e in ("utf-8-sig", "cp932", "cp1252")]
    return min(readings, key=lambda t: t.count(UNDECODABLE)), True


def _strict(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def split_cells(line: str, delimiter: str) -> list[str]:
    """One row's cells: tab-separated (a spreadsheet's quoted cells unwrapped) or CSV."""
    if delimiter == "\t":
        cells = line.split("\t")
        if '\t"' in line or line.startswith('"'):  # only a cell opening with a quote is wrapped
            return [_unquoted(cell) for cell in cells]
        return cells
    return next(csv.reader([line]), [])


def _unquoted(cell: str) -> str:
    """A cell a spreadsheet wrapped in double quotes is its text, a doubled quote inside it one
    quote; Amazon's own cells are never wrapped, and a quote inside an unwrapped cell (a 24-inch
    mark) is text."""
    if len(cell) < 2 or cell[0] != '"' or cell[-1] != '"':
        return cell
    inner = cell[1:-1]
    if '"' in inner.replace('""', ""):
        return cell  # a lone quote inside: not a quoted cell, left as it is
    return inner.replace('""', '"')
