"""What may be logged about a failure: its type and reason, never the data behind it."""

from __future__ import annotations

import logging

import pytest
from pydantic import BaseModel

from spconnector.observability import describe_error, get_logger, tenant_scope


class _Model(BaseModel):
    quantity: int


def test_a_validation_error_is_described_without_its_input() -> None:
    with pytest.raises(Exception) as caught:
        _Model(quantity="Jane Doe <jane.doe@example.com> says it broke")  # type: ignore[arg-type]
    text = describe_error(caught.value)
    assert text.startswith("ValidationError: quantity:")
    assert "Jane" not in text and "example.com" not in text


def test_addresses_are_masked_and_the_reason_is_one_short_line() -> None:
    text = describe_error(ValueError("no tenant for k2x@marketplace.amazon.com\n" + "x" * 900))
    assert "<address>" in text and "@" not in text
    assert "\n" not in text and len(text) <= 300


def test_log_records_carry_the_tenant_of_their_scope(caplog: pytest.LogCaptureFixture) -> None:
    log = get_logger("spconnector.test")
    with caplog.at_level(logging.INFO, logger="spconnector"), tenant_scope("acme-us"):
        log.info("inside")
    log.info("outside")
    tenants = [getattr(r, "tenant", None) for r in caplog.records if r.name == "spconnector.test"]
    assert tenants[0] == "acme-us"
