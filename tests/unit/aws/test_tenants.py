"""TenantRegistry: tenants in one query, optimistic updates, policy versions kept."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from spconnector.aws.errors import AlreadyExists, NotFound
from spconnector.aws.tenants import TenantRegistry
from spconnector.domain import Budgets, Mode, Money, Tenant
from spconnector.policy import PolicyError
from tests.unit.aws.conftest import AtomicCalls

pytestmark = pytest.mark.usefixtures("aws")
POLICY = (Path(__file__).resolve().parents[3] / "policies" / "default.yaml").read_text()


def _tenant(tenant_id: str = "acme") -> Tenant:
    return Tenant(
        tenant_id=tenant_id,
        seller_id="A1SELLER",
        region="na",
        marketplace_ids=("ATVPDKIKX0DER",),
        credentials_secret=f"spconnector/{tenant_id}/sp-api",
    )


def test_add_get_list() -> None:
    registry = TenantRegistry()
    registry.add(_tenant("acme"))
    registry.add(_tenant("beta"))
    assert registry.get("acme") == _tenant("acme")
    assert registry.get("gamma") is None
    assert [t.tenant_id for t in registry.list()] == ["acme", "beta"]
    with pytest.raises(AlreadyExists):
        registry.add(_tenant("acme"))
    with pytest.raises(NotFound):
        registry.require("gamma")


def test_update_pause_resume() -> None:
    registry = TenantRegistry()
    registry.add(_tenant())
    budgets = Budgets(autonomy_limit=Money.of("25", "USD"))
    updated = registry.update("acme", mode=Mode.LIVE, budgets=budgets)
    assert updated.mode is Mode.LIVE and updated.budgets == budgets
    assert registry.pause("acme").paused is True
    assert registry.require("acme").paused is True
    assert registry.resume("acme").paused is False
    with pytest.raises(ValueError):
        registry.update("acme", mode="reckless")
    with pytest.raises(ValueError):
        registry.update("acme", tenant_id="other")
    with pytest.raises(NotFound):
        registry.update("gamma", paused=True)


def test_concurrent_updates_of_different_fields_both_land(atomic_ddb: AtomicCalls) -> None:
    registry = TenantRegistry(client=atomic_ddb)
    registry.add(_tenant())
    barrier = threading.Barrier(2)

    def set_mode() -> None:
        barrier.wait()
        registry.update("acme", mode=Mode.APPROVE)

    def set_sender() -> None:
        barrier.wait()
        registry.update("acme", approved_sender="support@shop.example")

    threads = [threading.Thread(target=set_mode), threading.Thread(target=set_sender)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = registry.require("acme")
    assert final.mode is Mode.APPROVE and final.approved_sender == "support@shop.example"


def test_policy_versions_are_kept_and_current_follows_the_last_push() -> None:
    registry = TenantRegistry()
    registry.add(_tenant())
    assert registry.current_policy("acme") is None
    first = registry.push_policy("acme", POLICY)
    assert first.seq == 1 and first.version.startswith("sha256:")
    assert registry.require("acme").policy_version == first.version
    # the same policy again (comments do not count) is not a new version
    assert registry.push_policy("acme", "# a comment\n" + POLICY).seq == 1
    changed = POLICY.replace("name:", "name: changed-", 1) if "name:" in POLICY else None
    assert changed is not None
    second = registry.push_policy("acme", changed)
    assert second.seq == 2 and second.version != first.version
    # rolling back is a new push of the old text; history keeps all three
    third = registry.push_policy("acme", POLICY)
    assert third.seq == 3 and third.version == first.version
    history = registry.policy_history("acme")
    assert [p.seq for p in history] == [1, 2, 3]
    assert history[0].text == POLICY and history[1].text == changed
    assert registry.current_policy("acme") == third
    assert registry.require("acme").policy_version == first.version


def test_invalid_policy_is_refused_and_nothing_is_stored() -> None:
    registry = TenantRegistry()
    registry.add(_tenant())
    with pytest.raises(PolicyError):
        registry.push_policy("acme", "rules: [this is not a policy\n")
    assert registry.policy_history("acme") == []
    with pytest.raises(NotFound):
        registry.push_policy("gamma", POLICY)


def test_policy_history_is_per_tenant() -> None:
    registry = TenantRegistry()
    registry.add(_tenant("acme"))
    registry.add(_tenant("beta"))
    registry.push_policy("acme", POLICY)
    assert registry.policy_history("beta") == []
