"""Scheduler: one scheduled tick → one unit of work per active tenant on the work queue."""

from __future__ import annotations

from typing import Any

from spconnector.jobs.fanout import fan_out

from _shared import logger, metrics, services


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    services().bind_lambda_context(context)
    return fan_out(services(), str(event.get("job", ""))).as_dict()
