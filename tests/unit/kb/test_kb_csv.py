"""A knowledge base written as CSV: read into the same schema, errors name their line, and the
CLI accepts .csv for validate and push (one-line errors, exit status 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spconnector.aws.kb_store import S3KbStore
from spconnector.aws.tenants import TenantRegistry
from spconnector.cli import app
from spconnector.kb import KbError, KbIndex, answer_question, kb_version, load_kb, load_kb_file
from spconnector.kb.csv_format import kb_csv, parse_kb_csv
from tests.unit.aws.conftest import aws  # noqa: F401  (the moto fixture)
from tests.unit.kb.test_kb_store_cli import _tenant

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "src" / "spconnector" / "kb" / "demo.yaml"
EXAMPLE = ROOT / "docs" / "kb-example.csv"
runner = CliRunner()
HEADER = "product,section,id,language,ask,answer,timeline,known_defect,title,family,skus,names\n"


def _error(text: str) -> str:
    with pytest.raises(KbError) as caught:
        parse_kb_csv(text)
    return str(caught.value)


def test_the_demo_kb_as_csv_reads_back_to_the_same_version() -> None:
    kb = load_kb(DEMO.read_text(encoding="utf-8"))
    assert kb_version(parse_kb_csv(kb_csv(kb))) == kb_version(kb)


def test_the_shipped_example_answers_from_its_rows() -> None:
    text, kb = load_kb_file(EXAMPLE)
    assert load_kb(text) == kb  # what is stored is YAML of the same knowledge base
    assert kb.product_for("KT-KETTLE-RED") == "KT-KETTLE"
    assert kb.products["KT-KETTLE"].issues[0].known_defect
    answer = answer_question(KbIndex(kb), "Does the kettle work on induction?", "en",
                             sku="KT-KETTLE-RED")  # fmt: skip
    assert answer.answered and answer.entry is not None
    assert answer.entry.key == "KT-KETTLE/faq/induction"
    assert answer.text is not None and answer.text.startswith("Yes, the base is magnetic")
    normal = kb.products["KT-KETTLE"].normal_wear[0]
    assert normal.timeline["en"].startswith("Limescale comes back")


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("X1,product,,en,,,,,Kettle,,,\nX1,faq,a,xx,Q?,A.,,,,,,\n", "line 3: "),
        ("X1,product,,en,,,,,Kettle,,,\nX1,faq,a,en,Q?,Call +1 555 123 4567,,,,,,\n",
         "line 3: products.X1.faq.0.answer"),
        ("X1,product,,en,,,,,Kettle,,,\nX1,faq,,en,Q?,A.,,,,,,\n", "line 3: id: empty"),
        ("X1,product,,en,,,,,Kettle,,,\nX1,manual,a,en,Q?,A.,,,,,,\n", "line 3: section"),
        ("X1,product,,en,,,,,Kettle,,,\nX1,issues,a,en,Q?,A.,,maybe,,,,\n",
         "line 3: known_defect"),
        ("X1,product,,en,,,,,Kettle,,,\nX1,faq,a,en,Q?,A.,,,,,,\nX1,faq,a,en,Q2?,A2.,,,,,,\n",
         "line 4: X1 faq a: language en given twice"),
        ("X1,faq,a,en,Q?,A.,,,,,,\n", "line 2: products.X1.title"),
        ("X1,product,,en,,,,,Kettle,shoes,,\n", "line 2: products.X1.family"),
        ("X1,product,,en,,,,,Kettle,,,\nX1,faq,a,en,Q?,A.,,,,,,,extra\n", "line 3: more cells"),
    ],
)  # fmt: skip
def test_errors_name_their_line(rows: str, expected: str) -> None:
    assert _error(HEADER + rows).startswith(expected)


def test_header_errors_are_on_line_1() -> None:
    assert _error("").startswith("line 1: empty file")
    assert _error("product,section,language,colour\n").startswith("line 1: unknown column")
    assert _error("product,section,language\n").startswith("line 1: missing column")


def test_cli_validates_and_pushes_csv_with_one_line_errors(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["kb", "validate", str(EXAMPLE)])
    assert ok.exit_code == 0 and ok.stdout.startswith("ok: ") and "1 products" in ok.stdout
    bad = tmp_path / "kb.csv"
    bad.write_text(HEADER + "X1,product,,en,,,,,Kettle,,,\nX1,faq,a,en,Q?,,,,,,,\n")
    result = runner.invoke(app, ["kb", "validate", str(bad)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {bad}: line 3: ")
    assert "answer" in lines[0]
    pushed = runner.invoke(app, ["kb", "push", "acme", str(bad)])
    assert pushed.exit_code == 2 and "line 3" in pushed.stderr


@pytest.mark.usefixtures("aws")
def test_push_csv_stores_yaml_of_the_same_version() -> None:
    _tenant(TenantRegistry())
    pushed = runner.invoke(app, ["kb", "push", "acme", str(EXAMPLE), "--json"])
    assert pushed.exit_code == 0, pushed.stderr
    version = json.loads(pushed.stdout)["version"]
    store = S3KbStore()
    current = store.current("acme")
    assert current is not None and current.version == version
    assert kb_version(load_kb(store.text(current))) == kb_version(load_kb_file(EXAMPLE)[1])
