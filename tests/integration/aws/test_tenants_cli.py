"""The tenants CLI end to end on moto: add → list → show → update → pause/resume → policy
push/history, with credentials that must never appear in any output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from spconnector.aws.secrets import read_credentials
from spconnector.aws.tenants import TenantRegistry
from spconnector.cli import tenants

pytestmark = pytest.mark.usefixtures("mocked_aws")
REPO = Path(__file__).resolve().parents[3]
SECRET = "amzn1.oa2-cs.v1.SENTINELclientSECRET"
TOKEN = "Atzr|SENTINELrefreshTOKEN"


def _cli() -> typer.Typer:
    # As the lead registers it: `spconnector tenants …` and `spconnector policy push|history`.
    root = typer.Typer()
    root.add_typer(tenants.app, name="tenants")
    policy = typer.Typer()
    policy.command("push")(tenants.policy_push)
    policy.command("history")(tenants.policy_history)
    root.add_typer(policy, name="policy")
    return root


def _run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(_cli(), list(args), input=input)
    out, err = result.stdout, result.stderr
    for secret in (SECRET, TOKEN, "SENTINEL"):
        assert secret not in out and secret not in err, "a credential was printed"
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, out, err


def _creds_file(tmp_path: Path) -> Path:
    path = tmp_path / "creds.json"
    path.write_text(
        json.dumps(
            {
                "lwa_app_id": "amzn1.application-oa2-client.x",
                "lwa_client_secret": SECRET,
                "refresh_token": TOKEN,
            }
        )
    )
    return path


def test_round_trip(tmp_path: Path) -> None:
    code, out, _ = _run(
        "tenants", "add", "acme", "--seller-id", "A1SELLER", "-m", "US", "-m", "CA",
        "--credentials-file", str(_creds_file(tmp_path)),
        "--policy", str(REPO / "policies" / "default.yaml"), "--json",
    )  # fmt: skip
    assert code == 0
    added = json.loads(out)
    assert added["region"] == "na"
    assert added["marketplace_ids"] == ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"]
    assert added["credentials_secret"] == "spconnector/acme/sp-api"
    assert added["policy_version"].startswith("sha256:")
    assert read_credentials("spconnector/acme/sp-api").refresh_token.get_secret_value() == TOKEN

    code, out, _ = _run("tenants", "list")
    assert code == 0 and out.startswith("acme\tna\tATVPDKIKX0DER,A2EUQ1WTGCTBG2\tshadow\tsha256:")

    code, out, _ = _run("tenants", "show", "acme", "--json")
    shown = json.loads(out)
    assert shown["credentials_secret_exists"] is True and shown["policy_pushed_at"]

    code, out, _ = _run(
        "tenants", "update", "acme", "--mode", "approve", "--autonomy-limit", "25.00 USD",
        "--approved-sender", "support@shop.example", "--json",
    )  # fmt: skip
    assert code == 0
    updated = json.loads(out)
    assert updated["mode"] == "approve"
    assert updated["budgets"]["autonomy_limit"] == {"amount": "25.00", "currency": "USD"}

    assert _run("tenants", "pause", "acme")[1].strip() == "acme: paused"
    assert TenantRegistry().require("acme").paused
    assert _run("tenants", "resume", "acme")[1].strip() == "acme: active"

    strict = REPO / "policies" / "examples" / "strict-small-brand.yaml"
    code, out, _ = _run("policy", "push", "acme", str(strict), "--json")
    assert code == 0 and json.loads(out)["seq"] == 2
    code, out, _ = _run("policy", "history", "acme", "--json")
    assert [row["seq"] for row in json.loads(out)] == [1, 2]
    assert TenantRegistry().require("acme").policy_version == json.loads(out)[1]["version"]


def test_add_prompts_for_secrets_without_echo() -> None:
    code, out, _ = _run(
        "tenants", "add", "beta", "--seller-id", "A2SELLER", "-m", "DE",
        "--lwa-app-id", "amzn1.application-oa2-client.y",
        input=f"{SECRET}\n{TOKEN}\n",
    )  # fmt: skip
    assert code == 0
    assert "region: eu" in out
    stored = read_credentials("spconnector/beta/sp-api")
    assert stored.lwa_client_secret.get_secret_value() == SECRET


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("tenants", "show", "nobody"), "no tenant 'nobody'"),
        (("tenants", "add", "Bad_Id", "--seller-id", "S", "-m", "US"), "tenant id must"),
        (("tenants", "add", "gamma", "--seller-id", "S", "-m", "XX"), "--marketplace 'XX'"),
        (("tenants", "add", "gamma", "--seller-id", "S", "-m", "US", "-m", "DE"), "one SP-API"),
        (("tenants", "add", "gamma", "--seller-id", "S", "-m", "US", "--mode", "yolo"), "mode"),
        (("tenants", "update", "nobody", "--mode", "live"), "no tenant"),
        (("policy", "push", "nobody", "missing.yaml"), "missing.yaml"),
        (("policy", "history", "nobody"), "no tenant"),
    ],
)
def test_user_mistakes_are_one_line_and_exit_2(args: tuple[str, ...], message: str) -> None:
    code, _, err = _run(*args)
    assert code == 2
    assert err.startswith("error: ") and message in err
    assert len(err.strip().splitlines()) == 1


def test_bad_credentials_file_and_bad_policy(tmp_path: Path) -> None:
    broken = tmp_path / "creds.json"
    broken.write_text(f'{{"refresh_token": "{TOKEN}"}}')
    code, _, err = _run(
        "tenants", "add", "delta", "--seller-id", "S", "-m", "US", "--credentials-file", str(broken)
    )
    assert code == 2 and "lwa_app_id" in err
    bad_policy = tmp_path / "p.yaml"
    bad_policy.write_text("name: x\nrules: 7\n")
    code, _, err = _run(
        "tenants", "add", "delta", "--seller-id", "S", "-m", "US",
        "--credentials-file", str(_creds_file(tmp_path)), "--policy", str(bad_policy),
    )  # fmt: skip
    assert code == 2 and str(bad_policy) in err
    assert TenantRegistry().get("delta") is None  # nothing half-registered


def test_adding_twice_is_refused(tmp_path: Path) -> None:
    args = ("tenants", "add", "acme", "--seller-id", "S", "-m", "US")
    creds = ("--credentials-file", str(_creds_file(tmp_path)))
    assert _run(*args, *creds)[0] == 0
    code, _, err = _run(*args, *creds)
    assert code == 2 and "already exists" in err


def test_test_credentials_checks_them_with_lwa_before_storing(tmp_path: Path) -> None:
    from spconnector.sim import SimServer

    with SimServer(seed=7) as sim:
        sim_args = ("--sp-endpoint", sim.base_url, "--lwa-url", sim.lwa_token_url)
        good = tmp_path / "good.json"
        good.write_text(json.dumps(sim.credentials))
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps({**sim.credentials, "refresh_token": TOKEN}))
        base = ("tenants", "add", "sim", "--seller-id", sim.seller_id, "-m", sim.marketplace_id)

        code, _, err = _run(*base, "--credentials-file", str(bad), "--test-credentials", *sim_args)
        assert code == 2 and "refused" in err
        assert TenantRegistry().get("sim") is None  # nothing stored for refused credentials

        code, _, err = _run(*base, "--credentials-file", str(good), "--test-credentials", *sim_args)
        assert code == 0, err
        assert TenantRegistry().require("sim").seller_id == sim.seller_id


def test_aws_refusal_is_one_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPCONNECTOR_TABLE", "no-such-table")
    code, _, err = _run("tenants", "list")
    assert code == 2
    assert err.startswith("error: AWS refused: ResourceNotFoundException")
    assert len(err.strip().splitlines()) == 1
