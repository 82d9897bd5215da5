"""Grounded answers over the demo seller's knowledge base: answered right, wrong, handed over.

    .venv/bin/python bench/answers.py            # measure on every held-out set
    .venv/bin/python bench/answers.py --dev      # the tuning set's misses, one line each
    .venv/bin/python bench/answers.py --tuning   # the older held-out sets only (tuning now)
    .venv/bin/python bench/kb_decision.py        # train the answer/abstain model (tuning set)

Tuning set (the only data --dev and bench/kb_decision.py read): bench/data/kb_dev.jsonl (78
questions, 28 the KB cannot answer), bench/data/kb_dev2.jsonl (85 more, written for issue 16's
second round without reading any held-out row: every product in 5 languages, 31 unanswerable,
a few chatty), bench/data/kb_dev_chatty.jsonl (84 chatty messages written for issue 16's third
round, again without reading a held-out row: greetings, stories, sign-offs, indirect
questions, questions about their context, two-part questions, 5 languages, 17 unanswerable),
bench/data/kb_dev4.jsonl (107: the tuning half of 235 questions written for issue 16's fifth
round from the KB's entry list alone, split at random with kb_heldout4; rows repeating a
held-out or older tuning question word for word cut), bench/data/kb_dev5.jsonl (147 written
for issue 16's sixth round from the KB's entry list alone, in the styles the older sets lack:
search-box words and bare statements of a symptom; 30 unanswerable; written after
kb_heldout5 and sharing no question with it), plus rows made from the KB itself
(left_out): each question variant asked of the KB without that variant, and each entry's
variants asked of the KB without the entry.

Held-out sets, never read for tuning (their sha256 is pinned in
tests/unit/kb/test_kb_heldout_pinned.py):
- bench/data/kb_heldout.jsonl: 211 short questions, 5 languages, 35 unanswerable. Measured
  in every round of issue 16 since its first, so no longer blind.
- bench/data/kb_heldout_chatty.jsonl: 111 chatty buyer messages, 5 languages, 24
  unanswerable. Measured three times before issue 16's fourth round, once at its end.
- bench/data/kb_heldout3.jsonl: 271 buyer messages (180 short, 91 chatty: the `style` field),
  5 languages, 49 unanswerable, every entry asked. Written for issue 16's fourth round and
  committed before anything was measured on it; first run at that round's end (once), again
  at the fifth round's end.
- bench/data/kb_heldout4.jsonl: 118 questions (the held-out half of the fifth round's 235),
  23 unanswerable; measured without the 4 rows that repeat an older tuning question (`blind`).
  Run twice: at the fifth round's start (the fourth round's code) and at its end.
- bench/data/kb_heldout5.jsonl: 183 questions written for issue 16's sixth round from the
  KB's entry list alone, in styles the older sets lack (`style`: search-box keywords, bare
  statements of a symptom, plain questions), 5 languages, 26 unanswerable, no row repeating
  an older one. Committed before any measurement; run at the sixth round's start and end.
- bench/data/kb_heldout6.jsonl: 190 questions written for issue 16's seventh round (97
  search-box words, 25 unanswerable); measured three times in that round, then a tuning set.
- bench/data/kb_heldout7.jsonl: 185 questions written for issue 16's eighth round from the
  KB's entry list alone (106 search-box words, some misspelt, inflected or in a word other
  than the KB's; 26 unanswerable), no row repeating an older one. Committed before any
  measurement: the shipped decision run once, then each candidate once.
- bench/data/kb_heldout8.jsonl: 240 questions written for issue 16's ninth round by an
  independent author who did not read the lexicon, the decision or older sets (130
  search-box words, 72 plain, 38 chatty; 31 unanswerable; every entry asked), no row
  repeating an older one. Committed before any measurement.
The baseline in the same run is the same retrieval with no decision (always answer the best
entry): what abstention buys, and the ranking's own top-1 accuracy.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from spconnector.kb import KbIndex, answer_question, load_kb  # noqa: E402
from spconnector.kb.decision import model  # noqa: E402
from spconnector.kb.schema import KnowledgeBase  # noqa: E402

DATA = ROOT / "bench" / "data"
DEV_FILES = (
    "kb_dev.jsonl",
    "kb_dev2.jsonl",
    "kb_dev_chatty.jsonl",
    "kb_dev4.jsonl",
    "kb_dev5.jsonl",
)
# the sets still measured only as the brief's rule allows (a few times, aggregates only);
# every older held-out set is a tuning set now
BLIND = ("heldout6", "heldout7", "heldout8")
KB_FILE = ROOT / "src" / "spconnector" / "kb" / "demo.yaml"


@dataclass
class Tally:
    correct: int = 0
    wrong: int = 0
    handed: int = 0
    unanswerable: int = 0
    unanswerable_handed: int = 0
    total: int = 0

    @property
    def answerable(self) -> int:
        return self.total - self.unanswerable

    def add(self, row: dict[str, object], index: KbIndex, bar: float | None = None) -> None:
        """`bar`: the decision model's least probability (None: its own threshold; 0.0 with
        every other bar off: always answer the best entry, the baseline)."""
        self.total += 1
        expect = row["expect"]
        sku = row["sku"] if isinstance(row["sku"], str) else None
        q, lang = str(row["q"]), str(row["lang"])
        if bar is None:
            got = answer_question(index, q, lang, sku=sku)
        else:
            got = answer_question(index, q, lang, sku=sku, min_probability=bar, min_matched=0)
        if expect is None:
            self.unanswerable += 1
        if not got.answered:
            self.handed += 1
            self.unanswerable_handed += expect is None
        elif [e.key for e in got.entries] == (expect if isinstance(expect, list) else [expect]):
            self.correct += 1
        else:
            self.wrong += 1

    def line(self) -> str:
        n = self.total or 1
        return (
            f"of all {self.total}: correct {self.correct / n:.1%}, wrong {self.wrong / n:.1%}, "
            f"handed to a person {self.handed / n:.1%}; correct among the {self.answerable} "
            f"answerable {self.correct / (self.answerable or 1):.1%}; "
            f"unanswerable handed over {self.unanswerable_handed}/{self.unanswerable}"
        )


def rows(name: str) -> list[dict[str, object]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def run(index: KbIndex, data: list[dict[str, object]], bar: float | None = None) -> Tally:
    tally = Tally()
    for row in data:
        tally.add(row, index, bar)
    return tally


_SECTION_KINDS = {
    "faq": "faq",
    "specs": "spec",
    "tips": "tip",
    "issues": "issue",
    "normal_wear": "normal_wear",
    "warranty": "warranty",
    "alternatives": "alternative",
}


def left_out(kb_text: str, removed: bool = False) -> list[tuple[KbIndex, dict[str, object]]]:
    """Tuning rows made from the KB itself, no held-out row involved: each question variant
    asked of the KB without that variant (its entry must answer it). With `removed`, also
    each entry's first variant per language asked of the KB without that entry (a person
    must answer it; stricter than a buyer would be: a neighbouring entry may well answer)."""
    data = yaml.safe_load(kb_text)
    made: list[tuple[KbIndex, dict[str, object]]] = []
    for sku, product in data["products"].items():
        for section, kind in _SECTION_KINDS.items():
            for n, entry in enumerate(product.get(section, [])):
                key = f"{sku}/{kind}/{entry['id']}"
                for lang, variants in entry["ask"].items():
                    for i, variant in enumerate(variants if len(variants) > 1 else []):
                        changed = copy.deepcopy(data)
                        changed["products"][sku][section][n]["ask"][lang].pop(i)
                        index = KbIndex(KnowledgeBase.model_validate(changed))
                        made.append((index, {"q": variant, "lang": lang, "sku": sku,
                                             "expect": key}))  # fmt: skip
                if not removed:
                    continue
                changed = copy.deepcopy(data)
                changed["products"][sku][section].pop(n)
                index = KbIndex(KnowledgeBase.model_validate(changed))
                for lang, variants in entry["ask"].items():
                    row = {"q": variants[0], "lang": lang, "sku": sku, "expect": None}
                    made.append((index, row))
    return made


def dev_misses() -> None:
    """Each tuning-set (dev) question not answered right by the product's decision."""
    index = KbIndex(load_kb(KB_FILE.read_text(encoding="utf-8")))
    tally = Tally()
    for name in DEV_FILES:
        for row in rows(name):
            before = (tally.correct, tally.unanswerable_handed)
            tally.add(row, index)
            if (tally.correct, tally.unanswerable_handed) != before:
                continue
            sku = row["sku"] if isinstance(row["sku"], str) else None
            got = answer_question(index, str(row["q"]), str(row["lang"]), sku=sku)
            print(f"{name}: [{row['lang']}] {row['q']!r} expected {row['expect']}: {got.reason}")
    print(f"dev: {tally.line()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dev", action="store_true", help="the tuning set's misses")
    parser.add_argument(
        "--tuning",
        action="store_true",
        help="only the older held-out sets, tuning sets now (not kb_heldout6 to kb_heldout8)",
    )
    parser.add_argument(
        "--only",
        metavar="NAME",
        help="one set alone (e.g. heldout8): a blind set measured without spending the others'",
    )
    args = parser.parse_args()
    if args.dev:
        dev_misses()
        return
    index = KbIndex(load_kb(KB_FILE.read_text(encoding="utf-8")))
    print(f"decision: the model's probability >= {model().threshold} (kb/decision.json)")
    # each set is read only when it is measured: --tuning never opens a blind file
    sets: tuple[tuple[str, Callable[[], list[dict[str, object]]]], ...] = (
        ("heldout", lambda: rows("kb_heldout.jsonl")),
        ("chatty", lambda: rows("kb_heldout_chatty.jsonl")),
        ("heldout3", lambda: rows("kb_heldout3.jsonl")),
        ("heldout3-short", lambda: styled("kb_heldout3.jsonl", "short")),
        ("heldout3-chatty", lambda: styled("kb_heldout3.jsonl", "chatty")),
        ("heldout4", lambda: blind(rows("kb_heldout4.jsonl"))),
        ("heldout5", lambda: rows("kb_heldout5.jsonl")),
        ("heldout6", lambda: rows("kb_heldout6.jsonl")),
        ("heldout7", lambda: rows("kb_heldout7.jsonl")),
        ("heldout8", lambda: rows("kb_heldout8.jsonl")),
    )
    for name, held in sets:
        if (args.tuning and name in BLIND) or (args.only and name != args.only):
            continue
        report(index, name, held())


