"""RawMailStore against moto S3: keys free of PII, encryption, quarantine reasons, isolation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from spconnector.aws import clients
from spconnector.aws.blobs import RawMailStore
from spconnector.aws.errors import TenantMismatch
from tests.unit.aws.conftest import BUCKET, BUYER_ALIAS, BUYER_NAME

pytestmark = pytest.mark.usefixtures("aws")
AT = datetime(2026, 11, 17, 9, 12, tzinfo=UTC)
RAW = (
    f'From: "{BUYER_NAME} - Amazon Marketplace" <{BUYER_ALIAS}>\r\n'
    "Message-ID: <m1@email.amazonses.com>\r\n\r\nhello\r\n"
).encode()


def test_mail_key_is_dated_hashed_and_free_of_buyer_details() -> None:
    store = RawMailStore()
    key = store.put_mail("acme", RAW, message_id="<m1@email.amazonses.com>", received_at=AT)
    assert key.startswith("tenants/acme/mail/2026/11/17/") and key.endswith(".eml")
    for pii in (BUYER_NAME, BUYER_ALIAS, "Zebulon", "m1@email"):
        assert pii not in key
    assert store.get("acme", key) == RAW
    head = clients.client("s3").head_object(Bucket=BUCKET, Key=key)
    assert head["ServerSideEncryption"] == "AES256"
    tags = clients.client("s3").get_object_tagging(Bucket=BUCKET, Key=key)["TagSet"]
    assert {"Key": "pii", "Value": "true"} in tags  # the lifecycle rule's filter


def test_the_same_message_id_lands_on_the_same_key() -> None:
    store = RawMailStore()
    a = store.put_mail("acme", RAW, message_id="<m1@x>", received_at=AT)
    b = store.put_mail("acme", RAW + b"resent", message_id="<m1@x>", received_at=AT)
    assert a == b
    assert store.put_mail("acme", RAW, message_id=None, received_at=AT) != a


def test_attachment_key_never_uses_the_buyers_filename() -> None:
    store = RawMailStore()
    key = store.put_attachment(
        "acme",
        message_id="<m1@x>",
        index=0,
        data=b"\x89PNG...",
        content_type="image/png",
        received_at=AT,
    )
    assert key.endswith("/att-0.png") and "tenants/acme/mail/2026/11/17/" in key
    assert store.get("acme", key) == b"\x89PNG..."


def test_quarantine_keeps_the_input_and_its_reason() -> None:
    store = RawMailStore()
    key = store.quarantine(
        "acme",
        b"\x00garbage",
        reason="no Message-ID header; not MIME",
        source="ses",
        received_at=AT,
    )
    assert key.startswith("tenants/acme/quarantine/2026/11/17/")
    assert store.quarantine_reason("acme", key) == "no Message-ID header; not MIME"
    assert store.get("acme", key) == b"\x00garbage"
    # non-ASCII reasons are made safe for S3 metadata rather than failing the quarantine
    key2 = store.quarantine("acme", b"x", reason="Zeile 3: ungültig", source="s", received_at=AT)
    assert store.quarantine_reason("acme", key2) == "Zeile 3: ung?ltig"


def test_one_tenant_cannot_read_anothers_objects() -> None:
    store = RawMailStore()
    key = store.put_mail("beta", RAW, message_id="<m1@x>", received_at=AT)
    with pytest.raises(TenantMismatch):
        store.get("acme", key)
    with pytest.raises(TenantMismatch):
        store.get("acme", "tenants/acme/../beta/" + key.split("/", 2)[2])


def test_read_inbound_reads_the_ses_object() -> None:
    s3 = clients.client("s3")
    s3.create_bucket(Bucket="inbound")
    s3.put_object(Bucket="inbound", Key="ses/abc123", Body=RAW)
    assert RawMailStore().read_inbound("inbound", "ses/abc123") == RAW
