"""Backtest: replay history through a policy — what it would have decided, what that would
have cost, and what its guards would have stopped. How an agency tunes "how far is too far"
before going live.

replay.py (pure: parsed records → BacktestResult), feedback.py (pure: the expected feedback
effect from an impact-ledger export), sources.py (reads the files, parses them with intake and
impact, shows progress), render.py (text), model.py (the result types). The returns report
does not say everything a live case knows, so the replay assumes what it must and says so in
`assumptions`.
"""

from spconnector.backtest.feedback import with_expected_feedback
from spconnector.backtest.model import (
    FEEDBACK_NOT_AVAILABLE,
    BacktestInputError,
    BacktestResult,
    Comparison,
    ExpectedFeedback,
    FeedbackOutcome,
)
from spconnector.backtest.render import render_text
from spconnector.backtest.replay import replay
from spconnector.backtest.sources import run_backtest

__all__ = [
    "FEEDBACK_NOT_AVAILABLE",
    "BacktestInputError",
    "BacktestResult",
    "Comparison",
    "ExpectedFeedback",
    "FeedbackOutcome",
    "render_text",
    "replay",
    "run_backtest",
    "with_expected_feedback",
]
