from __future__ import annotations

import email
from collections import Counter
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage

import pytest

from spconnector.sim import report_rows
from spconnector.sim.relay_mail import BEGIN, END, tiny_jpeg
from spconnector.sim.scenario import Scenario, generate

ANCHOR = datetime(2026, 11, 20, tzinfo=UTC)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return generate(7, anchor=ANCHOR)


def _mail(raw: bytes) -> EmailMessage:
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def test_same_seed_same_bytes(scenario: Scenario) -> None:
    again = generate(7, anchor=ANCHOR)
    assert again.orders == scenario.orders
    assert again.catalog == scenario.catalog
    assert again.emails == scenario.emails
    assert again.returns_mfn_rows == scenario.returns_mfn_rows
    assert again.feedback_rows == scenario.feedback_rows


def test_other_seed_other_data(scenario: Scenario) -> None:
    other = generate(8, anchor=ANCHOR)
    assert other.order_ids != scenario.order_ids
    assert other.emails != scenario.emails


def test_catalog_has_the_special_items(scenario: Scenario) -> None:
    flags = Counter(f for item in scenario.catalog for f in item.flags)
    assert flags["custom"] and flags["final_sale"] and flags["lifetime_guarantee"]
    assert any(80 <= item.price <= 150 for item in scenario.catalog)
    assert {i.size for i in scenario.catalog if i.category == "apparel"} >= {"M", "L"}
    assert 14 <= len(scenario.catalog) <= 20
    assert len({i.asin for i in scenario.catalog}) == len(scenario.catalog)


def test_orders_cover_channels_and_states(scenario: Scenario) -> None:
    assert len(scenario.orders) == 60
    assert len(set(scenario.order_ids)) == 60
    channels = Counter(o.fulfillment_channel for o in scenario.orders)
    assert channels["MFN"] > 10 and channels["AFN"] > 10
    statuses = Counter(o.status for o in scenario.orders)
    assert statuses["Unshipped"] >= 1 and statuses["Canceled"] == 1
    for order in scenario.orders:
        assert order.purchase_date < ANCHOR
        assert order.order_id[:3] in {"111", "112", "113", "114"}
        if order.delivered_at:
            assert order.shipped_at and order.purchase_date < order.delivered_at < ANCHOR


def test_returns_rows_use_amazon_reason_codes(scenario: Scenario) -> None:
    assert scenario.returns_mfn_rows and scenario.returns_fba_rows
    ids = set(scenario.order_ids)
    for row in scenario.returns_mfn_rows:
        assert set(row) == set(report_rows.MFN_HEADER)
        assert row["Return reason"].startswith("CR-")
        assert row["Order ID"] in ids
    for row in scenario.returns_fba_rows:
        assert set(row) == set(report_rows.FBA_HEADER)
        assert row["reason"] in report_rows.FBA_REASONS


def test_feedback_rows_are_one_to_three_stars(scenario: Scenario) -> None:
    assert scenario.feedback_rows
    assert all(row["Rating"] in {"1", "2", "3"} for row in scenario.feedback_rows)
    rating = scenario.seller_feedback_rating
    assert 0 < rating["SellerPositiveFeedbackRating"] <= 100 and rating["FeedbackCount"] > 0


