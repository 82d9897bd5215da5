"""The mail quoted inside a forward: who sent it, its subject and its text.

Agencies' assistants forward Amazon's notices from Gmail ("---------- Forwarded message
---------", "Message transféré", "Weitergeleitete Nachricht"), Outlook ("-----Original
Message-----", a "____" rule, or a bare "From: … Sent: …" block) and Apple Mail ("Begin
forwarded message:"). The quoted header block is read (From, Subject, in the clients'
languages) and the text after it is the forwarded mail's.

Guarantees:
- Nothing here authenticates anything: anyone can type a forward. The caller (email.py)
  uses a forwarded Amazon notice only as a guard that stops money (domain ForwardedNotice).
- Only the first forward is read; at most MAX_LINES lines are looked at, each capped; no
  pattern can backtrack (short anchored literals, bounded gaps).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spconnector.intake import quoting

MAX_LINES = 2_000
_HEADER_LINES = 10  # a quoted header block is a few lines: From, Sent/Date, To, Cc, Subject
_SUBJECT = re.compile(
    r"^(?:subject|betreff|objet|asunto|oggetto|onderwerp|ämne|temat|konu|assunto|件名)"
    r"\s{0,2}:\s{0,3}(.{0,998})$",
    re.IGNORECASE,
)
_ADDRESS = re.compile(r"[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}")
_MAX_BLOCKS = 20  # header blocks tried: a forward's is among the first few


@dataclass(frozen=True)
class Forwarded:
    """The forwarded mail: its quoted sender's address, subject and text."""

    sender: str
    subject: str
    text: str


def forwarded_mail(text: str) -> Forwarded | None:
    """The first mail quoted after a forward's header block in `text`, or None when there is
    none (or its From line names no address)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n", MAX_LINES)[:MAX_LINES]
    tried = 0
    for i, raw in enumerate(lines):
        start = _block_start(lines, i, raw.strip()[: quoting.MAX_LINE])
        if start is None:
            continue
        found = _header_block(lines, start)
        if found is not None:
            return found
        tried += 1
        if tried >= _MAX_BLOCKS:
            break
    return None


def _block_start(lines: list[str], i: int, line: str) -> int | None:
    """Where the quoted header block starts when line `i` opens a forward, else None."""
    if not line:
        return None
    marker = quoting.banner(line)
    if (marker is not None and marker.role in ("history", "rule")) or line.startswith("______"):
        return i + 1
    if line.lower() in quoting.FORWARD_LEADS:
        return i + 1
    if not quoting.HEADER_FROM.match(line):
        return None
    window = [w.strip()[: quoting.MAX_LINE * 3] for w in lines[i + 1 : i + 5]]
    if any(quoting.HEADER_SENT.match(w) or _SUBJECT.match(w) for w in window):
        return i  # a bare "From: … Sent: …" block
    return None


def _header_block(lines: list[str], start: int) -> Forwarded | None:
    at = start
    while at < len(lines) and at < start + 3 and not lines[at].strip():
        at += 1  # Apple Mail leaves a blank line after its lead-in
    sender = subject = None
    end = at
    for end in range(at, min(len(lines), at + _HEADER_LINES)):
        line = lines[end].strip()[: quoting.MAX_LINE * 3]
        if not line:
            break
        if sender is None and quoting.HEADER_FROM.match(line):
            sender = _address(line)
        elif subject is None and (found := _SUBJECT.match(line)):
            subject = found.group(1).strip()
    else:
        end += 1
    if not sender:
        return None
    return Forwarded(sender=sender, subject=subject or "", text="\n".join(lines[end:]).strip())


def _address(line: str) -> str | None:
    """The first address of a From line ("Name <a@b.example>", "a@b.example"), checked only
    around its "@"s (at most ten), so a long line without one costs nothing."""
    at = line.find("@")
    for _ in range(10):
        if at < 0:
            return None
        found = _ADDRESS.search(line, max(0, at - 64), at + 280)
        if found is not None and found.start() <= at < found.end():
            return found.group(0).strip(".").lower()
        at = line.find("@", at + 1)
    return None
