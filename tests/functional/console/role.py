"""The Console function's IAM role, in the local console: every DynamoDB call a console
request makes is checked against ConsoleFunction's grants in template.yaml (tests/table_access)
and refused as AWS would refuse it (AccessDeniedException), so each console test also proves
the role lets the console do what the test does — and the refusals are kept for the test to
fail on, even where the console swallows the error."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from tests.table_access import permits, recording

FUNCTION = "ConsoleFunction"


@dataclass
class ConsoleRole:
    made: set[tuple[str, str]] = field(default_factory=set)  # (action, partition key)
    refused: list[tuple[str, str]] = field(default_factory=list)
    _inside: threading.local = field(default_factory=threading.local)

    def wrap(self, handle: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[..., Any]:
        def handled(event: dict[str, Any]) -> dict[str, Any]:
            self._inside.active = True
            try:
                return handle(event)
            finally:
                self._inside.active = False

        return handled

    def check(self, action: str, key: str) -> None:
        if not getattr(self._inside, "active", False):
            return  # the tests' own seeding runs as the other functions
        self.made.add((action, key))
        if not permits(FUNCTION, action, key):
            self.refused.append((action, key))
            error = {"Code": "AccessDeniedException", "Message": f"{FUNCTION} may not {action}"}
            raise ClientError({"Error": error}, action)  # type: ignore[arg-type]


@contextmanager
def enforced() -> Iterator[ConsoleRole]:
    role = ConsoleRole()
    with recording(role.check):
        yield role
