"""Train the KB's answer/abstain model (src/spconnector/kb/decision.json) on the tuning set only.

    .venv/bin/python bench/kb_decision.py            # train, choose the threshold, write the file
    .venv/bin/python bench/kb_decision.py --dry-run  # the same, print only

Tuning set: bench/data/kb_dev*.jsonl and rows made from the KB itself (each question variant
asked of the KB without that variant; each entry's variants asked of the KB without the
entry, where any answer counts as wrong). No held-out row is read.

Each part of a message (as answer_question splits it) gives up to two searches — its question
alone and, where the buyer's context adds words, with it — and each search is one example:
is its best entry the right one? A logistic regression (scikit-learn) learns that from
the search's figures (kb/decision.py's FEATURES). The threshold is chosen on out-of-fold
probabilities (5 folds, grouped by message, so no message is scored by a model that saw it),
replaying answer_question's rule over them: a part is answered from its question alone when
that passes (unless its context confidently points elsewhere), else from the search with
context; a message only when every part is answered. Utility: right answers minus ten times
wrong ones (a wrong answer costs far more than a person's time). The fit itself weighs a
search whose best entry is wrong by the same ten (NEGATIVE_WEIGHT): the model is used only at
its high-precision end, and an unweighed fit spends its effort where nothing is answered.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import StandardScaler

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from answers import DEV_FILES, KB_FILE, left_out, rows  # noqa: E402

from spconnector.kb import KbIndex, load_kb  # noqa: E402
from spconnector.kb.decision import FEATURES, features  # noqa: E402
from spconnector.kb.questions import question_parts, question_searches  # noqa: E402
from spconnector.kb.retrieval import Search  # noqa: E402

OUT = ROOT / "src" / "spconnector" / "kb" / "decision.json"
WRONG_COST = 10
C = 1.0  # scikit-learn's default regularisation: not tuned
# the fit itself weighs a search whose best entry is wrong this many times more: the model
# is used only near its high-precision end, where a wrong answer is what matters
NEGATIVE_WEIGHT = float(WRONG_COST)


def usable(search: Search | None) -> bool:
    # the rules the model never overrides: a known product and at least one shared word
    return (
        search is not None
        and search.best is not None
        and search.product_known
        and (search.matched >= 1)
    )


def examples(kb_text: str) -> tuple[list[dict[str, object]], int]:
    """One record per part: its searches' features, whether each is usable and right."""
    index = KbIndex(load_kb(kb_text))
    tuning = [(index, row) for name in DEV_FILES for row in rows(name)]
    dev = len(tuning)
    tuning += left_out(kb_text, removed=True)
    # the KB-made questions whose entry was removed count, together, as much as the dev
    # sets' own unanswerable questions: the tuning mix of answerable and not stays the
    # buyers' (else ~240 strict negatives outweigh the 72 real ones)
    unanswerable = sum(row["expect"] is None for _, row in tuning[:dev])
    removed = sum(row["expect"] is None for _, row in tuning[dev:])
    parts_out: list[dict[str, object]] = []
    for n, (idx, row) in enumerate(tuning):
        weight = unanswerable / removed if n >= dev and row["expect"] is None else 1.0
        sku = row["sku"] if isinstance(row["sku"], str) else None
        q, lang = str(row["q"]), str(row["lang"])
        parts = question_parts(idx, q, lang, sku)
        parts = parts if len(parts) >= 2 else [q]
        expect = row["expect"] if isinstance(row["expect"], list) else [row["expect"]]
        for i, part in enumerate(parts):
            want = (
                expect[i] if len(expect) == len(parts) else expect[0] if len(expect) == 1 else None
            )
            alone, context = question_searches(idx, part, lang, sku, q if len(parts) >= 2 else None)
            # a message in parts that the KB cannot answer as a whole: which part it cannot
            # answer is not labelled, so its parts teach nothing (they still count in replay)
            teaches = not (len(parts) >= 2 and expect == [None])
            rec: dict[str, object] = {
                "row": n,
                "parts": len(parts),
                "weight": weight,
                "teaches": teaches,
            }
            for name, search in (("alone", alone), ("context", context)):
                f = features(search, part, lang) if search is not None else None
                rec[name] = f if usable(search) else None
                best = search.best if search is not None else None
                rec[f"{name}_key"] = best.ref.key if best is not None else None
                rec[f"{name}_right"] = (
                    best is not None and want is not None and best.ref.key == want
                )
            parts_out.append(rec)
    return parts_out, dev


