"""Cold start: how long importing each Lambda handler takes, in a fresh interpreter.

Each measurement starts a new Python process (as a Lambda cold start does) with the plain
environment variables of template.yaml's Globals (those that are not CloudFormation
references), imports the handler module with lambdas/ on sys.path, and reports the import's
wall time, its CPU time (user + sys of the process: on a machine shared with other work it
counts less of the waiting for a core than the wall time does) and the peak memory of the
process. The baseline is the same process importing only what every Python Lambda of this
kind pays anyway — boto3 and the Powertools logger, metrics and batch utilities — so the
ratio shows what spconnector itself adds. Medians of several runs.

Read the ratios with this in mind: the handlers import boto3, the SP-API client, the KB
retrieval (numpy), the phrase rules, the understanding model, jinja2 and PyJWT lazily, on
first use, so a ratio below 1 means the init phase is lighter — the first invocation still
pays for what it uses. The `+ boto3` column is the handler's import followed by boto3's (what
every first invocation that calls AWS adds), so the deferral is visible rather than hidden.

The `init + 1st` column (IngestEmail and ProcessCase, bench/first_event.py) is a fresh
interpreter that imports the handler and then handles one representative event against a
moto server and the simulator: what a deferral saves at init and the first event pays back
shows there, so a lazy import is judged by both figures, in the same rounds.

With --instructions each handler's import also runs once under valgrind (cachegrind, no
cache simulation; with --layer, from the built layer and the --against-layer too; unless
--no-first-event, each tree's init + first event probes once more) and the bench prints the
instructions it executed: unlike the wall and CPU times, that count does not move with the
machine's load, so two trees compare exactly even on a busy machine (it is no time: a ratio
of counts, not a wall-time target).

What this bench cannot say: how the Lambda MemorySize (512 MB in template.yaml) changes the
cold start. Lambda gives a function CPU in proportion to its memory; a local process has
whatever core the machine gives it, so no figure here speaks for another memory size.

With --layer DIR (the built layer, `.aws-sam/build/SpconnectorLayer` after `make sam-build`)
each handler is also imported as Lambda imports it: a bare interpreter (`python -S`, none of
the venv's packages) with only the layer's python/ on its path and the handler code in a
copy without bytecode, writing none (Lambda's /opt and /var/task are read-only). The
baseline of the same rounds is the same layer with its bytecode removed — what SAM's
python builder shipped before src/Makefile compiled it — so every module compiles on every
cold start, as it did then. With --against-layer DIR as well (another tree's built layer, e.g.
main's), each handler is also imported from that layer, with that tree's handler code when
--against names it, in the same rounds.

Targets (issue 15): each handler's cold import within 350 ms, judged on the wall-time median;
(issue 19) init + first event no slower than the --against tree's in the same rounds, judged
on the probe's CPU time (its wall time also waits for the servers in the bench's process);
with --layer, each handler's import from the built layer within 350 ms and at least 1.5× faster
(CPU) than from the same layer without its bytecode.

    .venv/bin/python bench/cold_start.py [--runs 5] [--against ../main] [--no-first-event]
        [--layer .aws-sam/build/SpconnectorLayer [--against-layer ../main/.aws-sam/build/...]]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from first_event import first_events, world

REPO = Path(__file__).resolve().parents[1]
HANDLERS = ("ingest_email", "process_case", "act", "notifications", "scheduler", "tenant_worker")
TARGET_MS = 350.0
LAYER_SPEEDUP = 1.5  # import CPU without the layer's bytecode ÷ with it
VALGRIND = ("valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null")
BASELINE = (
    "import boto3\n"
    "from aws_lambda_powertools import Logger, Metrics\n"
    "from aws_lambda_powertools.utilities.batch import BatchProcessor\n"
)

PROBE = """
import json, re, sys, time
sys.path.insert(0, {lambdas!r})
started, cpu_started = time.perf_counter(), time.process_time()
exec({code!r})
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
# VmHWM, not ru_maxrss: the latter keeps the parent's high-water mark across fork + exec
peak_kib = int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
print(json.dumps({{"seconds": elapsed, "cpu_seconds": cpu, "peak_mib": peak_kib / 1024}}))
"""


class _TemplateLoader(yaml.SafeLoader):
    """Reads template.yaml; a CloudFormation tag (!Ref, !Sub, …) reads as None."""


_TemplateLoader.add_multi_constructor("!", lambda _loader, _suffix, _node: None)


def template_environment(tree: Path = REPO) -> dict[str, str]:
    """The Globals environment variables with a literal value, as the functions get them."""
    template: dict[str, Any] = yaml.load(  # a SafeLoader subclass: no arbitrary objects
        (tree / "template.yaml").read_text(), Loader=_TemplateLoader
    )
    variables = template["Globals"]["Function"]["Environment"]["Variables"]
    return {name: value for name, value in variables.items() if isinstance(value, str)}


def _probe_environment(tree: Path) -> dict[str, str]:
    env = template_environment(tree) | {"AWS_DEFAULT_REGION": "us-east-1", "PATH": "/usr/bin:/bin"}
    if tree != REPO:
        env["PYTHONPATH"] = str(tree / "src")
    return env


def _command(code: str, tree: Path, layer: Path | None = None) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of a fresh interpreter importing `code` from `tree`'s
    lambdas/ and src/ (another checkout, with --against, imports its own spconnector ahead of
    the installed one); with `layer` (a layer's python/ directory), `tree` is a bare handler
    directory and the interpreter sees only the standard library and that layer, as a Lambda
    does."""
    if layer is None:
        probe = PROBE.format(lambdas=str(tree / "lambdas"), code=code)
        return [sys.executable, "-c", probe], _probe_environment(tree)
    probe = PROBE.format(lambdas=str(tree), code=code)
    env = _probe_environment(REPO) | {"PYTHONPATH": str(layer), "PYTHONDONTWRITEBYTECODE": "1"}
    return [sys.executable, "-S", "-c", probe], env


