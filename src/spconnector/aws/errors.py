"""Errors the AWS adapters raise. Messages never carry secrets or buyer PII."""

from __future__ import annotations


class AwsAdapterError(Exception):
    """Base for adapter errors callers may want to catch as one."""


class ConcurrentUpdate(AwsAdapterError):
    """Another writer changed the record first (optimistic lock lost); re-read and retry."""


class TenantMismatch(AwsAdapterError, ValueError):
    """An id or key belonging to another tenant was used with this tenant."""


class NotFound(AwsAdapterError, LookupError):
    """The record does not exist."""


class AlreadyExists(AwsAdapterError):
    """A record that must be created once already exists."""


class QueueSendError(AwsAdapterError):
    """Some messages could not be sent; `failed` lists their batch entry ids and reasons."""

    def __init__(self, message: str, failed: list[tuple[str, str]], sent: list[str]) -> None:
        super().__init__(message)
        self.failed = failed
        self.sent = sent


class ReservationConflict(AwsAdapterError, RuntimeError):
    """Every attempt met another transaction on the spend counters: not a budget verdict."""
