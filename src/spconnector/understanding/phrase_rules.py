"""The transparent phrase rules in en/de/fr/es/it: the rule classifier's table, the abusive
signal, and the text normalization both are written for.

Every rule is a regular expression over a normalized text (lower case, accents removed,
ß → ss, typographic apostrophes straightened) with a weight. Rules marked `negatable`
describe a state ("damaged", "broken") and are skipped when a negation ("not", "nicht",
"pas", "no", "non", …) stands just before them in the same clause. Every pattern is linear
(bounded quantifiers only): buyer text is untrusted.

The table is compiled on first use (`rules()`), not on import: compiling its patterns takes
~0.1 s, which a handler that never reads buyer text by rule must not pay in its cold start.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from spconnector.domain.enums import Intent
from spconnector.understanding.phrase_table import TABLE

ABUSIVE_THRESHOLD = 2.0  # summed weight of insults/threats that makes a message abusive


_NEGATION = re.compile(
    r"(?<![\w])(not|no|never|n't|without|nicht|kein\w*|ohne|pas|sans|aucun\w*|ni|sin|"
    r"ningun\w*|nunca|non|senza|nessun\w*|mai)(?![\w])|n't"
)
_CLAUSE_END = re.compile(r"[.!?;:\n]|\b(but|aber|mais|pero|ma|sondern)\b")
_SPECIAL = str.maketrans({"ß": "ss", "’": "'", "‘": "'", "`": "'", "´": "'"})


def normalize(text: str) -> str:
    """Lower case, without accents, straight apostrophes — what the rules are written for."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _negated(text: str, start: int) -> bool:
    window = text[max(0, start - 40) : start]
    ends = list(_CLAUSE_END.finditer(window))
    if ends:
        window = window[ends[-1].end() :]
    return _NEGATION.search(window) is not None


@dataclass(frozen=True, slots=True)
class Rule:
    intent: Intent
    pattern: re.Pattern[str]
    weight: float
    negatable: bool = False
    word_start: bool = True  # the match must not start inside a word

    def find(self, text: str) -> re.Match[str] | None:
        """First match that starts a word (and is not negated, for negatable rules)."""
        at = 0
        search = self.pattern.search
        while (match := search(text, at)) is not None:
            start = match.start()
            if self.word_start and start and (text[start - 1].isalnum() or text[start - 1] == "_"):
                at = start + 1
            elif self.negatable and _negated(text, start):
                at = match.end() if match.end() > start else start + 1
            else:
                return match
        return None


I = Intent  # noqa: E741 - keeps the rule tables readable (intake/classifier uses it too)


def _compile() -> tuple[Rule, ...]:
    rules = []
    for value, weight, negatable, patterns in TABLE:
        intent = Intent(value)
        for pattern in patterns:
            # Word rules start at a word boundary; rules opening with "(?:" or punctuation
            # ("?") place their own anchors.
            # The boundary is checked in Rule.find, not with a look-behind: a pattern that
            # opens with a literal lets the regex engine skip ahead, several times faster.
            own_anchor = pattern.startswith("(?:") or not (
                pattern[0].isalnum() or pattern[0] in "(\\"
            )
            # …and ends at a word's end ("grosse" is not in "grossen"); patterns that accept
            # endings say so with \w*. Patterns ending in a literal "?" need no end.
            ends_free = pattern.endswith("\\?")
            compiled = re.compile(pattern if ends_free else f"(?:{pattern})(?!\\w)")
            rules.append(Rule(intent, compiled, weight, negatable, word_start=not own_anchor))
    return tuple(rules)


@cache
def rules() -> tuple[Rule, ...]:
    """The compiled table, strong rules first, so weak single words inside a strong phrase
    can defer to it."""
    return tuple(sorted(_compile(), key=lambda rule: -rule.weight))
