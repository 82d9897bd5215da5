"""Many tenants' ingest → process → act at once in one process, as bench/fanout.py, the CLI and
local runs do: every tenant's work completes, each decision is carried out once, and shared
per-process state (clients, SP-API clients, idempotency layer) is shared safely."""

from __future__ import annotations

import re
import sys
import threading
import traceback
from collections.abc import Iterator
from typing import Any

import pytest

from spconnector.domain import CaseStatus, MessageKind
from spconnector.intake.email import parse_email
from spconnector.jobs.act import act_on
from spconnector.jobs.ingest import ingest_email
from spconnector.jobs.process_case import process_case_event
from spconnector.local.embedded import Embedded, embedded
from spconnector.local.fleet import add_tenant

TENANTS = 8
FILLER_ITEMS = 1500  # other tenants' records: a table as big as a bench run's
_MESSAGE_ID = re.compile(rb"^Message-ID:\s*<[^>]*>", re.IGNORECASE | re.MULTILINE)


@pytest.fixture
def env() -> Iterator[Embedded]:
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)  # switch threads often: shared-state races show sooner
    try:
        with embedded(seed=7, time_scale=60.0) as env:
            yield env
    finally:
        sys.setswitchinterval(old)


def test_tenants_run_side_by_side_in_threads(env: Embedded) -> None:
    services = env.services
    tenants = [add_tenant(env, f"conc-{n}") for n in range(TENANTS)]
    _fill_table(services.settings.table, FILLER_ITEMS)
    # a buyer's own message (the scenario's first mail may be a notice, which gets no reply)
    mail = next(
        m for m in env.sim.scenario.emails if parse_email(m).kind is MessageKind.BUYER_MESSAGE
    )
    start = threading.Barrier(TENANTS)
    failures: list[str] = []
    acted: dict[str, list[Any]] = {}

    def work(n: int) -> None:
        tenant = tenants[n]
        tid = tenant.tenant_id
        raw = _MESSAGE_ID.sub(f"Message-ID: <{tid}@conc.example>".encode(), mail, count=1)
        start.wait()
        try:
            outcome = ingest_email(services, tenant, raw, source="test")
            assert outcome.case_id is not None, outcome
            decided = process_case_event(services, {"tenant": tid, "case_id": outcome.case_id})
            assert decided["status"] == "decided", decided
            action = {"tenant": tid, "case_id": outcome.case_id, "decision": 1}
            first = act_on(services, action)
            again = act_on(services, action)  # a redelivery: the idempotency layer answers
            acted[tid] = [outcome.case_id, first.get("reply", {}).get("status"), again]
        except Exception as exc:  # reported below with where it happened
            failures.append(f"{tid}: {''.join(traceback.format_exception(exc))}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(TENANTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == []
    assert set(acted) == {t.tenant_id for t in tenants}
    replies = 0
    for tid, (case_id, reply, again) in acted.items():
        case = services.cases.get(tid, case_id)
        assert case is not None and case.status.is_terminal, (tid, case)
        assert case.status is not CaseStatus.QUARANTINED, (tid, case.status)
        assert again.get("reply", {}).get("status") == reply  # stored result, not a rerun
        assert len(services.cases.decisions(tid, case_id)) == 1
        replies += reply == "sent"
    # each reply went out once: the redeliveries sent nothing
    assert replies > 0 and len(_sent_mail()) == replies
    # one SP-API client per tenant, however many threads asked at once
    assert len({id(services.sp(t)) for t in tenants}) == TENANTS


def _sent_mail() -> list[Any]:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages)


def _fill_table(table: str, count: int) -> None:
    from spconnector.aws.clients import client

    ddb = client("dynamodb")
    for first in range(0, count, 25):
        ddb.batch_write_item(
            RequestItems={
                table: [
                    {"PutRequest": {"Item": {"pk": {"S": f"other-{n}#x"}, "sk": {"S": "x"}}}}
                    for n in range(first, min(first + 25, count))
                ]
            }
        )
