"""The one error of the `Secrets` port (jobs/ports.py), kept below both jobs/ and its adapters
(aws/, memory/) so an adapter can raise it without importing the jobs package."""

from __future__ import annotations


class SecretUnreadable(LookupError):
    """The secret is not there, or we may not read or decrypt it: retrying does not help, a
    person must fix it. The message names the secret and why, never its content."""
