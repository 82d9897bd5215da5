"""Language-aware tokens for retrieval: lower-cased words, function words dropped, Snowball
stems (EN/DE/FR/ES/IT), so "dishwasher-safe" and "dishwasher safe", "Klingen" and "Klinge"
meet. The stop lists are short on purpose: general-purpose lists drop words such as "use",
"small", "thick" or "long" that carry a product question."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import snowballstemmer

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)
_STEMMERS = {"en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian"}

_STOP_WORDS: dict[str, str] = {
    "en": (
        "a an the and or but if of to in on at by for with from as is are was were be been am "
        "do does did i me my we our you your it its this that these those there here what which "
        "who whom can could would should will shall may might must have has had hi hello hey "
        "thanks thank please so just about any some also too very really s t d ll m re ve "
        "not no yes one get got dear cheers regards kind wishes morning afternoon evening "
        "quick question guys folks"
    ),
    "de": (
        "der die das den dem des ein eine einen einem einer eines und oder aber wenn von zu im "
        "in an am auf bei für mit aus als ist sind war waren sein bin ich mich mein meine wir "
        "unser sie ihr ihre es sich dies diese dieser dieses da hier was welche welcher wer "
        "kann können könnte würde sollte wird werden hat haben hatte hallo danke bitte so nur "
        "auch sehr noch schon man denn mal ja nein nicht kein keine gibt guten tag morgen "
        "abend grüße gruß viele liebe vielen freundlichen eigentlich einfach darf dürfen muss "
        "müssen soll sollen will möchte möchten"
    ),
    "fr": (
        "le la les l un une des du de d et ou mais si à au aux en dans sur par pour avec est "
        "sont était être suis je j me m mon ma mes nous notre vous votre il elle on ce cet "
        "cette ces c qu que qui quoi quel quelle y a ai peut peuvent pouvez puis bonjour merci "
        "svp s il plaît aussi très ne pas non oui est-ce se sa son ses bonsoir salut "
        "cordialement avance madame monsieur faut dois doit peux"
    ),
    "es": (
        "el la los las un una unos unas y o pero si de del a al en por para con es son era "
        "ser soy estoy está yo me mi mis nosotros nuestro usted ustedes su sus lo le se este "
        "esta esto estos esas ese eso que qué cual cuál quien hay puede pueden puedo hola "
        "gracias por favor también muy no sí tiene tienen buenas buenos días tardes saludos "
        "muchas cordial debo debe"
    ),
    "it": (
        "il lo la i gli le un uno una e o ma se di del della dei delle a al alla in nel nella "
        "su sul sulla sullo sui sulle nello negli nelle dello degli dai dal dalla dalle allo "
        "agli alle col per con è sono era essere io mi mio mia miei noi nostro voi vostro lui "
        "lei si "
        "questo questa questi quello quella che chi cosa quale c ci ha hanno ho può possono "
        "posso buongiorno ciao grazie per favore anche molto non no sì buonasera salve mille "
        "saluti cordiali devo deve"
    ),
}
_STOP = {lang: frozenset(words.split()) for lang, words in _STOP_WORDS.items()}


def stop_words(language: str) -> frozenset[str]:
    return _STOP[language if language in _STEMMERS else "en"]


@cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(_STEMMERS.get(language, "english"))


def _fold(word: str) -> str:
    # accents as buyers type them vary ("déjà"/"deja"): fold after stemming
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def tokens(text: str, language: str, whole: frozenset[str] = frozenset()) -> list[str]:
    """The retrieval tokens of `text` read as `language` (unknown languages read as English).
    A hyphenated word whose joined stem is in `whole` ("lave-vaisselle") is that one token."""
    return list(_tokens(text, language, whole))


@lru_cache(maxsize=65536)  # a KB's texts are tokenized again for every index and corpus
def _tokens(text: str, language: str, whole: frozenset[str]) -> tuple[str, ...]:
    lang = language if language in _STEMMERS else "en"
    stop = _STOP[lang]
    stemmer = _stemmer(lang)
    words: list[str] = []
    if lang == "fr":  # "existe-t-il", "peut-on": the inverted pronoun is not part of the verb
        text = _FR_INVERSION.sub("", text)
    for match in _WORD.finditer(text):
        word = match.group(0).lower()
        parts = word.split("-")
        if len(parts) > 1 and whole and _fold(stemmer.stemWord("".join(parts))) in whole:
            words.append("".join(parts))
            continue
        # "t-shirt" is a word of its own (not "shirt"); "dishwasher-safe" also meets its parts
        kept = [p for p in parts if p not in stop]
        words += kept
        if len(parts) > 1 and kept:  # "est-il" is all function words: nothing
            words.append("".join(parts))
    return tuple(_fold(s) for s in stemmer.stemWords(words) if s)


_FR_INVERSION = re.compile(r"-(?:t-)?(?:il|elle|on|ils|elles|je|tu|nous|vous)\b", re.IGNORECASE)

# a sentence ends at . ! ? … or a line break; "18/8" or "6.7 in" stay whole (no space after)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def sentences(text: str) -> list[str]:
    """The text cut into sentences (greetings, context and sign-offs become their own)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


