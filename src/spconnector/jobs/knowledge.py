"""The tenant's knowledge base at work: grounded answers to product questions, tips for
educate replies, and known defects recognised before a case is educated.

Guarantees:
- A product question is answered from KB entries only when retrieval is confident (a question
  in parts: every part, each from its own entry); else the
  holding reply goes out as before and a person gets the case with the best candidate entries
  as a draft (the case ends escalated, not answered).
- With Bedrock on for the tenant (off by default), a confident answer is phrased by the model
  from its entries only; a phrasing the support check rejects goes to a person as a draft,
  never to the buyer; any other phrasing failure sends the entries' own words.
- Educate replies carry the product's own tips and normal-wear entries, nothing invented.
- A symptom the KB lists as a known defect turns an `educate` decision into the policy's
  decision for a defect (the policy, its guards and budgets still decide any money).
- Without a KB, or when the KB cannot be read, everything behaves as it did before; a KB that
  cannot be read is counted (metric KnowledgeBaseUnavailable, alarmed per tenant).

The KB modules (retrieval imports numpy and rank_bm25) are imported on first use, not with
this module: ProcessCase imports it for every case, most of which never read a KB.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from spconnector.domain import Action, BuyerMessage, Case, Decision, Intent, Order, Tenant
from spconnector.jobs.services import Services
from spconnector.observability import get_logger

if TYPE_CHECKING:
    from spconnector.kb.answer import KbAnswer
    from spconnector.kb.phrasing import BedrockPhraser, Phrased
    from spconnector.kb.retrieval import KbIndex
    from spconnector.kb.store import KbStore

log = get_logger(__name__)

PRODUCT_QUESTION_TEMPLATE = "acknowledge.product_question"
KB_ANSWER_TEMPLATE = "acknowledge.kb_answer"


@lru_cache(maxsize=64)
def _index(text: str) -> KbIndex:
    # keyed by the text: a pushed version is immutable, so the index can be reused
    from spconnector.kb.loader import load_kb
    from spconnector.kb.retrieval import KbIndex

    return KbIndex(load_kb(text))


def kb_store(services: Services) -> KbStore:
    return services.kb


def kb_index_for(services: Services, tenant: Tenant) -> KbIndex | None:
    try:
        store = kb_store(services)
        current = store.current(tenant.tenant_id)
        return None if current is None else _index(store.text(current))
    except Exception as exc:  # a KB that cannot be read must not stop a reply
        log.warning("knowledge base unavailable", extra={"error": type(exc).__name__})
        # the reply still goes out, so only a metric (and its alarm) tells anyone
        from spconnector.impact.metrics import TenantMetrics

        with TenantMetrics(tenant.tenant_id) as metrics:
            metrics.kb_unavailable()
        return None


def order_sku(order: Order | None) -> str | None:
    return order.items[0].sku if order is not None and order.items else None


@dataclass(frozen=True)
class Grounding:
    decision: Decision
    context: dict[str, Any] = field(default_factory=dict)  # extra ReplyContext fields
    handover: tuple[str, ...] = ()  # reasons and draft for a person; empty: none needed
    outcome: dict[str, Any] = field(default_factory=dict)  # for the result and the ledger


def ground_reply(
    services: Services, tenant: Tenant, case: Case, decision: Decision, message: BuyerMessage
) -> Grounding:
    """What the KB adds to the reply for this decision (nothing, if it has no say)."""
    asks = decision.reply_template == PRODUCT_QUESTION_TEMPLATE
    educates = decision.action is Action.EDUCATE
    if not (asks or educates):
        return Grounding(decision)
    index = kb_index_for(services, tenant)
    if index is None:
        return Grounding(decision)
    from spconnector.kb.answer import answer_question, educate_from_kb

    sku = _sku(services, tenant, case)
    if asks:
        answer = answer_question(index, message.body, message.language, sku=sku)
        if answer.answered and answer.text and answer.entry is not None:
            entries = [e.key for e in answer.entries]
            text, phrasing = answer.text, None
            phrased = _phrased_once(services, tenant, case, message, answer, index)
            if phrased is not None:
                phrasing = phrased.outcome
                if phrased.draft is not None:
                    # the model said something the entries do not: a person decides
                    draft = kb_draft(answer, message.language, index.kb.default_language)
                    return Grounding(
                        decision,
                        handover=(
                            f"Bedrock's phrasing was not sent: {phrased.outcome}",
                            f"Bedrock draft (check it against the entries): {phrased.draft}",
                            *draft,
                        ),
                        outcome={"state": "handed_over", "candidates": entries},
                    )
                text = phrased.text or text
            return Grounding(
                decision.model_copy(update={"reply_template": KB_ANSWER_TEMPLATE}),
                context={"kb_answer": text, "language": answer.language},
                outcome={
                    "state": "answered",
                    "entry": answer.entry.key,
                    "entries": entries,
                    **({"phrasing": phrasing} if phrasing else {}),
                },
            )
        draft = kb_draft(answer, message.language, index.kb.default_language)
        return Grounding(
            decision,
            handover=(f"product question not answered from the KB: {answer.reason}", *draft),
            outcome={"state": "handed_over", "candidates": [c.ref.key for c in answer.candidates]},
        )
    education = educate_from_kb(index, message.body, message.language, sku=sku)
    if education is not None and education.needs_person:
        # it may be a defect the KB lists: the reply goes, and a person looks at it now
        return Grounding(
            decision,
            handover=(f"educated, but {education.reason}",),
            outcome={"state": "handed_over"},
        )
    if education is None or not education.tips:
        return Grounding(decision)
    matched = education.matched
    context: dict[str, Any] = {"care_notes": education.tips}
    if education.language is not None:
        context["language"] = education.language
    return Grounding(
        decision,
        context=context,
        outcome={"state": "educated", "entry": matched.key if matched else None},
    )


def kb_draft(answer: KbAnswer, language: str, default_language: str) -> tuple[str, ...]:
    """The candidate entries' own words for the person who answers instead: for a question
    in parts, each part's best candidates first, so every part has its draft."""
    from spconnector.kb.answer import entry_text

    groups = [p.candidates for p in answer.parts] if answer.parts else [answer.candidates]
    lines: list[str] = []
    seen: set[str] = set()
    for n, candidates in enumerate(groups, 1):
        label = f"part {n}: " if answer.parts else ""
        for c in candidates[:2] if answer.parts else candidates:
            if c.ref.key in seen:
                continue
            seen.add(c.ref.key)
            lines.append(
                f"{label}draft from KB {c.ref.key} (confidence {c.confidence:.2f}): "
                f"{entry_text(c.ref, language, default_language)[0]}"
            )
    return tuple(lines)