def _run_once(code: str, tree: Path, layer: Path | None = None) -> dict[str, float]:
    """One fresh interpreter importing `code` (`_command`): its times and peak memory."""
    command, env = _command(code, tree, layer)
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def instructions(code: str, tree: Path, layer: Path | None = None) -> float:
    """Millions of instructions a fresh interpreter executes running `code` (valgrind)."""
    command, env = _command(code, tree, layer)
    out = subprocess.run([*VALGRIND, *command], check=True, capture_output=True, text=True, env=env)
    found = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if found is None:
        raise RuntimeError(f"valgrind printed no instruction count: {out.stderr[-500:]}")
    return int(found[1].replace(",", "")) / 1e6


def measure(
    codes: dict[str, tuple[str, Path] | tuple[str, Path, Path]],
    runs: int,
    first: tuple[Any, list[Path]] | None = None,
) -> dict[str, dict[str, float]]:
    """Medians per code, and per-run ratios to the baseline. The codes run interleaved, one
    round after another, so each round's baseline shares its handlers' machine load; with
    `first` (a first_event.World and the trees), each round also runs each tree's
    init + first event (`first:<handler>@<tree>`). A code given as (code, handler directory,
    layer) is imported from that layer (`_run_once`)."""
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in codes}
    for _ in range(runs):
        for name, (code, tree, *layer) in codes.items():
            samples[name].append(_run_once(code, tree, *layer))
        for tree in first[1] if first else ():
            for handler, got in first_events(first[0], tree).items():
                row = {k: v for k, v in got.items() if isinstance(v, float)}
                samples.setdefault(f"first:{handler}@{tree}", []).append(row)
    base = samples["baseline"]
    medians = {}
    for name, rows in samples.items():
        got = {key: statistics.median(r[key] for r in rows) for key in rows[0]}
        got["ratio"] = statistics.median(
            r["seconds"] / b["seconds"] for r, b in zip(rows, base, strict=True)
        )
        got["cpu_ratio"] = statistics.median(
            r["cpu_seconds"] / b["cpu_seconds"] for r, b in zip(rows, base, strict=True)
        )
        medians[name] = got
    return medians


def _shipped(built: Path) -> Path:
    shipped = built / "python"
    if not (shipped / "spconnector").is_dir():
        print(
            f"error: {shipped} holds no spconnector package (run make sam-build)", file=sys.stderr
        )
        raise SystemExit(2)
    return shipped


@contextlib.contextmanager
def layer_copies(built: Path, tree: Path = REPO) -> Iterator[tuple[Path, Path, Path]]:
    """(handler code, the layer as built, the layer without bytecode): `tree`'s handler code
    and the bytecode-free layer are copies in a temporary directory, without any __pycache__."""
    shipped = _shipped(built)
    no_bytecode = shutil.ignore_patterns("__pycache__", "*.pyc")
    with tempfile.TemporaryDirectory(prefix="cold-start-layer-") as tmp:
        code, bare = Path(tmp) / "task", Path(tmp) / "layer"
        shutil.copytree(tree / "lambdas", code, ignore=no_bytecode)
        shutil.copytree(shipped, bare, ignore=no_bytecode, symlinks=True)
        yield code, shipped, bare


