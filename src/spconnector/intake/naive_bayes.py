"""A small multinomial naive Bayes over words, word pairs and character n-grams.

The fallback behind the phrase rules (see classifier.py): it is consulted only when no rule
decided anything, and its answer counts only above a confidence threshold — otherwise the
message stays `other` and goes to a person. It is trained on the labelled training examples
shipped in `intent_examples.json` (built from tests/fixtures/intake/corpus.jsonl and
train_extra.jsonl by `python -m spconnector.intake.naive_bayes SRC.jsonl…`; never from an
evaluation set). Pure Python, trained lazily at first use in a few milliseconds.

Features, all over the normalized text (lower case, accents folded):
- `w:` word stems — a crude suffix stripper shared by the five languages, so "crushed",
  "crushing" and "crush", or "rotto" and "rotta", meet;
- `b:` pairs of neighbouring stems ("not arriv", "pas recu");
- `c:` character 4-grams inside words, at a lower weight — they tolerate typos and spot
  shared roots across languages ("schiacc", "aplast").
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

EXAMPLES = Path(__file__).with_name("intent_examples.json")
CHAR_WEIGHT = 0.25  # char n-grams are many per word: weigh them so words still lead
PAIR_WEIGHT = 1.0
ALPHA = 0.2  # additive smoothing
TEMPERATURE = 2.0  # posterior = softmax(log-likelihood / T); calibrated by leave-one-out

_TOKEN = re.compile(r"[a-z0-9]+")


def _words(text: str) -> list[str]:
    return text.split()


# Longest first. Crude on purpose: it only has to make variants of one word meet.
_SUFFIXES = tuple(
    sorted(
        _words(
            "ations ation ements ement ments ment ungen ung ingly ing edly ed ies es en er ern "
            "em s e o a i os as ados adas ado ada atos ate ati ato ata ite iti ito ita ee ees "
            "ait ez aient eur euse ly lich liche ig ige iert ierte te ten t"
        ),
        key=len,
        reverse=True,
    )
)


# Function words and greetings say nothing about intent; left out, so that a guess must rest
# on content words (and its evidence names them). Negations stay in: they matter.
_FUNCTION_WORDS = frozenset(
    _words(
        "the a an and or is are was were be it its this that these my me i you your we our to "
        "of in on at for with from by as so just hi hello hey dear please pls thanks thank "
        "der die das den dem des ein eine einen einem und oder ist sind war ich mir mich mein "
        "meine sie ihr ihnen es zu von mit fur auf bei hallo guten tag bitte danke "
        "le la les l un une des du de d et ou est sont je j me m mon ma mes vous votre vos il "
        "elle ce c cet cette a au aux en pour avec sur s bonjour svp plait merci "
        "el los las uno una unos unas y o es son yo mi mis usted su sus del al con para por "
        "en hola gracias favor "
        "il lo gli uno una e o sono io mio mia miei vi ci di da del della dei delle nel nella "
        "con per su salve buongiorno ciao grazie"
    )
)


def stem(word: str) -> str:
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def features(norm: str) -> dict[str, float]:
    """Weighted features of an already normalized text."""
    words = [w for w in _TOKEN.findall(norm) if w not in _FUNCTION_WORDS]
    counts: dict[str, float] = {}
    stems = [stem(w) for w in words]
    for s in stems:
        counts["w:" + s] = counts.get("w:" + s, 0.0) + 1.0
    for a, b in pairwise(stems):
        pair = f"b:{a} {b}"
        counts[pair] = counts.get(pair, 0.0) + PAIR_WEIGHT
    for w in words:
        if len(w) >= 4 and not w.isdigit():
            padded = f"<{w}>"
            for i in range(len(padded) - 3):
                gram = "c:" + padded[i : i + 4]
                counts[gram] = counts.get(gram, 0.0) + CHAR_WEIGHT
    return counts


@dataclass(frozen=True, slots=True)
class Prediction:
    label: str
    probability: float
    evidence: tuple[str, ...]  # the words that pointed most at `label`


class NaiveBayes:
    """Multinomial naive Bayes with a uniform prior over labels (classes are not balanced
    the way real traffic is, so the training counts say nothing about how common each is)."""

    def __init__(self, docs: Iterable[tuple[str, str]], *, alpha: float = ALPHA) -> None:
        """`docs`: (normalized text, label) pairs."""
        self.alpha = alpha
        self.counts: dict[str, dict[str, float]] = {}
        for text, label in docs:
            counts = self.counts.setdefault(label, {})
            for f, n in features(text).items():
                counts[f] = counts.get(f, 0.0) + n
        self.labels = tuple(sorted(self.counts))
        self.vocabulary: set[str] = set().union(*self.counts.values())
        self.totals = {label: sum(c.values()) for label, c in self.counts.items()}
        self._log: dict[str, dict[str, float]] = {}
        self._unseen: dict[str, float] = {}
        self._fit()

    def _fit(self) -> None:
        size = len(self.vocabulary)
        for label in self.labels:
            denominator = self.totals[label] + self.alpha * size
            self._unseen[label] = math.log(self.alpha / denominator)
            self._log[label] = {
                f: math.log((n + self.alpha) / denominator) for f, n in self.counts[label].items()
            }

    def log_likelihoods(self, feats: dict[str, float]) -> dict[str, float]:
        known = [(f, n) for f, n in feats.items() if f in self.vocabulary]
        return {
            label: sum(n * self._log[label].get(f, self._unseen[label]) for f, n in known)
            for label in self.labels
        }

    def predict(self, norm: str, *, temperature: float = TEMPERATURE) -> Prediction:
        feats = features(norm)
        scores = self.log_likelihoods(feats)
        if not scores:
            return Prediction("other", 0.0, ())
        top = max(scores.values())
        weights = {k: math.exp((v - top) / temperature) for k, v in scores.items()}
        total = sum(weights.values())
        label = max(weights, key=lambda k: weights[k])
        return Prediction(label, weights[label] / total, self._evidence(feats, label))

    def _evidence(self, feats: dict[str, float], label: str, limit: int = 3) -> tuple[str, ...]:
        """Words whose stems favour `label` most over the other labels on average."""
        own = self._log[label]
        lift: dict[str, float] = {}
        for f in feats:
            if not f.startswith("w:") or f not in self.vocabulary:
                continue
            others = [self._log[k].get(f, self._unseen[k]) for k in self.labels if k != label]
            gain = own.get(f, self._unseen[label]) - sum(others) / max(len(others), 1)
            if gain > 0.5:
                lift[f[2:]] = gain
        return tuple(sorted(lift, key=lambda w: -lift[w])[:limit])


def load_examples(path: Path = EXAMPLES) -> list[tuple[str, str]]:
    """(text, label) pairs; texts as written (normalize before training)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(str(text), str(label)) for text, label in data]


def build_examples(sources: Sequence[Path], target: Path = EXAMPLES) -> int:
    """Write the shipped training file from labelled jsonl sets; returns the count."""
    pairs: list[list[str]] = []
    for source in sources:
        for line in source.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                text = f"{row['subject']}\n{row['text']}" if row.get("subject") else row["text"]
                pairs.append([text, row["intent"]])
    target.write_text(json.dumps(pairs, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    return len(pairs)


if __name__ == "__main__":  # python -m spconnector.intake.naive_bayes corpus.jsonl extra.jsonl
    n = build_examples([Path(p) for p in sys.argv[1:]])
    print(f"wrote {n} examples to {EXAMPLES}")
