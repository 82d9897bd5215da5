"""Cold start: how long importing each Lambda handler takes, in a fresh interpreter.

Each measurement starts a new Python process (as a Lambda cold start does), imports the
handler module with lambdas/ on sys.path, and reports the import time and the peak memory
of the process. The baseline is the same process importing only what every Python Lambda
of this kind pays anyway — boto3 and the Powertools logger, metrics and batch utilities —
so the ratio shows what spconnector itself adds. Medians of several runs.

Read the ratios with this in mind: the handlers import boto3, the SP-API client and the job
modules lazily, on first use, so a ratio below 1 means the init phase is lighter — the first
invocation still pays for what it uses.

    .venv/bin/python bench/cold_start.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HANDLERS = ("ingest_email", "process_case", "act", "notifications", "scheduler", "tenant_worker")
BASELINE = (
    "import boto3\n"
    "from aws_lambda_powertools import Logger, Metrics\n"
    "from aws_lambda_powertools.utilities.batch import BatchProcessor\n"
)

PROBE = """
import json, resource, sys, time
sys.path.insert(0, {lambdas!r})
started = time.perf_counter()
exec({code!r})
elapsed = time.perf_counter() - started
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": elapsed, "peak_mib": peak_kib / 1024}}))
"""


def measure(code: str, runs: int) -> dict[str, float]:
    seconds, peaks = [], []
    for _ in range(runs):
        probe = PROBE.format(lambdas=str(REPO / "lambdas"), code=code)
        env = {"POWERTOOLS_SERVICE_NAME": "spconnector", "AWS_DEFAULT_REGION": "us-east-1"}
        out = subprocess.run(
            [sys.executable, "-c", probe],
            check=True,
            capture_output=True,
            text=True,
            env=env | {"PATH": "/usr/bin:/bin"},
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        seconds.append(result["seconds"])
        peaks.append(result["peak_mib"])
    return {"seconds": statistics.median(seconds), "peak_mib": statistics.median(peaks)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    base = measure(BASELINE, args.runs)
    print(
        f"baseline (boto3 + Powertools): {base['seconds'] * 1000:7.1f} ms import, "
        f"{base['peak_mib']:6.1f} MiB peak"
    )
    print(
        f"{'handler':<15} {'import ms':>10} {'× baseline':>11} {'peak MiB':>9} {'× baseline':>11}"
    )
    for name in HANDLERS:
        got = measure(f"import {name}", args.runs)
        print(
            f"{name:<15} {got['seconds'] * 1000:10.1f} {got['seconds'] / base['seconds']:11.2f} "
            f"{got['peak_mib']:9.1f} {got['peak_mib'] / base['peak_mib']:11.2f}"
        )


if __name__ == "__main__":
    main()
