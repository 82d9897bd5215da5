"""Every training-only piece per language: the first batch (more_train.py) with the second
batch's problem sentences (more_train_b.py) appended to its TRAIN lists, merged once at import.
generate.py adds them to the `train` split only, so the blind split stays byte-identical."""

from typing import Any

from spconnector.understanding.corpus.more_train import DE, EN, ES, FR, IT
from spconnector.understanding.corpus.more_train_b import TRAIN

BY_LANGUAGE: dict[str, dict[str, Any]] = {"en": EN, "de": DE, "fr": FR, "es": ES, "it": IT}


def _with_second_batch() -> None:
    for language, by_intent in TRAIN.items():
        pieces = BY_LANGUAGE[language]["TRAIN"]
        for intent, sentences in by_intent.items():
            pieces[intent] = [*pieces.get(intent, []), *sentences]


_with_second_batch()
