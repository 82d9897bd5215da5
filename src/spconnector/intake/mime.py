"""Raw mail bytes → headers and text, forgivingly and in bounded time.

Guarantees: input is capped before any parsing (MAX_MAIL_BYTES for the whole mail,
MAX_HEADER_CHARS per header, MAX_HTML_CHARS per HTML part, MAX_TEXT_CHARS for the text
handed on), no regular expression here can backtrack super-linearly, and a broken part or
charset never loses the rest of the mail. HTML is read with a real parser (selectolax /
Lexbor), never with line regexes. Plain text sent format=flowed is read as its writer typed
it (RFC 3676: wrapped lines joined, in one pass).

The MIME structure is parsed with the stdlib `email` package under `policy.compat32`, and
headers are decoded here (RFC 2047 words, raw 8-bit UTF-8/cp1252). Measured: `policy.default`
builds a structured object for every header it touches, ~14x slower.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from email.utils import parseaddr
from functools import cached_property

from selectolax.lexbor import LexborHTMLParser, LexborNode

from spconnector.domain.models import Attachment

MAX_MAIL_BYTES = 25 * 1024 * 1024  # relay attachments are up to 10 MB, base64 adds a third
MAX_HEADER_CHARS = 4_000
MAX_HTML_CHARS = 1_000_000
MAX_TEXT_CHARS = 200_000
MAX_STUB_CHARS = 300  # a plain part this short may be a stub for the HTML part …
STUB_RATIO = 3  # … when the HTML part's text is this many times longer

_PARSER = BytesParser(policy=policy.compat32)


@dataclass
class MailContent:
    """The readable parts of one mail."""

    plain: str = ""  # the text/plain parts, joined
    html: str = ""  # the first text/html part, as markup (capped)
    attachments: list[Attachment] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)  # delivery-status / returned headers
    report_type: str | None = None  # multipart/report's report-type

    @property
    def text(self) -> str:
        """The best text of the mail: plain over HTML, unless the plain part is a stub."""
        return self.html_text if self.reads_html else self.plain

    @cached_property
    def html_tree(self) -> LexborHTMLParser | None:
        """The HTML part, parsed once (the costly step): its text and tables both come from
        it. None when there is none or it cannot be parsed."""
        if not self.html:
            return None
        try:
            return parse_html(self.html)
        except Exception:
            return None

    @cached_property
    def html_text(self) -> str:
        """The HTML part's visible text."""
        return tree_text(self.html_tree) if self.html_tree is not None else ""

    @property
    def reads_html(self) -> bool:
        """The HTML part is the mail's text: no plain part, or a plain part that is only a
        stub for the HTML one ("To view this message, use an HTML-capable email client";
        Amazon's multipart notices carry such a part). A stub is short and the HTML says
        several times more; a full plain part (a relay message's) is never a stub."""
        if not self.html:
            return False
        plain = self.plain.strip()
        if not plain:
            return True
        if len(plain) > MAX_STUB_CHARS:
            return False
        return len(self.html_text.strip()) > STUB_RATIO * len(plain)


def parse_bytes(raw: bytes) -> Message:
    return _PARSER.parsebytes(raw[:MAX_MAIL_BYTES])


# --- headers ---------------------------------------------------------------------------------


def header(msg: Message, name: str) -> str | None:
    """The first such header, decoded (RFC 2047 words, raw 8-bit text), whitespace collapsed."""
    values = header_all(msg, name, limit=1)
    return values[0] if values else None


def header_all(msg: Message, name: str, *, limit: int = 50) -> list[str]:
    """Every such header in order (topmost first), decoded, at most `limit`."""
    wanted = name.lower()
    out: list[str] = []
    try:
        # raw_items(): the stored text, before compat32 wraps 8-bit values in Header objects.
        for key, value in msg.raw_items():
            if key.lower() != wanted:
                continue
            text = " ".join(decode_header_value(str(value)[:MAX_HEADER_CHARS]).split())
            if text:
                out.append(text)
            if len(out) >= limit:
                break
    except Exception:  # noqa: S110 - a header the parser cannot list: keep what was read
        pass
    return out


def decode_header_value(raw: str) -> str:
    raw = _unsurrogate(raw)
    if "=?" not in raw:
        return raw
    try:
        return str(make_header(decode_header(raw)))
    except Exception:  # a broken encoded word: keep the raw text rather than nothing
        return raw


