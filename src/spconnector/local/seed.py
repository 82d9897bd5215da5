"""A local environment in the middle of a working day, so every sample event finds its data.

`seed_demo` runs the real jobs on the simulator's buyer mail, stopping one step short for the
newest pieces of work, and says what it left waiting:

- every mail is stored under inbound/<tenant>/NNNNN.eml, as SES would store it;
- all but the newest mail are ingested; the newest waits for IngestEmail;
- the case events of all but the second-newest mail are decided; that mail's case event
  waits on the case-events queue for ProcessCase;
- decided cases' actions wait on the actions queue for Act (none is carried out).

Everything depends only on the simulator seed, never on the clock, so the sample events in
events/ (written by `spconnector local events`) name ids every seeded environment has.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from spconnector.local.embedded import Embedded


@dataclass
class Seeded:
    tenant: str
    ingest_key: str  # stored, not yet ingested
    case_event: dict[str, Any]  # waiting on the case-events queue
    action: dict[str, Any] | None  # waiting on the actions queue (the earliest mail's case)
    ingested: int = 0
    decided: int = 0
    failures: list[str] = field(default_factory=list)


def inbound_key(tenant: str, n: int) -> str:
    return f"inbound/{tenant}/{n:05d}.eml"


def seed_demo(env: Embedded) -> Seeded:
    from spconnector.aws.clients import client
    from spconnector.jobs.ingest import ingest_s3_object
    from spconnector.jobs.process_case import process_case_event

    services, tid = env.services, env.tenant.tenant_id
    mails = env.sim.scenario.emails  # oldest first
    if len(mails) < 3:
        raise ValueError("the scenario has fewer than three buyer mails to seed from")
    s3 = client("s3")
    for n, raw in enumerate(mails):
        s3.put_object(Bucket=env.bucket, Key=inbound_key(tid, n), Body=raw)

    failures: list[str] = []
    case_order: list[str] = []
    ingested = 0
    for n in range(len(mails) - 2):
        outcome = ingest_s3_object(services, env.bucket, inbound_key(tid, n))
        ingested += outcome.status == "ingested"
        if outcome.case_id and outcome.case_id not in case_order:
            case_order.append(outcome.case_id)

    decided = 0
    for body in env.drain("case-events"):
        try:
            process_case_event(services, body)
            decided += 1
        except Exception as exc:  # SQS would retry it; the seed goes on and says so
            failures.append(f"process_case {body.get('case_id')}: {type(exc).__name__}: {exc}")

    last = ingest_s3_object(services, env.bucket, inbound_key(tid, len(mails) - 2))
    ingested += last.status == "ingested"
    waiting = env.drain("case-events")
    if not waiting:
        raise ValueError(f"ingesting {inbound_key(tid, len(mails) - 2)} published no case event")
    _requeue(env, "case-events", waiting)

    actions = env.drain("actions")
    _requeue(env, "actions", actions)
    by_case = {str(a.get("case_id")): a for a in reversed(actions)}  # the first per case

    def sends_a_reply(body: dict[str, Any]) -> bool:
        decisions = services.cases.decisions(tid, str(body["case_id"]))
        seq = int(body["decision"])
        return 0 < seq <= len(decisions) and decisions[seq - 1].reply_template is not None

    # The sample for Act is the oldest case whose action answers the buyer (so invoking it
    # shows a reply leaving); with none, the oldest action of any kind.
    waiting_actions = [by_case[c] for c in case_order if c in by_case]
    action = next((a for a in waiting_actions if sends_a_reply(a)), None) or next(
        iter(waiting_actions), None
    )
    return Seeded(
        tenant=tid,
        ingest_key=inbound_key(tid, len(mails) - 1),
        case_event=waiting[0],
        action=action,
        ingested=ingested,
        decided=decided,
        failures=failures,
    )


def _requeue(env: Embedded, queue: str, bodies: list[dict[str, Any]]) -> None:
    """Put drained messages back: the seeded queues hold what is still to be done."""
    from spconnector.aws.clients import client

    sqs = client("sqs")
    for body in bodies:
        sqs.send_message(QueueUrl=env.queues[queue], MessageBody=json.dumps(body, sort_keys=True))
