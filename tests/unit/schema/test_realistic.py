"""Counter-examples for realistic objects: required siblings with ``pattern``, ``format``, examples.

A breaking change deep in a real request body is only proven when the engine builds a *whole*
valid object around it. These tests check such objects with an independent validator
(openapi-schema-validator, formats asserted) against both whole schemas, and run ``apigov diff``
on the shop example, where these changes used to come out as undecided warnings.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_schema_validator import (
    OAS30Validator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)

from apigov.config.project import Config
from apigov.core._types import JSONValue
from apigov.core.findings import Level
from apigov.rules.run import DiffRequest, diff_sources
from apigov.schema.compat import Status, is_subset
from apigov.schema.instances import NONE, example
from apigov.schema.model import local_resolver

ROOT = Path(__file__).resolve().parents[3]
SHOP = ROOT / "examples" / "shop"

CUSTOMER = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "email", "createdAt", "amount", "code", "homepage", "ref"],
    "properties": {
        "id": {"type": "string", "pattern": "^cus_[0-9A-HJKMNP-TV-Z]{26}$"},
        "email": {"type": "string", "format": "email"},
        "createdAt": {"type": "string", "format": "date-time"},
        "amount": {"type": "string", "pattern": r"^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$", "example": "12.50"},
        "code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$", "minLength": 8, "maxLength": 8},
        "homepage": {"type": "string", "format": "uri"},
        "ref": {"type": "string", "format": "uuid"},
        "tier": {"type": "string", "enum": ["basic", "gold", "platinum"]},
        "note": {"type": "string", "maxLength": 40, "pattern": "^[a-z ]*$"},
    },
}


def _changed(schema: dict[str, Any], name: str, **change: JSONValue) -> dict[str, Any]:
    properties = {**schema["properties"], name: {**schema["properties"][name], **change}}
    return {**schema, "properties": properties}


CHANGES: list[tuple[str, dict[str, Any], str]] = [
    ("enum-value-removed", _changed(CUSTOMER, "tier", enum=["basic", "gold"]), "enum-value-removed"),
    ("max-length-decreased", _changed(CUSTOMER, "note", maxLength=10), "max-length-decreased"),
    (
        "became-required",
        {**CUSTOMER, "required": [*CUSTOMER["required"], "tier"]},
        "property-became-required",
    ),
    ("pattern-narrowed", _changed(CUSTOMER, "note", pattern="^[a-m ]*$"), "pattern-changed"),
]


@pytest.mark.parametrize(("new", "kind"), [c[1:] for c in CHANGES], ids=[c[0] for c in CHANGES])
@pytest.mark.parametrize("dialect", ["3.0", "3.1"])
def test_whole_object_counter_examples_are_valid_openapi_instances(
    new: dict[str, Any], kind: str, dialect: str
) -> None:
    verdict = is_subset(CUSTOMER, new, resolve_a=local_resolver(CUSTOMER), resolve_b=local_resolver(new))
    assert verdict.status is Status.NOT_SUBSET, verdict
    proven = [r for r in verdict.reasons if r.status is Status.NOT_SUBSET]
    assert kind in {r.kind for r in proven}, verdict
    if dialect == "3.0":
        old_v, new_v = (OAS30Validator(s, format_checker=oas30_format_checker) for s in (CUSTOMER, new))
    else:
        old_v, new_v = (OAS31Validator(s, format_checker=oas31_format_checker) for s in (CUSTOMER, new))
    for reason in proven:
        instance = reason.counter_example
        assert isinstance(instance, dict) and set(CUSTOMER["required"]) <= instance.keys(), reason
        assert old_v.is_valid(instance), (reason, list(old_v.iter_errors(instance)))
        assert not new_v.is_valid(instance), reason


def test_the_example_object_uses_the_schemas_own_values_and_valid_formats() -> None:
    built = example(CUSTOMER, local_resolver(CUSTOMER))
    assert built is not NONE and isinstance(built, dict)
    assert built["amount"] == "12.50"  # the schema's own example, checked and kept
    assert OAS31Validator(CUSTOMER, format_checker=oas31_format_checker).is_valid(built)


def test_an_invalid_example_is_never_trusted() -> None:
    schema: JSONValue = {"type": "string", "pattern": "^[0-9]+$", "example": "abc", "default": "x"}
    built = example(schema, local_resolver(schema))
    assert isinstance(built, str) and built.isdigit()


def test_an_unsatisfiable_sibling_pattern_stays_unknown() -> None:
    # a look-ahead the builder cannot satisfy (and RE2 cannot run): no whole object, no claim
    old = {
        "type": "object",
        "required": ["a", "b"],
        "properties": {"a": {"type": "string", "pattern": "^(?=x)y$"}, "b": {"enum": [1, 2]}},
    }
    new = {**old, "properties": {**old["properties"], "b": {"enum": [1]}}}
    verdict = is_subset(old, new, resolve_a=local_resolver(old), resolve_b=local_resolver(new))
    assert verdict.status is Status.UNKNOWN


# --- the shop example, as `apigov diff` reports it ------------------------------------------------


def _diff(service: str) -> list[Any]:
    request = DiffRequest(
        base=str(SHOP / service / "v1" / "openapi.yaml"),
        revision=str(SHOP / service / "v2" / "openapi.yaml"),
        today=date(2026, 11, 21),
    )
    return list(diff_sources(request, Config(root=SHOP)).findings)


def _validator(path: Path, pointer_prefix: str, name: str, dialect: type[Any], checker: Any) -> Any:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    root = {**document, "$ref": f"#{pointer_prefix}/{name}"}
    return dialect(root, format_checker=checker)


@pytest.mark.parametrize(
    ("service", "rule_id", "operation", "schemas_file", "prefix", "name"),
    [
        (
            "payments",
            "request-property-enum-value-removed",
            "POST /payments",
            "openapi.yaml",
            "/components/schemas",
            "CreatePaymentRequest",
        ),
        (
            "payments",
            "request-property-max-length-decreased",
            "POST /payments",
            "openapi.yaml",
            "/components/schemas",
            "CreatePaymentRequest",
        ),
        (
            "orders",
            "new-required-request-property",
            "POST /orders",
            "components/schemas.yaml",
            "",
            "CreateOrderRequest",
        ),
    ],
)
def test_shop_breaking_changes_are_proven(
    service: str, rule_id: str, operation: str, schemas_file: str, prefix: str, name: str
) -> None:
    found = [f for f in _diff(service) if f.rule_id == rule_id and f.operation == operation]
    assert found, rule_id
    finding = found[0]
    assert finding.level is Level.BREAKING, finding
    assert "undecided" not in finding.details
    instance = json.loads(finding.details["counter_example"])
    old = _validator(SHOP / service / "v1" / schemas_file, prefix, name, OAS31Validator, oas31_format_checker)
    new = _validator(SHOP / service / "v2" / schemas_file, prefix, name, OAS31Validator, oas31_format_checker)
    assert old.is_valid(instance), list(old.iter_errors(instance))
    assert not new.is_valid(instance)
