"""bench/cost.py's pricing: X-Ray as the template deploys it, and each configuration leaves out
exactly the fees it does not pay."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

from spconnector.local.template import Template

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def cost() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_cost", ROOT / "bench" / "cost.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_cost"] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


def _run(cost: ModuleType, tracing: str) -> object:
    template = Template.load(ROOT / "template.yaml")
    act = cost.WarmFunction(template.function(cost.ACT), handler=None, environment={})
    act.use.invocations, act.use.billed_ms = 10, 1000.0
    counted = cost.Counted(s3_put=20, s3_get=10, ses_out=3)  # 10 of the PUTs are SES's
    return cost.Run(
        10, counted, {cost.ACT: act}, cost.StdoutBytes(), 10 * 4096, Counter(), 0, 0, 3, tracing
    )


def test_tracing_is_read_from_the_templates_parameter_default(cost: ModuleType) -> None:
    assert cost.template_tracing(Template.load(ROOT / "template.yaml")) == "PassThrough"


def test_each_configuration_leaves_out_only_what_it_does_not_pay(cost: ModuleType) -> None:
    passthrough = _run(cost, "PassThrough")
    rows, total = cost.price(passthrough)
    xray = next(c for name, _w, c in rows if name.startswith("X-Ray"))
    assert xray == 0
    _rows, traced_total = cost.price(_run(cost, "Active"))
    assert traced_total - total == 10 * cost.PRICE["xray_trace"] * 100  # per 1,000 of 10

    (ses, imap, smtp, ours) = cost.configurations_of(passthrough, total)
    per = Decimal(100)
    receiving = 10 * (cost.PRICE["ses_inbound_mail"] + cost.PRICE["ses_inbound_chunk"]) * per
    sending = 3 * cost.PRICE["ses_outbound_mail"] * per
    copy = 10 * (cost.PRICE["s3_put"] + cost.PRICE["s3_get"]) * per
    assert ses[2] == total
    assert imap[2] == total - receiving - copy
    assert ours[2] == total - receiving - sending - copy
    # SMTP: no SES fee; Act held ASSUMED_SMTP_SEND_MS per reply, one secret read per reply
    act_gb = Decimal(Template.load(ROOT / "template.yaml").function(cost.ACT).memory_mb) / 1024
    held = 3 * Decimal(cost.ASSUMED_SMTP_SEND_MS) / 1000 * act_gb
    smtp_own = held * cost.PRICE["lambda_gb_second_x86"] + 3 * cost.PRICE["secrets_api_call"]
    assert smtp[2] == ours[2] + smtp_own * per
    assert [c[1] for c in (ses, imap, smtp, ours)] == [
        "",
        "-imap",
        "-imap-smtp",
        "-own-infrastructure",
    ]
