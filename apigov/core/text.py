"""Values shown in messages."""

from __future__ import annotations

import json

from apigov.core._types import JSONValue


def shown(value: JSONValue, limit: int = 60) -> str:
    """A value as JSON, cut to ``limit`` characters, for messages."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
