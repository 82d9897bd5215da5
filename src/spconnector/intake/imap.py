"""PollMailbox: fetch new mail over IMAPS and hand each raw message to a sink.

One poll: connect with TLS (certificate verified; a private CA can be given as `cafile`),
SELECT the mailbox, look for mail after the tenant's UID checkpoint, hand each raw message
to `sink(raw, uid)`, then mark it processed and advance the checkpoint.

Nothing is lost:
- mail is fetched with BODY.PEEK[] (a plain RFC822 fetch would set \\Seen before the sink
  has seen it);
- a mail whose sink raises is left unmarked, reported in PollResult.failed, and the
  checkpoint never moves past it, so the next poll offers it again;
- mail after a failed one is still delivered and marked with the keyword $SpcProcessed (plus
  \\Seen), and later polls skip mail carrying that keyword, so it is not delivered twice;
  a server that does not allow keywords gets the stricter rule: stop at the first failure;
- with `move_to`, processed mail is moved to that folder instead (UID MOVE, or COPY +
  \\Deleted + UID EXPUNGE), so the source folder only holds unprocessed mail;
- a changed UIDVALIDITY (the server renumbered the mailbox) starts the checkpoint over;
  processed mail is recognised by its keyword (or is no longer there, with `move_to`).
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

PROCESSED_KEYWORD = "$SpcProcessed"
Sink = Callable[[bytes, int], object]


@dataclass(frozen=True, slots=True)
class ImapSettings:
    host: str
    username: str
    password: str  # from the tenant's secret; never logged
    tenant: str
    port: int = 993
    mailbox: str = "INBOX"
    move_to: str | None = None  # folder for processed mail; None: flag it instead
    cafile: str | None = None  # a private CA or self-signed server certificate to trust
    timeout: float = 30.0
    batch_limit: int = 500  # at most this many mails per poll; the rest wait for the next


@dataclass(frozen=True, slots=True)
class Checkpoint:
    uidvalidity: int
    last_uid: int  # every mail up to and including this UID has been handled


class CheckpointStore(Protocol):
    def load(self, tenant: str, mailbox: str) -> Checkpoint | None: ...

    def save(self, tenant: str, mailbox: str, checkpoint: Checkpoint) -> None: ...


class InMemoryCheckpointStore:
    """For tests and local runs; the deployed store keeps checkpoints in DynamoDB."""

    def __init__(self) -> None:
        self.checkpoints: dict[tuple[str, str], Checkpoint] = {}

    def load(self, tenant: str, mailbox: str) -> Checkpoint | None:
        return self.checkpoints.get((tenant, mailbox))

    def save(self, tenant: str, mailbox: str, checkpoint: Checkpoint) -> None:
        self.checkpoints[(tenant, mailbox)] = checkpoint


@dataclass(frozen=True, slots=True)
class FailedMail:
    uid: int
    reason: str  # one line, no mail content


@dataclass(slots=True)
class PollResult:
    delivered: list[int] = field(default_factory=list)
    failed: list[FailedMail] = field(default_factory=list)
    checkpoint: Checkpoint | None = None
    uidvalidity_reset: bool = False
    more_waiting: bool = False  # batch_limit reached


class ImapError(RuntimeError):
    """The server refused a command the poll cannot do without."""


class LoginRefused(ImapError):
    """The server refused our credentials (RFC 5530 AUTHENTICATIONFAILED, AUTHORIZATIONFAILED or
    EXPIRED, or a refusal with no code): a person must fix the secret. A refusal the server
    calls temporary (UNAVAILABLE, INUSE, LIMIT…) stays a plain IMAP4.error, to be retried."""


# RFC 5530 codes that say the credentials themselves are wrong; other codes are temporary.
_CREDENTIALS_WRONG = ("AUTHENTICATIONFAILED", "AUTHORIZATIONFAILED", "EXPIRED")
_RESPONSE_CODE = re.compile(r"\[([A-Z-]+)")


def _login(conn: imaplib.IMAP4, settings: ImapSettings) -> None:
    try:
        _ok(conn.login(settings.username, settings.password), "LOGIN")
    except imaplib.IMAP4.error as e:
        said = e.args[0] if e.args else ""
        # the server's own words (imaplib passes its bytes), never the password
        text = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
        code = _RESPONSE_CODE.match(text.strip())
        if code is None or code.group(1) in _CREDENTIALS_WRONG:
            raise LoginRefused(f"the server refused the login: {text.strip()[:120]}") from None
        raise


def tls_context(cafile: str | None = None) -> ssl.SSLContext:
    """Certificate and host name verified, always; `cafile` only adds whom to trust."""
    return ssl.create_default_context(cafile=cafile)


def poll_mailbox(
    settings: ImapSettings,
    checkpoint_store: CheckpointStore,
    sink: Sink,
    *,
    ssl_context: ssl.SSLContext | None = None,
) -> PollResult:
    context = ssl_context or tls_context(settings.cafile)
    conn = imaplib.IMAP4_SSL(
        settings.host, settings.port, ssl_context=context, timeout=settings.timeout
    )
    try:
        _login(conn, settings)
        return _poll(conn, settings, checkpoint_store, sink, _capabilities(conn))
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            conn.logout()


def _poll(
    conn: imaplib.IMAP4,
    settings: ImapSettings,
    store: CheckpointStore,
    sink: Sink,
    capabilities: frozenset[str],
) -> PollResult:
    _ok(conn.select(_quote(settings.mailbox)), "SELECT")
    uidvalidity = _int_response(conn, "UIDVALIDITY")
    keywords = _allows_keywords(conn)
    result = PollResult()
    saved = store.load(settings.tenant, settings.mailbox)
    last = 0
    if saved is not None and saved.uidvalidity == uidvalidity:
        last = saved.last_uid
    elif saved is not None:
        result.uidvalidity_reset = True

    criteria = f"UID {last + 1}:*"
    if keywords and settings.move_to is None:
        criteria += f" NOT KEYWORD {PROCESSED_KEYWORD}"
    typ, data = conn.uid("SEARCH", criteria)
    _ok((typ, data), "UID SEARCH")
    # "n:*" also matches the highest UID when n is above it; keep only what is new.
    uids = sorted(u for u in (int(x) for x in b" ".join(data or [b""]).split()) if u > last)
    if len(uids) > settings.batch_limit:
        uids, result.more_waiting = uids[: settings.batch_limit], True

    checkpoint_uid = last
    blocked = False  # a failure happened: the checkpoint stays before it
    for uid in uids:
        raw = _fetch(conn, uid)
        if raw is None:  # expunged meanwhile
            if not blocked:
                checkpoint_uid = uid
            continue
        try:
            sink(raw, uid)
        except Exception as exc:
            result.failed.append(FailedMail(uid, _one_line(exc)))
            blocked = True
            if not keywords and settings.move_to is None:
                break  # no way to recognise later mail as done: stop here, retry next poll
            continue
        _mark_processed(conn, uid, settings, keywords, capabilities)
        result.delivered.append(uid)
        if not blocked:
            checkpoint_uid = uid
    if settings.move_to is not None and result.delivered:
        _expunge(conn, result.delivered, capabilities)
    result.checkpoint = Checkpoint(uidvalidity, checkpoint_uid)
    store.save(settings.tenant, settings.mailbox, result.checkpoint)
    return result


def _fetch(conn: imaplib.IMAP4, uid: int) -> bytes | None:
    typ, data = conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
    _ok((typ, data), "UID FETCH")
    for item in data or []:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def _mark_processed(
    conn: imaplib.IMAP4,
    uid: int,
    settings: ImapSettings,
    keywords: bool,
    capabilities: frozenset[str],
) -> None:
    if settings.move_to is not None:
        if "MOVE" in capabilities:
            _ok(conn.uid("MOVE", str(uid), _quote(settings.move_to)), "UID MOVE")
            return
        _ok(conn.uid("COPY", str(uid), _quote(settings.move_to)), "UID COPY")
        _ok(conn.uid("STORE", str(uid), "+FLAGS.SILENT", "(\\Deleted)"), "UID STORE")
        return
    flags = f"(\\Seen {PROCESSED_KEYWORD})" if keywords else "(\\Seen)"
    _ok(conn.uid("STORE", str(uid), "+FLAGS.SILENT", flags), "UID STORE")


def _expunge(conn: imaplib.IMAP4, uids: list[int], capabilities: frozenset[str]) -> None:
    if "MOVE" in capabilities:
        return  # MOVE already removed them
    if "UIDPLUS" in capabilities:
        conn.uid("EXPUNGE", ",".join(str(u) for u in uids))
    else:
        conn.expunge()


def _capabilities(conn: imaplib.IMAP4) -> frozenset[str]:
    """Asked again after LOGIN: servers announce MOVE, UIDPLUS… only to logged-in clients."""
    typ, data = conn.capability()
    if typ != "OK":
        return frozenset(conn.capabilities)
    words = b" ".join(d for d in data if isinstance(d, bytes)).decode("ascii", "replace")
    return frozenset(words.upper().split()) | frozenset(conn.capabilities)


def _allows_keywords(conn: imaplib.IMAP4) -> bool:
    _typ, data = conn.response("PERMANENTFLAGS")
    text = b" ".join(d for d in data if isinstance(d, bytes)).decode("ascii", "replace")
    return "\\*" in text


def _int_response(conn: imaplib.IMAP4, name: str) -> int:
    _typ, data = conn.response(name)
    for item in data or []:
        if isinstance(item, bytes):
            found = re.search(rb"\d+", item)
            if found:
                return int(found.group(0))
    raise ImapError(f"server sent no {name} after SELECT")


def _ok(response: tuple[str, list[object]] | tuple[str, object], command: str) -> None:
    typ = response[0]
    if typ != "OK":
        raise ImapError(f"{command} refused by the server ({typ})")


def _quote(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
