"""Training: `spconnector model train` (or `make model`) → the shipped artifact.

scikit-learn does the learning: TF-IDF over character n-grams (char_wb 2–5, typo- and
language-tolerant) and word n-grams (1–2), one LinearSVC per head calibrated with
CalibratedClassifierCV (sigmoid, 5-fold, ensemble=False: one linear model plus one sigmoid per
class, which export as plain arrays). Heads: intent, wants, language, and one binary head per
learned signal (safety, photo, question). The wants head reads the intent head's calibrated
probabilities beside the text (SETTINGS `wants_given_intent`): fitted on held-out intent
probabilities (cross_val_predict over the calibration folds), so it learns how far a reading
of the intent may be trusted, not the training labels.

Training reads only the training splits (corpus.TRAIN_SOURCES); the blind splits are never
opened here. The artifact is a numpy .npz without pickles (loaded with allow_pickle=False);
its version is a hash of the training data and settings, so the same corpus gives the same
version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from spconnector.understanding.corpus.sources import Row, training_rows
from spconnector.understanding.features import char_ngrams, reader, word_ngrams

ARTIFACT = Path(__file__).with_name("model") / "understanding.npz"
SETTINGS: dict[str, Any] = {
    # 25,000 + 12,000 features (from 40,000 + 20,000) keep the artifact under 2 MB: same
    # reading on dev.jsonl and dev_probe.tsv (one message apart), and 85.5 % on a batch of
    # new hand-written rows held out of a fit.
    "char_max_features": 25000,
    "word_max_features": 12000,
    "min_df": 2,
    # C and the generated rows' weight were chosen by holding one author's hand-written rows
    # out of a fit (natural, then written): C 0.5 and generated 0.3 read both best, and
    # dropping the generated rows entirely read worse (the blind splits are never used).
    # Rechecked on dev_styles.jsonl with batch I of written rows: C 0.3 / 0.5 / 1.0 read
    # 96.9 % intent each (wants 92.4 / 93.1 / 93.1 %, ECE 0.033 / 0.032 / 0.042); with batch J,
    # generated 0.5 against 0.3 read one message more on dev_styles, one fewer on dev_probe and
    # ECE 0.042 against 0.030: no setting earns a change. A further batch of 44 rows (listings
    # contradicted, colour variants, sizes, shop questions) read the same on dev_styles and one
    # message apart on dev_probe and dev_noisy, so it was not added.
    "C": 0.5,
    # 5: a plain stratified 5-fold for the sigmoids. "grouped": 5 stratified folds that keep a
    # hand-written row and its framed copy in the same fold (fold_groups): a plain fold fits
    # each sigmoid partly on scores of text its model saw inside the frame (issue 15, C).
    # Candidate C (issue 15): "grouped" with the batches in corpus/tried/ and an own cut
    # (settings `low_confidence`, read by the model; absent: model.LOW_CONFIDENCE) chosen on
    # the four dev sets only (`bench/understanding.py --dev --cuts`: the most correct intents
    # among the cuts 0.30-0.70 whose money-moving misreads not held, also counted at worst,
    # and misreads acted on stay at or below the shipped artifact's at 0.5): 0.40. Measured
    # once on the blind splits it read 1,613 correct intents against 1,617 (generated 844
    # against 851) and letters' ECE 0.072: not shipped (README, understanding).
    "cv": 5,
    "natural_weight": 1.0,  # a hand-written message
    "generated_weight": 0.3,  # a message built from templates
    # Each hand-written row once more inside a greeting and a sign-off (framed_weight 0 turns
    # it off): real mail wraps its point in "Hello, ... Kind regards, Anna", words that say
    # nothing of the intent yet diluted a short message's own words.
    # Measured by holding the *_d.tsv batch (1,474 rows) out of a fit: 0 → 85.5 % intent,
    # 0.5 → 86.0 %, 1.0 → 86.6 % (wants 80.5 → 81.4 %).
    "framed_weight": 1.0,
    # What the model reads (features.reader): 1 the folded text, 2 every mark set apart from
    # its word, 3 only ! and ¡ apart. Same corpus, one fit each, dev.jsonl / dev_probe.tsv:
    # wants 96.4 / 94.0 % (1), 95.3 / 93.3 % (2), 96.4 / 94.3 % (3); intent 100 / 97.6 %
    # (1 and 3), 100 / 97.4 % (2). Format 1 reads "The product broke!" below the confidence
    # threshold (its "!" grams were taught by "Thanks!"); 3 reads it as defective.
    # 4 drops ! and ¡: with session 5's rows (more "Thank you! ⭐" and "TOO TIGHT!!!") the
    # lone "!" of format 3 again leaned "The product broke!" to feedback (0.38). Holding out
    # each of 8 hand-written batches in turn: intent 90.3 (3) / 90.4 % (4), wants 87.4 / 87.4,
    # dev.jsonl and dev_probe.tsv equal (99.8 / 98.2 % intent).
    "format": 4,
    # The scale of the intent head's probabilities beside the text in the wants head (0: the
    # wants head reads the text alone, as before). An independent wants head read pairs the
    # labels never join (defective + exchange, product_question + refund) and lost what the
    # intent says of the wish (feedback → nothing). Refitting the wants head alone, the four
    # dev sets (1,147 messages) read 1,079 wants right independent, 1,091 with a smoothed
    # P(wants | intent) prior multiplied in at its best exponent (0.25; 1.0 read 1,078), and
    # 1,097 with the intent probabilities as features (1,092 before the `other` / `info`
    # convention of corpus.sources); 0.1, 0.5, 1, 2 and 5 read alike (1,092-1,097).
    "wants_given_intent": 1.0,
}
# Openers and sign-offs per language; which pair frames a row follows from its text.
FRAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (
        ("Hello,", "Hi there,", "Dear Sir or Madam,", "Good morning,", "Hi,"),
        ("Kind regards, Anna", "Thanks, Tom", "Best wishes\nJ. Smith", "Cheers", "Regards, Priya"),
    ),
    "de": (
        ("Hallo,", "Guten Tag,", "Sehr geehrte Damen und Herren,", "Moin,", "Hallo zusammen,"),
        ("Viele Grüße, Anna", "Danke, Tom", "Mit freundlichen Grüßen\nJ. Schmidt", "LG", "Gruß"),
    ),
    "fr": (
        ("Bonjour,", "Bonsoir,", "Madame, Monsieur,", "Salut,", "Bonjour à vous,"),
        (
            "Cordialement, Anne",
            "Merci, Tom",
            "Bien à vous\nJ. Martin",
            "Bonne journée",
            "Merci d'avance",
        ),
    ),
    "es": (
        ("Hola,", "Buenos días,", "Estimados señores:", "Buenas,", "Hola, ¿qué tal?"),
        (
            "Un saludo, Ana",
            "Gracias, Tomás",
            "Atentamente\nJ. García",
            "Saludos",
            "Gracias de antemano",
        ),
    ),
    "it": (
        ("Salve,", "Buongiorno,", "Gentili signori,", "Ciao,", "Buonasera,"),
        (
            "Cordiali saluti, Anna",
            "Grazie, Tommaso",
            "Distinti saluti\nG. Rossi",
            "Saluti",
            "Grazie mille",
        ),
    ),
}
SIGNAL_HEADS = ("safety", "photo", "question")
HAND_WRITTEN = frozenset({"natural", "handwritten", "written"})


def _reads(text: str) -> str:
    """What the model reads, as the artifact's format says (the model reads it the same way)."""
    return reader(SETTINGS["format"])(text)


