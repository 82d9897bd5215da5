"""`spconnector kb …`: write, check, push and try a seller's product knowledge base."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from spconnector.cli.errors import fail

if TYPE_CHECKING:
    from spconnector.kb import KbAnswer, KnowledgeBase

app = typer.Typer(no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _load_file(path: Path) -> tuple[str, KnowledgeBase]:
    from spconnector.kb import KbError, load_kb_file

    try:
        return load_kb_file(path)
    except KbError as exc:
        where = exc.location if exc.location and exc.location != str(path) else None
        fail(f"{path}: {where}: {exc.reason}" if where else f"{path}: {exc.reason}")


def _store() -> Any:
    from spconnector.aws.kb_store import S3KbStore

    return S3KbStore()


def _known_tenant(tenant_id: str) -> None:
    from spconnector.cli.tenants import _registry, _tenant_or_fail

    _tenant_or_fail(_registry(), tenant_id)


def _aws_failed(exc: Exception) -> Any:
    from spconnector.cli.tenants import _aws_call_failed

    _aws_call_failed(exc)


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="The knowledge base (.yaml or .csv).")],
) -> None:
    """Check a knowledge base; errors name their place (products.SKU.faq[2].answer …)."""
    from spconnector.kb import kb_version

    _text, kb = _load_file(file)
    entries = sum(len(p.entries()) for p in kb.products.values())
    entries += sum(len(f.entries()) for f in kb.families.values())
    typer.echo(
        f"ok: {file}: {len(kb.products)} products, {len(kb.families)} families, "
        f"{entries} entries, version {kb_version(kb)}"
    )


@app.command()
def push(
    tenant_id: Annotated[str, typer.Argument(metavar="TENANT", help="Tenant id.")],
    file: Annotated[Path, typer.Argument(help="The knowledge base (.yaml or .csv).")],
    as_json: JsonOpt = False,
) -> None:
    """Validate a knowledge base and make it the tenant's current one (every version is kept)."""
    text, _kb = _load_file(file)
    try:
        _known_tenant(tenant_id)
        record = _store().push(tenant_id, text)
    except typer.Exit:
        raise
    except Exception as exc:
        _aws_failed(exc)
    summary = {"tenant": tenant_id, "seq": record.seq, "version": record.version}
    typer.echo(json.dumps(summary, indent=2) if as_json else f"{tenant_id}: kb {record.version}")


@app.command()
def history(
    tenant_id: Annotated[str, typer.Argument(metavar="TENANT", help="Tenant id.")],
    as_json: JsonOpt = False,
) -> None:
    """Every knowledge-base version pushed for a tenant, oldest first."""
    try:
        _known_tenant(tenant_id)
        versions = _store().history(tenant_id)
    except typer.Exit:
        raise
    except Exception as exc:
        _aws_failed(exc)
    rows = [
        {"seq": v.seq, "version": v.version, "pushed_at": v.pushed_at.isoformat()} for v in versions
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
    elif not rows:
        typer.echo(f"{tenant_id}: no knowledge base pushed")
    else:
        for row in rows:
            typer.echo(f"{row['seq']:>4}  {row['version']}  {row['pushed_at']}")


@app.command()
def ask(
    tenant_id: Annotated[str, typer.Argument(metavar="TENANT", help="Tenant id.")],
    question: Annotated[str, typer.Argument(help="The buyer's question, in quotes.")],
    sku: Annotated[str | None, typer.Option("--sku", help="The SKU the order is for.")] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="en, de, fr, es or it (default: detected).")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Try a local KB file instead of the pushed one.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """What the engine would do with a product question: the matching entry, its score and
    the reply it would send, or "handed to a person" with the candidates."""
    from spconnector.intake.language import detect_language
    from spconnector.kb import KbIndex, answer_question, load_kb

    if language is not None and language not in ("en", "de", "fr", "es", "it"):
        fail(f"--language: {language!r} is not one of en, de, fr, es, it")
    if not question.strip():
        fail("QUESTION: the question is empty")
    if file is not None:
        _text, kb = _load_file(file)
    else:
        try:
            _known_tenant(tenant_id)
            store = _store()
            current = store.current(tenant_id)
            if current is None:
                fail(f"tenant {tenant_id!r}: no knowledge base pushed (spconnector kb push)")
            kb = load_kb(store.text(current))
        except typer.Exit:
            raise
        except Exception as exc:
            _aws_failed(exc)
    lang = language or detect_language(question)[0]
    answer = answer_question(KbIndex(kb), question, lang, sku=sku)
    reply = _reply_text(answer, tenant_id) if answer.answered else None
    if as_json:
        typer.echo(json.dumps(_as_json(answer, lang, reply), indent=2, ensure_ascii=False))
        return
    best = answer.search.best
    typer.echo(f"language: {lang}   scope: {', '.join(answer.search.scope) or '-'}")
    if answer.answered and best is not None:
        for part in answer.parts or (answer,):
            found = part.search.best
            assert found is not None
            typer.echo(
                f"match:    {found.ref.key}  probability {_shown(part.probability)} "
                f"(threshold {_shown(part.threshold)})  score {found.score:.2f}  confidence "
                f"{found.confidence:.2f}  margin {part.search.margin:.2f}"
            )
        typer.echo("reply:\n")
        typer.echo(reply or "")
        return
    typer.echo(f"handed to a person: {answer.reason}")
    typer.echo(
        f"decision: probability {_shown(answer.probability)}, threshold {_shown(answer.threshold)}"
    )
    for c in answer.candidates:
        typer.echo(f"  candidate {c.ref.key}  score {c.score:.2f}  confidence {c.confidence:.2f}")


def _shown(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _reply_text(answer: KbAnswer, tenant_id: str) -> str:
    from spconnector.domain import Action, Decision, Priority
    from spconnector.jobs.knowledge import KB_ANSWER_TEMPLATE
    from spconnector.replies import ReplyContext, render_reply

    decision = Decision(
        action=Action.ACKNOWLEDGE,
        refund=None,
        ask_for_photos=False,
        reply_template=KB_ANSWER_TEMPLATE,
        priority=Priority.HIGH,
        respond_by=None,
        needs_approval=False,
        rules=(),
        guards=(),
        explanation="kb ask",
        policy_version="-",
    )
    context = ReplyContext(language=answer.language, kb_answer=answer.text, seller_name=tenant_id)
    rendered = render_reply(decision, context)
    lint = "lint: ok" if rendered.ok else "lint: " + "; ".join(str(f) for f in rendered.errors)
    return f"Subject: {rendered.subject}\n\n{rendered.body}\n\n({lint})"


def _as_json(answer: KbAnswer, language: str, reply: str | None) -> dict[str, Any]:
    return {
        "language": language,
        "scope": list(answer.search.scope),
        "answered": answer.answered,
        "reason": answer.reason,
        "entries": [e.key for e in answer.entries],
        "parts": len(answer.parts) or 1,
        "margin": round(answer.search.margin, 4),
        "probability": None if answer.probability is None else round(answer.probability, 4),
        "threshold": answer.threshold,
        "candidates": [
            {"entry": c.ref.key, "score": round(c.score, 4), "confidence": round(c.confidence, 4)}
            for c in answer.candidates
        ],
        "reply": reply,
    }
