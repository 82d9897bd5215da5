"""The case life cycle: the one table of status moves, like refunds.model.TRANSITIONS.

Every status change goes through `Case.with_status`, which refuses a move not in the table
(IllegalCaseTransition): the step fails, SQS retries it and, if it keeps failing, a person
sees it in the DLQ — a case is never silently moved somewhere its history does not allow.

The table is wide on purpose where steps race (an action finishing while a newer message is
being decided may see any status that step can leave); what it forbids is what no step may
do: put a case that is still being worked on back to OPEN (only new input reopens a
*finished* case), or answer or refund a case that is quarantined or closed without a
decision first.
"""

from __future__ import annotations

from spconnector.domain.enums import CaseStatus

S = CaseStatus

_DECIDES = frozenset({S.DECIDED, S.AWAITING_APPROVAL, S.CLOSED})  # what ProcessCase sets
_ACTS = frozenset({S.ANSWERED, S.REFUNDED, S.ESCALATED, S.AWAITING_APPROVAL, S.CLOSED})  # Act
_ALWAYS = frozenset({S.ESCALATED, S.QUARANTINED})  # a person can always be asked
_WORKING = _DECIDES | _ACTS | _ALWAYS

TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.OPEN: _WORKING | {S.OPEN},
    S.DECIDED: _WORKING | {S.DECIDED},
    S.AWAITING_APPROVAL: _WORKING | {S.AWAITING_APPROVAL},
    # finished: new input reopens it; a step that raced the finish may still land
    S.ANSWERED: _WORKING | {S.ANSWERED, S.OPEN},
    S.REFUNDED: _WORKING | {S.REFUNDED, S.OPEN},
    S.ESCALATED: _WORKING | {S.OPEN},
    # never answered or refunded straight from here: new input reopens it, or a notice that
    # needs a person is decided on it (informational kinds do not reopen a case)
    S.QUARANTINED: _DECIDES | _ALWAYS | {S.OPEN},
    S.CLOSED: _DECIDES | _ALWAYS | {S.OPEN},
}


class IllegalCaseTransition(ValueError):
    """A case status move the life cycle does not allow."""


def can_become(current: CaseStatus, new: CaseStatus) -> bool:
    return new in TRANSITIONS[current]


def check_transition(case_id: str, current: CaseStatus, new: CaseStatus) -> None:
    if not can_become(current, new):
        raise IllegalCaseTransition(f"case {case_id}: {current} → {new} is not allowed")
