"""Roles from Cognito groups, signed expiring sessions, CSRF tokens bound to a session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from spconnector.console.identity import NoConsoleAccess, Role, staff_from_claims
from spconnector.console.sessions import SessionSigner

KEY = b"k" * 32


def test_groups_claim_as_api_gateway_passes_it_and_as_a_list() -> None:
    as_string = staff_from_claims(
        {"email": "a@x.example", "cognito:groups": "[agent:acme-us viewer:bolt-us]"}
    )
    as_list = staff_from_claims(
        {"email": "a@x.example", "cognito:groups": ["agent:acme-us", "viewer:bolt-us"]}
    )
    assert as_string == as_list
    assert as_string.role is Role.AGENT
    assert as_string.sees("bolt-us") and not as_string.may_act("bolt-us")
    assert as_string.may_act("acme-us") and not as_string.sees("demo-us")
    assert as_string.visible(["demo-us", "bolt-us", "acme-us"]) == ["acme-us", "bolt-us"]


def test_admin_viewer_and_nobody() -> None:
    admin = staff_from_claims({"cognito:username": "boss", "cognito:groups": ["agency-admin"]})
    assert admin.role is Role.ADMIN and admin.may_act("anything-us")
    viewer = staff_from_claims({"sub": "v", "cognito:groups": "[viewer:demo-us]"})
    assert viewer.role is Role.VIEWER and not viewer.may_act("demo-us")
    with pytest.raises(NoConsoleAccess):
        staff_from_claims({"email": "x@y.example", "cognito:groups": "[agent: other]"})
    with pytest.raises(NoConsoleAccess):
        staff_from_claims({"cognito:groups": ["agency-admin"]})  # names nobody


def test_session_round_trip_tamper_and_expiry() -> None:
    now = [datetime(2026, 11, 17, 9, 0, tzinfo=UTC)]
    signer = SessionSigner(KEY, ttl=timedelta(hours=8), clock=lambda: now[0])
    staff = staff_from_claims({"email": "a@x.example", "cognito:groups": ["agent:acme-us"]})
    token, session = signer.issue(staff)
    assert signer.read(token) == session
    payload, signature = token.split(".")
    flipped = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]
    assert signer.read(f"{flipped}.{signature}") is None
    assert SessionSigner(b"o" * 32, clock=lambda: now[0]).read(token) is None  # another key
    assert signer.read("") is None and signer.read("a.b.c") is None
    now[0] += timedelta(hours=8)
    assert signer.read(token) is None  # expired


def test_csrf_token_is_bound_to_the_session() -> None:
    signer = SessionSigner(KEY)
    staff = staff_from_claims({"email": "a@x.example", "cognito:groups": ["agency-admin"]})
    _t1, one = signer.issue(staff)
    _t2, two = signer.issue(staff)
    token = signer.csrf_token(one.session_id)
    assert signer.csrf_ok(one.session_id, token)
    assert not signer.csrf_ok(two.session_id, token)
    assert not signer.csrf_ok(one.session_id, None) and not signer.csrf_ok(one.session_id, "")


def test_short_keys_are_refused() -> None:
    with pytest.raises(ValueError):
        SessionSigner(b"short")


def test_sealed_values_are_bound_to_their_purpose_and_expire() -> None:
    now = [datetime(2026, 11, 17, 9, 0, tzinfo=UTC)]
    signer = SessionSigner(KEY, clock=lambda: now[0])
    sealed = signer.seal("sign-in", {"state": "s", "nonce": "n"}, timedelta(minutes=10))
    assert signer.unseal("sign-in", sealed) == {"state": "s", "nonce": "n"}
    assert signer.unseal("other", sealed) is None  # another purpose's signature
    assert signer.read(sealed) is None  # never a session
    payload, signature = sealed.split(".")
    assert signer.unseal("sign-in", payload[:-2] + "xx." + signature) is None
    assert SessionSigner(b"o" * 32, clock=lambda: now[0]).unseal("sign-in", sealed) is None
    now[0] += timedelta(minutes=11)
    assert signer.unseal("sign-in", sealed) is None


def test_a_session_ends_no_later_than_it_is_told() -> None:
    now = datetime(2026, 11, 17, 9, 0, tzinfo=UTC)
    signer = SessionSigner(KEY, clock=lambda: now)
    staff = staff_from_claims({"email": "a@x.example", "cognito:groups": ["agent:acme-us"]})
    _, session = signer.issue(staff, not_after=now + timedelta(minutes=60))
    assert session.expires_at == now + timedelta(minutes=60)
    _, session = signer.issue(staff, not_after=now + timedelta(days=3))
    assert session.expires_at == now + timedelta(hours=8)  # the TTL still bounds it
