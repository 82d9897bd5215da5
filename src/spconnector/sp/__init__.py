"""SP-API for one tenant: `SpApi` (client.py) is the facade; see its docstring for the map.

`SpApi` is imported lazily: importing `spconnector.sp.errors` (as most jobs do) must not load
python-amazon-sp-api.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spconnector.sp.client import SpApi

__all__ = ["SpApi"]


def __getattr__(name: str) -> Any:
    if name == "SpApi":
        from spconnector.sp.client import SpApi

        return SpApi
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
