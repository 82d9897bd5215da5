"""Is this mail really from who its From: line says? What the receiving mail server checked.

SES inbound adds its verdicts (X-SES-Spam-Verdict, X-SES-Virus-Verdict) and an
Authentication-Results header (SPF, DKIM, DMARC); IMAP providers add the latter too. Anyone
can write a From: line, and a forged buyer message could ask for a refund, so:

- `pass` only when the receiving server vouches for the From domain: DMARC pass for it, or
  SPF pass together with a DKIM pass whose signing domain is aligned with it;
- `fail` when a check failed or nothing vouches for the From domain (SPF fail with DKIM
  none, a DKIM signature of another domain, a DMARC verdict for another domain);
- `none` when there is no Authentication-Results header at all: nothing was verified.

Only the topmost Authentication-Results header is read: the receiving server prepends its
own, and a sender can write any number below it. Mail that claims to be Amazon's (a relay
From, an Amazon sender, Amazon's notification header) needs `pass` to be ingested.
Linear: the header is capped and split on ';', no pattern can backtrack.
"""

from __future__ import annotations

import re
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32

from spconnector.domain.notices import Authenticity
from spconnector.intake.mime import domain_of, header, header_all

_RESULT = re.compile(r"^(spf|dkim|dmarc)\s{0,3}=\s{0,3}([a-z]{1,12})\b", re.IGNORECASE)
_PROPERTY = re.compile(
    r"\b(header\.from|header\.d|header\.i|smtp\.mailfrom|envelope-from)\s{0,3}=\s{0,3}"
    r"\"?([^\s;\"]{1,255})",
    re.IGNORECASE,
)
_FAILED = frozenset({"fail", "softfail", "permerror", "temperror", "neutral", "policy"})
# Registry suffixes that are no organisation's domain (alignment never stops at them).
_PUBLIC_SUFFIXES = frozenset(
    {"co.uk", "com.mx", "com.au", "co.jp", "com.br", "com.tr", "com.be", "co.in", "com.sg",
     "org.uk", "ne.jp", "com.sa", "co.ae"}
)  # fmt: skip


def assess(msg: Message, from_domain: str) -> Authenticity:
    """The verdict on `from_domain` (the From: address's domain) for one parsed mail."""
    for name in ("X-SES-Virus-Verdict", "X-SES-Spam-Verdict"):
        if (header(msg, name) or "").strip().upper() == "FAIL":
            return Authenticity(verdict="fail", reason=f"{name}: FAIL (SES found this mail unsafe)")
    results = header_all(msg, "Authentication-Results", limit=1)
    if not results:
        return Authenticity(
            verdict="none", reason="no Authentication-Results header: the sender was not verified"
        )
    checks = _checks(results[0])
    dmarc = [props for method, result, props in checks if method == "dmarc" and result == "pass"]
    if any(_aligned(props.get("header.from", from_domain), from_domain) for props in dmarc):
        return Authenticity(
            verdict="pass", reason=f"DMARC pass for {from_domain}", domain=from_domain
        )
    dkim_ok = any(
        method == "dkim" and result == "pass" and _aligned(_signer(props), from_domain)
        for method, result, props in checks
    )
    spf_ok = any(method == "spf" and result == "pass" for method, result, _ in checks)
    if dkim_ok and spf_ok:
        return Authenticity(
            verdict="pass", reason=f"SPF pass and DKIM pass aligned with {from_domain}",
            domain=from_domain,
        )  # fmt: skip
    return Authenticity(verdict="fail", reason=_why_not(checks, from_domain))


def _checks(value: str) -> list[tuple[str, str, dict[str, str]]]:
    """(method, result, properties) of each resinfo; comments in (…) dropped."""
    out: list[tuple[str, str, dict[str, str]]] = []
    # the authserv-id (first segment) names no method and is skipped like any other text
    for segment in _drop_comments(value[:8_000]).split(";")[:40]:
        found = _RESULT.match(segment.strip())
        if not found:
            continue
        props = {k.lower(): v.lower().strip(".") for k, v in _PROPERTY.findall(segment)}
        out.append((found.group(1).lower(), found.group(2).lower(), props))
    return out


def _drop_comments(value: str) -> str:
    out: list[str] = []
    depth = 0
    for char in value:
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif not depth:
            out.append(char)
    return "".join(out)


def _signer(props: dict[str, str]) -> str:
    signer = props.get("header.d") or props.get("header.i", "")
    return signer.rpartition("@")[2]


def _aligned(domain: str, from_domain: str) -> bool:
    """Relaxed alignment: the same organisational domain, one a subdomain of the other."""
    domain, from_domain = domain.lower().strip("."), from_domain.lower().strip(".")
    if not domain or not from_domain or "." not in domain:
        return False
    shorter = domain if len(domain) <= len(from_domain) else from_domain
    if shorter in _PUBLIC_SUFFIXES:
        return False
    return (
        domain == from_domain
        or from_domain.endswith("." + domain)
        or domain.endswith("." + from_domain)
    )


def _why_not(checks: list[tuple[str, str, dict[str, str]]], from_domain: str) -> str:
    seen = {method: result for method, result, _ in reversed(checks)}
    parts = [f"{m}={seen.get(m, 'none')}" for m in ("spf", "dkim", "dmarc")]
    failed = [m for m in ("spf", "dkim", "dmarc") if seen.get(m) in _FAILED]
    what = f"failed ({', '.join(failed)})" if failed else "not vouched for"
    return f"sender authentication {what}: {' '.join(parts)} for {from_domain or 'no From domain'}"


def authentication_problem(raw: bytes) -> str | None:
    """A one-line reason when the receiving server says the mail failed its checks (kept for
    callers that look at raw bytes; `assess` is the full verdict)."""
    try:
        msg = BytesHeaderParser(policy=compat32).parsebytes(raw[:1_000_000], headersonly=True)
    except Exception:  # unreadable headers: the parser quarantines the mail with its reason
        return None
    from spconnector.intake.mime import address

    verdict = assess(msg, domain_of(address(header(msg, "From"))[1]))
    return verdict.reason if verdict.verdict == "fail" else None
