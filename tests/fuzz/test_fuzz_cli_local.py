"""Fuzz: `local invoke` and `local events` at the argument-validation level, each its own
target — hostile --template files (a small template in template.yaml's shape with one
section given the wrong shape, a date that is none, a Timeout too long for int(), cut or
spliced text, not UTF-8, deep nesting; missing paths, directories), hostile function names,
hostile --event files (the committed sample events mutated, not JSON, not UTF-8, an integer of
5,000 digits, nesting too deep), hostile --out directories and --seed values.

Only validation runs: past it, `local invoke` seeds an embedded world and runs the handler
in this process (seconds), `local events` seeds one to render every sample (seconds). So
each input calls what the command checks before it starts anything
(`checked_invocation`, `checked_template`), and one in MAIN_SHARE whose validation fails
goes through the console script's main() (argv parsing, Click's --seed, exit status); an
input whose validation passes is never run through main(). Neither command starts a
container: `local invoke` runs in-process, `sam local` is tests/integration/local's. Each
input returns or exits 2 with one line (or Click's usage message); never a traceback, never
over a second of CPU.

`local up` and `local docker-proxy` (servers that run until Ctrl-C) are fuzzed at the level
of their checks in test_fuzz_cli_servers.py.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from hypothesis import given

from spconnector.cli.local import checked_invocation, checked_template
from tests.fuzz.budget import BATCH, SEEDS, Tally, fuzz_settings
from tests.fuzz.entry import extra_argument, run_command, run_main, write
from tests.fuzz.grammar import junk, pick, value

INVOKE_INPUTS = 20_000
EVENTS_INPUTS = 20_000
MAIN_SHARE = 0.1
ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
EVENTS = sorted((ROOT / "events").glob("*.json"))
EVENTS_TEXT = [path.read_text(encoding="utf-8") for path in EVENTS]
# template.yaml's shape, small enough to parse in well under a millisecond: the real one
# (67 KB, ~40 ms) is drawn rarely
SMALL = """\
Parameters:
  Stage: {{Type: String, Default: {stage}}}
Globals:
  Function:
    CodeUri: {code_uri}
    Timeout: {timeout}
    Environment: {{Variables: {{SPCONNECTOR_TABLE: {table}}}}}
Resources:
  IngestEmailFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: {handler}
      Environment: {environment}
  ActFunction:
{act}
"""
SLOTS: dict[str, list[str]] = {
    "stage": ["prod", "[a, b]", "{x: 1}", "2026-02-30", "!!timestamp 2026-13-45", "*nope"],
    "code_uri": ["src/", "!Ref Nope", "[src]", "3", "null", "'\\0'", "../" * 40],
    "timeout": ["30", '"30"', "3.5", "1e400", "9" * 5000, "'9" + "9" * 5000 + "'", "true",
                "2026-02-30", "-1", "[30]", "!Ref Timeout", "0x1e"],
    "table": ["!Ref Table", "!GetAtt Table.Arn", "!Sub ${Table}", "[x]", "{a: [b]}"],
    "handler": ["ingest_email.handler", "nodot", "123", "!Sub x.y", "[a.b]", ".", "a.", ""],
    "environment": ["{Variables: {A: b}}", "[]", "x", "{Variables: [1]}", "{Variables: 3}",
                    "null", "{Variables: {? [a] : b}}"],
    "act": ["    Type: AWS::Serverless::Function\n    Properties:\n      Handler: act.handler",
            "    Type: AWS::Serverless::Function\n    Properties: [1, 2]",
            "    Type: AWS::Serverless::Function", "    3", "    [a]", "    !Ref X",
            "    Type: AWS::Serverless::Function\n    Properties:\n      Handler: act.handler\n"
            "      MemorySize: {a: b}"],
}  # fmt: skip
FUNCTIONS = ["IngestEmailFunction", "ingest_email", "ingest-email", "IngestEmail", "act",
             "ActFunction", " act ", "ACT", "nope", "ProcessCaseFunction"]  # fmt: skip

invoke_tally = Tally(INVOKE_INPUTS)
events_tally = Tally(EVENTS_INPUTS)


def _small_template(rnd: random.Random) -> str:
    """The small template, each slot its good value mostly and one slot hostile."""
    chosen = {slot: options[0] for slot, options in SLOTS.items()}
    if rnd.random() < 0.8:
        slot = pick(rnd, list(SLOTS))
        chosen[slot] = pick(rnd, SLOTS[slot][1:]) if rnd.random() < 0.8 else value(rnd, [""])
    return SMALL.format(**chosen)


def _mutated_text(rnd: random.Random, text: str) -> str:
    roll = rnd.random()
    if roll < 0.4:
        return text[: rnd.randrange(len(text) + 1)]
    if roll < 0.7:
        at = rnd.randrange(len(text) + 1)
        return text[:at] + value(rnd, ["", ":", "- ", "\t", "&a ", "*a", "!Ref"]) + text[at:]
    if roll < 0.85:
        lines = text.splitlines(keepends=True)
        at = rnd.randrange(len(lines))
        return "".join(lines[:at] + lines[at : at + rnd.randrange(1, 4)] * 2 + lines[at:])
    depth = rnd.randrange(50, 300)  # PyYAML refuses past its limit either way
    return pick(rnd, ["[" * depth + "]" * depth, "{a: " * depth + "1" + "}" * depth])


def _template(rnd: random.Random, tmp: Path, n: int) -> Path:
    roll = rnd.random()
    if roll < 0.002:
        return TEMPLATE
    if roll < 0.05:
        return pick(rnd, [tmp / "missing.yaml", tmp, tmp / "t.yaml" / "below-a-file"])
    if roll < 0.65:
        text = _small_template(rnd)
    elif roll < 0.95:
        text = _mutated_text(rnd, _small_template(rnd))
    else:
        text = _small_template(rnd) + "\udcff\udcfe" + junk(rnd, 10)  # not UTF-8 once written
    return write(tmp, f"t{n}.yaml", text)


def _event(rnd: random.Random, tmp: Path, n: int) -> Path:
    roll = rnd.random()
    if roll < 0.3:
        return EVENTS[rnd.randrange(len(EVENTS))]
    if roll < 0.35:
        return pick(rnd, [tmp / "missing.json", tmp])
    text = EVENTS_TEXT[rnd.randrange(len(EVENTS_TEXT))]
    if roll < 0.7:
        data = _mutated_text(rnd, text).encode("utf-8", "surrogatepass")
    elif roll < 0.8:
        data = pick(rnd, ["9" * 5000, "-" + "9" * 4301, "1e400", "NaN", '"\\ud800"', "",
                          "[" * 100_000 + "]" * 100_000]).encode()  # fmt: skip
    elif roll < 0.9:
        data = text.encode() + b"\xff"
    else:
        record = json.loads(text)
        record[pick(rnd, [*record, "x"])] = value(rnd, [""])
        data = json.dumps(record).encode("utf-8", "surrogatepass")
    return write(tmp, f"e{n}.json", data)


def _validation_fails(check: object, *args: object) -> bool:
    """Whether the command's own validation refuses these arguments (exit 2)."""
    return run_command(check, *args) != "exit 0"  # type: ignore[arg-type]


