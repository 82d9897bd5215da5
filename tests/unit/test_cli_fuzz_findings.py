"""What the fuzz targets of `model`, `impact`, `notifications subscribe`, `local invoke|events`
and the servers (tests/fuzz/test_fuzz_cli_{model,impact,notifications,local,servers}.py) found:
each input here was a traceback (or, for the servers, accepted and broken later); now a user's
mistake is one "error: …" line and exit 2, the world's (AWS, a tenant's secret) one line and
exit 1."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import typer
from pydantic import TypeAdapter, ValidationError

from spconnector.cli import main
from spconnector.domain.models import AwareDatetime
from spconnector.domain.tenant import Tenant
from tests.fuzz.entry import run_main
from tests.fuzz.wiring import TENANT, CliServices

RECORD = (
    '{"tenant": "acme", "case_id": "c1", "amazon_order_id": null, "decided_at": "%s", '
    '"action": "replace", "policy_version": "v1"}'
)
TEMPLATE = """\
Resources:
  ActFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: act.handler
      CodeUri: src/
      Timeout: %s
"""


@pytest.fixture
def wired(monkeypatch: pytest.MonkeyPatch) -> Iterator[CliServices]:
    services = CliServices()
    services.install(monkeypatch)
    try:
        yield services
    finally:
        services.stop()


def _stderr_of(args: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            main(args)
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, err.getvalue()


def test_a_timestamp_with_no_utc_time_is_refused() -> None:
    """9999-12-31T23:59:59-23:59 is year 10000 in UTC: every astimezone(UTC) raised."""
    adapter = TypeAdapter(AwareDatetime)
    with pytest.raises(ValidationError, match="out of range"):
        adapter.validate_python("9999-12-31T23:59:59-23:59")
    with pytest.raises(ValidationError, match="out of range"):
        adapter.validate_python("0001-01-01T00:00:00+23:59")
    assert adapter.validate_python("9999-12-31T23:59:59Z") == datetime.fromisoformat(
        "9999-12-31T23:59:59+00:00"
    )


def test_a_name_too_long_for_the_file_system_is_one_line(tmp_path: Path) -> None:
    long = str(tmp_path / ("x" * 300))
    assert run_main(["model", "info", "--artifact", long]) == "exit 2"
    assert run_main(["impact", "report", "--out", long]) == "exit 2"
    assert run_main(["impact", "report", "--out", str(tmp_path / "r.html"), "--ledger", long]) == (
        "exit 2"
    )


@pytest.mark.parametrize(
    "line",
    [
        RECORD % "9999-12-31T23:59:59-23:59",
        RECORD % "0001-01-01T00:00:00+23:59",
        '{"tenant": "acme", "n": ' + "9" * 5000 + "}",
    ],
)
def test_a_ledger_line_out_of_range_is_one_line(tmp_path: Path, line: str) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.write_text(line + "\n", encoding="utf-8")
    code, err = _stderr_of(["impact", "report", "--out", str(tmp_path / "r.html"),
                            "--ledger", str(ledger)])  # fmt: skip
    assert code == 2 and err.startswith(f"error: {ledger}:1: ") and err.count("\n") == 1, err


def test_a_nan_rate_in_the_snapshots_is_refused_and_a_rate_over_one_is_no_baseline(
    tmp_path: Path,
) -> None:
    """A NaN negative_feedback_rate made every cost per avoided negative NaN (a traceback)."""
    ledger = tmp_path / "ledger.jsonl"
    ledger.write_text(RECORD % "2026-11-20T10:00:00Z" + "\n", encoding="utf-8")
    out = tmp_path / "r.html"
    snapshot = (
        '{"tenant": "acme", "taken_at": "2026-11-20T00:00:00Z", "negative_feedback_rate": %s}'
    )
    snapshots = tmp_path / "snapshots.jsonl"
    args = ["impact", "report", "--out", str(out), "--ledger", str(ledger),
            "--snapshots", str(snapshots)]  # fmt: skip
    snapshots.write_text(snapshot % "NaN", encoding="utf-8")
    assert run_main(args) == "exit 2"
    snapshots.write_text(snapshot % "1.5", encoding="utf-8")
    assert run_main(args) == "exit 0"
    assert "performance report" not in out.read_text(encoding="utf-8")


def test_a_title_from_a_non_utf8_argv_is_written_replaced(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert run_main(["impact", "report", "--out", str(out), "--title", "Acme \udcff"]) == "exit 0"
    assert "<title>Acme ?" in out.read_text(encoding="utf-8")


def test_export_of_a_string_that_is_no_tenant_id_is_one_line(
    wired: CliServices, tmp_path: Path
) -> None:
    assert run_main(["impact", "export", "--tenant", "Bad!", "--out", str(tmp_path / "x")]) == (
        "exit 2"
    )


def test_subscribe_with_a_missing_or_malformed_secret_is_one_line_exit_1(
    wired: CliServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AuthError from reading the tenant's secret was a traceback; the line names the secret
    and what it lacks, never a value."""
    from spconnector.aws.clients import client
    from spconnector.jobs import sp_wiring

    monkeypatch.setattr(
        "spconnector.aws.tenants.TenantRegistry", lambda **_: wired.services.tenants
    )
    sp_wiring._credentials.cache_clear()
    broken = client("secretsmanager").create_secret(Name="broken", SecretString='{"a": "s3cr3t"}')
    wired.services.tenants.add(
        Tenant(tenant_id="broken", seller_id="A1SELLER", region="na",
               marketplace_ids=("ATVPDKIKX0DER",), credentials_secret=broken["ARN"])
    )  # fmt: skip
    arn = "arn:aws:sqs:us-east-1:123456789012:spconnector-notifications"
    for tenant in (TENANT, "broken"):  # TENANT's secret does not exist
        code, err = _stderr_of(["notifications", "subscribe", tenant, "--queue-arn", arn])
        assert code == 1 and err.startswith("error: ") and err.count("\n") == 1, err
        assert "s3cr3t" not in err


