"""A seller's product knowledge base: schema, loading, retrieval and grounded answers.

The names below are imported from their modules on first access (PEP 562), not with the
package: retrieval pulls in numpy and rank_bm25 (~0.2 s), and a handler that imports
`spconnector.kb.store` or `spconnector.kb.loader` must not pay that in its cold start.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spconnector.kb.answer import KbAnswer, KbEducation, answer_question, educate_from_kb
    from spconnector.kb.loader import KbError, kb_version, load_kb, load_kb_file, read_kb_file
    from spconnector.kb.retrieval import Candidate, EntryRef, KbIndex, Search
    from spconnector.kb.schema import Entry, KnowledgeBase, Product

_MODULE_OF = {
    "KbAnswer": "answer",
    "KbEducation": "answer",
    "answer_question": "answer",
    "educate_from_kb": "answer",
    "KbError": "loader",
    "kb_version": "loader",
    "load_kb": "loader",
    "load_kb_file": "loader",
    "read_kb_file": "loader",
    "Candidate": "retrieval",
    "EntryRef": "retrieval",
    "KbIndex": "retrieval",
    "Search": "retrieval",
    "Entry": "schema",
    "KnowledgeBase": "schema",
    "Product": "schema",
}

__all__ = [
    "Candidate",
    "Entry",
    "EntryRef",
    "KbAnswer",
    "KbEducation",
    "KbError",
    "KbIndex",
    "KnowledgeBase",
    "Product",
    "Search",
    "answer_question",
    "educate_from_kb",
    "kb_version",
    "load_kb",
    "load_kb_file",
    "read_kb_file",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value
