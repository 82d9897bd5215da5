"""Render a Decision into a buyer reply: sandboxed Jinja2 templates shipped in the package,
strict about undefined variables, buyer text passed only as data."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound
from jinja2.sandbox import ImmutableSandboxedEnvironment

from spconnector.domain.decision import Decision
from spconnector.replies import sanitize
from spconnector.replies.language import language_for, supported_language
from spconnector.replies.lint import compliance_findings, contact_findings, lint
from spconnector.replies.models import RenderedReply, ReplyContext
from spconnector.replies.money_format import format_money

TEMPLATE_DIR = Path(__file__).parent / "templates"
_NAME = re.compile(r"^[a-z][a-z_]*(?:\.[a-z][a-z_]*)?$")
_SUBJECT = re.compile(r"^Subject:[ \t]*(.+)$")


class ReplyRenderError(ValueError):
    """The reply could not be rendered (unknown template, missing variable, bad context)."""


def _refuse_none(value: Any) -> Any:
    # A None printed into a reply would read "None" to the buyer: a template bug, not a blank.
    if value is None:
        raise ReplyRenderError("a template printed a value that is None; guard it with {% if %}")
    return value


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        undefined=StrictUndefined,
        autoescape=False,  # plain text; buyer text never becomes source, see sanitize.py
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_refuse_none,
        auto_reload=False,
    )


def template_names() -> list[str]:
    """Every reply template name (the same set exists for each language)."""
    return sorted(p.stem for p in (TEMPLATE_DIR / "en").glob("*.j2") if not p.name.startswith("_"))


def candidate_names(decision: Decision) -> list[str]:
    """`<action>.<variant>` → `<action>` → the decision's action."""
    names: list[str] = []
    wanted = decision.reply_template
    if wanted:
        if not _NAME.match(wanted):
            raise ReplyRenderError(f"reply_template {wanted!r} is not a template name")
        names.append(wanted)
        if "." in wanted:
            names.append(wanted.split(".", 1)[0])
    names.append(decision.action.value)
    return list(dict.fromkeys(names))


def resolve_language(context: ReplyContext) -> str:
    if context.language is not None:
        explicit = supported_language(context.language)
        if explicit is None:
            raise ReplyRenderError(f"no reply templates for language {context.language!r}")
        return explicit
    return language_for(context.buyer_locale, context.marketplace_id)


def _variables(decision: Decision, context: ReplyContext, language: str) -> dict[str, Any]:
    refund = decision.refund
    if context.refund is not None and (
        refund is None
        or context.refund.currency != refund.currency
        or context.refund.amount != refund.amount
    ):
        raise ReplyRenderError("the context's refund does not match the decision's refund")
    buyer_name = sanitize.buyer_text(context.buyer_name, limit=60)
    items = [t for t in (sanitize.seller_text(x, limit=80) for x in context.item_titles) if t]
    return {
        "order_id": context.amazon_order_id,
        "buyer_name": buyer_name,
        "buyer_first_name": sanitize.first_name(buyer_name),
        "items": items,
        "item": items[0] if items else None,
        "buyer_quote": sanitize.buyer_text(context.buyer_quote, limit=200),
        "seller_name": sanitize.seller_text(context.seller_name, limit=80),
        "signature_name": sanitize.seller_text(context.signature_name, limit=80),
        "care_notes": [n for n in (sanitize.seller_text(x) for x in context.care_notes) if n],
        "kb_answer": sanitize.seller_text(context.kb_answer, limit=1200),
        "refund_amount": (
            format_money(refund.amount, refund.currency, language) if refund else None
        ),
        "requires_return": refund.requires_return if refund else None,
        "replacement": sanitize.seller_text(context.replacement, limit=120),
        "ask_for_photos": decision.ask_for_photos,
        "hours": context.answer_within_hours,
        "channel": context.reply_channel,
    }


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return out.strip()


def _split_subject(text: str, name: str) -> tuple[str, str]:
    first, _, rest = text.partition("\n")
    match = _SUBJECT.match(first)
    if not match:
        raise ReplyRenderError(f"template {name!r} must start with a 'Subject:' line")
    return match.group(1).strip(), rest.strip()


