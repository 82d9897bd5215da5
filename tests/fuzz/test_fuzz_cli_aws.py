"""Fuzz: the CLI commands that talk to AWS — `tenants …` (with `policy push|history`), `kb
push|history|ask`, `cases …`, `refunds …`, `claims …` — each its own target through the
console script's main() in-process, against in-memory services (wiring.py: one world per
batch, seeded with a tenant and an unknown refund; Secrets Manager is moto's). Hostile ids,
options, amounts, credentials and policy/KB files: each input prints its result or exits 1
or 2 with one line (or Click's usage message); never a traceback, never over a second of
CPU, and after each batch no refund in the ledger is of zero or less.

Left out on purpose: `tenants add` without --credentials-file and `tenants update
--rotate-credentials` (they prompt without echo, which reads the terminal), and
`--test-credentials` (it calls Amazon's LWA over the network)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from hypothesis import given

from tests.fuzz.budget import BATCH, SEEDS, Tally, fuzz_settings
from tests.fuzz.entry import extra_argument, run_main, write
from tests.fuzz.grammar import junk, pick, value
from tests.fuzz.test_fuzz_cli import KB, POLICY, _kb_document
from tests.fuzz.test_fuzz_policy import _document
from tests.fuzz.wiring import ORDER, TENANT, CliServices

TENANTS_INPUTS = 20_000
KB_PUSH_INPUTS = 20_000
CASES_INPUTS = 20_000
REFUNDS_INPUTS = 20_000
CLAIMS_INPUTS = 20_000
TENANT_IDS = [TENANT, "newco", "b-2"]
CREDENTIALS = json.dumps(
    {
        "lwa_app_id": "amzn1.application-oa2-client.x",
        "lwa_client_secret": "amzn1.oa2-cs.v1.fuzz",
        "refresh_token": "Atzr|fuzz",
    }
)
MONEY = ["25.00 USD", "12,99 EUR", "0 USD", "-5 USD", "1e999999999 USD", "25"]

tallies = {
    name: Tally(inputs)
    for name, inputs in (
        ("tenants", TENANTS_INPUTS),
        ("kb", KB_PUSH_INPUTS),
        ("cases", CASES_INPUTS),
        ("refunds", REFUNDS_INPUTS),
        ("claims", CLAIMS_INPUTS),
    )
}


def _no_refund_of_zero_or_less(wired: CliServices) -> None:
    for refund in wired.services.refund_ledger.all_refunds():
        assert refund.total.amount > 0, refund


def _credentials(rnd: random.Random) -> str:
    roll = rnd.random()
    if roll < 0.6:
        return CREDENTIALS
    if roll < 0.8:
        data = json.loads(CREDENTIALS)
        data[pick(rnd, list(data))] = value(rnd, ["amzn1.x", ""])
        return json.dumps(data)
    return CREDENTIALS[: rnd.randrange(len(CREDENTIALS))] + junk(rnd, 4)


def _policy_file(rnd: random.Random, tmp: Path, name: str) -> str:
    if rnd.random() < 0.5:
        return str(POLICY)
    return str(write(tmp, name, _document(rnd)))


def _tenants_args(rnd: random.Random, tmp: Path, n: int) -> list[str]:
    tenant = value(rnd, TENANT_IDS)
    command = pick(rnd, ["add", "add", "update", "update", "show", "list", "pause", "resume",
                         "push", "history"])  # fmt: skip
    if command == "add":
        args = ["tenants", "add", tenant, "--seller-id", value(rnd, ["A1SELLER"])]
        for _ in range(rnd.randrange(3)):
            args += ["-m", value(rnd, ["US", "CA", "DE", "ATVPDKIKX0DER", "JP"])]
        creds = write(tmp, f"c{n}.json", _credentials(rnd))
        args += ["--credentials-file", str(creds)]
        if rnd.random() < 0.3:
            args += ["--mode", value(rnd, ["shadow", "approve", "live"])]
        if rnd.random() < 0.2:
            args += ["--approved-sender", value(rnd, ["shop@example.com"])]
        if rnd.random() < 0.2:
            args += ["--ses-recipient", value(rnd, ["acme@in.example.com"])]
        if rnd.random() < 0.2:
            args += ["--alarm-contact", value(rnd, ["ops@example.com"])]
        if rnd.random() < 0.3:
            args += ["--policy", _policy_file(rnd, tmp, f"p{n}.yaml")]
    elif command == "update":
        args = ["tenants", "update", tenant]
        options = [
            ("--mode", ["shadow", "approve", "live"]),
            ("-m", ["US", "DE"]),
            ("--autonomy-limit", MONEY),
            ("--daily-refunds", MONEY),
            ("--monthly-refunds", MONEY),
            ("--approved-sender", ["shop@example.com", ""]),
            ("--imap-secret", ["spconnector/acme/imap", ""]),
            ("--alarm-contact", ["ops@example.com"]),
        ]
        for _ in range(rnd.randrange(1, 4)):
            option, good = options[rnd.randrange(len(options))]
            args += [option, value(rnd, good)]
        if rnd.random() < 0.2:
            args.append(pick(rnd, ["--feedback-follow-up", "--no-feedback-follow-up"]))
        if rnd.random() < 0.2:
            args.append(pick(rnd, ["--finances-check-required", "--finances-check-optional"]))
        if rnd.random() < 0.1:
            args += ["--credentials-file", str(write(tmp, f"u{n}.json", _credentials(rnd)))]
    elif command == "push":
        args = ["policy", "push", tenant, _policy_file(rnd, tmp, f"q{n}.yaml")]
    elif command == "history":
        args = ["policy", "history", tenant]
    elif command == "list":
        args = ["tenants", "list"]
    else:
        args = ["tenants", command, tenant]
    if command not in ("pause", "resume") and rnd.random() < 0.5:
        args.append("--json")
    return args


@fuzz_settings(TENANTS_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_tenants(tmp: Path, cli_services: CliServices, seed: int) -> None:
    rnd = random.Random(seed)
    cli_services.fresh()
    for n in range(BATCH):
        tallies["tenants"].run(run_main, extra_argument(rnd, _tenants_args(rnd, tmp, n)))


@fuzz_settings(KB_PUSH_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_kb_push(tmp: Path, cli_services: CliServices, seed: int) -> None:
    """`kb push`, then `kb history` and `kb ask` on what was pushed (or nothing)."""
    rnd = random.Random(seed)
    cli_services.fresh()
    for n in range(BATCH):
        tenant = value(rnd, TENANT_IDS)
        roll = rnd.random()
        if roll < 0.6:
            text = _kb_document(rnd) if rnd.random() < 0.6 else KB
            args = ["kb", "push", tenant, str(write(tmp, f"kb{n}.yaml", text))]
        elif roll < 0.75:
            args = ["kb", "history", tenant]
        else:
            question = value(rnd, ["Is the press dishwasher safe?", "Ist sie rostfrei?"])
            args = ["kb", "ask", tenant, question]
        if rnd.random() < 0.5:
            args.append("--json")
        tallies["kb"].run(run_main, extra_argument(rnd, args))


def _case_id(rnd: random.Random) -> str:
    return value(rnd, [f"{TENANT}#order#{ORDER}", f"newco#order#{ORDER}", f"{TENANT}#x"])


@fuzz_settings(CASES_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_cases(cli_services: CliServices, seed: int) -> None:
    rnd = random.Random(seed)
    cli_services.fresh()
    for _ in range(BATCH):
        command = pick(rnd, ["list", "approve", "deny", "notices-read"])
        if command == "list":
            args = ["cases", "list", "--tenant", value(rnd, TENANT_IDS)]
            args += ["--needs-approval"] if rnd.random() < 0.5 else []
            args += ["--json"] if rnd.random() < 0.5 else []
        elif command in ("approve", "notices-read"):
            args = ["cases", command, _case_id(rnd)]
        else:
            args = ["cases", "deny", _case_id(rnd), "--reason", value(rnd, ["not covered"])]
        if command != "list" and rnd.random() < 0.5:
            args += ["--by", value(rnd, ["dana"])]
        tallies["cases"].run(run_main, extra_argument(rnd, args))


@fuzz_settings(REFUNDS_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_refunds(cli_services: CliServices, seed: int) -> None:
    rnd = random.Random(seed)
    cli_services.fresh()
    for _ in range(BATCH):
        tenant, order = value(rnd, TENANT_IDS), value(rnd, [ORDER, "113-0000002-0000014"])
        command = pick(rnd, ["unsettled", "settle", "settle", "mark-external"])
        if command == "unsettled":
            args = ["refunds", "unsettled", "--tenant", tenant]
        elif command == "settle":
            adjustment = value(rnd, [cli_services.adjustment_id, "spc-0"])
            args = ["refunds", "settle", tenant, order, adjustment]
            args += [pick(rnd, ["--paid", "--not-paid"])] if rnd.random() < 0.8 else []
            args += ["--note", value(rnd, ["checked Seller Central"])]
            args += ["--by", value(rnd, ["dana"])] if rnd.random() < 0.5 else []
        else:
            amount = value(rnd, ["12.99", "0", "-5", "12,99", "1e999999999", "0.001"])
            currency = value(rnd, ["USD", "EUR", "usd"])
            args = ["refunds", "mark-external", tenant, order, amount, currency]
            args += ["--source", value(rnd, ["seller-central"])]
        tallies["refunds"].run(run_main, extra_argument(rnd, args))
    _no_refund_of_zero_or_less(cli_services)


@fuzz_settings(CLAIMS_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_claims(cli_services: CliServices, seed: int) -> None:
    rnd = random.Random(seed)
    cli_services.fresh()
    for _ in range(BATCH):
        tenant, order = value(rnd, TENANT_IDS), value(rnd, [ORDER])
        command = pick(rnd, ["list", "evidence", "outcome"])
        if command == "list":
            args = ["claims", "list", tenant]
        elif command == "evidence":
            args = ["claims", "evidence", tenant, order]
            args += ["--json"] if rnd.random() < 0.5 else []
        else:
            result = value(rnd, ["granted", "denied", "withdrawn"])
            args = ["claims", "outcome", tenant, order, result]
        tallies["claims"].run(run_main, extra_argument(rnd, args))


def test_fuzz_cli_aws_ran_their_inputs() -> None:
    for name, tally in tallies.items():
        tally.check()
        assert tally.outcomes.get("exit 0", 0) > 0, (name, tally.outcomes)
        assert tally.outcomes.get("exit 2", 0) > 0, (name, tally.outcomes)
