"""Intake throughput and classifier accuracy.

    .venv/bin/python bench/intake.py

Prints emails parsed per second, returns-report rows per second (against the aims of 500
emails/s and 50,000 rows/s, and against naive baselines measured in the same run: the
stdlib email parser alone, and building each row with full pydantic validation), and the
classifier's accuracy per intent on the labelled corpus and the hold-out set.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from email import policy
from email.parser import BytesParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from spconnector.domain.models import ReturnRequest  # noqa: E402
from spconnector.intake.classifier import classify  # noqa: E402
from spconnector.intake.email import parse_email  # noqa: E402
from spconnector.intake.returns import parse_returns  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "intake"
EMAIL_AIM = 500
ROWS_AIM = 50_000


def rate(count: int, fn: object, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return count / best


def bench_email() -> None:
    mails = [p.read_bytes() for p in sorted(FIXTURES.glob("*.eml"))] * 40
    ours = rate(len(mails), lambda: [parse_email(m) for m in mails])
    parser = BytesParser(policy=policy.compat32)

    def stdlib_only() -> None:
        for m in mails:
            msg = parser.parsebytes(m)
            for part in msg.walk():
                if not part.is_multipart():
                    part.get_payload(decode=True)
            str(msg["From"]), str(msg["Subject"]), str(msg["Date"])

    default_parser = BytesParser(policy=policy.default)

    def stdlib_default_policy() -> None:
        for m in mails:
            msg = default_parser.parsebytes(m)
            for part in msg.walk():
                if not part.is_multipart():
                    part.get_payload(decode=True)
            str(msg["From"]), str(msg["Subject"]), str(msg["Date"])

    base = rate(len(mails), stdlib_only)
    default = rate(len(mails), stdlib_default_policy)
    print(f"emails/s        {ours:10.0f}   aim {EMAIL_AIM}: x{ours / EMAIL_AIM:.2f}   "
          f"vs stdlib compat32 parse+decode alone ({base:.0f}/s): x{ours / base:.2f}   "
          f"vs stdlib policy.default parse+decode alone ({default:.0f}/s): x{ours / default:.2f}")  # fmt: skip


def bench_rows() -> None:
    text = (FIXTURES / "returns_mfn.tsv").read_text()
    header, *rows = [line for line in text.split("\n") if line]
    good = [r for r in rows if r.startswith("113-1") or r.startswith("113-2")][:2]
    lines = []
    for i in range(50_000):
        cells = good[i % 2].split("\t")
        cells[0] = f"113-{i:07d}-1234567"
        cells[4] = f"RMA{i}"
        lines.append("\t".join(cells))
    report = header + "\n" + "\n".join(lines) + "\n"
    ours = rate(len(lines), lambda: parse_returns(report), repeat=2)
    sample = parse_returns(report).records[:5000]
    dumped = [r.model_dump() for r in sample]
    naive = rate(len(dumped), lambda: [ReturnRequest.model_validate(d) for d in dumped])
    print(f"report rows/s   {ours:10.0f}   aim {ROWS_AIM}: x{ours / ROWS_AIM:.2f}   "
          f"vs full pydantic validation per row alone ({naive:.0f}/s): x{ours / naive:.2f}")  # fmt: skip


def bench_accuracy(name: str) -> None:
    path = FIXTURES / name
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    total, hits, lang_hits = Counter(), Counter(), 0
    for row in rows:
        result = classify(row["subject"], row["text"])
        total[row["intent"]] += 1
        hits[row["intent"]] += result.intent.value == row["intent"]
        lang_hits += result.language == row["language"]
    print(f"\nclassifier accuracy on {name} ({len(rows)} messages)")
    for intent in sorted(total):
        print(f"  {intent:20s} {hits[intent]:3d}/{total[intent]:<3d} {hits[intent] / total[intent]:6.1%}")
    overall = sum(hits.values()) / len(rows)
    majority = max(total.values()) / len(rows)
    print(f"  {'overall':20s} {overall:13.1%}   (majority-class baseline {majority:.1%})")
    print(f"  {'language':20s} {lang_hits / len(rows):13.1%}")


if __name__ == "__main__":
    bench_email()
    bench_rows()
    bench_accuracy("corpus.jsonl")
    bench_accuracy("holdout.jsonl")