def layer_verdicts(got: dict[str, dict[str, float]]) -> list[str]:
    """One target line per handler imported from the built layer (--layer)."""
    lines = []
    print("from the built layer (python -S, only the layer on the path, read-only):")
    print(f"{'handler':<15} {'import ms':>10} {'CPU ms':>7}   {'no bytecode ms':>14} {'CPU ms':>7}")
    for name in HANDLERS:
        row, bare = got[f"layer:{name}"], got[f"layer-bare:{name}"]
        ms, cpu_ms = row["seconds"] * 1000, row["cpu_seconds"] * 1000
        bare_ms, bare_cpu = bare["seconds"] * 1000, bare["cpu_seconds"] * 1000
        print(f"{name:<15} {ms:10.1f} {cpu_ms:7.1f}   {bare_ms:14.1f} {bare_cpu:7.1f}")
        against = got.get(f"layer-against:{name}")
        if against:
            print(
                f"  {'against:':<13} {against['seconds'] * 1000:10.1f} "
                f"{against['cpu_seconds'] * 1000:7.1f}   (the --against-layer, same rounds)"
            )
        speedup = bare_cpu / cpu_ms
        ok = ms <= TARGET_MS and speedup >= LAYER_SPEEDUP
        theirs = (
            f"; --against-layer {against['seconds'] * 1000:.0f} ms wall, "
            f"{against['cpu_seconds'] * 1000:.0f} ms CPU"
            if against
            else ""
        )
        lines.append(
            f"target layer-import {name} <= {TARGET_MS:.0f} ms and >= {LAYER_SPEEDUP}x the "
            f"layer without bytecode: {'met' if ok else 'NOT met'} ({ms:.0f} ms wall, "
            f"{cpu_ms:.0f} ms CPU; without bytecode {bare_ms:.0f} ms wall, {bare_cpu:.0f} ms "
            f"CPU, {speedup:.2f}x{theirs})"
        )
    return lines


