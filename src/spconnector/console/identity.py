"""Who is asking, and what they may do: agency admin, agent (assigned tenants), seller viewer.

In AWS the identity comes from the Cognito ID token's claims (the HTTP API's JWT authorizer
checked the signature; the groups name the tenants). Locally it comes from the signed session
cookie the local login issues. Either way the same `Staff` answers every permission question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

ADMIN_GROUP = "agency-admin"
AGENT_PREFIX = "agent:"
VIEWER_PREFIX = "viewer:"


class Role(StrEnum):
    ADMIN = "agency admin"
    AGENT = "agent"
    VIEWER = "seller viewer"


class NoConsoleAccess(PermissionError):
    """The identity names no group the console knows: it may see nothing."""


@dataclass(frozen=True)
class Staff:
    """A person and their grants. `acts` ⊆ `reads`; an admin reads and acts everywhere."""

    user: str
    admin: bool = False
    reads: frozenset[str] = field(default_factory=frozenset)
    acts: frozenset[str] = field(default_factory=frozenset)

    @property
    def role(self) -> Role:
        if self.admin:
            return Role.ADMIN
        return Role.AGENT if self.acts else Role.VIEWER

    def sees(self, tenant: str) -> bool:
        return self.admin or tenant in self.reads

    def may_act(self, tenant: str) -> bool:
        return self.admin or tenant in self.acts

    def visible(self, tenants: Iterable[str]) -> list[str]:
        return sorted(t for t in tenants if self.sees(t))


def staff_from_groups(user: str, groups: Iterable[str]) -> Staff:
    """`agency-admin`, `agent:<tenant>` (read and act), `viewer:<tenant>` (read only)."""
    admin = False
    reads: set[str] = set()
    acts: set[str] = set()
    for group in groups:
        if group == ADMIN_GROUP:
            admin = True
        elif group.startswith(AGENT_PREFIX) and group[len(AGENT_PREFIX) :]:
            tenant = group[len(AGENT_PREFIX) :]
            reads.add(tenant)
            acts.add(tenant)
        elif group.startswith(VIEWER_PREFIX) and group[len(VIEWER_PREFIX) :]:
            reads.add(group[len(VIEWER_PREFIX) :])
    if not (admin or reads):
        raise NoConsoleAccess(f"{user} is in no console group")
    return Staff(user=user, admin=admin, reads=frozenset(reads), acts=frozenset(acts))


def staff_from_claims(claims: Mapping[str, Any]) -> Staff:
    """The Cognito ID token's claims as the HTTP API passes them on.

    API Gateway hands array claims to the Lambda as one string, "[a b c]"; a direct call
    (tests, another authorizer) may pass a list. Both are read.
    """
    user = str(claims.get("email") or claims.get("cognito:username") or claims.get("sub") or "")
    if not user:
        raise NoConsoleAccess("the token names nobody")
    raw = claims.get("cognito:groups", ())
    if isinstance(raw, str):
        groups: list[str] = [g for g in re.split(r"[\s,\[\]]+", raw) if g]
    else:
        groups = [str(g) for g in raw]
    return staff_from_groups(user, groups)