@fuzz_settings(INVOKE_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_local_invoke(tmp: Path, seed: int) -> None:
    rnd = random.Random(seed)
    for n in range(BATCH):
        template = _template(rnd, tmp, n)
        function = value(rnd, FUNCTIONS)
        event = _event(rnd, tmp, n)
        if rnd.random() < MAIN_SHARE and _validation_fails(
            checked_invocation, function, event, template
        ):
            # argv is decoded text: no lone surrogates (entry.extra_argument)
            function = function.encode("utf-8", "replace").decode("utf-8")
            args = ["local", "invoke", function, "--event", str(event), "--template",
                    str(template)]  # fmt: skip
            args += ["--json"] if rnd.random() < 0.3 else []
            args += ["--seed", value(rnd, ["7", "-1", "x"])] if rnd.random() < 0.2 else []
            args += ["--no-seed-demo"] if rnd.random() < 0.2 else []
            invoke_tally.run(run_main, extra_argument(rnd, args))
        else:
            invoke_tally.run(run_command, checked_invocation, function, event, template)


def _out(rnd: random.Random, tmp: Path, n: int) -> Path:
    roll = rnd.random()
    if roll < 0.6:
        return tmp / "events-out"
    if roll < 0.75:
        return tmp / f"new-{n}"  # not there yet: created
    if roll < 0.9:
        return write(tmp, f"o{n}.json", "{}")  # a file
    return tmp / ("x" * 300)  # a name too long


@fuzz_settings(EVENTS_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_local_events(tmp: Path, seed: int) -> None:
    rnd = random.Random(seed)
    (tmp / "events-out").mkdir(exist_ok=True)
    for n in range(BATCH):
        template = _template(rnd, tmp, n)
        out = _out(rnd, tmp, n)
        if rnd.random() < MAIN_SHARE and _validation_fails(checked_template, template, out):
            args = ["local", "events", "--template", str(template), "--out", str(out)]
            args += ["--check"] if rnd.random() < 0.3 else []
            args += ["--seed", value(rnd, ["7", "-1", "x"])] if rnd.random() < 0.2 else []
            events_tally.run(run_main, extra_argument(rnd, args))
        else:
            events_tally.run(run_command, checked_template, template, out)


def test_fuzz_cli_local_ran_their_inputs() -> None:
    for tally in (invoke_tally, events_tally):
        tally.check()
        assert tally.outcomes.get("exit 0", 0) > 0, tally.outcomes
        assert tally.outcomes.get("exit 2", 0) > 0, tally.outcomes