def styled(name: str, style: str) -> list[dict[str, object]]:
    return [r for r in rows(name) if r["style"] == style]


def blind(held: list[dict[str, object]]) -> list[dict[str, object]]:
    """The held-out rows whose question is in no tuning file (kb_heldout4 repeats four older
    tuning questions word for word: they are left out of its figures)."""
    tuning = {str(r["q"]).strip().lower() for name in DEV_FILES for r in rows(name)}
    return [r for r in held if str(r["q"]).strip().lower() not in tuning]


def report(index: KbIndex, name: str, held: list[dict[str, object]]) -> None:
    baseline = run(index, held, 0.0)
    result = run(index, held)
    print(f"[{name}] baseline (always answer the best entry): {baseline.line()}")
    print(f"[{name}] grounded answers:                        {result.line()}")
    n = result.total
    # "correct" is counted over the questions the KB can answer (an unanswerable question
    # can only be handed over, its own target); "wrong" over every question
    correct, wrong = result.correct / (result.answerable or 1), result.wrong / n
    ratio = (baseline.wrong / n) / wrong if wrong else float("inf")
    print(
        f"target correct {name}: {'met' if correct >= 0.80 else 'NOT met'} "
        f"({correct:.1%} of answerable questions answered correctly, aim >= 80%)"
    )
    print(
        f"target wrong {name}: {'met' if wrong <= 0.01 else 'NOT met'} "
        f"({wrong:.1%} of all questions answered wrongly, aim <= 1%; "
        f"baseline {baseline.wrong / n:.1%}, {ratio:.1f}x fewer)"
    )
    every = result.unanswerable_handed == result.unanswerable
    print(
        f"target unanswerable {name}: {'met' if every else 'NOT met'} "
        f"({result.unanswerable_handed}/{result.unanswerable} handed to a person)"
    )


if __name__ == "__main__":
    main()