def test_relay_mails_follow_the_relay_format(scenario: Scenario) -> None:
    assert 35 <= len(scenario.emails) <= 45
    ids = set(scenario.order_ids)
    photos = 0
    encodings: Counter[str] = Counter()
    notices = 0
    for raw in scenario.emails:
        msg = _mail(raw)
        if msg["X-Space-Notification-Type"]:
            # Amazon's own notices: from Amazon's addresses, one HTML part (as Amazon sends)
            notices += 1
            assert "@marketplace." not in msg["From"] and "@amazon." in msg["From"]
            assert msg["X-Marketplace-ID"] == scenario.marketplace_id
            alt = next(p for p in msg.walk() if p.get_content_type() == "multipart/alternative")
            assert [p.get_content_type() for p in alt.iter_parts()] == ["text/html"]
            continue
        assert "- Amazon Marketplace" in msg["From"]
        assert "@marketplace.amazon.com" in msg["From"]
        assert msg["Message-ID"].endswith("@email.amazonses.com>")
        alt = next(p for p in msg.walk() if p.get_content_type() == "multipart/alternative")
        kinds = [p.get_content_type() for p in alt.iter_parts()]
        assert kinds == ["text/plain", "text/html"]
        text = alt.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert BEGIN in text and END in text
        encodings[alt.get_body(("plain",))["Content-Transfer-Encoding"]] += 1  # type: ignore[index]
        for part in msg.walk():
            if part.get_content_type() == "image/jpeg":
                data = part.get_content()
                assert data[:2] == b"\xff\xd8" and data[-2:] == b"\xff\xd9"
                photos += 1
        if "Order ID:" in text:
            order_id = text.split("Order ID: ")[1].split()[0]
            assert order_id in ids and order_id in msg["Subject"]
    assert photos >= 3
    assert encodings["base64"] and encodings["quoted-printable"]
    assert notices == 3  # a refund, an A-to-z claim and a feedback notice


def test_relay_mails_cover_the_cases(scenario: Scenario) -> None:
    texts = [
        _mail(raw).get_body(("plain",)).get_content()  # type: ignore[union-attr]
        for raw in scenario.emails
        if not _mail(raw)["X-Space-Notification-Type"]  # Amazon's notices are HTML only
    ]
    joined = "\n".join(texts)
    for phrase in ("GARBAGE", "engraving", "wrinkles", "Tracking has not moved", "zerbrochen",
                   "Bonjour", "Hola", "Buongiorno", "before I buy"):  # fmt: skip
        assert phrase in joined, phrase
    pre_sale = [t for t in texts if "before I buy" in t]
    assert pre_sale and "Order ID:" not in pre_sale[0]


def test_buyer_text_in_html_part_is_escaped(scenario: Scenario) -> None:
    htmls = [
        _mail(raw).get_body(("html",)).get_content()  # type: ignore[union-attr]
        for raw in scenario.emails
    ]
    html = next(h for h in htmls if "before I buy" in h)
    assert "&lt;b&gt;Need it by Friday&lt;/b&gt;" in html


def test_german_marketplace() -> None:
    de = generate(7, anchor=ANCHOR, marketplace="DE")
    assert de.currency == "EUR" and de.marketplace_id == "A1PA6795UKMFR9"
    assert all(o.order_id[:3] in {"302", "304"} for o in de.orders)
    subjects = [_mail(raw)["Subject"] for raw in de.emails]
    assert any(s.startswith("Anfrage von Amazon-Kunde") for s in subjects)
    relayed = [_mail(raw) for raw in de.emails]
    buyers = [m for m in relayed if not m["X-Space-Notification-Type"]]
    assert buyers and all("@marketplace.amazon.de" in m["From"] for m in buyers)
    # Amazon's notices for amazon.de: the marketplace id says where, whatever the sender
    notices = [m for m in relayed if m["X-Space-Notification-Type"]]
    assert notices and all(m["X-Marketplace-ID"] == "A1PA6795UKMFR9" for m in notices)


def test_unknown_marketplace_is_refused() -> None:
    with pytest.raises(ValueError):
        generate(1, anchor=ANCHOR, marketplace="XX")


def test_report_windows(scenario: Scenario) -> None:
    early = datetime(2020, 1, 1, tzinfo=UTC)
    assert report_rows.render(scenario, "GET_SELLER_FEEDBACK_DATA", early, early) is None
    doc = report_rows.render(scenario, "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE", early, ANCHOR)
    assert doc is not None
    lines = doc.decode().splitlines()
    assert lines[0].split("\t") == list(report_rows.MFN_HEADER)
    assert len(lines) == len(scenario.returns_mfn_rows) + 1


def test_tiny_jpeg_is_a_jpeg() -> None:
    data = tiny_jpeg("x")
    assert data.startswith(b"\xff\xd8\xff\xe0") and data.endswith(b"\xff\xd9")