def _first(got: dict[str, dict[str, float]], name: str, tree: Path) -> str:
    """The init + first event cell: wall ms and CPU ms, or blanks for a handler without it."""
    row = got.get(f"first:{name}@{tree}")
    if row is None:
        return f"{'-':>14} {'-':>7}"
    return f"{row['first_seconds'] * 1000:14.1f} {row['first_cpu_seconds'] * 1000:7.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--against", type=Path, help="another checkout (e.g. main) measured in the same rounds"
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count each import's instructions under valgrind (load-independent)",
    )
    parser.add_argument(
        "--no-first-event",
        action="store_true",
        help="skip the init + first event probes (they need moto's server, the dev extra)",
    )
    parser.add_argument(
        "--layer",
        type=Path,
        help="the built layer (.aws-sam/build/SpconnectorLayer): import each handler from it",
    )
    parser.add_argument(
        "--against-layer",
        type=Path,
        help="with --layer: another tree's built layer, imported in the same rounds",
    )
    args = parser.parse_args()
    if args.against_layer and not args.layer:
        parser.error("--against-layer needs --layer")
    codes: dict[str, tuple[str, Path] | tuple[str, Path, Path]] = {"baseline": (BASELINE, REPO)}
    for name in HANDLERS:
        codes[name] = (f"import {name}", REPO)
        codes[f"{name}+boto3"] = (f"import {name}\nimport boto3", REPO)
        if args.against:
            codes[f"{name}@against"] = (f"import {name}", args.against.resolve())
    trees = [REPO] + ([args.against.resolve()] if args.against else [])
    load_before = os.getloadavg()[0]
    with contextlib.ExitStack() as stack:
        if args.layer:
            code, shipped, bare = stack.enter_context(layer_copies(args.layer.resolve()))
            for name in HANDLERS:
                codes[f"layer:{name}"] = (f"import {name}", code, shipped)
                codes[f"layer-bare:{name}"] = (f"import {name}", code, bare)
            if args.against_layer:
                their_tree = args.against.resolve() if args.against else REPO
                their_code, theirs, _ = stack.enter_context(
                    layer_copies(args.against_layer.resolve(), their_tree)
                )
                for name in HANDLERS:
                    codes[f"layer-against:{name}"] = (f"import {name}", their_code, theirs)
        first = None if args.no_first_event else (stack.enter_context(world()), trees)
        got = measure(codes, args.runs, first)
        # from the layers too, while their copies exist: (ours, the --against-layer's or None)
        layer_counts = {
            name: (
                instructions(*codes[f"layer:{name}"]),
                instructions(*codes[f"layer-against:{name}"]) if args.against_layer else None,
            )
            for name in (HANDLERS if args.instructions and args.layer else ())
        }
        # init + first event once more per tree, each probe under valgrind
        first_counts = {
            tree: first_events(first[0], tree, VALGRIND)
            for tree in (trees if first and args.instructions else ())
        }
    load_after = os.getloadavg()[0]
    base = got["baseline"]
    print(
        f"load average {load_before:.1f} → {load_after:.1f} on {os.cpu_count()} cores; "
        f"medians of {args.runs} interleaved runs"
    )
    print(
        f"baseline (boto3 + Powertools): {base['seconds'] * 1000:7.1f} ms import "
        f"({base['cpu_seconds'] * 1000:.1f} ms CPU), {base['peak_mib']:6.1f} MiB peak"
    )
    print(
        f"{'handler':<15} {'import ms':>10} {'× base':>7} {'CPU ms':>7} {'× base':>7} "
        f"{'+ boto3 ms':>11} {'init + 1st ms':>14} {'CPU ms':>7} {'peak MiB':>9} {'× base':>7}"
    )
    verdicts = []
    for name in HANDLERS:
        row, with_boto3 = got[name], got[f"{name}+boto3"]
        ms, cpu_ms = row["seconds"] * 1000, row["cpu_seconds"] * 1000
        print(
            f"{name:<15} {ms:10.1f} {row['ratio']:7.2f} {cpu_ms:7.1f} {row['cpu_ratio']:7.2f} "
            f"{with_boto3['seconds'] * 1000:11.1f} {_first(got, name, REPO)} "
            f"{row['peak_mib']:9.1f} {row['peak_mib'] / base['peak_mib']:7.2f}"
        )
        if args.against:
            old = got[f"{name}@against"]
            print(
                f"  {args.against.name + ':':<13} {old['seconds'] * 1000:10.1f} "
                f"{old['ratio']:7.2f} {old['cpu_seconds'] * 1000:7.1f} {old['cpu_ratio']:7.2f} "
                f"{'':>11} {_first(got, name, args.against.resolve())}"
            )
        verdicts.append(
            f"target cold-import {name} <= {TARGET_MS:.0f} ms: "
            f"{'met' if ms <= TARGET_MS else 'NOT met'} "
            f"({ms:.0f} ms wall, {cpu_ms:.0f} ms CPU, {row['ratio']:.2f} × baseline "
            f"{base['seconds'] * 1000:.0f} ms)"
        )
        ours, theirs = got.get(f"first:{name}@{REPO}"), got.get(f"first:{name}@{trees[-1]}")
        if ours and theirs and len(trees) > 1:
            # judged on the probe's CPU: its wall time also waits for the moto server and the
            # simulator, which run in this process and do the same work for either tree
            now_cpu, then_cpu = ours["first_cpu_seconds"] * 1000, theirs["first_cpu_seconds"] * 1000
            now_ms, then_ms = ours["first_seconds"] * 1000, theirs["first_seconds"] * 1000
            verdicts.append(
                f"target init+first-event {name} no slower than {trees[-1].name}: "
                f"{'met' if now_cpu <= then_cpu else 'NOT met'} "
                f"({now_cpu:.0f} vs {then_cpu:.0f} ms CPU, {now_ms:.0f} vs {then_ms:.0f} ms wall)"
            )
    if args.instructions:
        print("instructions executed by each import (millions, valgrind; one run each):")
        for name in HANDLERS:
            ours = instructions(f"import {name}", REPO)
            line = f"{name:<15} {ours:8.0f} M"
            if args.against:
                theirs = instructions(f"import {name}", args.against.resolve())
                line += f"   {args.against.name}: {theirs:8.0f} M   ratio {ours / theirs:.3f}"
            print(line)
        for tree, probes in first_counts.items():
            counts = ", ".join(f"{h} {got['instructions']:.0f} M" for h, got in probes.items())
            print(f"init + first event, {tree.name} (one probe each): {counts}")
        for name, (ours, theirs) in layer_counts.items():
            line = f"{name:<15} {ours:8.0f} M from the built layer"
            if theirs is not None:
                line += f"   --against-layer: {theirs:8.0f} M   ratio {ours / theirs:.3f}"
            print(line)
    if args.layer:
        verdicts += layer_verdicts(got)
    for line in verdicts:
        print(line)


if __name__ == "__main__":
    main()