def _char(text: str) -> list[str]:
    return char_ngrams(_reads(text))


def _word(text: str) -> list[str]:
    return word_ngrams(_reads(text))


def _vectorizers() -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    common = {"sublinear_tf": True, "min_df": SETTINGS["min_df"], "dtype": np.float32}
    char = TfidfVectorizer(analyzer=_char, max_features=SETTINGS["char_max_features"], **common)
    word = TfidfVectorizer(analyzer=_word, max_features=SETTINGS["word_max_features"], **common)
    return char, word


def calibration_folds(x: Any, labels: Sequence[str], groups: np.ndarray) -> Any:
    """What CalibratedClassifierCV gets as `cv`: SETTINGS["cv"] folds, or with "grouped" the
    (train, test) index pairs of StratifiedGroupKFold over `groups` (a partition, as
    cross_val_predict needs under ensemble=False)."""
    if SETTINGS["cv"] != "grouped":
        return SETTINGS["cv"]
    from sklearn.model_selection import StratifiedGroupKFold

    return list(StratifiedGroupKFold(n_splits=5).split(x, np.asarray(labels), groups))


def held_out_intent_probabilities(
    x: Any, labels: Sequence[str], weights: Any, groups: np.ndarray, head: dict[str, np.ndarray]
) -> np.ndarray:
    """Each row's intent probabilities from a model that did not see it (rows × intents, in
    the head's class order): the held-out decision values CalibratedClassifierCV fits its
    sigmoids on (the same folds), through the fitted head's sigmoids, as model.py reads."""
    from sklearn.model_selection import cross_val_predict
    from sklearn.svm import LinearSVC

    scores = cross_val_predict(
        LinearSVC(C=SETTINGS["C"], class_weight="balanced", random_state=0),
        x,
        np.asarray(labels),
        cv=calibration_folds(x, labels, groups),
        method="decision_function",
        params={"sample_weight": weights},
    )
    calibrated = 1.0 / (1.0 + np.exp(head["a"] * scores + head["b"]))
    total = calibrated.sum(axis=1, keepdims=True)
    return np.asarray(calibrated / np.where(total > 0, total, 1.0), dtype=np.float32)


