"""Plain JSON-compatible data from what Python callers hold (not public).

``Zla.from_dict`` accepts a dict, or any dataclass-like object — a dataclass, a named
tuple, a pydantic model (``model_dump``), an attrs class (``__attrs_attrs__``) — nested
as deep as needed; ``datetime.date`` values become ``YYYY-MM-DD``, enums their values.
``None`` fields are left out, as absent fields are in the JSON form.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import json
from collections.abc import Mapping
from typing import Any


def to_data(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, datetime.datetime):
        raise TypeError("e-ZLA dates are calendar dates: pass a datetime.date, not a datetime")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return to_data(value.value)
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise TypeError(f"keys must be str, not {type(k).__name__}")
            if v is not None:
                out[k] = to_data(v)
        return out
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_data({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return to_data(value._asdict())
    if hasattr(value, "model_dump") and callable(value.model_dump):
        return to_data(value.model_dump())
    if hasattr(value, "__attrs_attrs__"):
        return to_data({a.name: getattr(value, a.name) for a in value.__attrs_attrs__})
    if isinstance(value, (list, tuple)):
        return [to_data(v) for v in value]
    raise TypeError(f"cannot use a {type(value).__name__} in an e-ZLA document")


def to_json(value: Any) -> str:
    data = to_data(value)
    if not isinstance(data, dict):
        raise TypeError("an e-ZLA document is a dict (or a dataclass-like object)")
    return json.dumps(data, ensure_ascii=False)


def to_json_value(value: Any) -> str:
    """Any plain value (a dict, a list, a string...) as JSON, for the smaller core types."""
    return json.dumps(to_data(value), ensure_ascii=False)
