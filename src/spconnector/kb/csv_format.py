"""A knowledge base written as a spreadsheet (CSV, UTF-8, one header row), for sellers who
keep their FAQ in Excel or Google Sheets. Same schema, same checks as the YAML form.

Columns (header names exact, any order; unknown columns are an error):
  product       SKU of the product, or family:NAME for a family's entries (required)
  section       faq, specs, tips, issues, normal_wear, warranty, alternatives;
                or product (a row about the product itself) or synonyms (required)
  id            entry id, lower-case (entry rows)
  language      en, de, fr, es or it (required)
  ask           question variants, separated by " | "; synonyms rows: the words of one group
  answer        the answer in that language (entry rows)
  timeline      normal wear: how long (optional)
  known_defect  issues: yes when the symptom is a fault (optional; yes/no)
  title         product rows: the product's title (or the family's)
  family        product rows: the family the product belongs to (optional)
  skus          product rows: its variants' SKUs, separated by " | " (optional)
  names         product rows: the words buyers use for it in that language, " | " (optional)

One row per entry and language: rows with the same product, section and id are one entry.

Guarantees:
- Every error names its place as "line N" of the file (the row that holds the bad value,
  or the first row of the entry) and what is wrong, in one line.
- The result is a KnowledgeBase validated exactly as a YAML one; its YAML text (what is
  stored and versioned) has the same version as the same KB written in YAML.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import yaml
from pydantic import ValidationError

from spconnector.kb.errors import KbError
from spconnector.kb.schema import KnowledgeBase

COLUMNS = (
    "product",
    "section",
    "id",
    "language",
    "ask",
    "answer",
    "timeline",
    "known_defect",
    "title",
    "family",
    "skus",
    "names",
)
ENTRY_SECTIONS = ("faq", "specs", "tips", "issues", "normal_wear", "warranty", "alternatives")
_REQUIRED = ("product", "section", "language")
_YES = {"yes", "y", "true", "1", "ja", "oui", "sí", "si"}
_NO = {"", "no", "n", "false", "0", "nein", "non"}


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _fail(line: int, reason: str) -> KbError:
    return KbError(reason, location=f"line {line}")


def parse_kb_csv(text: str) -> KnowledgeBase:
    """Read a CSV knowledge base; raises KbError naming the line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise _fail(1, "empty file: the first row names the columns")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise _fail(1, f"unknown column {unknown[0]!r} (columns: {', '.join(COLUMNS)})")
    missing = [c for c in (*_REQUIRED, "ask", "answer", "id") if c not in header]
    if missing:
        raise _fail(1, f"missing column {missing[0]!r}")
    data: dict[str, Any] = {"families": {}, "products": {}}
    lines: dict[tuple[Any, ...], int] = {}  # where each part of the KB was written
    entries: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            raise _fail(line, "more cells than columns (a comma inside a cell needs quotes)")
        cells = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if not any(cells.values()):
            continue
        for column in _REQUIRED:
            if not cells.get(column):
                raise _fail(line, f"{column}: empty")
        owner, section, lang = cells["product"], cells["section"], cells["language"]
        if section == "synonyms":
            data.setdefault("synonyms", {}).setdefault(lang, []).append(_split(cells["ask"]))
            n = len(data["synonyms"][lang]) - 1
            lines[("synonyms", lang, n)] = line
            continue
        family = owner.removeprefix("family:") if owner.startswith("family:") else None
        group, key = ("families", family) if family is not None else ("products", owner)
        if not key:
            raise _fail(line, "product: family: needs a name")
        topic = data[group].setdefault(key, {})
        lines.setdefault((group, key), line)
        if section == "product":
            _product_row(topic, cells, lang, line, lines, (group, key), family is not None)
            continue
        if section not in ENTRY_SECTIONS:
            raise _fail(
                line, f"section: {section!r} is not one of {', '.join(ENTRY_SECTIONS)}, product"
            )
        entry_id = cells.get("id", "")
        if not entry_id:
            raise _fail(line, "id: empty (each entry needs an id)")
        entry = entries.get((owner, section, entry_id))
        if entry is None:
            entry = {"id": entry_id, "ask": {}, "answer": {}}
            entries[(owner, section, entry_id)] = entry
            topic.setdefault(section, []).append(entry)
            lines[(group, key, section, len(topic[section]) - 1)] = line
        where = (group, key, section, topic[section].index(entry))
        if lang in entry["answer"] or lang in entry["ask"]:
            raise _fail(line, f"{owner} {section} {entry_id}: language {lang} given twice")
        if cells.get("ask"):
            entry["ask"][lang] = _split(cells["ask"])
        if cells.get("answer"):
            entry["answer"][lang] = cells["answer"]
        if cells.get("timeline"):
            entry.setdefault("timeline", {})[lang] = cells["timeline"]
        defect = cells.get("known_defect", "").lower()
        if defect not in _YES | _NO:
            raise _fail(line, f"known_defect: {cells['known_defect']!r} is not yes or no")
        if defect in _YES:
            entry["known_defect"] = True
        for field in ("ask", "answer", "timeline"):
            lines[(*where, field, lang)] = line
            lines.setdefault((*where, field), line)
    if not data["families"]:
        del data["families"]
    try:
        return KnowledgeBase.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        message = str(err["msg"]).removeprefix("Value error, ")
        loc = tuple(err["loc"])
        if not loc and message.startswith("products.") and ": " in message:
            where_text, message = message.split(": ", 1)
            loc = tuple(where_text.split("."))
        line = _closest_line(loc, lines)
        what = ".".join(str(p) for p in loc) or "(top)"
        raise _fail(line, f"{what}: {message}") from None


