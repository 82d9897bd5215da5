"""The buyer's own words: what is left of a relay mail without Amazon's wrapper, the quoted
history, the signature and the footer.

Guarantees: linear time. The text is handled line by line; each line is looked at only up
to MAX_LINE chars, with plain string tests or anchored patterns whose quantifiers are all
bounded, so no input (`-----` and 12,000 spaces included) can make a pattern backtrack.
Where a part cannot be told apart, the text is kept rather than lost: a person still reads
the whole mail.

How Amazon wraps a buyer's message, in every marketplace: an optional introduction ("You
have received a message."), a dashed banner naming the start ("------------- Begin message
-------------", "------------- Messaggio: -------------"), the buyer's text, a dashed
banner naming the end ("------------- End message -------------", "Fine messaggio"), then
Amazon's footer (order id and item, "For Your Information", "Was this email helpful?").
Outlook's "-----Original Message-----" has the same shape and is quoted history, not a
banner: dashed lines are told apart by their label. Amazon's newer layout has no banners:
a line holding only the label "Message:" ("Nachricht:", "Bericht:" …) starts the buyer's
text and a "View Message" (or "Reply") line, or the footer, ends it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LINE = 400
MAX_WORDS = 50_000  # a buyer's message is far shorter; the rest is kept, not examined

# Labels of dashed lines that start quoted history (Outlook, forwarding), any language.
_HISTORY_LABELS = (
    "original message", "ursprüngliche nachricht", "originalnachricht", "message d'origine",
    "message original", "mensaje original", "messaggio originale", "forwarded message",
    "weitergeleitete nachricht", "message transféré", "mensaje reenviado",
    "messaggio inoltrato", "oorspronkelijk bericht", "ursprungligt meddelande",
    "wiadomość oryginalna", "元のメッセージ", "転送メッセージ",
)  # fmt: skip
# Apple Mail's lead-in line before a forwarded mail's headers (no dashes), its locales.
FORWARD_LEADS = (
    "begin forwarded message:", "anfang der weitergeleiteten nachricht:",
    "début du message réexpédié :", "début du message réexpédié:",
    "inizio messaggio inoltrato:", "inicio del mensaje reenviado:",
    "comienzo del mensaje reenviado:", "begin doorgestuurd bericht:",
    "vidarebefordrat mejl:", "początek przekazywanej wiadomości:", "転送されたメッセージ:",
)  # fmt: skip
# Words that make a dashed banner the end of the buyer's message.
_END_WORDS = (
    "end", "fine", "ende", "fin", "finalizar", "einde", "slut", "koniec", "終了", "終わり",
)  # fmt: skip

# Lines that start Amazon's footer, any language (compared lower-case, as prefixes).
_FOOTER_PREFIXES = (
    "for your information", "zu ihrer information", "pour votre information",
    "para tu información", "para su información", "per tua informazione",
    "per vostra informazione", "nota informativa", "ter informatie", "för din information",
    "was this email helpful", "war diese e-mail hilfreich", "cet e-mail vous a-t-il été utile",
    "¿te ha resultado útil este correo", "¿le ha resultado útil este correo",
    "questa e-mail è stata utile", "resolve case", "risolvi caso", "fall lösen",
    "résoudre le cas", "resolver caso", "report suspicious activity",
    "segnala attività sospetta", "verdächtige aktivität melden",
    "signaler une activité suspecte", "denunciar actividad sospechosa",
    "copyright 20", "© 20",
)  # fmt: skip

# "On Tue, 17 Nov 2026 at 09:12, Jane <…> wrote:" and its translations; the line may wrap.
_ATTRIBUTION = re.compile(
    r"^(?:on|am|le|el|il giorno|il|op|den|dnia|w dniu)\b.{0,200}?"
    r"(?:wrote|schrieb|a écrit|escribió|ha scritto|scrisse|schreef|skrev|napisał|"
    r"написал|書きました)(?:\s[^:\n]{0,120})?\s{0,3}:?\s{0,3}$",
    re.IGNORECASE,
)
# Gmail in other locales: "2026年11月22日(日) 18:10 Name <addr>:", "22.11.2026 18:10, Name <addr>:"
_DATED_ATTRIBUTION = re.compile(
    r"^\d{1,4}[年/.\-]\s{0,2}\d{1,2}.{0,120}?<[^<>\s]{1,120}@[^<>\s]{1,120}>\s{0,3}:\s{0,3}$"
)
# Outlook's reply header: "From: …" followed within a few lines by "Sent: …" / "Date: …".
HEADER_FROM = re.compile(r"^(?:from|von|de|da|van|från|od|差出人)\s{0,2}:", re.IGNORECASE)
HEADER_SENT = re.compile(
    r"^(?:sent|gesendet|envoyé|enviado|inviato|verzonden|skickat|wysłano|date|datum|"
    r"fecha|data|送信日時)\s{0,2}:",
    re.IGNORECASE,
)
# A signature's start: "-- ", or a mobile client's line.
_MOBILE = re.compile(
    r"^(?:sent from my|get outlook for|von meinem .{1,30} gesendet|envoyé de mon|"
    r"enviado desde mi|inviato da(?:l mio)?|verzonden vanaf mijn|skickat från min|"
    r"wysłane z mojego)\b",
    re.IGNORECASE,
)
# A closing line on its own ("Thanks,", "Mit freundlichen Grüßen"), any language.
_CLOSING = re.compile(
    r"^(?:thanks?(?: you)?(?: so much)?|many thanks|regards|best(?: regards| wishes)?|"
    r"kind regards|cheers|sincerely|mit freundlichen grüßen|mfg|viele grüße|liebe grüße|"
    r"beste grüße|grüße|gruß|danke(?: schön)?|cordialement|bien cordialement|"
    r"merci(?: beaucoup)?|salutations|saludos(?: cordiales)?|un saludo|gracias|"
    r"cordiali saluti|distinti saluti|saluti|grazie(?: mille)?|met vriendelijke groet|"
    r"groeten|med vänliga hälsningar|pozdrawiam|よろしくお願いします)"
    r"\s{0,3}[,.!]{0,3}\s{0,3}$",
    re.IGNORECASE,
)


# Amazon's label-line layout: the label alone on its line, then the buyer's text, then a
# button line (compared lower-case; the end lines as prefixes).
_MESSAGE_LABELS = frozenset(
    {"message", "message from the buyer", "message from the customer", "nachricht",
     "nachricht des käufers", "message de l'acheteur", "mensaje", "mensaje del comprador",
     "messaggio", "messaggio dell'acquirente", "bericht", "meddelande", "wiadomość", "mesaj",
     "メッセージ"}
)  # fmt: skip
_VIEW_LINES = (
    "view message", "reply", "respond", "nachricht anzeigen", "antworten",
    "afficher le message", "répondre", "ver mensaje", "responder", "visualizza messaggio",
    "rispondi", "bericht bekijken", "beantwoorden", "visa meddelande", "svara",
    "wyświetl wiadomość", "odpowiedz", "mesajı görüntüle", "yanıtla", "メッセージを表示", "返信",
)  # fmt: skip


@dataclass(frozen=True)
class Banner:
    role: str  # begin | end | history | rule (a line of dashes only)


def banner(line: str) -> Banner | None:
    """A dashed line ("----- label -----") and what it marks, or None."""
    s = line.strip()[:MAX_LINE]
    if not (s.startswith("-----") or s.startswith("_____")):
        return None
    inner = s.strip("-_ \t")
    if not inner:
        return Banner("rule") if len(s) >= 5 else None
    if not (s.endswith("-----") or s.endswith("_____")):
        return None
    label = inner.rstrip(":").strip().lower()
    if len(label) > 60:
        return None
    if any(h in label for h in _HISTORY_LABELS):
        return Banner("history")
    first = label.split()[0] if label.split() else ""
    if first in _END_WORDS or label.endswith(_END_WORDS):
        return Banner("end")
    return Banner("begin")


def split_relay(text: str) -> tuple[str, str, bool]:
    """(the buyer's block, Amazon's parts around it, whether a begin banner was found)."""
    lines = _lines(text)
    begin = next((i for i, line in enumerate(lines) if _role(line) == "begin"), None)
    if begin is None:
        return _split_at_label(lines)
    end = next(
        (i for i in range(begin + 1, len(lines)) if _role(lines[i]) in ("end", "rule")),
        len(lines),
    )
    inside = lines[begin + 1 : end]
    around = lines[:begin] + lines[end + 1 :]
    return "\n".join(inside), "\n".join(around), True


def _split_at_label(lines: list[str]) -> tuple[str, str, bool]:
    """The label-line layout ("Message:" … "View Message"); the whole text when absent."""
    begin = next((i for i, line in enumerate(lines) if _is_message_label(line)), None)
    if begin is None:
        return "\n".join(lines), "", False
    end = next(
        (
            i
            for i in range(begin + 1, len(lines))
            if lines[i].strip()[:MAX_LINE].lower().startswith((*_VIEW_LINES, *_FOOTER_PREFIXES))
            and len(lines[i].strip()) <= 60
        ),
        len(lines),
    )
    inside = lines[begin + 1 : end]
    around = lines[:begin] + lines[end + 1 :]
    return "\n".join(inside), "\n".join(around), True


def _is_message_label(line: str) -> bool:
    s = line.strip()[:80]
    return s.endswith((":", "：")) and s[:-1].strip().lower() in _MESSAGE_LABELS


def _role(line: str) -> str | None:
    found = banner(line)
    return found.role if found else None


def buyer_words(text: str) -> str:
    """The buyer's own words of a relay mail (or of any reply): see the module docstring."""
    block, _around, _found = split_relay(text)
    return strip_reply(block)