FRAGMENT_WORDS = 6  # "pan diameter and depth", "Pfanne Riss im Boden", "Bürste dabei?"


def is_short(text: str) -> bool:
    """One short run of words that does not end as a statement does (a period or an
    exclamation mark): "skillet weight", "Material der Presse?"."""
    said = sentences(text)
    if len(said) != 1 or said[0].rstrip().endswith((".", "!", "…")):
        return False
    return len(re.findall(r"\w+", said[0])) <= FRAGMENT_WORDS


def is_fragment(text: str) -> bool:
    """Search-box words rather than a sentence: short, and ending in no punctuation at all. A
    buyer typing "skillet weight" asks for it; "The blade wobbles." reports something."""
    return is_short(text) and not text.rstrip().endswith(("?", "？"))


def is_question(sentence: str) -> bool:
    """A sentence that asks: it ends in a question mark, or it asks without one ("I was
    wondering whether …", "je voudrais savoir si …")."""
    return sentence.rstrip().endswith(("?", "？")) or _LEAD_IN.search(sentence) is not None


# the words a buyer puts before a question they ask indirectly, in the five languages; they
# say nothing of what is asked (and no KB entry uses them), so they are cut before scoring
_LEAD_IN = re.compile(
    r"\b(?:"
    r"i(?:\s+was|\s+am|['’]m)\s+wondering|i\s+wonder|i(?:\s+would|['’]d)\s+(?:like|love)\s+to\s+know|"
    r"i\s+(?:want|wanted)\s+to\s+(?:know|ask)|(?:could|can|would)\s+you\s+(?:please\s+)?"
    r"(?:tell|let)\s+me(?:\s+know)?|(?:please\s+)?let\s+me\s+know|please\s+tell\s+me|"
    r"(?:könnten|können|würden)\s+sie\s+mir\s+(?:bitte\s+)?sagen|ich\s+(?:wollte|möchte|würde)"
    r"\s+(?:gerne?\s+)?(?:fragen|wissen)|ich\s+frage\s+mich|ich\s+wüsste\s+gerne?|"
    r"sagen\s+sie\s+mir\s+bitte|"
    r"je\s+(?:voudrais|souhaiterais|veux|voulais)\s+savoir|j['’]aimerais\s+savoir|"
    r"je\s+me\s+demande|(?:pourriez|pouvez)[\s-]vous\s+me\s+dire|"
    r"(?:quisiera|quería|quiero|querría)\s+saber|me\s+gustaría\s+saber|me\s+pregunto|"
    r"(?:podrían|podría|pueden|puede)(?:\s+usted(?:es)?)?\s+decirme|"
    r"(?:vorrei|volevo|voglio)\s+(?:sapere|chiedere)|mi\s+piacerebbe\s+sapere|"
    r"mi\s+chiedo|(?:potreste|potrebbe|può|potete)\s+dirmi"
    r")\b[\s,:]*"
    r"(?:(?:whether|if|ob|si|se|wie|was|how|what|which|when)\b)?",
    re.IGNORECASE,
)
# the first words of a clause that asks, per language: "Hi, quick one, how do I …?" asks
# from "how" on
_ASKS = re.compile(
    r"(?:does|do|did|is|are|can|could|will|would|should|how|what|which|when|where|why|who|"
    r"has|have|any|"
    r"ist|sind|kann|kannst|können|könnte|hat|haben|wie|was|welche|welcher|welches|wann|wo|"
    r"warum|gibt|darf|muss|funktioniert|passt|läuft|"
    r"est-ce|peut-on|peut|pouvez|comment|quel|quelle|quels|quelles|combien|où|pourquoi|"
    r"y\s+a-t-il|faut-il|"
    r"se|puede|pueden|tiene|tienen|cómo|qué|cuál|cuánto|cuánta|cuántos|cuántas|dónde|cuándo|"
    r"viene|hay|"
    r"si|può|possono|come|quale|quali|quanto|quanta|quanti|quante|dove|quando|c['’]è|ci\s+sono"
    r")\b",
    re.IGNORECASE,
)


def question_focus(sentence: str) -> str:
    """The question a sentence asks, without what the buyer put before it: the words after
    an indirect lead-in ("I was wondering whether the skillet …" → "the skillet …"), after
    a colon ("Hi, before I buy: is it …?" → "is it …?"), or from the first comma-separated
    clause that asks ("Hello, I'm careful, what is it made of?"). Unchanged when nothing
    comes before the question (Spanish: from its "¿")."""
    found = _LEAD_IN.search(sentence)
    if found is not None and sentence[found.end() :].strip():
        return sentence[found.end() :].strip()
    if ": " in sentence and (tail := sentence.rsplit(": ", 1)[1].strip()):
        sentence = tail
    if "¿" in sentence:  # Spanish marks where the question starts
        return sentence[sentence.index("¿") :].strip()
    clauses = sentence.split(", ")
    for n, clause in enumerate(clauses):
        if _ASKS.match(clause.strip().lstrip("¿¡")):
            return ", ".join(clauses[n:]).strip() if n else sentence
    return sentence