@pytest.mark.parametrize(
    "template",
    [
        "Resources: {ActFunction: 3}",
        "Resources: {ActFunction: {Type: AWS::Serverless::Function, Properties: [1]}}",
        "Globals: [1]\nResources: {}",
        TEMPLATE % "abc",
        TEMPLATE % ("9" * 5000),
        TEMPLATE % "1e400",
        TEMPLATE % "2026-02-30",
        TEMPLATE % "!!timestamp 2026-13-45",
        TEMPLATE.replace(
            "Handler: act.handler", "Handler: act.handler\n      Environment: {Variables: [1]}"
        ),
    ],
)
def test_a_template_of_the_wrong_shape_is_one_line(tmp_path: Path, template: str) -> None:
    """Checked before anything is seeded or run (`local events` used to seed a world first)."""
    path = tmp_path / "template.yaml"
    path.write_text(template, encoding="utf-8")
    event = tmp_path / "e.json"
    event.write_text("{}", encoding="utf-8")
    assert run_main(["local", "invoke", "act", "-e", str(event), "-t", str(path)]) == "exit 2"
    assert run_main(["local", "events", "-t", str(path), "--out", str(tmp_path)]) == "exit 2"


@pytest.mark.parametrize(
    "data", [b"Resources: {}\n\xff\xfe", b"9" * 5000, b"[" * 100_000 + b"]" * 100_000]
)
def test_a_template_or_event_file_that_cannot_be_read_is_one_line(
    tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "f"
    path.write_bytes(data)
    good = Path(__file__).resolve().parents[2] / "template.yaml"
    assert run_main(["local", "invoke", "act", "-e", str(path), "-t", str(good)]) == "exit 2"
    assert run_main(["local", "invoke", "act", "-e", str(path), "-t", str(path)]) == "exit 2"


def test_events_out_that_is_a_file_is_refused_before_anything_is_seeded(tmp_path: Path) -> None:
    out = tmp_path / "events"
    out.write_text("{}", encoding="utf-8")
    good = Path(__file__).resolve().parents[2] / "template.yaml"
    assert run_main(["local", "events", "-t", str(good), "--out", str(out)]) == "exit 2"


def test_a_docker_upstream_that_is_no_socket_is_refused_before_listening(tmp_path: Path) -> None:
    """A 5,000-character path raised OSError (ENAMETOOLONG); a file or a folder was accepted
    and the proxy listened, to fail on SAM's first request."""
    (tmp_path / "f").write_text("x")
    for upstream, said in [
        (str(tmp_path / ("a" * 5000)), "File name too long"),
        (str(tmp_path / "f"), "not a socket"),
        (f"unix://{tmp_path}", "not a socket"),
        (str(tmp_path / "missing.sock"), "no Docker socket at"),
    ]:
        code, err = _stderr_of(["local", "docker-proxy", "--upstream", upstream])
        assert code == 2 and err.startswith("error: ") and said in err, err
        assert len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("out", "said"),
    [
        ("a-file/m.npz", "a path through a file"),
        ("m", "end the name with .npz"),
        (".", "end the name with .npz"),
        ("dir.npz", "a directory, not a file"),
    ],
)
def test_model_train_refuses_an_artifact_path_before_training(
    tmp_path: Path, out: str, said: str
) -> None:
    """Training ran for minutes and then raised in numpy's savez (or wrote `m`.npz quietly
    for `--out m`); the path is now checked first."""
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "dir.npz").mkdir()
    code, err = _stderr_of(["model", "train", "--out", str(tmp_path / out)])
    assert code == 2 and err.startswith("error: ") and said in err, err


def test_an_artifact_path_with_no_file_system_name_is_one_line(tmp_path: Path) -> None:
    """A NUL below the folder (argv cannot hold one; a caller can) raised ValueError in mkdir."""
    from spconnector.cli.model import checked_artifact_out

    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(typer.Exit):
        checked_artifact_out(tmp_path / "a\x00b" / "m.npz")
    said = err.getvalue()
    assert said.startswith(f"error: --out {tmp_path}/a") and said.endswith(": embedded null byte\n")
    assert "\x00" not in said and len(said.splitlines()) == 1


def test_sim_serve_and_local_up_refuse_options_that_only_break_later() -> None:
    """--time-scale nan, inf or 1e308 was accepted: the simulated clock and every usage-plan
    rate turned NaN or infinite. Two servers on one port: the second failed after the first
    started."""
    for scale in ("nan", "inf", "1e308"):
        code, err = _stderr_of(["sim", "serve", "--port", "0", "--time-scale", scale])
        assert code == 2 and "--time-scale must be above 0 and at most 1e+06" in err, err
    code, err = _stderr_of(["local", "up", "--sim-port", "5000", "--moto-port", "5000"])
    assert code == 2 and "each server needs its own port" in err, err
