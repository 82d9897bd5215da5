"""Fuzz: the CLI commands that read files and need no AWS, each its own target through the
console script's main() in-process — `intake parse-email` (a mutated relay mail), `kb
validate` (a mutated knowledge base), `kb ask --file` (hostile questions, SKUs, languages
over a mutated KB) and `policy backtest` (a mutated returns report; missing or hostile
options). Each prints its result or exits 1 or 2 with one line (or Click's usage message);
never a traceback, never over a second of CPU. One input in MAIN_SHARE goes through the console
script's main() (argv parsing, exit status); the rest call the command function, as main()
would, without Typer's ~1 ms of argument conversion."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from spconnector.cli.intake import parse_email_command
from spconnector.cli.kb import ask as kb_ask
from spconnector.cli.kb import validate as kb_validate
from spconnector.cli.policy import backtest
from tests.fuzz.budget import BATCH, SEEDS, Tally, fuzz_settings
from tests.fuzz.entry import extra_argument, run_command, run_main, write
from tests.fuzz.grammar import pick, value
from tests.fuzz.test_fuzz_cli import KB, POLICY, _kb_document
from tests.fuzz.test_fuzz_email import MAILS
from tests.fuzz.test_fuzz_email import _mutate as _mutated_mail
from tests.fuzz.test_fuzz_returns import FBA, MFN, _report

PARSE_EMAIL_INPUTS = 20_000
KB_VALIDATE_INPUTS = 20_000
KB_ASK_INPUTS = 20_000
BACKTEST_INPUTS = 20_000
MAIN_SHARE = 0.1
QUESTIONS = [
    "Is the press dishwasher safe?",
    "Ist die Presse spülmaschinenfest?",
    "Is the dark patina normal? And is it dishwasher safe?",
    "where is my order",
]

parse_email_tally = Tally(PARSE_EMAIL_INPUTS)
kb_validate_tally = Tally(KB_VALIDATE_INPUTS)
kb_ask_tally = Tally(KB_ASK_INPUTS)
backtest_tally = Tally(BACKTEST_INPUTS)


# 20,000 mails through the CLI take ~8 ms each: ~160 s beside other workers, past the suite's
# 300 s hang guard on a loaded machine (seen: 14,936 done at 300 s), so it has a guard of its own.
@pytest.mark.timeout(900)
@fuzz_settings(PARSE_EMAIL_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_intake_parse_email(tmp: Path, seed: int) -> None:
    rnd = random.Random(seed)
    for n in range(BATCH):
        mail = _mutated_mail(rnd, MAILS[rnd.randrange(len(MAILS))])
        path = write(tmp, f"m{n}.eml", mail)
        as_json = rnd.random() < 0.5
        if rnd.random() < MAIN_SHARE:
            args = ["intake", "parse-email", str(path)] + (["--json"] if as_json else [])
            parse_email_tally.run(run_main, extra_argument(rnd, args))
        else:
            parse_email_tally.run(run_command, parse_email_command, path, as_json)


@fuzz_settings(KB_VALIDATE_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_kb_validate(tmp: Path, seed: int) -> None:
    rnd = random.Random(seed)
    for n in range(BATCH):
        suffix = pick(rnd, [".yaml", ".yaml", ".yml", ".csv", ".txt"])
        path = write(tmp, f"k{n}{suffix}", _kb_document(rnd))
        if rnd.random() < MAIN_SHARE:
            kb_validate_tally.run(run_main, extra_argument(rnd, ["kb", "validate", str(path)]))
        else:
            kb_validate_tally.run(run_command, kb_validate, path)


@fuzz_settings(KB_ASK_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_kb_ask(tmp: Path, seed: int) -> None:
    rnd = random.Random(seed)
    for n in range(BATCH):
        kb = write(tmp, f"a{n}.yaml", _kb_document(rnd) if rnd.random() < 0.3 else KB)
        tenant, question = value(rnd, ["acme"]), value(rnd, QUESTIONS)
        sku = value(rnd, ["KG-PRESS", "OTHER"]) if rnd.random() < 0.4 else None
        language = value(rnd, ["en", "de", "fr"]) if rnd.random() < 0.4 else None
        as_json = rnd.random() < 0.5
        if rnd.random() < MAIN_SHARE:
            args = ["kb", "ask", tenant, question, "--file", str(kb)]
            args += ["--sku", sku] if sku is not None else []
            args += ["--language", language] if language is not None else []
            args += ["--json"] if as_json else []
            kb_ask_tally.run(run_main, extra_argument(rnd, args))
        else:
            kb_ask_tally.run(run_command, kb_ask, tenant, question, sku, language, kb, as_json)


@fuzz_settings(BACKTEST_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_policy_backtest(tmp: Path, seed: int) -> None:
    rnd = random.Random(seed)
    for n in range(BATCH):
        data, _ = _report(rnd, MFN if rnd.random() < 0.7 else FBA)
        returns = write(tmp, f"b{n}.tsv", data)
        as_json = rnd.random() < 0.7  # without --json the replay draws a progress bar
        roll = rnd.random()
        if roll < MAIN_SHARE:
            args = ["policy", "backtest", "--policy", str(POLICY), "--returns", str(returns)]
            if roll < 0.04:  # --baseline's 0..1 bound is Click's (main() only)
                args += ["--baseline", value(rnd, ["0.02", "0", "1"])]
            args += ["--json"] if as_json else []
            backtest_tally.run(run_main, extra_argument(rnd, args))
            continue
        options: dict[str, Any] = {"messages": None, "feedback": None, "ledger": None}
        compare, tenant = None, "backtest"
        if roll < 0.2:
            options[pick(rnd, ["messages", "feedback", "ledger"])] = tmp / "missing"
        elif roll < 0.25:
            compare = POLICY
        elif roll < 0.35:
            tenant = value(rnd, ["acme"])
        backtest_tally.run(
            run_command,
            backtest,
            POLICY,
            returns,
            options["messages"],
            options["feedback"],
            options["ledger"],
            None,
            compare,
            tenant,
            as_json,
        )


def test_fuzz_cli_offline_ran_their_inputs() -> None:
    for tally in (parse_email_tally, kb_validate_tally, kb_ask_tally, backtest_tally):
        tally.check()
        assert tally.outcomes.get("exit 0", 0) > 0, tally.outcomes
        assert tally.outcomes.get("exit 2", 0) > 0, tally.outcomes
