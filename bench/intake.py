"""Intake throughput and classifier accuracy.

    .venv/bin/python bench/intake.py

Prints emails parsed per second, returns-report rows per second (against the aims of 500
emails/s and 50,000 rows/s, and against naive baselines measured in the same run: the
stdlib email parser alone, and building each row with full pydantic validation), and the
classifier's accuracy per intent on the labelled corpus and the hold-out sets.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
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


def rate(count: int, fn: Callable[[], object], repeat: int = 3) -> float:
    """Items per CPU-second of this process (best of `repeat`): "on one core", even when
    other processes share the machine and stretch wall-clock time."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return count / max(best, 1e-9)


def bench_email() -> None:
    mails = [p.read_bytes() for p in sorted(FIXTURES.glob("*.eml"))] * 40
    ours = rate(len(mails), lambda: [parse_email(m) for m in mails])
    parser = BytesParser(policy=policy.compat32)

    def stdlib_only() -> None:  # the floor: MIME structure and payload decoding, nothing else
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
    print(f"emails/s        {ours:10.0f}   aim {EMAIL_AIM}: x{ours / EMAIL_AIM:.2f}")
    print(f"  vs stdlib compat32 parse+decode alone ({base:.0f}/s): x{ours / base:.2f}")
    print(f"  vs stdlib policy.default parse+decode alone ({default:.0f}/s): x{ours / default:.2f}")


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
    print(f"report rows/s   {ours:10.0f}   aim {ROWS_AIM}: x{ours / ROWS_AIM:.2f}")
    print(f"  vs pydantic validation of ready rows alone ({naive:.0f}/s): x{ours / naive:.2f}")


def bench_accuracy(name: str, tuned: str) -> None:
    """Accuracy (recall), precision and abstention (fell to `other`) per intent."""
    path = FIXTURES / name
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    total: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    named: Counter[str] = Counter()  # how often each intent was predicted
    abstained: Counter[str] = Counter()
    lang_hits = 0
    for row in rows:
        result = classify(row["subject"], row["text"])
        got = result.intent.value
        total[row["intent"]] += 1
        named[got] += 1
        hits[row["intent"]] += got == row["intent"]
        abstained[row["intent"]] += got == "other" and row["intent"] != "other"
        lang_hits += result.language == row["language"]
    print(f"\nclassifier on {name} ({len(rows)} messages) — {tuned}")
    print(f"  {'intent':20s} {'accuracy':>14s} {'precision':>15s} {'abstained':>10s}")
    for intent in sorted(total):
        n, h, p = total[intent], hits[intent], named[intent]
        prec = f"{h:3d}/{p:<3d} {h / p:6.1%}" if p else "    -         "
        print(f"  {intent:20s} {h:3d}/{n:<3d} {h / n:6.1%}  {prec}  {abstained[intent]:6d}")
    overall = sum(hits.values()) / len(rows)
    majority = max(total.values()) / len(rows)
    print(f"  {'overall':20s} {overall:13.1%}   (majority-class baseline {majority:.1%})")
    print(f"  {'language':20s} {lang_hits / len(rows):13.1%}")
    misses = len(rows) - sum(hits.values())
    fell = sum(abstained.values())
    decided = len(rows) - named["other"]
    right = sum(hits[i] for i in hits if i != "other")
    print(
        f"  misses {misses}: {fell} abstained (fell to `other`: a person looks), "
        f"{misses - fell} named another intent"
    )
    print(
        f"  abstention rate {named['other'] / len(rows):.1%}; precision of all non-`other` "
        f"answers {right}/{decided} = {right / max(decided, 1):.1%}"
    )


# (file, how honest it is). The rules and the model's training set were built on the first.
SETS = (
    ("corpus.jsonl", "TUNED ON: the rules were written against it and the model trains on it"),
    ("holdout.jsonl", "tuned on: rules widened after its first run"),
    ("holdout2.jsonl", "tuned on: rules widened after its first run"),
    ("holdout3.jsonl", "partly tuned: only MIN_SCORE changed after its first run; not trained on"),
    ("eval_blind.jsonl", "HEADLINE, frozen: written before the 2nd round; its misses were seen"),
    ("eval_blind2.jsonl", "frozen, never looked at row by row before the final measurement"),
)


if __name__ == "__main__":
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f}")
    print("rates are per CPU-second of this process (one core), best of a few runs")
    bench_email()
    bench_rows()
    print(
        "\nHow honest each number is: the phrase rules were written against corpus.jsonl and\n"
        "widened after first runs of holdout.jsonl and holdout2.jsonl. The naive Bayes fallback\n"
        "(used only when no rule decides, above a posterior calibrated by leave-one-out on the\n"
        "training examples) trains on corpus.jsonl + train_extra.jsonl only, never on these sets.\n"
        "eval_blind.jsonl was frozen before the second round; eval_blind2.jsonl too, and its\n"
        "misses were not looked at before the final run: the honest numbers are those two."
    )
    for name, tuned in SETS:
        bench_accuracy(name, tuned)