def strip_reply(text: str) -> str:
    """The new text of a reply: without quoted history, signature, closing and footer."""
    lines = _lines(text[:MAX_WORDS])
    kept: list[str] = []
    for i, line in enumerate(lines):
        if _starts_history(lines, i):
            break
        if line.lstrip().startswith(">"):
            continue  # an interleaved quote
        kept.append(line.rstrip())
    _drop_closing(kept)
    return _tidy(kept)


def _starts_history(lines: list[str], i: int) -> bool:
    line = lines[i].strip()[:MAX_LINE]
    low = line.lower()
    if not line:
        return False
    role = _role(line)
    if role in ("history", "rule") or (role is None and line.startswith("______")):
        return True
    if low.startswith(_FOOTER_PREFIXES) or low in FORWARD_LEADS:
        return True
    if line in ("--", "-- ") or lines[i] == "-- " or _MOBILE.match(line):
        return True
    if _ATTRIBUTION.match(line) or _DATED_ATTRIBUTION.match(line):
        return True
    if i + 1 < len(lines) and len(line) < 200:
        # an attribution line wrapped once by the mail client
        joined = f"{line} {lines[i + 1].strip()[:MAX_LINE]}"
        if low.startswith(("on ", "am ", "le ", "el ", "il ", "op ")) and _ATTRIBUTION.match(
            joined
        ):
            return True
    if HEADER_FROM.match(line):
        window = lines[i + 1 : i + 5]
        return any(HEADER_SENT.match(w.strip()[:MAX_LINE]) for w in window)
    return False


def _drop_closing(kept: list[str]) -> None:
    """Cut "Thanks,\\nJane" (a closing and at most two short lines after it) off the end."""
    end = len(kept)
    while end and not kept[end - 1].strip():
        end -= 1
    for back in range(end - 1, max(end - 4, -1), -1):
        line = kept[back].strip()[:MAX_LINE]
        if _CLOSING.match(line):
            if back > 0 and all(len(x.strip()) <= 40 for x in kept[back + 1 : end]):
                del kept[back:]
            return
        if len(line) > 40:
            return


def _lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    return text.split("\n")


def _tidy(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1] == "":
                continue
            out.append("")
        else:
            out.append(line.rstrip())
    return "\n".join(out).strip()