def _unsurrogate(text: str) -> str:
    """Raw 8-bit header bytes arrive as surrogate escapes; read them as UTF-8, else cp1252."""
    if not any("\udc80" <= c <= "\udcff" for c in text):
        return text
    data = text.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def address(value: str | None) -> tuple[str, str]:
    """(display name, lower-case address) of a From/Reply-To value."""
    if not value:
        return "", ""
    try:
        name, addr = parseaddr(value[:MAX_HEADER_CHARS])
    except Exception:
        return "", ""
    return name.strip().strip('"'), addr.strip().lower()


def domain_of(addr: str) -> str:
    return addr.rpartition("@")[2].strip(".") if "@" in addr else ""


def message_ids(value: str | None, *, limit: int = 50) -> tuple[str, ...]:
    """The <…> ids of an In-Reply-To / References value, in order."""
    if not value:
        return ()
    out: list[str] = []
    for token in value.split():
        if token.startswith("<") and token.endswith(">") and 2 < len(token) <= 998:
            out.append(token)
            if len(out) >= limit:
                break
    return tuple(out)


# --- content ---------------------------------------------------------------------------------


def content(msg: Message) -> MailContent:
    found = MailContent()
    plain: list[str] = []
    try:
        parts = list(msg.walk())
        if msg.get_content_type() == "multipart/report":
            found.report_type = (msg.get_param("report-type") or "") or None  # type: ignore[assignment]
    except Exception:
        parts = [msg]
    for part in parts:
        try:
            if part.is_multipart():
                continue
            ctype = part.get_content_type()
            if ctype in ("message/delivery-status", "text/rfc822-headers"):
                found.reports.append(_report_text(part)[:MAX_TEXT_CHARS])
                continue
            disposition = (part.get_content_disposition() or "").lower()
            filename = _filename(part)
            if disposition == "attachment" or filename or not ctype.startswith("text/"):
                if ctype.startswith("message/") or ctype == "multipart/mixed":
                    continue
                payload = part.get_payload(decode=True)
                size = len(payload) if isinstance(payload, bytes) else 0
                name = filename or f"attachment-{len(found.attachments) + 1}"
                found.attachments.append(
                    Attachment(filename=name[:255], content_type=ctype, size=size)
                )
                continue
            text = _decode_text(part)
            if ctype == "text/html":
                if not found.html:
                    found.html = text[:MAX_HTML_CHARS]
            else:
                plain.append(text)
        except Exception:  # noqa: S112 - one broken part must not lose the rest of the mail
            continue
    found.plain = "\n".join(plain)[:MAX_TEXT_CHARS]
    return found


def _report_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        return decode_bytes(payload, None)
    raw = part.get_payload()
    if isinstance(raw, list):  # message/delivery-status parsed into header blocks
        return "\n".join(str(block) for block in raw)
    return raw if isinstance(raw, str) else ""


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:
        return None
    return " ".join(decode_header_value(str(name)).split()) if name else None


def _decode_text(part: Message) -> str:
    text = _decoded(part)
    try:
        flowed = part.get_content_type() == "text/plain" and (
            str(part.get_param("format") or "").lower() == "flowed"
        )
        delsp = str(part.get_param("delsp") or "").lower() == "yes"
    except Exception:
        return text
    return unflow(text, delsp=delsp) if flowed else text


def unflow(text: str, *, delsp: bool = False) -> str:
    """RFC 3676 format=flowed text as its writer typed it: a line ending in a space goes on
    with the next line of the same quote depth (its trailing space dropped with delsp=yes),
    the space a mailer stuffed before a line is taken off; "-- " (a signature) stays a
    line. One pass over the lines."""
    out: list[list[str]] = []  # each written line's pieces (joined once: linear)
    open_depth: int | None = None  # the quote depth of a flowed line waiting for its rest
    for raw in text.split("\n"):
        line = raw.removesuffix("\r")
        depth = len(line) - len(line.lstrip(">"))
        body = line[depth:]
        if body.startswith(" "):
            body = body[1:]  # space-stuffing (or the space after the quote marks)
        flows = body.endswith(" ") and body != "-- "
        if flows and delsp:
            body = body[:-1]
        if open_depth is not None and open_depth == depth and out:
            out[-1].append(body)
        else:
            out.append([">" * depth + " " if depth else "", body])
        open_depth = depth if flows else None
    return "\n".join("".join(pieces) for pieces in out)


