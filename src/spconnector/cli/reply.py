"""`spconnector reply …` commands.

`render` exit status: 0 the reply is clean and may be sent; 1 the lint found errors (the reply
would not be sent — the case is escalated with the findings); 2 unreadable input.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from spconnector.cli.errors import fail

if TYPE_CHECKING:
    from spconnector.domain import Decision
    from spconnector.replies import ReplyContext

app = typer.Typer(no_args_is_help=True)


def _read_mapping(path: Path, what: str) -> dict[str, Any]:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{what} file {path}: cannot read ({exc.__class__.__name__})")
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        fail(f"{what} file {path}: not valid JSON/YAML ({first})")
    if not isinstance(data, dict):
        fail(f"{what} file {path}: expected an object at the top level")
    return data


def _load_decision(path: Path) -> Decision:
    from pydantic import ValidationError

    from spconnector.domain import Decision

    data = _read_mapping(path, "decision")
    try:
        return Decision.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        fail(f"decision file {path}: {where}: {err['msg']}")


def _catalog_care_notes(path: Path, skus: list[str]) -> list[str]:
    """The care notes the policy catalog holds for the order's SKUs."""
    from spconnector.policy import load_policy
    from spconnector.policy.errors import PolicyError

    try:
        policy = load_policy(path)
    except PolicyError as exc:
        fail(f"policy file {path}: {exc}")
    entries = (policy.catalog.get(sku) for sku in skus)
    return [e.care_notes for e in entries if e is not None and e.care_notes]


def _tips(notes: list[str]) -> tuple[str, ...]:
    from spconnector.replies import ReplyContext

    tips: list[str] = []
    for note in notes:
        tips.extend(ReplyContext.model_validate({"care_notes": note}).care_notes)
    return tuple(tips)


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _context_from_case(
    path: Path,
    *,
    language: str | None,
    channel: str,
    seller_name: str | None,
    signature: str | None,
    care_notes: list[str],
    replacement: str | None,
    policy: Path | None,
) -> ReplyContext:
    """The case file of `policy decide` (tenant, now, order, message, …), read leniently:
    only what a reply can mention is taken from it."""
    from pydantic import ValidationError

    from spconnector.replies import ReplyContext

    case = _read_mapping(path, "case")
    order = case.get("order")
    if order is not None and not isinstance(order, dict):
        fail(f"case file {path}: order must be an object")
    order = order or {}
    message = case.get("message") or {}
    if not isinstance(message, dict):
        fail(f"case file {path}: message must be an object")
    items = order.get("items") or []
    if not isinstance(items, list):
        fail(f"case file {path}: order.items must be a list")
    titles = tuple(t for i in items if isinstance(i, dict) and (t := _str_or_none(i.get("title"))))
    skus = [s for i in items if isinstance(i, dict) and (s := _str_or_none(i.get("sku")))]
    notes = list(care_notes) + (_catalog_care_notes(policy, skus) if policy else [])
    try:
        return ReplyContext(
            language=language,
            buyer_locale=_str_or_none(case.get("buyer_locale")),
            marketplace_id=_str_or_none(order.get("marketplace_id")),
            amazon_order_id=_str_or_none(order.get("amazon_order_id"))
            or _str_or_none(message.get("amazon_order_id")),
            buyer_name=_str_or_none(message.get("buyer_name")),
            item_titles=titles,
            buyer_quote=_str_or_none(message.get("body")),
            seller_name=seller_name,
            signature_name=signature,
            care_notes=_tips(notes),
            replacement=replacement,
            reply_channel=channel,
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        fail(f"case file {path}: {err['msg']}")


@app.command("render")
def render(
    case: Annotated[
        Path, typer.Option("--case", help="Case file (JSON or YAML), as for policy decide.")
    ],
    decision: Annotated[
        Path, typer.Option("--decision", help="Decision JSON (policy decide --json).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    language: Annotated[
        str | None,
        typer.Option(
            "--language", help="en, de, fr, es or it (default: buyer locale, then marketplace)."
        ),
    ] = None,
    channel: Annotated[str, typer.Option("--channel", help="email or messaging.")] = "email",
    seller_name: Annotated[
        str | None, typer.Option("--seller-name", help="Shop or brand name.")
    ] = None,
    signature: Annotated[str | None, typer.Option("--signature", help="Who signs.")] = None,
    care_note: Annotated[
        list[str] | None, typer.Option("--care-note", help="A care tip (repeatable).")
    ] = None,
    replacement: Annotated[
        str | None,
        typer.Option("--replacement", help='What is sent as a replacement, e.g. "in size M".'),
    ] = None,
    policy: Annotated[
        Path | None,
        typer.Option("--policy", help="Policy YAML: care notes from its catalog, by SKU."),
    ] = None,
) -> None:
    """Render the reply for a decision and lint it.

    Prints the subject and body, then the findings.

    Exit status: 0 clean; 1 lint errors (such a reply is never sent); 2 unreadable input.
    """
    from spconnector.replies import SUPPORTED_LANGUAGES, ReplyRenderError, render_reply

    if language is not None and language.lower() not in SUPPORTED_LANGUAGES:
        fail(f"--language {language!r}: choose one of {', '.join(SUPPORTED_LANGUAGES)}")
    if channel not in ("email", "messaging"):
        fail(f"--channel {channel!r}: choose email or messaging")
    the_decision = _load_decision(decision)
    context = _context_from_case(
        case,
        language=language.lower() if language else None,
        channel=channel,
        seller_name=seller_name,
        signature=signature,
        care_notes=care_note or [],
        replacement=replacement,
        policy=policy,
    )
    try:
        reply = render_reply(the_decision, context)
    except ReplyRenderError as exc:
        fail(f"cannot render a reply for {case}: {exc}")

    if as_json:
        payload = reply.model_dump(mode="json")
        payload["ok"] = reply.ok
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        typer.echo(f"Subject: {reply.subject}")
        typer.echo(f"Language: {reply.language}  Template: {reply.template}")
        typer.echo("")
        typer.echo(reply.body)
        typer.echo("")
        if reply.findings:
            typer.echo(f"Findings ({len(reply.findings)}):")
            for finding in reply.findings:
                typer.echo(f"  {finding}")
        else:
            typer.echo("Findings: none")
    if not reply.ok:
        raise typer.Exit(1)
