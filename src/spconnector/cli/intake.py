"""`spconnector intake …` commands."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated

import typer

from spconnector.cli.errors import fail

app = typer.Typer(no_args_is_help=True)


_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """Text any terminal encoding can take: a lone surrogate (a UTF-7 subject decodes to one,
    "+2D3-") cannot be written as UTF-8 and was a traceback; it becomes U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


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
    except (ValueError, LookupError, UnicodeError) as exc:
        # The parser's own errors are EmailParseError; anything else it let through is still
        # a mail this command cannot read, said in one line (codec and charset names only).
        fail(f"{file}: cannot read this mail ({type(exc).__name__})")
    data = message.model_dump(mode="json")
    if as_json:
        typer.echo(printable(json.dumps(data, indent=2, ensure_ascii=False)))
        return
    for key in ("kind", "notification_type", "intent", "amazon_order_id", "marketplace",
                "language", "subject"):  # fmt: skip
        typer.echo(printable(f"{key}: {data[key]}"))
    typer.echo(
        printable(f"confidence: {data['intent_confidence']} evidence: {data['intent_evidence']}")
    )
    typer.echo(f"attachments: {len(data['attachments'])}")
    authenticity = data.get("authenticity") or {}
    typer.echo(f"authenticity: {authenticity.get('verdict')} ({authenticity.get('reason')})")
    if data.get("facts"):
        shown = {k: v for k, v in data["facts"].items() if v not in (None, [], ())}
        typer.echo(printable(f"facts: {json.dumps(shown, ensure_ascii=False)}"))
    if data.get("thread"):
        typer.echo(printable(f"thread: in reply to {data['thread']['in_reply_to']}"))


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
        typer.echo(printable(f"line {row.line}: {row.reason}"), err=True)
    records = [r.model_dump(mode="json") for r in result.records]
    if as_json:
        typer.echo(printable(json.dumps(records, indent=2, ensure_ascii=False)))
    else:
        for record in records:
            typer.echo(
                printable(
                    f"{record['amazon_order_id']}\t{record['sku']}\t{record['reason_code']}\t"
                    f"{record['quantity']}"
                )
            )
    if not records and result.quarantined:
        raise typer.Exit(1)
