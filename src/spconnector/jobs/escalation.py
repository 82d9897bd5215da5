"""Hand a case to a person: publish its summary, with the reasons, on the escalation topic.

Shared by every step that gives up on acting alone (Act, proactive messages); it has no
step of its own, so none of them imports another to reach it.

One task per case per action: inside `one_task(...)` (Act wraps each decision it carries out
in one), every `escalate` for that case is gathered and published once when the block ends,
with every reason in the order given — also when the block ends by an exception, so no reason
is lost to a crash after it was found.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from spconnector.domain import Case, Decision
from spconnector.jobs.services import Services


@dataclass
class _Gathered:
    case_id: str
    reasons: list[str] = field(default_factory=list)


_GATHERING: ContextVar[_Gathered | None] = ContextVar("escalations_gathered", default=None)


def escalate(
    services: Services, case: Case, decision: Decision | None, reasons: tuple[str, ...]
) -> None:
    gathered = _GATHERING.get()
    if gathered is not None and gathered.case_id == case.case_id:
        gathered.reasons.extend(reasons)
        return
    _publish(services, case, decision, reasons)


@contextmanager
def one_task(services: Services, case: Case, decision: Decision | None) -> Iterator[None]:
    """Every escalation of `case` inside the block becomes one, published at its end."""
    gathered = _Gathered(case.case_id)
    token = _GATHERING.set(gathered)
    try:
        yield
    finally:
        _GATHERING.reset(token)
        if gathered.reasons:
            _publish(services, case, decision, tuple(gathered.reasons))


def _publish(
    services: Services, case: Case, decision: Decision | None, reasons: tuple[str, ...]
) -> None:
    from spconnector.aws.escalations import summarize

    services.escalations.publish(summarize(case, decision, reasons=reasons))
