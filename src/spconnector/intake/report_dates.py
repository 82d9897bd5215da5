"""Dates in Amazon's reports → aware UTC datetimes, read only where their order is certain."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_DMY_NAMED = re.compile(r"(\d{1,2})[- ]([A-Za-z]{3})[a-z]*[- ,]+(\d{4})$")
_DMY_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_YMD_SLASHED = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})$")  # JP: year first, no doubt
_DMY_DASHED = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})$")  # FBA return-date only
_MAX_DATE_TEXT = 40
_YEARS = range(2000, 2101)  # a return request outside these years is a misread cell


def parse_report_date(raw: str, *, dashed_day_first: bool = False) -> datetime | None:
    """ISO 8601 (with or without time/zone), 05-Nov-2026, 05.11.2026, 2026/11/05 (and, where
    the report documents it, 05-11-2026 as day-month-year) → aware UTC, else None."""
    text = raw.strip()
    if len(text) > _MAX_DATE_TEXT:
        return None
    if text.endswith((" UTC", " GMT")):
        text = text[:-4]
    when: datetime | None = None
    try:
        when = datetime.fromisoformat(text.replace(" ", "T", 1) if " " in text else text)
    except ValueError:
        named = _DMY_NAMED.match(text)
        dotted = _DMY_DOTTED.match(text) or (_DMY_DASHED.match(text) if dashed_day_first else None)
        slashed = _YMD_SLASHED.match(text)
        try:
            if named and named.group(2).lower() in _MONTHS:
                month = _MONTHS[named.group(2).lower()]
                when = datetime(int(named.group(3)), month, int(named.group(1)))
            elif dotted:
                when = datetime(int(dotted.group(3)), int(dotted.group(2)), int(dotted.group(1)))
            elif slashed:
                when = datetime(int(slashed.group(1)), int(slashed.group(2)), int(slashed.group(3)))
        except ValueError:
            return None
    if when is None or when.year not in _YEARS:
        return None
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC)
    return when.astimezone(UTC)  # years 2000–2100 with any offset stay in datetime's range