def known_defect_intent(
    services: Services, tenant: Tenant, order: Order | None, body: str, language: str
) -> str | None:
    """The KB entry that says the buyer's symptom is a known defect, if confidently so."""
    index = kb_index_for(services, tenant)
    if index is None:
        return None
    from spconnector.kb.answer import educate_from_kb

    education = educate_from_kb(index, body, language, sku=order_sku(order))
    if education is not None and education.known_defect is not None:
        return education.known_defect.key
    return None


def redecide_known_defect(
    services: Services, tenant: Tenant, case_input: Any, decision: Decision, decide: Any
) -> Decision:
    """An `educate` decision for a symptom the KB calls a known defect is decided again as a
    defect: the policy (rules, guards, budgets, approval) decides what that means."""
    message = case_input.message
    if decision.action is not Action.EDUCATE or message is None or not message.body:
        return decision
    language = _language_of(message.body)
    entry = known_defect_intent(services, tenant, case_input.order, message.body, language)
    if entry is None:
        return decision
    # decided on the defect alone: the buyer's "is it normal wear?" would lead back to educate
    as_defect = case_input.model_copy(
        update={"message": message.model_copy(update={"intent": Intent.DEFECTIVE, "body": ""})}
    )
    redecided: Decision = decide(as_defect)
    if redecided.action is Action.EDUCATE:
        return decision
    return redecided.model_copy(
        update={
            "rules": ("kb-known-defect", *redecided.rules),
            "explanation": f"the knowledge base lists this symptom as a known defect ({entry}); "
            + redecided.explanation,
        }
    )


def _phrased_once(
    services: Services,
    tenant: Tenant,
    case: Case,
    message: BuyerMessage,
    answer: KbAnswer,
    index: KbIndex,
) -> Phrased | None:
    """Bedrock's phrasing of this answer to this message (None: Bedrock is off for the
    tenant), asked once and kept with the case: the console's draft, each page view and the
    reply sent after a person's approval are the same words, for one model call. A phrasing
    that failed is not kept (the entries' own words go; the next draft asks again)."""
    from spconnector.kb.answer import entry_text
    from spconnector.kb.phrasing import Phrased

    phraser = _phraser(services, tenant)
    if phraser is None:
        return None
    default = index.kb.default_language
    # the same message, language and entry texts: the same phrasing (a new KB version with
    # other words for an entry is phrased anew)
    basis = [message.message_id, answer.language or ""] + [
        f"{e.key}\0{entry_text(e, answer.language or default, default)[0]}" for e in answer.entries
    ]
    key = hashlib.sha256("\0".join(basis).encode()).hexdigest()
    kept = services.cases.kept_phrasing(tenant.tenant_id, case.case_id, key)
    if kept is not None:
        return Phrased(**json.loads(kept))
    phrased = phraser.phrase(answer, message.body, default)
    if phrased.text is not None or phrased.draft is not None:
        data = json.dumps(dataclasses.asdict(phrased), ensure_ascii=False)
        services.cases.keep_phrasing(
            tenant.tenant_id, case.case_id, key, data, anchor=message.received_at
        )
    return phrased


def _phraser(services: Services, tenant: Tenant) -> BedrockPhraser | None:
    from spconnector.kb.phrasing import phraser_for_tenant

    try:
        return phraser_for_tenant(tenant.tenant_id, ledger=lambda: services.bedrock_spend)
    except Exception as exc:  # no phrasing: the entries' own words are the answer
        log.warning("bedrock phrasing unavailable", extra={"error": type(exc).__name__})
        return None


def _language_of(body: str) -> str:
    from spconnector.intake.language import detect_language

    return detect_language(body)[0]


def _sku(services: Services, tenant: Tenant, case: Case) -> str | None:
    if not case.amazon_order_id:
        return None
    try:
        return order_sku(services.sp(tenant).get_order(case.amazon_order_id))
    except Exception as exc:  # without the order the question's own words set the scope
        log.warning("order not read for the KB", extra={"error": type(exc).__name__})
        return None
