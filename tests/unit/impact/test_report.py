from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from typer.testing import CliRunner

from spconnector.cli.impact import app
from spconnector.domain.enums import Action
from spconnector.impact.aggregate import summarize
from spconnector.impact.ledger import write_jsonl
from spconnector.impact.report import chart_data, json_for_script, render_report
from spconnector.impact.synthetic import synthetic_records, synthetic_snapshots
from tests.unit.impact.records import record

HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)>&"


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data_json = ""
        self._in_data = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_data = tag == "script" and dict(attrs).get("id") == "impact-data"

    def handle_endtag(self, tag: str) -> None:
        self._in_data = False

    def handle_data(self, data: str) -> None:
        if self._in_data:
            self.data_json += data


def scan(html: str) -> _Scan:
    parser = _Scan()
    parser.feed(html)
    return parser


def test_data_from_the_ledger_is_escaped_everywhere() -> None:
    ledger = [
        record("o1", Action.REFUND_WITHOUT_RETURN, refund="10.00", rating=1, version="v1", day=0),
        record("o2", Action.EDUCATE, version=HOSTILE, day=1),  # a policy change marker
    ]
    html = render_report(summarize(ledger, baseline_rate=0.1), title=HOSTILE)
    parsed = scan(html)
    assert [t for t, _ in parsed.tags].count("script") == 3  # data, library, page code
    assert not any(tag == "img" for tag, _ in parsed.tags)
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in html  # title and table, escaped
    assert "<script>alert(1)" not in html
    data = json.loads(parsed.data_json)
    # the chart data survives intact: nothing in it closed the script element early
    assert data["feedback"]["markers"][0]["label"] == HOSTILE
    assert "</" not in parsed.data_json


def test_json_for_script_cannot_close_the_element() -> None:
    text = str(json_for_script({"a": HOSTILE, "b": "\u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": HOSTILE, "b": "\u2028"}


def test_page_is_self_contained() -> None:
    html = render_report(summarize(synthetic_records(300), snapshots=synthetic_snapshots(days=40)))
    for tag, attrs in scan(html).tags:
        for name in ("src", "href"):
            assert not attrs.get(name), f"<{tag} {name}=...> would load something"
    assert "default-src 'none'" in html
    assert "Chart.js v4.6.1" in html  # the vendored library is inlined
    assert 'data-charts="4"' in html


def test_empty_ledger_renders_and_says_no_data_yet() -> None:
    html = render_report(summarize([]))
    assert "No data yet" in html
    assert 'id="chart-feedback"' in html and 'id="chart-response"' in html
    data = chart_data(summarize([]))
    assert data["negative_rate"]["labels"] == [] and data["feedback"]["labels"] == []


def test_table_numbers_match_the_summary() -> None:
    ledger = [record(f"o{i}", Action.DECLINE, rating=1 if i < 2 else None) for i in range(8)]
    html = render_report(summarize(ledger, baseline_rate=0.5))
    row = re.search(r'<table id="table-actions">.*?<tr><td>decline</td>(.*?)</tr>', html, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
    assert cells[:4] == ["8", "2", "0", "25.0 %"]
    assert "No data yet" not in html


def test_cli_writes_the_report(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    snaps = tmp_path / "snaps.jsonl"
    write_jsonl(ledger, synthetic_records(200))
    write_jsonl(snaps, synthetic_snapshots(days=20))
    out = tmp_path / "out" / "report.html"
    result = CliRunner().invoke(
        app, ["report", "--out", str(out), "--ledger", str(ledger), "--snapshots", str(snaps)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("<!DOCTYPE html>")
    empty = tmp_path / "empty.html"
    assert CliRunner().invoke(app, ["report", "--out", str(empty)]).exit_code == 0
    assert "No data yet" in empty.read_text()


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "ledger.jsonl"
    bad.write_text('{"tenant": "acme"}\n')
    runner = CliRunner()
    result = runner.invoke(app, ["report", "--out", str(tmp_path / "r.html"), "--ledger", str(bad)])
    assert result.exit_code == 2
    assert result.output.strip().startswith("error: ")
    assert "ledger.jsonl:1" in result.output and "Traceback" not in result.output
    missing = runner.invoke(app, ["report", "--out", "x.html", "--ledger", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "no such file" in missing.output
