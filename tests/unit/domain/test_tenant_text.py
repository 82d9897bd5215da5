"""A tenant's addresses and secret names are printable text (found by
tests/fuzz/test_fuzz_cli_aws.py: `tenants update --approved-sender` with a non-UTF-8 argument
stored a lone surrogate, and every later `tenants show` failed to print it)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from spconnector.domain import Tenant

BASE = {
    "tenant_id": "acme",
    "seller_id": "A1SELLER",
    "region": "na",
    "marketplace_ids": ("ATVPDKIKX0DER",),
    "credentials_secret": "spconnector/acme/sp-api",
}


@pytest.mark.parametrize(
    "field", ["seller_id", "approved_sender", "ses_recipient", "imap_mailbox", "smtp_mailbox"]
)
@pytest.mark.parametrize("bad", ["shop@example.com\udc80", "shop@example.com\r\nBcc: x@y.z"])
def test_a_control_or_lone_surrogate_is_refused(field: str, bad: str) -> None:
    with pytest.raises(ValidationError, match="printable"):
        Tenant(**{**BASE, field: bad})


def test_alarm_contacts_are_printable_and_good_values_pass() -> None:
    with pytest.raises(ValidationError, match="printable"):
        Tenant(**BASE, alarm_contacts=("ops@example.com", "x\ny"))
    tenant = Tenant(**BASE, approved_sender="shop@example.com", alarm_contacts=("é@ex.de",))
    assert tenant.approved_sender == "shop@example.com"