def _fit_head(
    x: Any, labels: Sequence[str], weights: Any, groups: np.ndarray
) -> dict[str, np.ndarray]:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import LinearSVC

    model = CalibratedClassifierCV(
        LinearSVC(C=SETTINGS["C"], class_weight="balanced", random_state=0),
        method="sigmoid",
        cv=calibration_folds(x, labels, groups),
        ensemble=False,
    )
    model.fit(x, np.asarray(labels), sample_weight=weights)
    fitted = model.calibrated_classifiers_[0]
    svc = fitted.estimator
    return {
        "classes": np.asarray([str(c) for c in model.classes_]),
        "coef": np.ascontiguousarray(svc.coef_.T.astype(np.float16)),
        "intercept": svc.intercept_.astype(np.float32),
        "a": np.asarray([c.a_ for c in fitted.calibrators], dtype=np.float32),
        "b": np.asarray([c.b_ for c in fitted.calibrators], dtype=np.float32),
    }


def _framed_from(rows: Sequence[Row]) -> list[tuple[int, Row]]:
    """Each hand-written row's framed copy, with the index of the row it frames."""
    out: list[tuple[int, Row]] = []
    for index, row in enumerate(rows):
        frames = FRAMES.get(row.get("language", ""))
        if row["source"] not in HAND_WRITTEN or frames is None:
            continue
        pick = int(hashlib.sha256(row["text"].encode()).hexdigest()[:8], 16)
        openers, closers = frames
        opener, closer = openers[pick % len(openers)], closers[(pick // 7) % len(closers)]
        text = f"{opener}\n{row['text']}\n{closer}"
        out.append((index, {**row, "text": text, "source": "framed"}))
    return out


def framed(rows: Sequence[Row]) -> list[Row]:
    """The hand-written rows again, each inside a greeting and a sign-off of its language."""
    return [row for _, row in _framed_from(rows)]


def fold_groups(rows: Sequence[Row]) -> np.ndarray:
    """One group id per row of fitted_rows(rows): a row's own index, shared by its framed
    copy, so a calibration fold never scores a text whose frame its model was fitted on."""
    own = list(range(len(rows)))
    if SETTINGS["framed_weight"] > 0:
        own += [index for index, _ in _framed_from(rows)]
    return np.asarray(own)


def data_version(rows: Sequence[Row]) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps(SETTINGS, sort_keys=True).encode())
    for row in rows:
        digest.update(json.dumps(row, sort_keys=True, ensure_ascii=False).encode())
    return f"understanding-1.{digest.hexdigest()[:10]}"


def fitted_rows(rows: Sequence[Row]) -> tuple[list[Row], np.ndarray]:
    """The rows a fit sees (the training rows, then their framed copies) and their weights."""
    fitted = list(rows)
    if SETTINGS["framed_weight"] > 0:
        fitted += framed(fitted)
    natural = np.asarray([r["source"] in HAND_WRITTEN for r in fitted])
    weights = np.where(natural, SETTINGS["natural_weight"], SETTINGS["generated_weight"])
    weights[np.asarray([r["source"] == "framed" for r in fitted])] = SETTINGS["framed_weight"]
    return fitted, weights


def train(rows: Sequence[Row] | None = None, out: Path = ARTIFACT) -> dict[str, Any]:
    """Fit every head on the training rows and write the artifact; returns its metadata."""
    from scipy.sparse import hstack

    source_rows = list(training_rows()) if rows is None else list(rows)
    rows, weights = fitted_rows(source_rows)
    groups = fold_groups(source_rows)
    natural = np.asarray([r["source"] in HAND_WRITTEN for r in rows])
    texts = [r["text"] for r in rows]
    char, word = _vectorizers()
    x = hstack([char.fit_transform(texts), word.fit_transform(texts)]).tocsr()
    arrays: dict[str, np.ndarray] = {}

    def head(name: str, labels: list[str | None], features: Any = x) -> dict[str, np.ndarray]:
        keep = np.asarray([label is not None for label in labels])
        chosen = [label for label in labels if label is not None]
        fitted = _fit_head(features[keep], chosen, weights[keep], groups[keep])
        for key, value in fitted.items():
            arrays[f"{name}.{key}"] = value
        return fitted

    intents = [r["intent"] for r in rows]
    intent_head = head("intent", intents)
    scale = float(SETTINGS["wants_given_intent"])
    if scale > 0:
        from scipy.sparse import csr_matrix

        given = held_out_intent_probabilities(x, intents, weights, groups, intent_head)
        wants_head = head(
            "wants", [r.get("wants") for r in rows], hstack([x, csr_matrix(scale * given)]).tocsr()
        )
        # The text's weights, then the score each intent's probability adds to each want
        # (scaled here, so model.py adds probabilities @ by_intent).
        arrays["wants.coef"] = np.ascontiguousarray(wants_head["coef"][: x.shape[1]])
        arrays["wants.by_intent"] = scale * wants_head["coef"][x.shape[1] :].astype(np.float32)
    else:
        head("wants", [r.get("wants") for r in rows])
    head("language", [r["language"] for r in rows])
    for signal in SIGNAL_HEADS:
        # Natural rows carry no signal labels: the signal heads learn from generated rows.
        head(
            signal,
            [None if r.get("signals") is None else str(signal in r["signals"]) for r in rows],
        )
    meta = {
        "version": data_version(rows),
        "settings": SETTINGS,
        "trained_on": len(rows),
        "natural": int(natural.sum()),
        "framed": len(rows) - len(source_rows),
        "heads": ["intent", "wants", "language", *SIGNAL_HEADS],
    }
    arrays["char.vocab"] = np.asarray(char.get_feature_names_out().tolist(), dtype=str)
    arrays["char.idf"] = char.idf_.astype(np.float32)
    arrays["word.vocab"] = np.asarray(word.get_feature_names_out().tolist(), dtype=str)
    arrays["word.idf"] = word.idf_.astype(np.float32)
    arrays["meta"] = np.asarray(json.dumps(meta, sort_keys=True))
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, allow_pickle=False, **arrays)
    return meta
