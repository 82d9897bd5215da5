"""Fuzz: the CLI commands whose error handling this work touched — `intake parse-returns`,
`policy validate`, `policy decide` — each on its own, and with `intake parse-email`, `kb
validate`, `kb ask` and `policy backtest` through the entry point. Each input is a file; the
command prints its result, or exits 1 (parse-returns: nothing but bad rows) or 2 with one
line on stderr. Never a traceback. The command functions are called in-process (a CliRunner
call costs ~2 ms of Click's own work); the entry point itself runs a 2,000-input mix in-process
through the console script's main() (argv parsing, exit status, stderr) and a small sample as
real processes. Each command of the mix has its own 20,000-input target in
test_fuzz_cli_offline.py."""

from __future__ import annotations

import contextlib
import io
import json
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import typer
from hypothesis import given

from spconnector.cli.intake import parse_returns_command
from spconnector.cli.policy import decide, validate
from tests.fuzz.budget import BATCH, SEEDS, Tally, fuzz_settings
from tests.fuzz.entry import exit_status, run_main
from tests.fuzz.grammar import HOSTILE, junk, pick, value
from tests.fuzz.test_fuzz_email import MAILS
from tests.fuzz.test_fuzz_email import _mutate as _mutated_mail
from tests.fuzz.test_fuzz_policy import _document
from tests.fuzz.test_fuzz_returns import FBA, MFN, _report

ROOT = Path(__file__).parents[2]
POLICY = ROOT / "policies" / "default.yaml"
CASE = json.loads((ROOT / "tests/fixtures/policy/cases/low-value-defect.json").read_text())
RETURNS_INPUTS = 20_000
# decide reads the policy file on every call; the parsed policy is cached by its text (the
# loader has its own 20,000-input target), so each input costs its case's parse and decision.
DECIDE_INPUTS = 20_000
VALIDATE_INPUTS = 20_000
# The mixed run through main() in-process: each of these commands now has its own 20,000-input
# target (test_fuzz_cli_offline.py, test_fuzz_cli_aws.py), so this is only the argv mix;
# PROCESS_INPUTS of them as real processes
ENTRY_INPUTS = 2_000
PROCESS_INPUTS = 4
# A small knowledge base (one product, two entries): `kb validate` reads it whole per input.
KB = """schema_version: 1
default_language: en
synonyms:
  en:
    - [guarantee, warranty]
products:
  KG-PRESS:
    title: Garlic press
    names: {en: [garlic press]}
    faq:
      - id: dishwasher
        ask: {en: ["Is the press dishwasher safe?"], de: ["Ist die Presse spülmaschinenfest?"]}
        answer: {en: "Yes, on the top rack.", de: "Ja, im oberen Korb."}
    normal_wear:
      - id: patina
        ask: {en: ["Is the dark patina normal?"]}
        answer: {en: "Yes: the aluminium darkens with use."}
        timeline: {en: "A few months of daily use."}
"""


