"""Load a knowledge base from YAML, say where it is wrong, and name its version by content."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import ValidationError

from spconnector.kb.errors import KbError as KbError
from spconnector.kb.schema import KnowledgeBase
from spconnector.policy.loader import _line_of, format_location, parse_yaml

MAX_KB_BYTES = 2_000_000


def read_kb_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise KbError("no such file", location=str(path)) from None
    except OSError as exc:
        raise KbError(f"cannot read: {exc.__class__.__name__}", location=str(path)) from None
    if len(data) > MAX_KB_BYTES:
        raise KbError(f"larger than {MAX_KB_BYTES} bytes", location=str(path))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise KbError("not UTF-8 text", location=str(path)) from None


def load_kb_file(path: Path) -> tuple[str, KnowledgeBase]:
    """(the YAML text to store, the knowledge base) from a .yaml/.yml or a .csv file."""
    text = read_kb_file(path)
    if path.suffix.lower() == ".csv":
        from spconnector.kb.csv_format import kb_yaml, parse_kb_csv

        kb = parse_kb_csv(text)
        return kb_yaml(kb), kb
    return text, load_kb(text)


def load_kb(text: str) -> KnowledgeBase:
    """Parse and validate the YAML text of a knowledge base."""
    data = parse_yaml(text, KbError)
    if not isinstance(data, dict):
        raise KbError("a knowledge base is a YAML mapping (products, families)", location="(top)")
    try:
        return KnowledgeBase.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = tuple(err["loc"])
        message = str(err["msg"]).removeprefix("Value error, ")
        where = format_location(loc)
        if where == "(top)" and message.startswith("products.") and ": " in message:
            where, message = message.split(": ", 1)  # cross-reference checks name their place
            loc = tuple(where.split("."))
        line = _line_of(text, loc)
        raise KbError(message, location=f"{where} (line {line})" if line else where) from None


def kb_version(kb: KnowledgeBase) -> str:
    """sha256 of the normalized knowledge base: comments and layout do not count."""
    data = kb.model_dump(mode="json")
    if not data["synonyms"]:
        del data["synonyms"]  # added later: a KB without synonyms keeps the version it had
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()[:12]
