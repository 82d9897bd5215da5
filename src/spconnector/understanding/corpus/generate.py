"""Reproducible corpus generator: `python -m spconnector.understanding.corpus.generate`.

Each message is composed from hand-written pieces of one language (lang_*.py): an opener,
the problem sentence (per intent), sometimes a story filler before or after it so the fact is
buried mid-paragraph, a wish (what the buyer wants), a photo remark and a closer; then
perturbed like real mail (typos, no accents, lower case, ALL CAPS, no punctuation, emoji).
Split `train` and split `blind` use disjoint template lists and disjoint random streams, so
the blind score measures generalization to wording the model never saw. Same seed, same
corpus: the files are committed and a test checks they match a fresh run.
"""

from __future__ import annotations

import json
import random
import sys
import unicodedata
from pathlib import Path
from types import ModuleType
from typing import Any

from spconnector.understanding.corpus import lang_de, lang_en, lang_es, lang_fr, lang_it
from spconnector.understanding.corpus.more_train_all import BY_LANGUAGE as MORE_TRAIN

LANGUAGES: dict[str, ModuleType] = {
    "en": lang_en,
    "de": lang_de,
    "fr": lang_fr,
    "es": lang_es,
    "it": lang_it,
}
HERE = Path(__file__).parent
PER_INTENT = {"train": 140, "blind": 18}  # messages per (language, intent)
SEEDS = {"train": 15, "blind": 1015}
# What the buyer wants when the message states no wish of its own.
DEFAULT_WANT = {
    "not_received": "info",
    "return_request": "return",
    "cancel_request": "cancel",
    "product_question": "info",
    "feedback": "nothing",
}
PROBLEM_INTENTS = frozenset(
    {"defective", "damaged_in_transit", "wrong_item", "size_fit", "not_as_described"}
)
_NEGATIVE_EMOJI = ("😡", "😤", "🙄", "😞", "👎")
_POSITIVE_EMOJI = ("😊", "👍", "🙏", "❤️", "⭐⭐⭐⭐⭐")


class _Fields(dict[str, str]):
    """format_map fields; a capitalized key ({P}) gives the value capitalized."""

    def __missing__(self, key: str) -> str:
        lower = key[0].lower() + key[1:]
        if lower != key and lower in self:
            value = self[lower]
            return value[:1].upper() + value[1:]
        raise KeyError(key)


def _fields(lang: ModuleType, rng: random.Random, clothes: bool) -> _Fields:
    product = rng.choice(lang.CLOTHES if clothes else lang.PRODUCTS)
    size, size2 = rng.sample(lang.SIZES, 2)
    color, color2 = rng.sample(lang.COLORS, 2)
    fields = _Fields(product)
    fields.update(
        days=str(rng.choice((2, 3, 4, 5, 6, 10, 12, 14, 20))),
        size=size,
        size2=size2,
        color=color,
        color2=color2,
        carrier=rng.choice(lang.CARRIERS),
    )
    return fields


# Articles contract after prepositions ("de le" → "du"); templates are written uncontracted.
_CONTRACTIONS = (
    (" de le ", " du "),
    (" à le ", " au "),
    (" de les ", " des "),
    (" di il ", " del "),
    (" di la ", " della "),
    (" di lo ", " dello "),
    (" di l'", " dell'"),
    (" a il ", " al "),
    (" da il ", " dal "),
    (" de el ", " del "),
    (" a el ", " al "),
    ("À le ", "Au "),
    ("A el ", "Al "),
)


def _fill(template: str, fields: _Fields) -> str:
    text = template.format_map(fields)
    for long, short in _CONTRACTIONS:
        text = text.replace(long, short)
    return text[:1].upper() + text[1:] if template.startswith("{") else text


def _own_want(template: str) -> tuple[str | None, str]:
    """A template may state its own wish: "[refund]…"."""
    if template.startswith("["):
        want, _, rest = template[1:].partition("]")
        return want, rest
    return None, template


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _perturb(text: str, rng: random.Random, intent: str, language: str) -> str:
    if rng.random() < 0.3:
        words = text.split(" ")
        for _ in range(rng.randint(1, 3)):
            j = rng.randrange(len(words))
            words[j] = _typo(words[j], rng)
        text = " ".join(words)
    if language != "en" and rng.random() < 0.12:
        text = _strip_accents(text)
    if rng.random() < 0.12:
        text = "".join(c for c in text if c.isalnum() or c.isspace() or c == "'")
    roll = rng.random()
    if roll < 0.12:
        text = text.lower()
    elif roll < 0.16:
        text = text.upper()
    if rng.random() < 0.08:
        pool = _POSITIVE_EMOJI if intent == "feedback" else _NEGATIVE_EMOJI
        text = f"{text} {rng.choice(pool)}"
    return text