def _call(command: Callable[..., None], *args: Any) -> str:
    """Run a command function as the CLI would: its exit status, stderr one line if 2."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            command(*args)
            code = 0
        except (typer.Exit, click.exceptions.Exit) as exc:
            code = exc.exit_code
    assert code in (0, 1, 2), code
    if code == 2:
        lines = err.getvalue().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), err.getvalue()
    out.getvalue().encode("utf-8")  # printable as UTF-8 (no lone surrogates)
    return f"exit {code}"


def _case(rnd: random.Random) -> str:
    case = json.loads(json.dumps(CASE))
    target = pick(rnd, ["message", "order", "now", "return_request", "item"])
    fuzzed: Any = value(rnd, ["2026-11-20T09:00:00Z", "9999-12-31T23:00:00Z", "12.99", "1"])
    if target == "message":
        case["message"][pick(rnd, ["received_at", "body", "subject", "intent"])] = fuzzed
    elif target == "order":
        case["order"][pick(rnd, ["purchase_date", "delivered_at", "marketplace_id"])] = fuzzed
    elif target == "now":
        case["now"] = fuzzed
    elif target == "return_request":
        case["return_request"][pick(rnd, ["quantity", "reason_code", "in_policy"])] = fuzzed
    else:
        item = case["order"]["items"][0]
        # prices stay positive: decide's handling of zero prices is not this target's
        item[pick(rnd, ["quantity", "sku"])] = fuzzed
        if rnd.random() < 0.3:
            item["unit_price"] = {"amount": pick(rnd, ["12,99", "1e5", "0.01"]), "currency": "EUR"}
    text = json.dumps(case)
    if rnd.random() < 0.1:
        text = text[: rnd.randrange(len(text) + 1)] + junk(rnd, 4)
    return text


def _write(tmp: Path, name: str, data: bytes | str) -> Path:
    path = tmp / name
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    path.write_bytes(data)
    return path


returns_tally = Tally(RETURNS_INPUTS)
decide_tally = Tally(DECIDE_INPUTS)
validate_tally = Tally(VALIDATE_INPUTS)
entry_tally = Tally(ENTRY_INPUTS)


@fuzz_settings(RETURNS_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_parse_returns(tmp: Path, seed: int) -> None:
    rnd = random.Random(seed)
    for n in range(BATCH):
        data, _ = _report(rnd, MFN if rnd.random() < 0.5 else FBA)
        path = _write(tmp, f"r{n}.tsv", data)
        mode = pick(rnd, ["MFN", "fba", "X", ""]) if rnd.random() < 0.3 else None
        returns_tally.run(_call, parse_returns_command, path, rnd.random() < 0.5, mode)


@fuzz_settings(DECIDE_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_policy_decide(tmp: Path, seed: int) -> None:
    rnd = random.Random(seed)
    for n in range(BATCH):
        path = _write(tmp, f"c{n}.json", _case(rnd))
        mode = pick(rnd, ["shadow", "live", "approve", "x"])
        spent = pick(rnd, [None, "12.00 USD", "12,99 EUR", "lots", "1e999999999 USD"])
        decide_tally.run(_call, decide, POLICY, path, True, mode, spent, None)


@fuzz_settings(VALIDATE_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_policy_validate(tmp: Path, seed: int) -> None:
    rnd = random.Random(seed)
    for n in range(BATCH):
        validate_tally.run(_call, validate, _write(tmp, f"p{n}.yaml", _document(rnd)))


def _kb_document(rnd: random.Random) -> str:
    """The small KB with a few of its lines dropped, repeated, cut or given a hostile value."""
    lines = KB.splitlines()
    for _ in range(rnd.randrange(1, 4)):
        at = rnd.randrange(len(lines))
        roll = rnd.random()
        if roll < 0.25:
            del lines[at]
        elif roll < 0.4:
            lines.insert(at, lines[at])
        elif roll < 0.6:
            lines[at] = lines[at][: rnd.randrange(len(lines[at]) + 1)]
        else:
            key, _, _ = lines[at].partition(":")
            lines[at] = f"{key}: {value(rnd, ['en', '1', '[a]', '{en: x}', 'KG-PRESS'])}"
        if not lines:
            break
    return "\n".join(lines)


def _entry_args(rnd: random.Random, tmp: Path, name: str) -> list[str]:
    roll = rnd.random()
    if roll < 0.3:
        data, _ = _report(rnd, MFN)
        args = ["intake", "parse-returns", str(_write(tmp, f"{name}.tsv", data)), "--json"]
    elif roll < 0.5:
        case = _write(tmp, f"{name}.json", _case(rnd))
        args = ["policy", "decide", "--policy", str(POLICY), "--case", str(case), "--json"]
    elif roll < 0.7:
        args = ["policy", "validate", str(_write(tmp, f"{name}.yaml", _document(rnd)))]
    elif roll < 0.82:
        mail = _mutated_mail(rnd, MAILS[rnd.randrange(len(MAILS))])
        args = ["intake", "parse-email", str(_write(tmp, f"{name}.eml", mail)), "--json"]
    elif roll < 0.9:
        args = ["kb", "validate", str(_write(tmp, f"{name}.kb.yaml", _kb_document(rnd)))]
    elif roll < 0.95:
        kb = _write(tmp, f"{name}.kb.yaml", _kb_document(rnd) if rnd.random() < 0.3 else KB)
        question = value(
            rnd, ["Is the press dishwasher safe?", "Ist die Presse spülmaschinenfest?"]
        )
        args = ["kb", "ask", "acme", question, "--file", str(kb), "--json"]
        if rnd.random() < 0.3:
            args += ["--sku", value(rnd, ["KG-PRESS"]), "--language", value(rnd, ["en", "de"])]
    else:
        data, _ = _report(rnd, MFN)
        returns = _write(tmp, f"{name}.bt.tsv", data)
        args = ["policy", "backtest", "--policy", str(POLICY), "--returns", str(returns), "--json"]
    if rnd.random() < 0.1:
        # (a lone surrogate in argv — a non-UTF-8 argument — makes Typer's own usage-error
        # box raise UnicodeEncodeError before any command runs: left out, see the report)
        extra = pick(rnd, [h for h in HOSTILE if "\udc80" not in h])
        args.append(extra or "--bogus")
    return args


@fuzz_settings(ENTRY_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_entry_point(tmp: Path, seed: int) -> None:
    rnd = random.Random(seed)
    for n in range(BATCH):
        entry_tally.run(run_main, _entry_args(rnd, tmp, f"e{n}"))


def test_fuzz_cli_entry_point_as_a_real_process(tmp: Path) -> None:
    """A small sample through the installed console script in its own process: what the
    in-process bulk cannot show (interpreter start, the real sys.argv, real exit status)."""
    script = Path(sys.executable).with_name("spconnector")
    rnd = random.Random(20_000)
    ran = 0
    while ran < PROCESS_INPUTS:
        args = _entry_args(rnd, tmp, f"p{ran}")
        if any("\x00" in a for a in args):
            continue  # an OS argv cannot hold NUL (the in-process bulk has it)
        done = subprocess.run([str(script), *args], capture_output=True, timeout=60, check=False)
        exit_status(done.returncode, done.stderr.decode("utf-8", "replace"))
        ran += 1


def test_fuzz_cli_ran_its_inputs() -> None:
    for tally in (returns_tally, decide_tally, validate_tally, entry_tally):
        tally.check()
    assert decide_tally.outcomes.get("exit 0", 0) > 0
    assert decide_tally.outcomes.get("exit 2", 0) > 0