def _decoded(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    try:
        declared = part.get_content_charset()
    except Exception:
        declared = None
    if declared is None and part.get_content_type() == "text/html":
        # valid UTF-8 is UTF-8 whatever a stale <meta> says; else the page's own charset
        # (Shift_JIS, EUC-KR …) before the cp1252 fallback
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            declared = _meta_charset(payload)
    return decode_bytes(payload, declared)


# <meta charset="shift_jis"> or <meta http-equiv="Content-Type" content="…; charset=…">, in
# the first bytes of an HTML part whose MIME header names no charset (HTML's own sniffing).
_META_CHARSET = re.compile(
    rb"<meta[^>]{0,200}?charset\s{0,3}=\s{0,3}[\"']?([A-Za-z0-9_.:-]{1,40})", re.I
)


def _meta_charset(payload: bytes) -> str | None:
    found = _META_CHARSET.search(payload[:2_048])
    return found.group(1).decode("ascii") if found else None


def decode_bytes(payload: bytes, declared: str | None) -> str:
    """Decode with the declared charset if it is real and fits; else UTF-8; else cp1252."""
    candidates: list[str] = []
    if declared:
        name = declared.strip().strip('"').lower()
        # Mail that says latin-1 is very often cp1252 (curly quotes, €): read it as such.
        if name in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
            name = "cp1252" if name.startswith(("iso", "latin")) else "utf-8"
        if name in ("utf-7", "utf7", "unicode-1-1-utf-7"):
            name = ""  # UTF-7 decodes nearly anything into surprises: never trust it
        with contextlib.suppress(LookupError):  # an unknown charset: try the fallbacks
            if name:
                candidates.append(codecs.lookup(name).name)
    candidates += ["utf-8", "cp1252"]
    for charset in candidates:
        try:
            return payload.decode(charset)
        except (UnicodeDecodeError, LookupError, ValueError):
            continue
    return payload.decode("utf-8", errors="replace")


# --- HTML ------------------------------------------------------------------------------------

_BLOCK = frozenset(
    {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
     "blockquote", "pre", "hr", "section", "article", "header", "footer", "center", "tbody",
     "thead", "dd", "dt"}
)  # fmt: skip
_CELL = frozenset({"td", "th"})
_INVISIBLE = ("script", "style", "head", "title", "template", "noscript")


def parse_html(html: str) -> LexborHTMLParser:
    tree = LexborHTMLParser(html[:MAX_HTML_CHARS])
    for selector in _INVISIBLE:
        for node in tree.css(selector):
            node.decompose()
    # Amazon's hidden preview line repeats the subject: it is not part of the body; nor is any
    # other hidden element (a newer template's preheader <span>, a hidden table cell): what
    # the seller cannot see is not the notice.
    for node in tree.css("[style*='display:none'], [style*='display: none']"):
        node.decompose()
    return tree


def html_to_text(html: str) -> str:
    """Visible text of an HTML body, block elements on their own lines."""
    try:
        tree = parse_html(html)
    except Exception:
        return ""
    return tree_text(tree)


def tree_text(tree: LexborHTMLParser) -> str:
    """Visible text of a parsed HTML body (see html_to_text)."""
    root = tree.body or tree.root
    return node_text(root) if root is not None else ""


def node_text(node: LexborNode) -> str:
    """Visible text below `node`: blocks on their own lines, cells separated by a tab."""
    chunks: list[str] = []
    _walk(node, chunks)
    lines = (" ".join(line.split()) for line in "".join(chunks).splitlines())
    return "\n".join(lines).strip("\n")


def _walk(node: LexborNode, chunks: list[str]) -> None:
    # Iterative: deeply nested markup must not hit the recursion limit.
    stack: list[tuple[LexborNode, bool]] = [(node, False)]
    while stack:
        current, closing = stack.pop()
        tag = current.tag
        if closing:
            if tag in _BLOCK:
                chunks.append("\n")
            elif tag in _CELL:
                chunks.append(" \t ")
            continue
        if tag == "-text":  # a line break in the markup is a space on screen
            chunks.append((current.text_content or "").replace("\n", " "))
            continue
        if tag in ("br", "hr"):  # void elements: one line break
            chunks.append("\n")
            continue
        if tag in _BLOCK:
            chunks.append("\n")
        stack.append((current, True))
        children: list[LexborNode] = []
        child = current.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, False) for c in reversed(children))
