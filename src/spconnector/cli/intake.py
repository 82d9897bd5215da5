"""`spconnector intake …` commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from spconnector.cli.errors import fail

app = typer.Typer(no_args_is_help=True)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except IsADirectoryError:
        fail(f"{path}: is a directory")
    except OSError as exc:
        fail(f"{path}: cannot read ({exc.strerror or type(exc).__name__})")


@app.command("parse-email")
def parse_email_command(
    file: Annotated[Path, typer.Argument(help="A raw RFC 5322 mail (.eml).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Parse one buyer-message relay mail into a BuyerMessage."""
    from spconnector.intake.email import EmailParseError, parse_email

    raw = _read(file)
    try:
        message = parse_email(raw)
    except EmailParseError as exc:
        fail(f"{file}: {exc}")
    data = message.model_dump(mode="json")
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for key in ("kind", "notification_type", "intent", "amazon_order_id", "marketplace",
                "language", "subject"):  # fmt: skip
        typer.echo(f"{key}: {data[key]}")
    typer.echo(f"confidence: {data['intent_confidence']} evidence: {data['intent_evidence']}")
    typer.echo(f"attachments: {len(data['attachments'])}")
    authenticity = data.get("authenticity") or {}
    typer.echo(f"authenticity: {authenticity.get('verdict')} ({authenticity.get('reason')})")
    if data.get("facts"):
        shown = {k: v for k, v in data["facts"].items() if v not in (None, [], ())}
        typer.echo(f"facts: {json.dumps(shown, ensure_ascii=False)}")
    if data.get("thread"):
        typer.echo(f"thread: in reply to {data['thread']['in_reply_to']}")


@app.command("parse-returns")
def parse_returns_command(
    file: Annotated[Path, typer.Argument(help="A returns report (tab-separated).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the records as JSON.")] = False,
    fulfillment: Annotated[
        str | None, typer.Option("--fulfillment", help="MFN or FBA; detected if omitted.")
    ] = None,
) -> None:
    """Parse a returns report into ReturnRequest records; bad rows go to stderr."""
    from spconnector.domain.enums import FulfillmentChannel
    from spconnector.intake.returns import ReturnsReportError, parse_returns

    channel = None
    if fulfillment is not None:
        try:
            channel = FulfillmentChannel(fulfillment.upper())
        except ValueError:
            fail(f"--fulfillment must be MFN or FBA, not {fulfillment!r}")
    raw = _read(file)
    try:
        result = parse_returns(raw, fulfillment=channel)
    except ReturnsReportError as exc:
        fail(f"{file}: {exc}")
    for row in result.quarantined:
        typer.echo(f"line {row.line}: {row.reason}", err=True)
    records = [r.model_dump(mode="json") for r in result.records]
    if as_json:
        typer.echo(json.dumps(records, indent=2, ensure_ascii=False))
    else:
        for record in records:
            typer.echo(
                f"{record['amazon_order_id']}\t{record['sku']}\t{record['reason_code']}\t"
                f"{record['quantity']}"
            )
    if not records and result.quarantined:
        raise typer.Exit(1)
