"""Regular expressions from specs, run in linear time.

A spec's ``pattern`` and ``patternProperties`` are untrusted: Python's backtracking ``re``
takes exponential time on patterns such as ``^(a+)+$``, so a hostile spec could stall a CI
gate. apigov runs them with RE2 (google-re2), which is linear in the input. Patterns RE2 does
not support (look-arounds, back-references) cannot be decided safely: they are treated as
"unverifiable" and never fail a value.

:func:`safe_validator_class` returns a jsonschema validator class whose ``pattern``,
``patternProperties`` and ``additionalProperties`` keywords use RE2.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from apigov.schema.patterns import compiled


def search(pattern: str, text: str) -> bool | None:
    """Whether ``pattern`` matches somewhere in ``text``; ``None`` when RE2 cannot run it (see
    :func:`apigov.schema.patterns.compiled`, the one RE2 helper)."""
    regex = compiled(pattern)
    if regex is None:
        return None
    return regex.search(text) is not None


def compiles(pattern: str) -> bool:
    """Whether ``pattern`` is a valid regular expression at all (compiling is not matching: safe)."""
    import re

    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


def _pattern(validator: Any, pattern: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if (
        validator.is_type(instance, "string")
        and isinstance(pattern, str)
        and search(pattern, instance) is False
    ):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(validator: Any, pattern_properties: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if not validator.is_type(instance, "object") or not isinstance(pattern_properties, Mapping):
        return
    for pattern, subschema in pattern_properties.items():
        for name, value in instance.items():
            if search(pattern, name):
                yield from validator.descend(value, subschema, path=name, schema_path=pattern)


def _additional_properties(validator: Any, additional: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    properties = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    extras = [
        name
        for name in instance
        if name not in properties and not any(search(pattern, name) is not False for pattern in patterns)
    ]
    if validator.is_type(additional, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], additional, path=extra)
    elif additional is False and extras:
        shown = ", ".join(repr(extra) for extra in sorted(extras))
        yield ValidationError(f"Additional properties are not allowed ({shown} unexpected)")


@lru_cache(maxsize=32)
def safe_validator_class(cls: Any) -> Any:
    """``cls`` with the regular-expression keywords running on RE2."""
    from jsonschema import validators

    return validators.extend(
        cls,
        {
            "pattern": _pattern,
            "patternProperties": _pattern_properties,
            "additionalProperties": _additional_properties,
        },
    )
