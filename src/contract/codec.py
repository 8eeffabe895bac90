"""Dataclasses to and from JSON-ready dicts, through pydantic's TypeAdapter.

Used for JSON columns, outbox payloads and `--json` output, so every edge serialises the same way.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from pydantic import TypeAdapter

T = TypeVar("T")


@cache
def _adapter(kind: type[Any]) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def to_data(value: Any) -> Any:
    """A JSON-compatible structure (dicts, lists, strings, numbers) for a domain value."""
    return _adapter(type(value)).dump_python(value, mode="json")


def from_data(kind: type[T], data: Any) -> T:
    """Rebuild a domain value of `kind` from `to_data`'s output, validating it."""
    return _adapter(kind).validate_python(data)