def replay(parts: list[dict[str, object]], p_alone: np.ndarray, p_ctx: np.ndarray, t: float):
    """(correct, wrong, answered) messages at threshold `t`, by answer_question's rule."""
    by_row: dict[int, list[tuple[bool, bool]]] = {}
    weight: dict[int, float] = {}
    for k, rec in enumerate(parts):
        a_ok = rec["alone"] is not None and p_alone[k] >= t
        c_ok = rec["context"] is not None and p_ctx[k] >= t
        if a_ok and c_ok and rec["context_key"] != rec["alone_key"]:
            answered, right = False, False  # the two confidently disagree: a person
        elif a_ok:
            answered, right = True, bool(rec["alone_right"])
        elif c_ok:
            answered, right = True, bool(rec["context_right"])
        else:
            answered, right = False, False
        by_row.setdefault(int(rec["row"]), []).append((answered, right))  # type: ignore[call-overload]
        weight[int(rec["row"])] = float(rec["weight"])  # type: ignore[arg-type, call-overload]
    correct = wrong = 0.0
    for row, outcome in by_row.items():
        if all(a for a, _ in outcome):
            if all(r for _, r in outcome):
                correct += weight[row]
            else:
                wrong += weight[row]
    return round(correct, 1), round(wrong, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="every threshold's figures")
    parser.add_argument("--negative-weight", type=float, default=NEGATIVE_WEIGHT)
    args = parser.parse_args()
    parts, dev = examples(KB_FILE.read_text(encoding="utf-8"))
    # every usable search with its label; the model learns from those that teach
    X, y, groups, slot, weights, teach = [], [], [], [], [], []
    for k, rec in enumerate(parts):
        for name in ("alone", "context"):
            if rec[name] is not None:
                X.append(rec[name])
                y.append(bool(rec[f"{name}_right"]))
                groups.append(rec["row"])
                weights.append(rec["weight"])
                teach.append(bool(rec["teaches"]))
                slot.append((k, name))
    X_, y_, w_ = np.array(X, dtype=float), np.array(y), np.array(weights, dtype=float)
    w_ = np.where(y_, w_, w_ * args.negative_weight)
    t_ = np.array(teach)
    print(f"{len(parts)} parts, {len(X_)} searches, {y_.mean():.1%} with the right best entry")
    oof = np.zeros(len(X_))
    for train, test in GroupKFold(n_splits=5).split(X_, y_, groups):
        train = train[t_[train]]
        scaler = StandardScaler().fit(X_[train])
        clf = LogisticRegression(C=C, max_iter=1000).fit(
            scaler.transform(X_[train]), y_[train], sample_weight=w_[train]
        )
        oof[test] = clf.predict_proba(scaler.transform(X_[test]))[:, 1]
    n_dev = len([r for r in parts if int(r["row"]) < dev])  # type: ignore[call-overload]
    p_alone, p_ctx = np.zeros(len(parts)), np.zeros(len(parts))
    for (k, name), p in zip(slot, oof, strict=True):
        (p_alone if name == "alone" else p_ctx)[k] = p
    best = None
    for t in np.arange(0.30, 0.99, 0.01):
        correct, wrong = replay(parts, p_alone, p_ctx, float(t))
        utility = correct - WRONG_COST * wrong
        if args.verbose:
            c, w = replay(parts[:n_dev], p_alone[:n_dev], p_ctx[:n_dev], float(t))
            print(f"  {t:.2f}: all {correct} right {wrong} wrong; dev {c} right {w} wrong")
        if best is None or utility > best[0]:
            best = (utility, float(t), correct, wrong)
    assert best is not None
    utility, threshold, correct, wrong = best
    messages = len({int(r["row"]) for r in parts})  # type: ignore[call-overload]
    print(
        f"out-of-fold at threshold {threshold:.2f}: {correct} right, {wrong} wrong of "
        f"{messages} tuning messages (utility {utility})"
    )
    c, w = replay(parts[:n_dev], p_alone[:n_dev], p_ctx[:n_dev], threshold)
    print(f"  of which the {dev} dev messages: {c} right, {w} wrong (out-of-fold)")
    first = 0
    for name in DEV_FILES:
        held = rows(name)
        span = range(first, first + len(held))
        first += len(held)
        keep = [k for k, r in enumerate(parts) if int(r["row"]) in span]  # type: ignore[call-overload]
        sub = [parts[k] for k in keep]
        c, w = replay(sub, p_alone[keep], p_ctx[keep], threshold)
        answerable = sum(r["expect"] is not None for r in held)
        print(
            f"  {name}: {c / answerable:.1%} of {answerable} answerable right, "
            f"{w / len(held):.1%} of {len(held)} wrong (out-of-fold)"
        )
    scaler = StandardScaler().fit(X_[t_])
    clf = LogisticRegression(C=C, max_iter=1000).fit(
        scaler.transform(X_[t_]), y_[t_], sample_weight=w_[t_]
    )
    for name, coef in zip(FEATURES, clf.coef_[0], strict=True):
        print(f"  {name:14s} {coef:+.2f}")
    model = {
        "features": list(FEATURES),
        "mean": [round(float(v), 6) for v in scaler.mean_],
        "scale": [round(float(v), 6) for v in scaler.scale_],
        "coef": [round(float(v), 6) for v in clf.coef_[0]],
        "intercept": round(float(clf.intercept_[0]), 6),
        "threshold": round(threshold, 2),
        "trained_on": "bench/data/kb_dev*.jsonl + KB variants left out (bench/kb_decision.py)",
    }
    if not args.dry_run:
        OUT.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
