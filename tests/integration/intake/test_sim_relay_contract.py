"""Contract with the simulator: every relay mail it generates parses into the right fields.

The simulator's mail templates were written independently of the intake parser, so this is
also an honest check of body extraction, order ids, kinds and languages.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

relay_mail = pytest.importorskip("spconnector.sim.relay_mail")
TEMPLATES = pytest.importorskip("spconnector.sim.mail_templates").TEMPLATES

from spconnector.intake.email import parse_email  # noqa: E402

KINDS = {"inquiry": "buyer_message"}
# What of the template's words a notice quotes as the buyer's (a claim's "Buyer comments",
# a feedback's "Comments"); a refund notice quotes none.
NOTICE_WORDS = {
    "a_to_z_claim": "Never received my order and the seller did not answer.",
    "feedback_notice": "Took too long and the box was damaged.",
}


@pytest.mark.parametrize("n", range(len(TEMPLATES)))
def test_sim_relay_mail_parses(n: int) -> None:
    template = TEMPLATES[n]
    order_id = f"113-1234567-{n:07d}"
    market = "DE" if template.lang == "de" else "US"
    raw = relay_mail.build_relay_email(
        buyer_name="Jo Ann",
        buyer_alias="abc123xyz@marketplace.amazon.com",
        subject=relay_mail._subject(template.kind, "Jo Ann", order_id, market),
        words=template.words,
        details=[f"Order ID: {order_id}", "Item: Thing  ASIN: B0TEST0001  Quantity: 1"],
        sent_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        message_id=f"<sim-{n}@email.amazonses.com>",
        transfer_encoding="base64" if n % 3 == 0 else "quoted-printable",
        photo=relay_mail.tiny_jpeg("x") if template.photo else None,
    )
    if template.kind in relay_mail.NOTICE_SENDERS:
        raw = relay_mail.build_notice_email(
            kind=template.kind,
            order_id=order_id,
            marketplace_id="ATVPDKIKX0DER",
            amount="24.99",
            words=template.words,
            sent_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
            message_id=f"<sim-{n}@email.amazonses.com>",
        )
        notice = parse_email(raw)
        assert notice.kind.value == template.kind and notice.amazon_order_id == order_id
        assert notice.buyer_address is None and notice.authenticity is not None
        assert notice.authenticity.verdict == "pass"
        assert notice.facts is not None and notice.facts.type == template.kind
        assert notice.body == NOTICE_WORDS.get(template.kind, "")
        return
    msg = parse_email(raw)
    assert msg.body == template.words
    assert msg.amazon_order_id == order_id
    assert msg.kind.value == KINDS.get(template.kind, template.kind)
    assert msg.language == template.lang
    assert msg.buyer_address == "abc123xyz@marketplace.amazon.com"
    assert msg.buyer_name == "Jo Ann"
    assert msg.received_at == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert len(msg.attachments) == (1 if template.photo else 0)
