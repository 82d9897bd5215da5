"""The per-input bound times the input, not the garbage collector that ran inside it."""

from __future__ import annotations

import gc
import time

from tests.fuzz.budget import Tally


def test_a_full_collection_inside_an_input_is_not_its_time() -> None:
    heap = [[i] for i in range(1_000_000)]  # a heap a full collection must walk
    tally = Tally(1)
    start = time.thread_time()
    tally.run(lambda: str(gc.collect() >= 0))
    spent = time.thread_time() - start
    assert heap and spent > 0.02  # the collection did cost CPU here
    assert tally.slowest < spent / 4


def test_work_of_the_input_itself_is_counted() -> None:
    tally = Tally(1)
    start = time.thread_time()
    tally.run(lambda: str(sum(range(2_000_000))))
    spent = time.thread_time() - start
    assert tally.slowest > spent / 2
