"""Hand a case to a person: publish its summary, with the reasons, on the escalation topic.

Shared by every step that gives up on acting alone (Act, proactive messages); it has no
step of its own, so none of them imports another to reach it.
"""

from __future__ import annotations

from spconnector.domain import Case, Decision
from spconnector.jobs.services import Services


def escalate(
    services: Services, case: Case, decision: Decision | None, reasons: tuple[str, ...]
) -> None:
    from spconnector.aws.escalations import summarize

    services.escalations.publish(summarize(case, decision, reasons=reasons))