def _mask_quoted(text: str, variables: dict[str, Any]) -> str:
    """The lint judges what we write, not what we quote: the buyer's words (which may say
    "discount" or "sorry if") and the catalog's item titles ("Five Star Notebook", "Gift Card
    Holder") are blanked before linting, which also keeps PII out of the findings' excerpts."""
    quoted = [variables.get(k) for k in ("buyer_quote", "buyer_name", "buyer_first_name")]
    quoted += variables.get("items") or []
    for value in sorted((q for q in quoted if q), key=len, reverse=True):
        text = _blank_whole(text, value)
    return text


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"  # what `\w` matches in a str pattern


def _blank_whole(text: str, value: str) -> str:
    r"""`value` blanked wherever it stands as a whole (no word character just before or after
    it), left to right — what re.sub(r"(?<!\w)VALUE(?!\w)") does, without compiling a new
    pattern for every buyer's words (that compile was most of a render's cost)."""
    parts: list[str] = []
    start = at = 0
    while (at := text.find(value, at)) >= 0:
        end = at + len(value)
        if (at == 0 or not _is_word(text[at - 1])) and (
            end == len(text) or not _is_word(text[end])
        ):
            parts += [text[start:at], "░" * len(value)]
            start = at = end
        else:
            at += 1
    return "".join(parts) + text[start:] if parts else text


def render_reply(decision: Decision, context: ReplyContext) -> RenderedReply:
    """The reply for a decision, in the buyer's language, with its lint findings.

    A reply whose `ok` is False must not be sent: escalate the case with `findings`.
    Raises ReplyRenderError when no template fits or a template needs a missing variable.
    """
    language = resolve_language(context)
    env = environment()
    template = None
    resolved = ""
    for name in candidate_names(decision):
        try:
            template = env.get_template(f"{language}/{name}.j2")
        except TemplateNotFound:
            continue
        resolved = name
        break
    if template is None:
        raise ReplyRenderError(
            f"no {language} template for {decision.reply_template or decision.action.value!r}"
        )
    variables = _variables(decision, context, language)
    try:
        text = template.render(variables)
    except ReplyRenderError:
        raise
    except TemplateError as exc:  # UndefinedError, SecurityError, syntax errors
        raise ReplyRenderError(f"template {language}/{resolved}: {exc}") from exc
    subject, body = _split_subject(_tidy(text), resolved)
    # Contacts and links are judged on the reply exactly as it would go out, subject and body
    # together, whatever wrote them (a display name, the buyer's quoted words, a catalog
    # title); only the wording checks skip the quoted words, which are the buyer's, not ours.
    findings = contact_findings(f"{subject}\n{body}", allowed_domains=context.allowed_domains)
    findings += lint(
        _mask_quoted(body, variables),
        channel=context.reply_channel,
        amazon_order_id=context.amazon_order_id,
        proactive=context.proactive,
        allowed_domains=context.allowed_domains,
        action=resolved,
        contacts=False,
    )
    findings += compliance_findings(
        _mask_quoted(subject, variables),
        channel="email",
        allowed_domains=context.allowed_domains,
        contacts=False,
    )
    return RenderedReply(
        subject=subject, body=body, language=language, template=resolved, findings=findings
    )


def with_edited_body(rendered: RenderedReply, body: str, context: ReplyContext) -> RenderedReply:
    """A person's edit of a rendered reply's body, with the lint findings of the edit.

    The edit is judged exactly as the template's own text is: contacts and links over subject
    and body together, then every compliance and tone check for the template's action (a
    person writing it does not make a link or an incentive allowed). `ok` False: never send.
    """
    body = _tidy(body)
    findings = contact_findings(
        f"{rendered.subject}\n{body}", allowed_domains=context.allowed_domains
    )
    findings += lint(
        body,
        channel=context.reply_channel,
        amazon_order_id=context.amazon_order_id,
        proactive=context.proactive,
        allowed_domains=context.allowed_domains,
        action=rendered.template,
        contacts=False,
    )
    return rendered.model_copy(update={"body": body, "findings": findings})
