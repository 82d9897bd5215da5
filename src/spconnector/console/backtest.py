"""The policies page's backtest: `spconnector policy backtest` over what a tenant's cases hold."""

from __future__ import annotations

from typing import Any

from spconnector.console.identity import Staff
from spconnector.console.queries import NotVisible, require_visible
from spconnector.jobs.services import Services


def backtest(services: Services, staff: Staff, tenant: str, seq: int | None) -> tuple[str, str]:
    """(label, text) of `spconnector policy backtest` run on what the tenant's cases hold —
    their returns and buyer messages — under version `seq` (default: the active policy).
    Read-only: nothing is decided or stored."""
    from spconnector.backtest import render_text, replay
    from spconnector.jobs.policies import policy_for
    from spconnector.policy import load_policy

    require_visible(staff, tenant)
    if seq is None:
        policy = policy_for(services, services.tenants.require(tenant))
        label = "the active policy"
    else:
        chosen = {v.seq: v for v in services.tenants.policy_history(tenant)}.get(seq)
        if chosen is None:
            raise NotVisible(f"{tenant} policy #{seq}")
        text = chosen.text if "\n" in chosen.text else chosen.text + "\n"
        policy = load_policy(text)
        label = f"version #{chosen.seq} {chosen.version}"
    returns = []
    messages: dict[str, list[Any]] = {}
    for case in services.cases.list_cases(tenant):
        returns.extend(services.cases.returns(tenant, case.case_id))
        if case.amazon_order_id:
            found = services.cases.messages(tenant, case.case_id)
            messages.setdefault(case.amazon_order_id, []).extend(found)
    result = replay(policy, returns, messages=messages, tenant=tenant)
    return label, render_text(result)
