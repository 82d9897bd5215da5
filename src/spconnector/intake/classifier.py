"""Intent classifier: transparent, weighted phrase rules in en/de/fr/es/it.

Every rule is a regular expression over a normalized text (lower case, accents removed,
ß → ss, typographic apostrophes straightened) with a weight. The intent with the highest
summed weight wins; the phrases that matched are the evidence. Rules marked `negatable`
describe a state ("damaged", "broken") and are skipped when a negation ("not", "nicht",
"pas", "no", "non", …) stands just before them in the same clause, so "the box was not
damaged but it does not turn on" is defective, not damaged in transit.

Priority of ambiguous combinations (decided in `_decide`, in this order):
1. abusive wins whenever insults or threats reach ABUSIVE_THRESHOLD, whatever else is said —
   such messages go to the owner, never to an automatic answer;
2. a concrete reason (defective, damaged in transit, wrong item, size/fit, not as described,
   not received) beats a bare wish to return, refund or cancel: the reason is what the
   policy decides on, and "I want to return it, it's broken" is a defect case;
3. cancel_request beats not_received when both score equally ("cancel, it hasn't shipped");
4. an explicit wish (return, refund, cancel) beats a question about it ("how do I return
   it?" is a return request);
5. nothing below MIN_SCORE decides anything (a lone "?" or one weak word): `other`, which
   sends the message to a person rather than into an automatic action;
6. a question mark alone never beats a stated problem; product_question and feedback win
   only when no reason scores;
7. equal scores fall back to the order of PRIORITY below.

`classify()` uses the trained understanding model (spconnector.understanding, loaded lazily
on first use) through ModelClassifier; the rule table stays as the baseline the bench
compares against, as the abusive-signal rules, and as the answer when the artifact cannot be
loaded. Anything with the IntentClassifier protocol can be passed to the email parser.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from spconnector.domain.enums import Intent
from spconnector.domain.understanding import Classification as Classification
from spconnector.domain.understanding import IntentClassifier as IntentClassifier
from spconnector.intake.language import detect_language
from spconnector.intake.naive_bayes import NaiveBayes, load_examples
from spconnector.understanding.phrase_rules import ABUSIVE_THRESHOLD, I, Rule, normalize
from spconnector.understanding.phrase_rules import rules as shipped_rules

if TYPE_CHECKING:
    pass


# Order used to break equal scores; see the module docstring.
PRIORITY: tuple[Intent, ...] = (
    I.ABUSIVE,
    I.DAMAGED_IN_TRANSIT,
    I.DEFECTIVE,
    I.WRONG_ITEM,
    I.NOT_AS_DESCRIBED,
    I.SIZE_FIT,
    I.CANCEL_REQUEST,
    I.NOT_RECEIVED,
    I.RETURN_REQUEST,
    I.PRODUCT_QUESTION,
    I.FEEDBACK,
)
REASONS = frozenset(
    {
        I.DEFECTIVE,
        I.DAMAGED_IN_TRANSIT,
        I.WRONG_ITEM,
        I.SIZE_FIT,
        I.NOT_AS_DESCRIBED,
        I.NOT_RECEIVED,
    }
)
WISHES = frozenset({I.RETURN_REQUEST, I.CANCEL_REQUEST})
MIN_SCORE = 1.5  # below this nothing is decided: `other` (precision over recall)
MAX_CHARS = 20_000  # buyer messages are short; a huge body is classified by its start
REASON_THRESHOLD = 2.0  # a reason this strong beats return/cancel wishes and questions

# The statistical fallback (naive_bayes.py) decides only above this posterior. Chosen by
# leave-one-out on the training examples alone: 96 % precision there, deciding 44 % of them.
MODEL_THRESHOLD = 0.7
MODEL_MAX_CONFIDENCE = 0.7


@cache
def default_model() -> NaiveBayes:
    """The fallback model, trained at first use on the shipped training examples."""
    return NaiveBayes((normalize(text), label) for text, label in load_examples())


class RuleClassifier:
    """The default IntentClassifier: weighted phrase rules, explainable by their evidence."""

    def __init__(
        self,
        rules: tuple[Rule, ...] | None = None,
        model: Callable[[], NaiveBayes] | None = default_model,
    ) -> None:
        """`rules`: None → the shipped phrase table, compiled at the first message;
        `model`: returns the statistical fallback (trained lazily); None → rules only."""
        self._rules = rules
        self.model = model

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self._rules if self._rules is not None else shipped_rules()

    def classify(self, subject: str, body: str) -> Classification:
        text = f"{subject}\n{body}" if subject else body
        text = text[:MAX_CHARS]
        language, _share = detect_language(text)
        norm = normalize(text)
        scores: dict[Intent, float] = {}
        evidence: dict[Intent, list[str]] = {}
        strong_spans: list[tuple[int, int, Intent]] = []
        for rule in self.rules:
            match = rule.find(norm)
            if match is None:
                continue
            start, end = match.span()
            if rule.weight < REASON_THRESHOLD and any(
                s <= start and end <= e and i is not rule.intent for s, e, i in strong_spans
            ):
                continue  # "broken" inside "arrived broken" already spoke for another intent
            if rule.weight >= REASON_THRESHOLD:
                strong_spans.append((start, end, rule.intent))
            phrase = match.group(0).strip()
            found = evidence.setdefault(rule.intent, [])
            # Overlapping phrases ("arrived broken" and "broken") count once.
            if any(phrase in seen or seen in phrase for seen in found):
                continue
            found.append(phrase)
            scores[rule.intent] = scores.get(rule.intent, 0.0) + rule.weight
        intent = _decide(scores)
        if intent is I.OTHER:
            return self._fallback(norm, language)
        top = scores[intent]
        rest = sum(v for k, v in scores.items() if k is not intent and k in REASONS)
        confidence = round(min(0.99, top / (top + rest + 1.0)), 2)
        return Classification(intent, confidence, tuple(evidence[intent]), language)

    def _fallback(self, norm: str, language: str) -> Classification:
        """No rule decided: ask the statistical model, and keep its answer only when sure."""
        if self.model is not None and norm.strip():
            guess = self.model().predict(norm)
            if guess.label != I.OTHER.value and guess.probability >= MODEL_THRESHOLD:
                # Below any rule decision's confidence: a person can tell the two apart.
                confidence = round(min(MODEL_MAX_CONFIDENCE, guess.probability), 2)
                return Classification(Intent(guess.label), confidence, guess.evidence, language)
        return Classification(I.OTHER, 0.3 if norm.strip() else 0.0, (), language)


def _decide(scores: dict[Intent, float]) -> Intent:
    if not scores or max(scores.values()) < MIN_SCORE:
        return I.OTHER  # a lone "?" or one weak word is no evidence: leave it to a person
    if scores.get(I.ABUSIVE, 0.0) >= ABUSIVE_THRESHOLD:
        return I.ABUSIVE
    candidates: dict[Intent, float] = {k: v for k, v in scores.items() if k is not I.ABUSIVE}
    # Tiers: a stated reason, then an explicit wish (return, refund, cancel), then the rest.
    for tier in (REASONS, WISHES):
        strong = {k: v for k, v in candidates.items() if k in tier}
        if strong and max(strong.values()) >= REASON_THRESHOLD:
            candidates = strong
            break
    if not candidates:
        return I.OTHER
    best = max(candidates.values())
    return next(i for i in PRIORITY if candidates.get(i) == best)


class ModelClassifier:
    """The default IntentClassifier: the trained understanding model behind the old interface.

    Loads the artifact on first use. If it cannot be loaded (a broken install), the rule
    classifier answers and the failure is logged once — messages are never dropped.
    """

    def __init__(self, fallback: IntentClassifier | None = None) -> None:
        self.fallback = fallback or RuleClassifier()
        self._failed = False

    def classify(self, subject: str, body: str, *, attachments: int = 0) -> Classification:
        if not self._failed:
            try:
                from spconnector.understanding.model import default_model

                model = default_model()
            except Exception as exc:  # a missing/corrupt artifact must not stop intake
                self._failed = True
                import logging

                logging.getLogger(__name__).error(
                    "understanding model unavailable (%s); rule classifier answers",
                    type(exc).__name__,
                )
            else:
                understood = model.understand(subject, body, attachments=attachments)
                return Classification(
                    understood.intent,
                    understood.confidence,
                    understood.evidence,
                    understood.language,
                    understood,
                )
        return self.fallback.classify(subject, body)


_DEFAULT = ModelClassifier()


def classify(subject: str, body: str) -> Classification:
    """Classify one buyer message with the trained understanding model."""
    return _DEFAULT.classify(subject, body)
