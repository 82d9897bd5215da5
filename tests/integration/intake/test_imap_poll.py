"""PollMailbox against a real Dovecot IMAP server on loopback (TLS, real IMAP commands)."""

from __future__ import annotations

import os
import shutil
import ssl
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from spconnector.intake.email import parse_email
from spconnector.intake.imap import (
    PROCESSED_KEYWORD,
    Checkpoint,
    ImapSettings,
    InMemoryCheckpointStore,
    LoginRefused,
    poll_mailbox,
)
from tests.integration.intake.dovecot_server import (
    PASSWORD,
    DovecotServer,
    client,
    deliver,
    dovecot_binary,
    start_dovecot,
)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "intake"
USERS = ("flags", "failure", "moving", "validity", "strict", "tls", "limit")

if dovecot_binary() is None:
    if os.environ.get("CI"):
        raise RuntimeError("dovecot missing in CI: run tests/setup/system-deps.sh first")
    pytest.skip(
        "dovecot not installed (run tests/setup/system-deps.sh); IMAP tests need a real server",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def dovecot() -> Iterator[DovecotServer]:
    # Not pytest's tmp_path: its parents are private to root, and Dovecot's own users
    # (dovecot, dovenull) must reach the config and mail directories.
    root = Path(tempfile.mkdtemp(prefix="spconnector-dovecot-"))
    server = start_dovecot(root, USERS)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def settings(server: DovecotServer, user: str, **extra: object) -> ImapSettings:
    return ImapSettings(
        host="127.0.0.1",
        port=server.port,
        username=user,
        password=PASSWORD,
        tenant=f"tenant-{user}",
        cafile=server.cafile,
        timeout=10,
        **extra,  # type: ignore[arg-type]
    )


def flags_of(server: DovecotServer, user: str, folder: str = "INBOX") -> dict[int, str]:
    conn = client(server, user)
    conn.select(folder, readonly=True)
    _typ, data = conn.uid("FETCH", "1:*", "(FLAGS)")
    conn.logout()
    found: dict[int, str] = {}
    for item in data:
        if isinstance(item, bytes) and b"UID" in item:
            text = item.decode()
            uid = int(text.split("UID ")[1].split()[0].rstrip(")"))
            found[uid] = text
    return found


MAILS = [p.read_bytes() for p in sorted(FIXTURES.glob("relay_*.eml"))][:3]


def test_delivers_new_mail_flags_it_and_checkpoints(dovecot: DovecotServer) -> None:
    deliver(dovecot, "flags", *MAILS)
    store = InMemoryCheckpointStore()
    seen: list[tuple[int, str]] = []

    def sink(raw: bytes, uid: int) -> None:
        seen.append((uid, parse_email(raw).message_id))

    result = poll_mailbox(settings(dovecot, "flags"), store, sink)
    assert result.delivered == [1, 2, 3] and result.failed == []
    assert [mid for _uid, mid in seen] == [parse_email(m).message_id for m in MAILS]
    assert store.load("tenant-flags", "INBOX") == Checkpoint(result.checkpoint.uidvalidity, 3)  # type: ignore[union-attr]
    assert all(
        "\\Seen" in f and PROCESSED_KEYWORD in f for f in flags_of(dovecot, "flags").values()
    )

    # A second poll finds nothing new; new mail after it is picked up alone.
    assert poll_mailbox(settings(dovecot, "flags"), store, sink).delivered == []
    deliver(dovecot, "flags", MAILS[0])
    assert poll_mailbox(settings(dovecot, "flags"), store, sink).delivered == [4]


def test_failed_sink_keeps_mail_unflagged_and_checkpoint_before_it(dovecot: DovecotServer) -> None:
    deliver(dovecot, "failure", *MAILS)
    store = InMemoryCheckpointStore()
    calls: list[int] = []

    def flaky(raw: bytes, uid: int) -> None:
        calls.append(uid)
        if uid == 2:
            raise RuntimeError("queue unavailable")

    first = poll_mailbox(settings(dovecot, "failure"), store, flaky)
    assert first.delivered == [1, 3]
    assert [(f.uid, f.reason) for f in first.failed] == [(2, "RuntimeError: queue unavailable")]
    assert first.checkpoint is not None and first.checkpoint.last_uid == 1
    flags = flags_of(dovecot, "failure")
    assert "\\Seen" not in flags[2] and PROCESSED_KEYWORD not in flags[2]
    assert PROCESSED_KEYWORD in flags[3]

    # Next poll: only the failed mail comes again (mail 3 is not delivered twice).
    calls.clear()
    second = poll_mailbox(settings(dovecot, "failure"), store, lambda raw, uid: calls.append(uid))
    assert calls == [2] and second.delivered == [2]
    assert second.checkpoint is not None and second.checkpoint.last_uid == 2


def test_move_to_folder(dovecot: DovecotServer) -> None:
    conn = client(dovecot, "moving")
    assert conn.create("Processed")[0] == "OK"
    conn.logout()
    deliver(dovecot, "moving", *MAILS[:2])
    store = InMemoryCheckpointStore()
    result = poll_mailbox(
        settings(dovecot, "moving", move_to="Processed"), store, lambda raw, uid: None
    )
    assert result.delivered == [1, 2]
    assert flags_of(dovecot, "moving") == {}
    assert len(flags_of(dovecot, "moving", "Processed")) == 2


def test_uidvalidity_change_restarts_without_redelivering(dovecot: DovecotServer) -> None:
    deliver(dovecot, "validity", *MAILS[:2])
    store = InMemoryCheckpointStore()
    poll_mailbox(settings(dovecot, "validity"), store, lambda raw, uid: None)
    deliver(dovecot, "validity", MAILS[2])
    # The stored checkpoint belongs to an older numbering of the mailbox.
    store.save("tenant-validity", "INBOX", Checkpoint(uidvalidity=1, last_uid=99))
    calls: list[int] = []
    result = poll_mailbox(settings(dovecot, "validity"), store, lambda raw, uid: calls.append(uid))
    assert result.uidvalidity_reset is True
    assert calls == [3]  # the two processed mails carry the keyword and are not sent again
    assert result.checkpoint is not None and result.checkpoint.last_uid == 3


def test_batch_limit_leaves_the_rest_for_the_next_poll(dovecot: DovecotServer) -> None:
    deliver(dovecot, "limit", *MAILS)
    store = InMemoryCheckpointStore()
    first = poll_mailbox(settings(dovecot, "limit", batch_limit=2), store, lambda r, u: None)
    assert first.delivered == [1, 2] and first.more_waiting
    second = poll_mailbox(settings(dovecot, "limit", batch_limit=2), store, lambda r, u: None)
    assert second.delivered == [3] and not second.more_waiting


def test_certificate_is_verified(dovecot: DovecotServer) -> None:
    # Without the test CA the self-signed certificate must be refused, never silently used.
    strict = ImapSettings(
        host="127.0.0.1", port=dovecot.port, username="tls", password=PASSWORD, tenant="t"
    )
    with pytest.raises(ssl.SSLCertVerificationError):
        poll_mailbox(strict, InMemoryCheckpointStore(), lambda raw, uid: None)


def test_wrong_password_is_an_error(dovecot: DovecotServer) -> None:
    bad = ImapSettings(
        host="127.0.0.1",
        port=dovecot.port,
        username="strict",
        password="wrong",
        tenant="t",
        cafile=dovecot.cafile,
    )
    with pytest.raises(LoginRefused, match="AUTHENTICATIONFAILED") as refused:
        poll_mailbox(bad, InMemoryCheckpointStore(), lambda raw, uid: None)
    assert "wrong" not in str(refused.value)  # the server's words, never the password