def compound_parts(word: str, vocabulary: frozenset[str] | set[str]) -> list[str]:
    """The parts of a German compound that the KB uses as words of their own, at least 4
    letters each: "glaskann" → "kann", "glas"; "spulmaschinenf" → "spulmaschin" (a linking
    -s-, -n- or -en- between the parts is allowed). Empty when the KB uses the word whole."""
    if len(word) < 8 or word in vocabulary:
        return []

    def known(head: str) -> str | None:
        for link in ("", "s", "n", "en", "es"):
            stem = head[: len(head) - len(link)]
            if head.endswith(link) and len(stem) >= 4 and stem in vocabulary:
                return stem
        return None

    for cut in range(4, len(word) - 3):  # the longest known tail first
        if (tail := word[cut:]) in vocabulary:
            head = known(word[:cut])
            return [tail] if head is None else [head, tail]
    for cut in range(len(word) - 2, 4, -1):  # else the longest known head
        if (head := known(word[:cut])) is not None:
            return [head]
    return []


def stem(word: str, language: str) -> str:
    """One word's retrieval stem (a hyphenated word joined): how `tokens` reads it whole."""
    lang = language if language in _STEMMERS else "en"
    return _fold(_stemmer(lang).stemWord(word.lower().replace("-", "")))


def surface_words(text: str) -> set[str]:
    """The text's words as written (lower-cased, accents folded; hyphenated also joined)."""
    found: set[str] = set()
    for match in _WORD.finditer(text):
        word = _fold(match.group(0).lower())
        found.add(word.replace("-", ""))
        found.update(word.split("-"))
    return found


_PLURAL_ENDINGS = frozenset({"s", "es", "n", "en", "e", "er", "ern"})
_VOWELS_S = frozenset("aeiosn")


def same_word(word: str, name: str) -> bool:
    """`word` is `name` or its plural (press/presses, Pfanne/Pfannen, tagliere/taglieri), a
    looser test than stems, which fold words that differ ("taglie" sizes, "tagliere" board)."""
    if word == name:
        return True
    short, long = sorted((word, name), key=len)
    if long.startswith(short) and long[len(short) :] in _PLURAL_ENDINGS:
        return True
    return (
        len(word) == len(name)
        and len(word) > 3
        and word[:-1] == name[:-1]
        and {word[-1], name[-1]} <= _VOWELS_S
    )


# the words of a follow-on question that asks nothing new, per language (stemmed as retrieval
# stems them): "Any tips?", "Is that normal?", "Is this covered?", "Irgendwelche Tipps?"
FOLLOW_ON = frozenset(
    t
    for lang, words in {
        "en": "tip tips advice idea ideas suggestion suggestions true normal ok okay right covered",
        "de": "tipp tipps rat ratschlag ideen irgendwelche normal stimmt richtig ok abgedeckt",
        "fr": "conseil conseils astuce astuces idée idées normal vrai ok couvert",
        "es": "consejo consejos idea ideas normal verdad ok alguno alguna cubierto",
        "it": "consiglio consigli idea idee normale vero ok qualche coperto",
    }.items()
    for t in tokens(words, lang)
)


def asks_something(text: str, language: str) -> bool:
    """Whether the text asks a question of its own: a follow-on about what was said ("Is that
    normal?", "Any tips?") asks about the statement before it, not something new."""
    return any(
        is_question(s) and not set(tokens(s, language)) <= FOLLOW_ON for s in sentences(text)
    )


# "How do I …?", "Wie reinige ich …?": the buyer asks for a way of doing something, which a
# tip or an FAQ gives; a specification or a wear note seldom does
_ASKS_HOW = {
    "en": re.compile(
        r"\bhow\s+(?:do|should|can|could|would|to|often|best|much\s+oil)\b|\bbest\s+way\b"
        r"|\bwhat\s+(?:should|can)\s+i\s+do\b|\bany\s+(?:tips|advice)\b",
        re.IGNORECASE,
    ),
    "de": re.compile(
        r"\bwie\s+(?:\w+\s+)?(?:ich|man)\b|\bwas\s+(?:soll|kann|mache)\b", re.IGNORECASE
    ),
    "fr": re.compile(r"\bcomment\b|\bque\s+(?:dois|faire)\b", re.IGNORECASE),
    "es": re.compile(
        r"\bc[óo]mo\s+(?:se\s+|puedo\s+|debo\s+|tengo\s+)?\w+\b|\bqu[ée]\s+hago\b", re.IGNORECASE
    ),
    "it": re.compile(
        r"\bcome\s+(?:si|devo|posso|faccio|va)\b|\bcosa\s+(?:devo|posso)\b", re.IGNORECASE
    ),
}


def asks_how(text: str, language: str) -> bool:
    """Whether a question of the text asks how to do something."""
    pattern = _ASKS_HOW.get(language)
    return pattern is not None and any(
        is_question(s) and pattern.search(s) for s in sentences(text) or [text]
    )