def _product_row(
    topic: dict[str, Any],
    cells: dict[str, str],
    lang: str,
    line: int,
    lines: dict[tuple[Any, ...], int],
    where: tuple[str, str],
    is_family: bool,
) -> None:
    for column in ("id", "ask", "answer", "timeline", "known_defect"):
        if cells.get(column):
            raise _fail(line, f"{column}: a product row holds only title, family, skus, names")
    if cells.get("title"):
        topic["title"] = cells["title"]
        lines[(*where, "title")] = line
    if is_family:
        if cells.get("family") or cells.get("skus") or cells.get("names"):
            raise _fail(line, "a family row holds only a title")
        return
    if cells.get("family"):
        topic["family"] = cells["family"]
        lines[(*where, "family")] = line
    if cells.get("skus"):
        skus = topic.setdefault("skus", [])
        skus += [sku for sku in _split(cells["skus"]) if sku not in skus]
        lines[(*where, "skus")] = line
    if cells.get("names"):
        topic.setdefault("names", {})[lang] = _split(cells["names"])
        lines[(*where, "names", lang)] = line


def _closest_line(loc: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> int:
    """The line that wrote the deepest part of `loc` we know (the entry's first row at least)."""
    for size in range(len(loc), 0, -1):
        found = lines.get(tuple(loc[:size]))
        if found is not None:
            return found
    return 1


def kb_yaml(kb: KnowledgeBase) -> str:
    """The YAML text of a knowledge base (what is stored for a CSV push)."""
    data = kb.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def kb_csv(kb: KnowledgeBase) -> str:
    """The CSV form of a knowledge base (parse_kb_csv reads it back to the same version)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for lang, groups in kb.synonyms.items():
        for group in groups:
            writer.writerow({"product": "*", "section": "synonyms", "language": lang,
                             "ask": " | ".join(group)})  # fmt: skip
    topics: list[tuple[str, Any]] = [(f"family:{k}", f) for k, f in kb.families.items()]
    topics += list(kb.products.items())
    for owner, topic in topics:
        languages = list(getattr(topic, "names", {})) or [kb.default_language]
        for n, lang in enumerate(languages):
            row = {"product": owner, "section": "product", "language": lang}
            if n == 0 and topic.title:
                row["title"] = topic.title
            if n == 0 and getattr(topic, "family", None):
                row["family"] = topic.family
            if n == 0 and getattr(topic, "skus", None):
                row["skus"] = " | ".join(topic.skus)
            if getattr(topic, "names", {}).get(lang):
                row["names"] = " | ".join(topic.names[lang])
            if len(row) > 3:
                writer.writerow(row)
        for kind_section in ENTRY_SECTIONS:
            for entry in getattr(topic, kind_section):
                languages = list(dict.fromkeys([*entry.ask, *entry.answer, *entry.timeline]))
                for lang in languages:
                    writer.writerow(
                        {
                            "product": owner,
                            "section": kind_section,
                            "id": entry.id,
                            "language": lang,
                            "ask": " | ".join(entry.ask.get(lang, [])),
                            "answer": entry.answer.get(lang, ""),
                            "timeline": entry.timeline.get(lang, ""),
                            "known_defect": "yes" if entry.known_defect else "",
                        }
                    )
    return out.getvalue()
