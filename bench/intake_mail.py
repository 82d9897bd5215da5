"""Intake of Amazon's mail: per-kind reading accuracy on every fixture corpus, throughput,
and time on hostile shapes (linear parsing).

    .venv/bin/python bench/intake_mail.py

Accuracy: a mail is read right when its kind, order id, marketplace, language, facts and the
buyer's words all match expected.json (tests/fixtures/intake/notices, .../layouts and
.../layouts2, .../layouts3, .../layouts4, .../layouts5 and .../layouts6, the last five
written from real mail formats before the parser was changed). The baseline, in the same run,
reads the kind from Amazon's type header alone (the relay sender gives a buyer message,
anything else from Amazon an unknown notice).
Customer-service contacts and seller news: read as such and never as a buyer message, a
claim or a refund (baseline, the same: the type header alone); and no buyer text of the
understanding corpora, intake's examples or the KB question sets reads as a contact.
Baselines for speed: the stdlib MIME parse + decode alone for throughput, and the
relay-banner pattern the parser used before (audit item 4) on a shortened version of the
audit's input, for the hostile shapes.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from spconnector.intake import signals  # noqa: E402
from spconnector.intake.email import parse_email  # noqa: E402
from spconnector.intake.service_mail import is_customer_service_contact  # noqa: E402
from tests.unit.intake.test_notice_corpus import _subset  # noqa: E402
from tests.unit.intake.test_notice_properties import HOSTILE  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "intake" / "notices"
CORPORA = (
    CORPUS,
    CORPUS.parent / "layouts",
    CORPUS.parent / "layouts2",
    CORPUS.parent / "layouts3",
    CORPUS.parent / "layouts4",
    CORPUS.parent / "layouts5",
    CORPUS.parent / "layouts6",
)
EXAMPLES = ROOT / "src" / "spconnector" / "intake" / "intent_examples.json"
BUYER_TEXTS = ROOT / "src" / "spconnector" / "understanding" / "corpus"
KB_QUESTIONS = ROOT / "bench" / "data"
READ_RIGHT_AIM = 0.95  # per kind: all fields right
AIM_PER_S = 500
HOSTILE_LIMIT_S = 1.0
OLD_BANNER = re.compile(r"^[ \t]*-{5,}[ \t]*[^\-\n]{2,60}?[ \t]*-{5,}[ \t]*$", re.MULTILINE)


def cpu(fn: object, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()  # type: ignore[operator]
        best = min(best, time.process_time() - start)
    return best


def _read_right(path: Path, want: dict[str, Any]) -> tuple[bool, bool]:
    """(all fields right, kind right)."""
    data = parse_email(path.read_bytes()).model_dump(mode="json")
    fields = [
        data["kind"] == want["kind"],
        data["amazon_order_id"] == want["order"],
        data["marketplace"] == want["marketplace"],
        "language" not in want or data["language"] == want["language"],
        data["body"] == want["words"],
    ]
    if "facts" in want:
        try:
            _subset(want["facts"], data["facts"] or {})
        except AssertionError:
            fields.append(False)
    return all(fields), fields[0]


def _kind_by_header_alone(raw: bytes) -> str:
    from spconnector.intake import mime

    msg = mime.parse_bytes(raw)
    kind = signals.kind_from_type(mime.header(msg, "X-Space-Notification-Type"))
    if kind is not None:
        return kind.value
    _name, sender = mime.address(mime.header(msg, "From"))
    if signals.is_buyer_alias(sender):
        return "buyer_message"
    return "amazon_notice" if signals.amazon_domain(sender) else "other"


def accuracy() -> None:
    per_kind: dict[str, list[int]] = {}  # kind → [mails, all right, kind right, baseline kind]
    notice_as_buyer = 0
    per_corpus: dict[str, list[int]] = {}  # corpus → [mails, all right, kind right]
    for corpus in CORPORA:
        expected = json.loads((corpus / "expected.json").read_text())
        for name, want in sorted(expected.items()):
            path = corpus / name
            right, kind_right = _read_right(path, want)
            counts = per_corpus.setdefault(corpus.name, [0, 0, 0])
            counts[0] += 1
            counts[1] += right
            counts[2] += kind_right
            row = per_kind.setdefault(want["kind"], [0, 0, 0, 0])
            row[0] += 1
            row[1] += right
            row[2] += kind_right
            row[3] += _kind_by_header_alone(path.read_bytes()) == want["kind"]
            got = parse_email(path.read_bytes()).kind.value
            notice_as_buyer += want["kind"] != "buyer_message" and got == "buyer_message"
    print(f"{'kind':22s} {'mails':>5s} {'all right':>10s} {'kind right':>10s} {'baseline':>9s}")
    worst, worst_kind = 1.0, ""
    total = [0, 0, 0, 0]
    for kind, row in sorted(per_kind.items()):
        total = [t + r for t, r in zip(total, row, strict=True)]
        share = row[1] / row[0]
        if share <= worst:
            worst, worst_kind = share, kind
        print(f"{kind:22s} {row[0]:5d} {row[1]:10d} {row[2]:10d} {row[3]:9d}")
    print(f"{'all':22s} {total[0]:5d} {total[1]:10d} {total[2]:10d} {total[3]:9d}")
    for name, (mails, right, kind_right) in per_corpus.items():
        print(f"  corpus {name:14s} {right}/{mails} read right, kind {kind_right}/{mails}")
    service_mail(per_kind)
    met = "met" if worst >= READ_RIGHT_AIM and notice_as_buyer == 0 else "NOT met"
    print(
        f"target notice_reading: {met} ({total[1]}/{total[0]} mails read right in every field, "
        f"worst kind {worst_kind} {worst:.0%} vs aim {READ_RIGHT_AIM:.0%}; kind right "
        f"{total[2]}/{total[0]} vs {total[3]}/{total[0]} by the type header alone; "
        f"{notice_as_buyer} notices read as buyer messages)"
    )


_SERVICE_KINDS = ("customer_service_contact", "seller_news")
# Read as one of these, a customer-service contact or seller news would reach the policy as
# the buyer's request, or be a claim to answer or a refund already made.
_MISREADS = ("buyer_message", "a_to_z_claim", "refund_notice", "chargeback")


def service_mail(per_kind: dict[str, list[int]]) -> None:
    """Customer-service contacts and seller news: read as such, and never read as a buyer's
    message, a claim or a refund (baseline: the type header alone, in the same run)."""
    misread = base_misread = 0
    for corpus in CORPORA:
        expected = json.loads((corpus / "expected.json").read_text())
        for name, want in expected.items():
            if want["kind"] not in _SERVICE_KINDS:
                continue
            raw = (corpus / name).read_bytes()
            misread += parse_email(raw).kind.value in _MISREADS
            base_misread += _kind_by_header_alone(raw) in _MISREADS
    # Buyers' own words (the understanding corpora, intake's examples, the KB question sets)
    # as if they came through the relay: none may read as Amazon's customer service.
    texts = [t for t, _ in json.loads(EXAMPLES.read_text())]
    for path in [*BUYER_TEXTS.glob("*.jsonl"), *KB_QUESTIONS.glob("*.jsonl")]:
        for line in path.read_text().splitlines():
            row = json.loads(line) if line.strip() else {}
            text = row.get("text") or row.get("q") if isinstance(row, dict) else None
            texts += [text] if isinstance(text, str) and text else []
    false_contacts = sum(is_customer_service_contact(t) for t in texts)
    met = "met" if false_contacts == 0 else "NOT met"
    print(
        f"target buyer_text_not_a_contact: {met} ({false_contacts}/{len(texts)} buyer texts "
        "read as Amazon's customer service, aim 0)"
    )
    rows = [per_kind.get(k, [0, 0, 0, 0]) for k in _SERVICE_KINDS]
    mails, right = sum(r[0] for r in rows), sum(r[2] for r in rows)
    base = sum(r[3] for r in rows)
    met = "met" if mails and right == mails and misread == 0 else "NOT met"
    print(
        f"target service_mail_kind: {met} ({right}/{mails} customer-service contacts and seller "
        f"news read as such vs {base}/{mails} by the type header alone; {misread} read as a "
        f"buyer message, claim or refund vs {base_misread} by the header alone)"
    )


def main() -> None:
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    accuracy()
    mails = [p.read_bytes() for c in CORPORA for p in sorted(c.glob("*.eml"))] * 10

    from email import policy
    from email.parser import BytesParser

    parser = BytesParser(policy=policy.compat32)

    def stdlib() -> None:
        for m in mails:
            msg = parser.parsebytes(m)
            for part in msg.walk():
                if not part.is_multipart():
                    part.get_payload(decode=True)

    ours = len(mails) / cpu(lambda: [parse_email(m) for m in mails])
    base = len(mails) / cpu(stdlib)
    print(f"notices/s {ours:8.0f} (stdlib parse+decode alone {base:.0f}/s: x{ours / base:.2f})")

    worst, worst_name = 0.0, ""
    for name, raw in HOSTILE.items():
        took = cpu(lambda raw=raw: parse_email(raw), repeat=1)
        print(f"  hostile {name:28s} {len(raw):8d} bytes  {took * 1000:8.1f} ms")
        if took > worst:
            worst, worst_name = took, name
    shortened = "-----" + " " * 3_000  # the audit used 12,000 spaces: 29 s
    old = cpu(lambda: OLD_BANNER.search(shortened), repeat=1)
    ours_banner = cpu(lambda: parse_email(b"From: a@b\r\n\r\n" + shortened.encode()), repeat=1)
    print(
        f"  old banner pattern on '-----' + 3,000 spaces: {old * 1000:.0f} ms; the whole parse "
        f"now: {ours_banner * 1000:.1f} ms (x{old / max(ours_banner, 1e-9):.0f} faster)"
    )

    met = "met" if ours >= AIM_PER_S else "NOT met"
    print(
        f"target notice_throughput: {met} ({ours:.0f}/s vs aim {AIM_PER_S}/s, "
        f"x{ours / base:.2f} stdlib)"
    )
    met = "met" if worst < HOSTILE_LIMIT_S else "NOT met"
    print(
        f"target hostile_input_under_1s: {met} (worst {worst:.3f} s on {worst_name}, "
        f"{len(HOSTILE)} shapes; old banner pattern {old:.2f} s on a quarter of the audit input)"
    )


if __name__ == "__main__":
    main()
