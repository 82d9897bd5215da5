"""Report documents as text: Amazon's flat files come as UTF-8 (with or without a BOM) or,
in EU marketplaces, often as Windows-1252; decoding never fails (unknown bytes are replaced)."""

from __future__ import annotations


def decode_report(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # EU flat files are often Windows-1252
        return data.decode("cp1252", errors="replace")
