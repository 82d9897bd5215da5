"""A seller's product knowledge base: schema, loading, retrieval and grounded answers."""

from spconnector.kb.answer import KbAnswer, KbEducation, answer_question, educate_from_kb
from spconnector.kb.loader import KbError, kb_version, load_kb, load_kb_file, read_kb_file
from spconnector.kb.retrieval import Candidate, EntryRef, KbIndex, Search
from spconnector.kb.schema import Entry, KnowledgeBase, Product

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
