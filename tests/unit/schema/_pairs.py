"""Schema pairs shared by the schema tests, and a checker that proves counter-examples with jsonschema."""

from __future__ import annotations

import json

from jsonschema import Draft202012Validator, FormatChecker

from apigov.core._types import JSONValue
from apigov.schema.compat import Verdict, is_subset
from apigov.schema.instances import NONE
from apigov.schema.model import NUMERIC_FORMATS, local_resolver

OBJ = {"type": "object"}

NUMBERS = FormatChecker(formats=())
"""Asserts the numeric formats only (apigov bounds values by them; other formats are annotations)."""
for _name, (_low, _high) in NUMERIC_FORMATS.items():
    NUMBERS.checks(_name)(
        lambda value, low=_low, high=_high: (
            not isinstance(value, int | float) or isinstance(value, bool) or low <= value <= high
        )
    )


def obj(props: dict[str, JSONValue], **extra: JSONValue) -> dict[str, JSONValue]:
    return {"type": "object", "properties": props, **extra}


def document(schema: JSONValue, defs: dict[str, JSONValue] | None) -> JSONValue:
    """The whole document: the schema with its components next to it (2020-12 ignores the extra key)."""
    if defs is None:
        return schema
    if isinstance(schema, bool):
        return schema
    return {**schema, "components": {"schemas": defs}}


def compare(
    a: JSONValue,
    b: JSONValue,
    defs_a: dict[str, JSONValue] | None = None,
    defs_b: dict[str, JSONValue] | None = None,
) -> Verdict:
    return is_subset(
        a, b, resolve_a=local_resolver(document(a, defs_a)), resolve_b=local_resolver(document(b, defs_b))
    )


def oas30(schema: JSONValue) -> bool:
    text = json.dumps(schema)
    return '"nullable"' in text or '"exclusiveMinimum": true' in text or '"exclusiveMaximum": true' in text


def assert_counter_examples(
    verdict: Verdict,
    a: JSONValue,
    b: JSONValue,
    defs_a: dict[str, JSONValue] | None = None,
    defs_b: dict[str, JSONValue] | None = None,
) -> None:
    """Every NOT_SUBSET reason carries an instance that A accepts and B rejects (checked by jsonschema)."""
    if oas30(a) or oas30(b) or oas30(defs_a) or oas30(defs_b):
        return
    valid_a = Draft202012Validator(document(a, defs_a), format_checker=NUMBERS)
    valid_b = Draft202012Validator(document(b, defs_b), format_checker=NUMBERS)
    for reason in verdict.reasons:
        if reason.status == "not-subset":
            assert reason.counter_example is not NONE, reason
            assert valid_a.is_valid(reason.counter_example), reason
            assert not valid_b.is_valid(reason.counter_example), reason
