"""Is this mail really from Amazon's relay? What the receiving mail server already checked.

SES inbound adds its verdicts (X-SES-Spam-Verdict, X-SES-Virus-Verdict) and an
Authentication-Results header (SPF, DKIM, DMARC); most IMAP providers add the latter too.
Anyone can write a From: line, and a forged buyer message could ask for a refund, so mail
whose checks *failed* is quarantined with the reason. Mail without these headers (a provider
that adds none, a local test) is taken as it is: the absence proves nothing either way.
"""

from __future__ import annotations

import re
from email.parser import BytesHeaderParser
from email.policy import compat32

_FAILED_CHECK = re.compile(r"\b(spf|dkim|dmarc)=(fail|softfail|permerror)\b", re.IGNORECASE)


def authentication_problem(raw: bytes) -> str | None:
    """A one-line reason when the receiving server says the mail failed its checks."""
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw, headersonly=True)
    except Exception:  # unreadable headers: the parser quarantines the mail with its reason
        return None
    for name in ("X-SES-Virus-Verdict", "X-SES-Spam-Verdict"):
        verdict = str(headers.get(name, "")).strip().upper()
        if verdict == "FAIL":
            return f"{name}: FAIL (SES found this mail unsafe)"
    failed: set[str] = set()
    for value in headers.get_all("Authentication-Results", []) or []:
        failed.update(m.group(1).lower() for m in _FAILED_CHECK.finditer(str(value)))
    # DMARC failing, or both SPF and DKIM failing, means the sender is not who it claims.
    if "dmarc" in failed or {"spf", "dkim"} <= failed:
        return f"sender authentication failed ({', '.join(sorted(failed))})"
    return None
