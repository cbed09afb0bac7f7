"""The canonical form of a contract, and its digest: what "the same content" means in a registry.

Two documents are the same contract when their canonical forms are equal. The canonical form is
the document's data (so YAML and JSON, flow and block style, quoting, comments and anchors do not
count) written as compact JSON with:

- object keys sorted (by code point), so key order does not count;
- one spelling per number: a float with an integral value is written as that integer (``1e2``,
  ``100.0`` and ``100`` are one number), other floats in Python's shortest round-trip form;
  ``true``/``false`` are never numbers;
- strings exactly as parsed (after YAML or JSON escapes are decoded): no Unicode normalisation,
  no case folding, no whitespace trimming, because two spellings that look alike can be distinct
  enum values or keys.

Array order counts. Stored versions keep the digest of their bytes (``digest``); the canonical
digest (``sha256:`` of the canonical form's UTF-8) is computed from the data, so versions that
older apigov releases stored compare the same way without any migration.
"""

from __future__ import annotations

import hashlib
import json
from typing import Final

from apigov.core._types import JSONValue

__all__ = ["canonical_digest", "canonical_text"]

_EXACT_INTEGERS: Final = 2**63


def _normalised(value: JSONValue) -> JSONValue:
    if isinstance(value, dict):
        return {key: _normalised(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_normalised(child) for child in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT_INTEGERS:
        return int(value)
    return value


def canonical_text(data: JSONValue) -> str:
    """``data`` in canonical form (see the module docstring). Depth is bounded by the loader."""
    return json.dumps(_normalised(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_digest(data: JSONValue) -> str:
    """``sha256:<hex>`` of :func:`canonical_text`."""
    return "sha256:" + hashlib.sha256(canonical_text(data).encode("utf-8", "surrogatepass")).hexdigest()