def _pool(lang: ModuleType, name: str, split: str, key: str | None = None) -> list[str]:
    """A list of pieces for the split; training also gets the language's EXTRA_* pieces."""
    table = getattr(lang, name)
    base = list(table[key][split] if key is not None else table[split])
    if split == "train":
        more = MORE_TRAIN[lang.__name__.rsplit("_", 1)[1]].get(name)
        for extra in (getattr(lang, f"EXTRA_{name}", None), more):
            if isinstance(extra, dict):
                base += extra.get(key, []) if key is not None else []
            elif extra is not None and key is None:
                base += extra
    return base


def compose(language: str, intent: str, split: str, rng: random.Random) -> dict[str, Any]:
    """One labelled message."""
    lang = LANGUAGES[language]
    spec = lang.INTENTS[intent]
    fields = _fields(lang, rng, bool(spec.get("clothes")))
    signals: set[str] = set()
    templates = list(spec[split])
    if split == "train":
        templates += getattr(lang, "EXTRA_TRAIN", {}).get(intent, [])
        templates += MORE_TRAIN[language]["TRAIN"].get(intent, [])
    safety = spec.get(f"safety_{split}")
    if safety and rng.random() < 0.15:
        templates, signals = list(safety), {"safety"}
    want, problem = _own_want(rng.choice(templates))
    parts = [_fill(problem, fields)]
    if intent == "abusive" and rng.random() < 0.4:
        # Insults beside a real complaint are still the owner's to answer.
        other = lang.INTENTS[rng.choice(sorted(PROBLEM_INTENTS))][split]  # base lists only
        parts.append(_fill(_own_want(rng.choice(other))[1], fields))
    wishes = spec["wants"]
    if want is None and len(wishes) > 1 and rng.random() < 0.7:
        want = rng.choice(wishes)
        if want not in ("other", "nothing"):
            wish = _fill(rng.choice(_pool(lang, "WISHES", split, want)), fields)
            # Real mail states the wish first as often as last ("I want to return it, it's too
            # small"); training only, so the blind split's random stream stays as frozen.
            if split == "train" and rng.random() < 0.35:
                parts.insert(0, wish)
            else:
                parts.append(wish)
    if want is None:
        want = DEFAULT_WANT.get(intent, "other")
    # The wants convention is applied when rows are read (sources.by_wants_convention), so
    # the label here is the drawn wish.
    if intent in PROBLEM_INTENTS and rng.random() < 0.15:
        parts.append(rng.choice(_pool(lang, "PHOTO", split)))
        signals.add("photo")
    if rng.random() < 0.25:
        fillers = _pool(lang, "FILLERS", split)
        filler = rng.choice(fillers)
        parts.insert(0 if rng.random() < 0.5 else len(parts), filler)
        if rng.random() < 0.3:
            parts.insert(0, rng.choice(fillers))
    opener = rng.choice(_pool(lang, "OPENERS", split)) if rng.random() < 0.6 else ""
    closer = rng.choice(_pool(lang, "CLOSERS", split)) if rng.random() < 0.5 else ""
    if any(p.rstrip().endswith("?") or p.lstrip().startswith("¿") for p in parts):
        signals.add("question")
    body = " ".join(parts)
    if opener:
        body = f"{opener}{' ' if rng.random() < 0.5 else chr(10)}{body}"
    if closer:
        body = f"{body}\n{closer}"
    text = _perturb(body, rng, intent, language)
    return {
        "text": text,
        "intent": intent,
        "wants": want,
        "signals": sorted(signals),
        "language": language,
        "split": split,
    }


def generate(split: str) -> list[dict[str, Any]]:
    """The whole split, deterministic for its seed; exact duplicates dropped."""
    rng = random.Random(SEEDS[split])
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for language, lang in LANGUAGES.items():
        for intent in lang.INTENTS:
            made = tries = 0
            while made < PER_INTENT[split] and tries < PER_INTENT[split] * 5:
                tries += 1
                row = compose(language, intent, split, rng)
                if row["text"] in seen:
                    continue
                seen.add(row["text"])
                rows.append(row)
                made += 1
    return rows


def path_of(split: str) -> Path:
    return HERE / f"generated_{split}.jsonl"


def render(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)


def main(argv: list[str] | None = None) -> int:
    for split in PER_INTENT:
        rows = generate(split)
        path_of(split).write_text(render(rows), encoding="utf-8")
        print(f"{split}: {len(rows)} messages → {path_of(split)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
