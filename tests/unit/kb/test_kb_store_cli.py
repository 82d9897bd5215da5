"""KB storage (S3 text + versioned pointer, on moto) and the `spconnector kb` commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spconnector.aws.kb_store import S3KbStore
from spconnector.aws.tenants import TenantRegistry
from spconnector.cli import app
from spconnector.domain import Tenant
from spconnector.kb import KbError, load_kb
from spconnector.kb.decision import model
from tests.unit.aws.conftest import aws  # noqa: F401  (the moto fixture)

DEMO = Path(__file__).resolve().parents[3] / "src" / "spconnector" / "kb" / "demo.yaml"
TEXT = DEMO.read_text(encoding="utf-8")
runner = CliRunner()


def _tenant(registry: TenantRegistry, tenant_id: str = "acme") -> None:
    registry.add(
        Tenant(
            tenant_id=tenant_id,
            seller_id="A1SELLER",
            region="na",
            marketplace_ids=("ATVPDKIKX0DER",),
            credentials_secret=f"spconnector/{tenant_id}/sp-api",
        )
    )


@pytest.mark.usefixtures("aws")
def test_push_keeps_every_version_and_the_newest_is_current() -> None:
    store = S3KbStore()
    assert store.current("acme") is None
    first = store.push("acme", TEXT)
    assert store.push("acme", TEXT + "\n# only a comment\n") == first  # same content version
    changed = TEXT.replace("within 3 business days", "within 2 business days")
    second = store.push("acme", changed)
    assert (first.seq, second.seq) == (1, 2) and first.version != second.version
    assert store.current("acme") == second
    assert [v.seq for v in store.history("acme")] == [1, 2]
    assert load_kb(store.text(second)) == load_kb(changed)
    assert store.history("other") == []
    with pytest.raises(KbError):
        store.push("acme", "products: {X1: {title: t, faq: [{id: a}]}}\n")
    assert store.current("acme") == second  # an invalid KB changes nothing


def test_validate_ok_and_a_located_one_line_error(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["kb", "validate", str(DEMO)])
    assert ok.exit_code == 0 and ok.stdout.startswith("ok: ")
    bad = tmp_path / "kb.yaml"
    bad.write_text(
        TEXT.replace("family: apparel\n    skus: [AP-TEE-M", "family: shoes\n    skus: [AP-TEE-M")
    )
    result = runner.invoke(app, ["kb", "validate", str(bad)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "products.AP-TEE.family" in lines[0] and "(line " in lines[0]
    missing = runner.invoke(app, ["kb", "validate", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("schema_version: 1\ndefault_language: 2026-02-30\n", "default_language"),  # no date
        ("schema_version: !!timestamp 2026-13-45\n", "line 1"),  # YAML cannot build it
        ("schema_version: !!int 1e5\n", "line 1"),
    ],
)
def test_a_value_yaml_would_read_as_a_date_is_a_located_error(
    tmp_path: Path, text: str, where: str
) -> None:
    """Found by the CLI fuzz target: PyYAML's own ValueError escaped `kb validate`."""
    path = tmp_path / "kb.yaml"
    path.write_text(text)
    result = runner.invoke(app, ["kb", "validate", str(path)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and where in lines[0]


def test_ask_from_a_file_answers_or_hands_over() -> None:
    result = runner.invoke(
        app,
        ["kb", "ask", "demo", "Can the board be engraved on both sides?", "--file", str(DEMO)],
    )
    assert result.exit_code == 0, result.stderr
    assert "HM-BOARD-ENGR/faq/both-sides" in result.stdout
    assert "We engrave one side only" in result.stdout and "lint: ok" in result.stdout
    # the decision is shown: the model's probability and the bar it reached
    shown = re.search(r"probability (\d\.\d\d) \(threshold (\d\.\d\d)\)", result.stdout)
    assert shown is not None and float(shown[1]) >= float(shown[2])
    handed = runner.invoke(
        app,
        ["kb", "ask", "demo", "Does it come in purple?", "--sku", "KG-SKILLET", "--file",
         str(DEMO), "--json"],
    )  # fmt: skip
    assert handed.exit_code == 0
    data = json.loads(handed.stdout)
    assert data["answered"] is False and data["reply"] is None
    assert data["threshold"] == model().threshold
    assert data["probability"] is None or data["probability"] < data["threshold"]
    bad = runner.invoke(app, ["kb", "ask", "demo", "hi?", "--language", "xx", "--file", str(DEMO)])
    assert bad.exit_code == 2 and "--language" in bad.stderr


@pytest.mark.usefixtures("aws")
def test_push_and_ask_through_the_tenant(tmp_path: Path) -> None:
    _tenant(TenantRegistry())
    unknown = runner.invoke(app, ["kb", "push", "nobody", str(DEMO)])
    assert unknown.exit_code == 2
    pushed = runner.invoke(app, ["kb", "push", "acme", str(DEMO), "--json"])
    assert pushed.exit_code == 0, pushed.stderr
    assert json.loads(pushed.stdout)["seq"] == 1
    asked = runner.invoke(
        app, ["kb", "ask", "acme", "Does the skillet work on induction?", "--sku", "KG-SKILLET"]
    )
    assert asked.exit_code == 0 and "KG-SKILLET/faq/induction" in asked.stdout
    history = runner.invoke(app, ["kb", "history", "acme"])
    assert history.exit_code == 0 and "sha256:" in history.stdout
