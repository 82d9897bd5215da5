"""Field rules of a tenant's mailbox secrets, shared by SMTP (aws/smtp_mail) and IMAP
(jobs/poll_mailbox): one place says what a port and a text field are. The rules return what is
wrong in words a person's task can carry, never the value (it may be a password)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class FieldWrong(ValueError):
    """A mailbox secret's field is wrong; the message says which and how, not its value."""


def port_in(data: Mapping[str, Any], default: int) -> int:
    """The secret's port: a whole number 1-65535, as a JSON number or its digits as text (an
    operator's `"993"`). A bool, a fraction, Infinity or a number of 5,000 digits is not a
    port: FieldWrong."""
    value = data.get("port", default)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip()) if len(value.strip()) <= 5 else 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldWrong("its port is not a whole number")
    if not 0 < value < 65536:
        raise FieldWrong("its port is out of range (1-65535)")
    return value


def require_text(
    data: Mapping[str, Any], required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> None:
    """Every required field is non-empty text and every optional one present is text, else
    FieldWrong naming them all."""
    wrong = [k for k in required if not (isinstance(data.get(k), str) and data[k])]
    wrong += [k for k in optional if data.get(k) is not None and not isinstance(data[k], str)]
    if wrong:
        raise FieldWrong(f"{', '.join(wrong)} must be text")
