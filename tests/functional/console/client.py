"""A small HTTP client for the console tests: real HTTP to the local server, cookies kept,
redirects not followed (tests look at them), the CSRF token read from the page's forms."""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

from spconnector.sim.relay_mail import build_relay_email

XSS = (
    "It arrived cracked <script>document.title='pwned'</script>"
    "<img src=x onerror=\"document.title='pwned'\"> — please help {{ 7*7 }}"
)


@dataclass
class Answer:
    status: int
    body: str
    headers: dict[str, str]


@dataclass
class Client:
    base: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, fields: dict[str, str] | None = None) -> Answer:
        parts = urlsplit(self.base)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        headers = {}
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
        conn.close()
        return Answer(response.status, text, {k.lower(): v for k, v in response.getheaders()})

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, fields: dict[str, str]) -> Answer:
        return self.request("POST", path, fields)

    def csrf(self) -> str:
        page = self.get("/")
        match = re.search(r'name="csrf" value="([^"]+)"', page.body)
        assert match, page.body[:300]
        return match.group(1)


def logged_in(base: str, user: str, password: str) -> Client:
    client = Client(base)
    answer = client.post("/login", {"user": user, "password": password})
    assert answer.status == 303, answer.body[:300]
    return client


def xss_mail(order, sent_at, n: int = 0) -> bytes:
    item = order.items[0]
    return build_relay_email(
        buyer_name=order.buyer_name,
        buyer_alias=order.buyer_alias,
        subject=f"Inquiry from Amazon customer {order.buyer_name} (Order: {order.order_id})",
        words=XSS,
        details=[
            f"Order ID: {order.order_id}",
            f"Item: {item.title}  ASIN: {item.asin}  Quantity: {item.quantity}",
        ],
        sent_at=sent_at - timedelta(minutes=n),
        message_id=f"<xss-{n}-{order.order_id}@email.amazonses.com>",
    )
