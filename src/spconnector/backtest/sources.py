"""Backtest inputs from files: the returns report, a folder of .eml messages, the seller
feedback report and an impact-ledger export — and the run that ties them to the replay.

Every input that cannot be read at all is a BacktestInputError naming the file (one line);
rows the parsers quarantine are skipped and counted, as intake would.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from spconnector.backtest.feedback import with_expected_feedback
from spconnector.backtest.model import (
    PROGRESS_THRESHOLD,
    BacktestInputError,
    BacktestResult,
    FeedbackOutcome,
)
from spconnector.backtest.replay import replay
from spconnector.domain.models import BuyerMessage, ReturnRequest
from spconnector.impact.ledger import ImpactRecord, LedgerFileError, read_jsonl
from spconnector.policy.schema import Policy


def run_backtest(
    policy: Policy,
    *,
    returns_path: Path,
    messages_dir: Path | None = None,
    feedback_path: Path | None = None,
    ledger_path: Path | None = None,
    baseline_rate: float | None = None,
    compare_policy: Policy | None = None,
    tenant: str = "backtest",
    progress: bool = False,
) -> BacktestResult:
    """Replay the returns report (and messages) through `policy`; with `ledger_path`, add the
    expected feedback effect, compared with `compare_policy` replayed on the same history or,
    without one, with what the ledger says happened to the replayed orders."""
    from spconnector.intake.returns import ReturnsReportError, parse_returns

    data = _read_bytes(returns_path)
    try:
        parsed = parse_returns(data)
    except ReturnsReportError as exc:
        raise BacktestInputError(f"{returns_path}: {exc}") from None
    messages = _read_messages(messages_dir) if messages_dir is not None else {}
    feedback = _read_feedback(feedback_path) if feedback_path is not None else None
    skipped = [f"line {q.line}: {q.reason}" for q in parsed.quarantined]

    def run(chosen: Policy) -> BacktestResult:
        return replay(
            chosen,
            parsed.records,
            messages=messages,
            feedback={k: v.rating for k, v in feedback.items()} if feedback is not None else None,
            skipped=skipped,
            tenant=tenant,
            progress=_progress if progress else None,
        )

    result = run(policy)
    if ledger_path is None:
        return result
    reference = run(compare_policy) if compare_policy is not None else None
    return with_expected_feedback(
        result,
        _read_ledger(ledger_path),
        feedback=feedback,
        baseline_rate=baseline_rate,
        reference=reference,
    )


def _progress(items: list[ReturnRequest]) -> Iterable[ReturnRequest]:
    if len(items) < PROGRESS_THRESHOLD:
        return items
    from rich.console import Console
    from rich.progress import track

    return track(items, description="replaying", console=Console(stderr=True))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BacktestInputError(f"{path}: cannot read ({exc.__class__.__name__})") from None


def _read_messages(folder: Path) -> dict[str, list[BuyerMessage]]:
    from spconnector.intake.email import EmailParseError, parse_email

    if not folder.is_dir():
        raise BacktestInputError(f"{folder}: not a folder of .eml files")
    out: dict[str, list[BuyerMessage]] = {}
    for path in sorted(folder.glob("*.eml")):
        try:
            message = parse_email(_read_bytes(path))
        except EmailParseError:
            continue  # unreadable mail is intake's to quarantine; the replay skips it
        out.setdefault(message.amazon_order_id or f"no-order:{path.name}", []).append(message)
    return out


def _read_feedback(path: Path) -> dict[str, FeedbackOutcome]:
    """GET_SELLER_FEEDBACK_DATA (tab-separated): order id → its latest rating and day.
    Rows the parser quarantines are left out, as intake would."""
    from spconnector.impact.feedback import FeedbackReportError, parse_feedback_report

    try:
        parsed = parse_feedback_report(_read_bytes(path))
    except FeedbackReportError as exc:
        raise BacktestInputError(f"{path}: not a feedback report ({exc})") from None
    out: dict[str, FeedbackOutcome] = {}
    for entry in sorted(parsed.entries, key=lambda e: e.feedback_date):
        out[entry.amazon_order_id] = FeedbackOutcome(entry.rating, entry.feedback_date)
    return out


def _read_ledger(path: Path) -> Iterator[ImpactRecord]:
    """Stream the ledger export; any unreadable line stops the backtest with its number."""
    try:
        yield from read_jsonl(path, ImpactRecord)
    except LedgerFileError as exc:
        raise BacktestInputError(str(exc)) from None
    except UnicodeDecodeError:
        raise BacktestInputError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise BacktestInputError(f"{path}: cannot read ({exc.__class__.__name__})") from None


# --- expected feedback effect ------------------------------------------------------------
