"""What a buyer's message says: the intent, what the buyer wants, and signals beside them.

Produced by the understanding model (spconnector.understanding) or, per tenant, by Bedrock;
read by the policy. Pure data: nothing here knows how it was produced. `model_version` names
the artifact (or the Bedrock model) that decided, so every decision can say which one it was.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from spconnector.domain.enums import Intent


class Want(StrEnum):
    """What the buyer asks for, whatever the reason, judged against the item ordered (the
    labels' convention: understanding.corpus.sources)."""

    REFUND = "refund"
    REPLACEMENT = "replacement"  # the ordered item (again); for a wrong item, the one ordered
    EXCHANGE = "exchange"  # another size, colour or variant than the one ordered
    RETURN = "return"
    INFO = "info"  # an answer: where is it, how does it work, what are my options
    CANCEL = "cancel"
    NOTHING = "nothing"  # thanks, praise, a note
    OTHER = "other"  # no clear wish


class Signal(StrEnum):
    """Facts about a message that matter whatever its intent."""

    ABUSIVE = "abusive"  # insults or threats: the owner answers
    SAFETY = "safety"  # fire, burn, shock, injury: an urgent person
    PHOTO = "photo"  # a photo attached or promised
    QUESTION = "question"  # the buyer asks something and expects an answer
    THANKS_ONLY = "thanks_only"  # pure thanks: a "no response needed" candidate


class Understanding(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    intent: Intent
    wants: Want = Want.OTHER
    signals: frozenset[Signal] = frozenset()
    language: str = "en"
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)  # calibrated, of the intent
    # The calibrated probability of every intent the model found likely (≥ 0.01): the policy
    # weighs how sure the reading is of the intents that lead to the same decision.
    intent_probabilities: dict[Intent, float] = {}
    wants_confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    evidence: tuple[str, ...] = ()  # the words that weighed most for the intent
    model_version: str = ""
    low_confidence: bool = False  # below the model's threshold: a person reads it


@dataclass(frozen=True, slots=True)
class Classification:
    """One classifier's reading of a message (rules, the model or Bedrock)."""

    intent: Intent
    confidence: float
    evidence: tuple[str, ...]
    language: str
    understanding: Understanding | None = None  # the model's full reading, when a model read it


class IntentClassifier(Protocol):
    """Anything that reads a message into a Classification (the email parser takes one)."""

    def classify(self, subject: str, body: str) -> Classification: ...
