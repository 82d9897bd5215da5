"""The impact report: one self-contained HTML page (no network), four charts and a table.

Charts are drawn by Chart.js 4.6.1 (MIT), vendored from the npm package `chart.js@4.6.1`
(dist/chart.umd.min.js) into static/chart.umd.min.js, its licence in
static/chart.js.LICENSE.md. The page inlines that file and all CSS; a Content-Security-Policy
forbids every fetch. Data from the ledger is text, never markup: the template autoescapes,
and chart data travels as JSON inside <script type="application/json"> with <, > and &
written as \\u escapes, so no value can close the script element.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import PackageLoader, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from spconnector.impact.aggregate import RESPONSE_BUCKETS
from spconnector.impact.summary import ImpactSummary

CHART_JS_VERSION = "4.6.1"
CHART_COUNT = 4


@cache
def _chart_js() -> str:
    text = (
        resources.files("spconnector.impact")
        .joinpath("static/chart.umd.min.js")
        .read_text(encoding="utf-8")
    )
    if "</script" in text.lower():
        raise RuntimeError("the vendored chart library cannot be inlined safely")
    return text


@cache
def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=PackageLoader("spconnector.impact", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def json_for_script(value: Any) -> Markup:
    """JSON that is safe inside a <script> element: no '<', '>', '&' or line separators."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=_json_default)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return Markup(text)  # noqa: S704 - escaped above for the script-data context


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _money(totals: dict[str, Decimal]) -> str:
    return ", ".join(f"{amount:.2f} {cur}" for cur, amount in totals.items()) or "–"


def _pct(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{100 * value:.{digits}f} %"


def _hours(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds / 3600:.1f} h"


def chart_data(summary: ImpactSummary) -> dict[str, Any]:
    """Everything the four charts draw, as plain JSON-able values."""
    currencies = sorted({c for d in summary.days for c in (*d.refunds, *d.goods_kept)})
    return {
        "feedback": {
            "labels": [p.day.isoformat() for p in summary.trend.points],
            "positive_pct": [p.positive_pct for p in summary.trend.points],
            "score_30d": [p.score_30d for p in summary.trend.points],
            "markers": [
                {
                    "day": m.first_decided_at.astimezone(UTC).date().isoformat(),
                    "label": m.policy_version,
                }
                for m in summary.policy_markers
            ],
        },
        "negative_rate": {
            "labels": [g.key for g in summary.by_action],
            "mean": [round(100 * g.posterior_mean, 3) for g in summary.by_action],
            "low": [round(100 * g.ci_low, 3) for g in summary.by_action],
            "high": [round(100 * g.ci_high, 3) for g in summary.by_action],
            "n": [g.n for g in summary.by_action],
            "baseline": None if summary.baseline_rate is None else 100 * summary.baseline_rate,
        },
        "refunds": {
            "labels": [d.day.isoformat() for d in summary.days],
            "series": [
                {
                    "currency": cur,
                    "values": [
                        float(d.refunds.get(cur, 0) + d.goods_kept.get(cur, 0))
                        for d in summary.days
                    ],
                }
                for cur in currencies
            ],
        },
        "response": {
            "labels": [label for label, _ in RESPONSE_BUCKETS],
            "counts": [summary.sla.buckets.get(label, 0) for label, _ in RESPONSE_BUCKETS],
        },
    }


def _rows(summary: ImpactSummary) -> dict[str, list[list[str]]]:
    def group_rows(groups: Any) -> list[list[str]]:
        return [
            [
                g.key,
                str(g.n),
                str(g.negatives),
                str(g.neutrals),
                _pct(g.rate),
                f"{_pct(g.ci_low)} – {_pct(g.ci_high)}",
                g.vs_baseline,
                _money(g.cost),
                _money(g.cost_per_avoided_negative or {})
                if g.cost_per_avoided_negative
                else (g.cost_note or "–"),
            ]
            for g in groups
        ]

    sla = summary.sla
    trend = summary.trend

    def num(value: object) -> str:
        return "–" if value is None else str(value)

    growth = [
        [
            m.month,
            num(m.feedback_count),
            "–" if m.positive_pct is None else f"{m.positive_pct:.1f} %",
            "–" if m.order_defect_rate is None else f"{100 * m.order_defect_rate:.2f} %",
            num(m.new_ratings),
            str(m.requests_sent),
            num(m.feedback_per_request),
            f"{m.removed} of {m.removals_requested}",
            str(m.claims_opened),
            f"{m.claims_granted} / {m.claims_denied} / {m.claims_withdrawn}",
        ]
        for m in summary.growth
    ]
    return {
        "growth": growth,
        "actions": group_rows(summary.by_action),
        "intents": group_rows(summary.by_intent),
        "overview": [
            ["Decisions recorded", str(summary.records)],
            [
                "Baseline negative rate",
                f"{_pct(summary.baseline_rate, 2)} ({summary.baseline_source})",
            ],
            [
                "Positive feedback (365 days, Amazon)",
                "–" if trend.latest_pct is None else f"{trend.latest_pct:.1f} %",
            ],
            [
                "Change over 30 / 90 / 365 days",
                " / ".join(
                    "–" if c is None else f"{c:+.1f} pt"
                    for c in (trend.change_30d, trend.change_90d, trend.change_365d)
                ),
            ],
            ["Answered within the policy's SLA", _pct(sla.share_within_sla)],
            ["Answered within 24 hours", _pct(sla.share_within_24h)],
            [
                "Product questions answered from the knowledge base",
                f"{sla.questions_answered_from_kb} of {sla.questions}",
            ],
            [
                "Product questions answered within an hour",
                _pct(sla.share_questions_answered_within_hour),
            ],
            ["Not answered yet", str(sla.unanswered)],
            ["Mean first response", _hours(sla.mean_first_response_seconds)],
            ["Slowest first response", _hours(sla.max_first_response_seconds)],
            [
                "Policy changes",
                ", ".join(
                    f"{m.policy_version} ({m.first_decided_at.astimezone(UTC).date().isoformat()})"
                    for m in summary.policy_markers
                )
                or "–",
            ],
        ],
    }


def render_report(
    summary: ImpactSummary,
    *,
    title: str = "spconnector — feedback impact",
    generated_at: datetime | None = None,
) -> str:
    """The report as one HTML string. An empty ledger renders too and says so."""
    template = _environment().get_template("report.html.j2")
    return template.render(
        title=title,
        tenant=summary.tenant,
        generated_at=(generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        empty=summary.records == 0 and not summary.trend.points,
        prior=summary.prior,
        rows=_rows(summary),
        chart_count=CHART_COUNT,
        data_json=json_for_script(chart_data(summary)),
        chart_js=Markup(_chart_js()),  # noqa: S704 - vendored library, checked for </script
        chart_js_version=CHART_JS_VERSION,
    )
