"""The local login's staff directory (`spconnector console` on a laptop; Cognito in AWS).

Passwords are never stored: each person's scrypt hash is. The seeded staff get fresh random
passwords each run, printed once by `spconnector console`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from spconnector.console.identity import (
    ADMIN_GROUP,
    AGENT_PREFIX,
    VIEWER_PREFIX,
    Staff,
    staff_from_groups,
)

_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def _hash(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)


@dataclass(frozen=True)
class _Account:
    salt: bytes
    digest: bytes
    groups: tuple[str, ...]


@dataclass(frozen=True)
class SeededLogin:
    user: str
    password: str
    groups: tuple[str, ...]


class LocalDirectory:
    def __init__(self) -> None:
        self._accounts: dict[str, _Account] = {}

    def add(self, user: str, password: str, groups: tuple[str, ...]) -> None:
        staff_from_groups(user, groups)  # refuses a person with no console group
        salt = secrets.token_bytes(16)
        self._accounts[user] = _Account(salt=salt, digest=_hash(password, salt), groups=groups)

    def login(self, user: str, password: str) -> Staff | None:
        account = self._accounts.get(user)
        # hash even for an unknown user: the answer takes as long either way
        salt = account.salt if account else b"\0" * 16
        ok = hmac.compare_digest(_hash(password, salt), account.digest if account else b"")
        return staff_from_groups(user, account.groups) if account and ok else None

    @classmethod
    def seeded(
        cls, tenants: list[str], *, agent_tenants: int = 2
    ) -> tuple[LocalDirectory, list[SeededLogin]]:
        """An agency admin, an agent assigned to the first `agent_tenants` tenants, and a
        seller viewer of the last tenant."""
        directory = cls()
        logins = [
            SeededLogin("admin@agency.example", secrets.token_urlsafe(9), (ADMIN_GROUP,)),
            SeededLogin(
                "agent@agency.example",
                secrets.token_urlsafe(9),
                tuple(f"{AGENT_PREFIX}{t}" for t in tenants[:agent_tenants]),
            ),
            SeededLogin(
                "viewer@seller.example",
                secrets.token_urlsafe(9),
                (f"{VIEWER_PREFIX}{tenants[-1]}",),
            ),
        ]
        for login in logins:
            directory.add(login.user, login.password, login.groups)
        return directory, logins
