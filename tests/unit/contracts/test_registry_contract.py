"""The Tenants and Checkpoints ports: a tenant added once, validated updates, numbered policy
versions (re-pushing the current one changes nothing); checkpoints only move forward."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from spconnector.aws.checkpoints import CheckpointStore, ImapCheckpoint
from spconnector.aws.errors import AlreadyExists, NotFound
from spconnector.aws.tenants import TenantRegistry
from spconnector.domain import Mode, Tenant
from spconnector.jobs.ports import Checkpoints, Tenants
from spconnector.memory import MemoryCheckpointStore, MemoryTenantRegistry
from spconnector.policy import PolicyError
from tests.unit.contracts.conftest import ADAPTERS, TABLE

POLICY = (Path(__file__).resolve().parents[3] / "policies" / "default.yaml").read_text()
AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(params=ADAPTERS)
def tenants(request: pytest.FixtureRequest) -> Tenants:
    if request.param == "memory":
        return MemoryTenantRegistry()
    return TenantRegistry(table=TABLE, client=request.getfixturevalue("ddb"))


@pytest.fixture(params=ADAPTERS)
def checkpoints(request: pytest.FixtureRequest) -> Checkpoints:
    if request.param == "memory":
        return MemoryCheckpointStore()
    return CheckpointStore(table=TABLE, client=request.getfixturevalue("ddb"))


def _tenant(tenant_id: str) -> Tenant:
    return Tenant(
        tenant_id=tenant_id,
        seller_id="A1SELLER",
        region="na",
        marketplace_ids=("ATVPDKIKX0DER",),
        credentials_secret=f"spconnector/{tenant_id}/lwa",
    )


def test_add_once_get_require_list(tenants: Tenants) -> None:
    tenants.add(_tenant("bravo"))
    tenants.add(_tenant("alpha"))
    with pytest.raises(AlreadyExists):
        tenants.add(_tenant("alpha"))
    assert tenants.get("alpha") == _tenant("alpha")
    assert tenants.get("nobody") is None
    with pytest.raises(NotFound):
        tenants.require("nobody")
    assert sorted(t.tenant_id for t in tenants.list()) == ["alpha", "bravo"]


def test_updates_are_validated_and_pause_resume(tenants: Tenants) -> None:
    tenants.add(_tenant("alpha"))
    assert tenants.update("alpha", mode=Mode.APPROVE).mode is Mode.APPROVE
    assert tenants.pause("alpha").paused and tenants.require("alpha").paused
    assert not tenants.resume("alpha").paused
    with pytest.raises(ValueError):
        tenants.update("alpha", tenant_id="other")
    with pytest.raises(ValueError):
        tenants.update("alpha", mode="not-a-mode")
    with pytest.raises(NotFound):
        tenants.update("nobody", paused=True)


def test_policy_versions_are_numbered_and_kept(tenants: Tenants) -> None:
    tenants.add(_tenant("alpha"))
    first = tenants.push_policy("alpha", POLICY, now=AT)
    assert first.seq == 1 and tenants.require("alpha").policy_version == first.version
    assert tenants.push_policy("alpha", POLICY, now=AT + timedelta(hours=1)) == first
    changed = POLICY.replace("name:", "name: changed-", 1)
    second = tenants.push_policy("alpha", changed, now=AT + timedelta(hours=2))
    assert second.seq == 2 and second.version != first.version
    assert tenants.current_policy("alpha") == second
    assert [p.seq for p in tenants.policy_history("alpha")] == [1, 2]
    assert tenants.require("alpha").policy_version == second.version
    with pytest.raises(PolicyError):
        tenants.push_policy("alpha", "rules: [not, a, policy]\n")
    assert len(tenants.policy_history("alpha")) == 2
    assert tenants.policy_history("bravo") == [] and tenants.current_policy("bravo") is None


def test_imap_checkpoints_only_move_forward(checkpoints: Checkpoints) -> None:
    assert checkpoints.imap("acme", "INBOX") is None
    assert checkpoints.advance_imap("acme", "INBOX", 7, 10)
    assert not checkpoints.advance_imap("acme", "INBOX", 7, 10)
    assert not checkpoints.advance_imap("acme", "INBOX", 7, 3)
    assert not checkpoints.advance_imap("acme", "INBOX", 8, 20)  # another UIDVALIDITY
    assert checkpoints.imap("acme", "INBOX") == ImapCheckpoint(7, 10)
    assert checkpoints.reset_imap("acme", "INBOX", 8)
    assert not checkpoints.reset_imap("acme", "INBOX", 8)
    assert checkpoints.imap("acme", "INBOX") == ImapCheckpoint(8, 0)
    assert checkpoints.advance_imap("acme", "INBOX", 8, 1)
    assert checkpoints.imap("other", "INBOX") is None


def test_cursors_only_move_forward(checkpoints: Checkpoints) -> None:
    assert checkpoints.cursor("acme", "report:R") is None
    assert checkpoints.advance_cursor("acme", "report:R", AT)
    assert not checkpoints.advance_cursor("acme", "report:R", AT)
    assert not checkpoints.advance_cursor("acme", "report:R", AT - timedelta(seconds=1))
    assert checkpoints.advance_cursor("acme", "report:R", AT + timedelta(microseconds=1))
    assert checkpoints.cursor("acme", "report:R") == AT + timedelta(microseconds=1)
    assert checkpoints.cursor("acme", "report:other") is None
    with pytest.raises(ValueError):
        checkpoints.advance_cursor("acme", "report:R", datetime(2027, 1, 1))  # naive
