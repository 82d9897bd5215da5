"""Aggregate 1,000,000 impact-ledger records streamed from a generator, in bounded memory.

Prints records/s and tracemalloc peak for the streaming aggregation, against a baseline in
the same run that first materializes the same records as a list (what "load everything"
costs). Run: .venv/bin/python bench/impact.py [--records N]
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from collections.abc import Callable

from spconnector.impact.aggregate import summarize
from spconnector.impact.summary import ImpactSummary
from spconnector.impact.synthetic import synthetic_records


def measure(label: str, run: Callable[[], ImpactSummary], records: int) -> tuple[float, int]:
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    summary = run()
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert summary.records == records
    rate = records / elapsed
    print(f"{label:<28} {rate:>12,.0f} records/s   peak {peak / 2**20:>10.1f} MiB")
    return rate, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    args = parser.parse_args()
    n = args.records
    print(f"aggregating {n:,} generated ledger records (tracemalloc on for both runs)")

    stream_rate, stream_peak = measure(
        "streamed (generator)",
        lambda: summarize(synthetic_records(n), baseline_rate=0.03),
        n,
    )

    def materialized() -> ImpactSummary:
        records = list(synthetic_records(n))
        return summarize(records, baseline_rate=0.03)

    list_rate, list_peak = measure("baseline (list in memory)", materialized, n)
    print(f"peak memory, streamed / list: {stream_peak / list_peak:.4f}")
    print(f"speed, streamed / list:       {stream_rate / list_rate:.2f}x")


if __name__ == "__main__":
    main()
