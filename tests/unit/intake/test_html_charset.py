"""An HTML part whose MIME header names no charset is read in the charset its <meta> names
(Japanese notices in Shift_JIS), unless its bytes are valid UTF-8 (a stale <meta> is common)."""

from __future__ import annotations

from spconnector.intake.email import parse_email

HEAD = (
    b"Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=amazon.co.jp; "
    b"dkim=pass header.i=@amazon.co.jp; dmarc=pass header.from=amazon.co.jp;\r\n"
    b"From: Amazon <donotreply@amazon.co.jp>\r\nTo: support@seller.example\r\n"
    b"Subject: =?iso-2022-jp?b?GyRCSlY2YiROJCpDTiRpJDsbKEI=?=\r\n"
    b"Date: Wed, 25 Nov 2026 09:00:00 +0000\r\nMessage-ID: <m1@email.amazonses.com>\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
)
PAGE = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset={cs}"></head>'
    "<body><p>返金処理が完了しました。</p><p>注文番号：249-5581930-7720416</p>"
    "<p>返金額：￥2,980</p></body></html>"
)


def test_a_shift_jis_page_named_only_by_its_meta_is_read() -> None:
    got = parse_email(HEAD + PAGE.format(cs="Shift_JIS").encode("shift_jis"))
    assert got.subject == "返金のお知らせ"
    assert got.kind.value == "refund_notice"
    assert got.amazon_order_id == "249-5581930-7720416"
    assert got.facts is not None and str(getattr(got.facts, "amount", "")) != "None"


def test_valid_utf8_wins_over_a_stale_meta() -> None:
    got = parse_email(HEAD + PAGE.format(cs="iso-8859-1").encode("utf-8"))
    assert got.kind.value == "refund_notice"
    amount = getattr(got.facts, "amount", None)
    assert amount is not None and amount.currency == "JPY" and str(amount.amount) == "2980"
