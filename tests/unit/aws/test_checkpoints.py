"""CheckpointStore: a checkpoint only moves forward, even with racing writers."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from spconnector.aws.checkpoints import CheckpointStore, ImapCheckpoint
from tests.unit.aws.conftest import AtomicCalls

pytestmark = pytest.mark.usefixtures("aws")
T0 = datetime(2026, 11, 17, 9, 0, 0, 123456, tzinfo=UTC)


def test_imap_checkpoint_never_moves_backwards() -> None:
    store = CheckpointStore()
    assert store.imap("acme", "INBOX") is None
    assert store.advance_imap("acme", "INBOX", uidvalidity=7, last_uid=40)
    assert not store.advance_imap("acme", "INBOX", uidvalidity=7, last_uid=39)
    assert not store.advance_imap("acme", "INBOX", uidvalidity=7, last_uid=40)
    assert store.advance_imap("acme", "INBOX", uidvalidity=7, last_uid=41)
    assert store.imap("acme", "INBOX") == ImapCheckpoint(7, 41)


def test_new_uidvalidity_needs_an_explicit_reset() -> None:
    store = CheckpointStore()
    store.advance_imap("acme", "INBOX", 7, 500)
    assert not store.advance_imap("acme", "INBOX", 8, 3)  # mailbox rebuilt: refuse silently
    assert store.reset_imap("acme", "INBOX", 8)
    assert store.imap("acme", "INBOX") == ImapCheckpoint(8, 0)
    assert store.advance_imap("acme", "INBOX", 8, 3)
    assert not store.advance_imap("acme", "INBOX", 7, 501)  # a stale worker on the old box
    assert store.imap("acme", "INBOX") == ImapCheckpoint(8, 3)


def test_cursor_never_moves_backwards_and_keeps_microseconds() -> None:
    store = CheckpointStore()
    source = "returns:GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"
    assert store.cursor("acme", source) is None
    assert store.advance_cursor("acme", source, T0)
    assert not store.advance_cursor("acme", source, T0 - timedelta(microseconds=1))
    assert not store.advance_cursor("acme", source, T0)
    assert store.cursor("acme", source) == T0
    assert store.cursor("beta", source) is None  # per tenant


def test_racing_writers_leave_the_highest_value(atomic_ddb: AtomicCalls) -> None:
    store = CheckpointStore(client=atomic_ddb)
    uids = list(range(1, 41))
    barrier = threading.Barrier(len(uids))

    def advance(uid: int) -> None:
        barrier.wait()
        store.advance_imap("acme", "INBOX", 1, uid)

    threads = [threading.Thread(target=advance, args=(u,)) for u in reversed(uids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.imap("acme", "INBOX") == ImapCheckpoint(1, 40)
