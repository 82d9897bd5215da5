"""Two speed-ups of moto for the chaos runs, with the same results (moto 5.2.x).

- moto looks up a request's action among the response class's methods with
  `inspect.getmembers` on every request (~1 ms each); the methods of a class do not change
  while the tests run, so the lookup is remembered per class.
- A DynamoDB Query on the table's own key sorts every item of the table and then keeps the
  ones of the asked partition (moto's Table.query); the chaos table holds thousands of items,
  so each query cost ~9 ms and grew with every run. Here moto's own query runs over that one
  partition only: the same items, in the same order, through the same key conditions,
  filters, limits and pagination. Index (GSI/LSI) queries are left to moto as they are.

Both are undone on exit. If moto changes shape, nothing is patched (slower, same results).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def faster_moto() -> Iterator[None]:
    try:
        from moto.core import responses
        from moto.dynamodb.models.table import Table
    except ImportError:  # pragma: no cover - moto reorganized: run unpatched
        yield
        return
    names = getattr(responses, "method_names_from_class", None)
    query = getattr(Table, "query", None)
    if names is None or query is None:  # pragma: no cover
        yield
        return

    def one_partition_query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        # moto's backend passes index_name as the 8th positional argument
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        if index_name or hash_key is None or not isinstance(self.items, dict):
            return query(self, hash_key, *args, **kwargs)
        everything = self.items
        partition = everything.get(hash_key)  # .get: items is a defaultdict
        # Requests reach moto one at a time (embedded's moto_one_request_at_a_time).
        self.items = {hash_key: partition} if partition is not None else {}
        try:
            return query(self, hash_key, *args, **kwargs)
        finally:
            self.items = everything

    setattr(responses, "method_names_from_class", functools.cache(names))  # noqa: B010
    Table.query = one_partition_query  # type: ignore[method-assign]
    try:
        yield
    finally:
        setattr(responses, "method_names_from_class", names)  # noqa: B010
        Table.query = query  # type: ignore[method-assign]
