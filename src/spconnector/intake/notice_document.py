"""A notice's readable structure: its lines, labelled pairs (by what the label means), leaf
tables and links to Amazon's own sites, read with a real HTML parser (selectolax) in one
linear walk, or from plain text. Bounded: capped input, tables, cells, pairs and links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from spconnector.intake.labels import label_meaning
from spconnector.intake.mime import node_text, parse_html

MAX_TABLES = 200  # Amazon's notices have a few dozen; more is not a notice worth reading


@dataclass
class Document:
    """A notice's readable structure."""

    lines: list[str] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (label meaning, value)
    tables: list[list[list[str]]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # hrefs to Amazon's own sites, in order


def read_document(html: str, text: str, *, tree: LexborHTMLParser | None = None) -> Document:
    """The notice's lines, labelled pairs and tables: from `html` (or its parsed `tree`,
    whose text `text` then already is), else from the plain `text`."""
    doc = Document()
    if tree is not None:
        body = tree.body or tree.root
        doc.tables = leaf_tables(body) if body is not None else []
        doc.links = amazon_links(tree)
    elif html:
        try:
            tree = parse_html(html)
            body = tree.body or tree.root
            if body is not None:
                doc.tables = leaf_tables(body)
                text = node_text(body)
            doc.links = amazon_links(tree)
        except Exception:  # noqa: S110 - unreadable markup: the plain text is still read
            pass
    doc.lines = [line.strip() for line in text[:200_000].splitlines() if line.strip()]
    for line in doc.lines:
        # Japanese mail writes its labels with a fullwidth colon ("注文番号：…")
        label, sep, value = line[:400].replace("\uff1a", ":").partition(":")
        # a label may close a sentence ("… this order. Reason given by the buyer: …")
        label = label.rsplit(". ", 1)[-1]
        if not sep or not value.strip() or not 1 <= len(label.strip()) <= 60:
            continue
        meaning = label_meaning(label)
        if meaning:
            doc.pairs.append((meaning, value.strip()))
    doc.pairs.extend(_cell_pairs(doc.tables))
    return doc


MAX_CELL_PAIRS = 200  # Amazon's templates have a dozen labelled rows


def _cell_pairs(tables: list[list[list[str]]]) -> list[tuple[str, str]]:
    """Labelled values of Amazon's table-based templates, whose label and value sit in the
    two cells of one row ("Refund reason" | "Customer return"), no colon between them: a
    table each of whose rows of several cells is two cells, a label first. An item table is
    not one (its rows below the header start with an item, not a label)."""
    pairs: list[tuple[str, str]] = []
    for rows in tables:
        if len(pairs) >= MAX_CELL_PAIRS:
            break
        # (a row of one cell is the template's running text between its labelled rows)
        cells = [
            r
            for row in rows[:MAX_CELL_PAIRS]
            if len(r := [c.strip() for c in row if c.strip()]) > 1
        ]
        meanings = [
            label_meaning(row[0].rstrip(":\uff1a "))
            if len(row) == 2 and len(row[0]) <= 60
            else None
            for row in cells
        ]
        if meanings and all(meanings):
            pairs.extend((m, row[1]) for m, row in zip(meanings, cells, strict=True) if m)
    return pairs


_AMAZON_LINK = re.compile(
    r"^https?://(?:sellercentral(?:-europe|-japan)?|www)\.amazon\.[a-z]{2,3}(?:\.[a-z]{2})?/",
    re.IGNORECASE,
)
MAX_LINKS = 100


def amazon_links(tree: LexborHTMLParser) -> list[str]:
    """The hrefs that lead to Amazon's own sites (Seller Central, the shop), in order: an
    order a newer template names only in its "View order" button is named there. A link a
    gateway rewrote (Safe Links, URL Defense) leads elsewhere and is not read."""
    found: list[str] = []
    for node in tree.css("a[href]")[: MAX_LINKS * 5]:
        href = (node.attributes.get("href") or "")[:2_000]
        if _AMAZON_LINK.match(href):
            found.append(href)
            if len(found) >= MAX_LINKS:
                break
    return found


def leaf_tables(root: LexborNode) -> list[list[list[str]]]:
    """The rows (cell texts) of every table that holds no other table, in one linear walk:
    layout tables only frame Amazon's data tables. Cells keep only their own table's text."""
    found: list[list[list[str]]] = []
    open_tables: list[_Table] = []
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag
        top = open_tables[-1] if open_tables else None
        if closing:
            if tag == "table" and top is not None:
                open_tables.pop()
                if not top.nested and len(top.rows) >= 2 and len(found) < MAX_TABLES:
                    found.append(top.rows)
            elif tag == "tr" and top is not None and top.row is not None:
                if any(top.row):
                    top.rows.append(top.row)
                top.row = None
            elif tag in ("td", "th") and top is not None and top.cell is not None:
                if top.row is None:
                    top.row = []
                top.row.append(" ".join("".join(top.cell).split())[:2_000])
                top.cell = None
            continue
        if tag == "-text":
            if top is not None and top.cell is not None and len(top.cell) < 200:
                top.cell.append(node.text_content or "")
            continue
        if tag == "table":
            if top is not None:
                top.nested = True
            open_tables.append(_Table())
        elif tag == "tr" and top is not None:
            top.row = []
        elif tag in ("td", "th") and top is not None:
            top.cell = []
        elif tag in ("br", "p", "div", "li") and top is not None and top.cell is not None:
            top.cell.append(" ")
        stack.append((node, True))
        children: list[LexborNode] = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, False) for c in reversed(children))
    return found


@dataclass
class _Table:
    rows: list[list[str]] = field(default_factory=list)
    row: list[str] | None = None
    cell: list[str] | None = None
    nested: bool = False
