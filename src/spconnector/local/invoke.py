"""Run one function of template.yaml in this process, the way Lambda would.

The handler module is imported fresh from the function's CodeUri (a cold start: a new
`_shared.services()` cache built from the environment), with the environment the template
gives the function — resolved to the local resources — and a Lambda-like context.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import time
import traceback
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spconnector.local.bootstrap import CONSOLE_KEY_SECRET_NAME
from spconnector.local.embedded import Embedded
from spconnector.local.template import Binding, Function, Resolver, Template

# Which local resource each of the template's logical ids stands for.
_QUEUES = {
    "CaseEventsQueue": "case-events",
    "ActionsQueue": "actions",
    "NotificationsQueue": "notifications",
    "TenantWorkQueue": "tenant-work",
    "MailboxPollQueue": "mailbox-poll",
}


def binding_for(env: Embedded, *, stage: str = "local") -> Binding:
    refs = {
        "Stage": stage,
        "SpApiEndpointOverride": env.sim.base_url,
        "Table": env.services.settings.table,
        "DataBucket": env.bucket,
        "EscalationsTopic": env.topic_arn,
        "BuyerHistoryKey": env.services.settings.buyer_key_secret,
        "ConsoleSessionKey": CONSOLE_KEY_SECRET_NAME,
    }
    attributes: dict[tuple[str, str], str] = {
        ("DataBucket", "Arn"): f"arn:aws:s3:::{env.bucket}",
        ("EscalationsTopic", "TopicName"): env.topic_arn.rsplit(":", 1)[-1],
    }
    for logical_id, key in _QUEUES.items():
        url = env.queues[key]
        name = url.rstrip("/").rsplit("/", 1)[-1]
        refs[logical_id] = url
        attributes[(logical_id, "QueueName")] = name
        attributes[(logical_id, "Arn")] = f"arn:aws:sqs:us-east-1:123456789012:{name}"
    return Binding(refs=refs, attributes=attributes)


def function_environment(template: Template, function: Function, env: Embedded) -> dict[str, str]:
    """The template's environment for `function`, resolved to `env`'s resources, plus what
    only a local run needs (the simulator's LWA token URL) and Lambda's runtime variables."""
    values = Resolver(template, binding_for(env)).environment(function)
    values["SPCONNECTOR_LWA_TOKEN_URL"] = env.sim.lwa_token_url
    values |= {
        "AWS_LAMBDA_FUNCTION_NAME": function.logical_id,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_mb),
        "AWS_LAMBDA_FUNCTION_TIMEOUT": str(function.timeout),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_REGION": "us-east-1",
    }
    return values


@dataclass
class LocalContext:
    """What a handler reads from Lambda's context object."""

    function_name: str
    memory_limit_in_mb: int
    timeout_seconds: int
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return f"local/[$LATEST]{self.aws_request_id.replace('-', '')}"

    def get_remaining_time_in_millis(self) -> int:
        left = self.timeout_seconds - (time.monotonic() - self.started)
        return max(0, int(left * 1000))


@dataclass
class Invocation:
    function: str
    result: Any = None
    error: dict[str, Any] | None = None  # Lambda's errorType / errorMessage / stackTrace
    record_failures: list[str] = field(default_factory=list)  # failed records of a batch

    @property
    def ok(self) -> bool:
        return self.error is None and not self.record_failures


def invoke(template: Template, function: Function, event: Any, env: Embedded) -> Invocation:
    environment = function_environment(template, function, env)
    context = LocalContext(function.logical_id, function.memory_mb, function.timeout)
    outcome = Invocation(function=function.logical_id)
    service = environment.get("POWERTOOLS_SERVICE_NAME", "service_undefined")
    # Handler logs and metrics go to stderr, as `sam local invoke` shows them; stdout is
    # left for the result.
    with (
        _environment(environment),
        _cold_start(function.code_dir) as load,
        _logging_restored(service),
        redirect_stdout(sys.stderr),
    ):
        try:
            module = load(function.module)
            handler = getattr(module, function.attribute)
            outcome.result = handler(event, context)
        except Exception as exc:
            outcome.error = {
                "errorType": type(exc).__name__,
                "errorMessage": str(exc),
                "stackTrace": traceback.format_exception(exc),
            }
            return outcome
        # the SQS handlers carry their batch processor (lambdas/_sqs_batch.py sqs_handler)
        processor = getattr(handler, "processor", None) or getattr(module, "processor", None)
        for exc_type, exc_value, _tb in getattr(processor, "exceptions", None) or []:
            name = exc_type.__name__ if exc_type else "Exception"
            outcome.record_failures.append(f"{name}: {exc_value}")
    return outcome


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def _cold_start(code_dir: Path) -> Iterator[Any]:
    """Import handler modules fresh from `code_dir`, and forget them afterwards, so each
    invocation starts like a new container and never sees another function's modules."""
    names = {p.stem for p in code_dir.glob("*.py")} | {
        p.parent.name for p in code_dir.glob("*/__init__.py")
    }

    def ours(name: str) -> bool:
        return name.split(".", 1)[0] in names

    stashed = {name: mod for name, mod in sys.modules.items() if ours(name)}
    for name in stashed:
        del sys.modules[name]
    saved_path = list(sys.path)
    saved_hook = sys.excepthook  # Powertools' Logger may install its own
    sys.path.insert(0, str(code_dir))
    try:
        yield importlib.import_module
    finally:
        for name in [n for n in sys.modules if ours(n)]:
            del sys.modules[name]
        sys.modules.update(stashed)
        sys.path[:] = saved_path
        sys.excepthook = saved_hook


@contextmanager
def _logging_restored(service: str) -> Iterator[None]:
    """Powertools configures the service's logger (and filters on root handlers) once per
    process; undo it so the next invocation configures it again, on the then stdout."""
    target = logging.getLogger(service)
    saved = dict(vars(target))
    saved_handlers, saved_filters = list(target.handlers), list(target.filters)
    root_filters = {h: list(h.filters) for h in logging.root.handlers}
    try:
        yield
    finally:
        vars(target).clear()
        vars(target).update(saved)
        target.handlers = saved_handlers
        target.filters = saved_filters
        for handler, filters in root_filters.items():
            handler.filters = filters
