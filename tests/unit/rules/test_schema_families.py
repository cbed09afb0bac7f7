"""Every schema rule of the catalogue, in every place a schema sits, both ways.

The rules crossing the schema-change families with the schema contexts are generated; so are
their tests: each family's example pair is put in the context (a query parameter, a request
body or one of its properties, a response body or property, a response header). The positive
case must report the id; the negative case (the same change the other way round, or no change
for a symmetric family) must not. Every breaking finding carries a counter-example, checked
here with an OpenAPI 3.0 validator (jsonschema underneath) against both schemas.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from openapi_schema_validator import OAS30Validator

from apigov.core._types import JSONValue
from apigov.core.findings import Level
from apigov.rules._families import FAMILIES, PREFIXES, TOLERATED, Family
from apigov.rules.catalogue import BY_ID
from tests.unit.rules._support import by_id, diff_documents, ids


def _document(prefix: str, schema: JSONValue) -> dict[str, JSONValue]:
    if prefix.endswith("property"):
        schema = {"type": "object", "properties": {"p": schema}}
    operation: dict[str, JSONValue] = {"responses": {"200": {"description": "ok"}}}
    if prefix == "request-parameter":
        operation["parameters"] = [{"name": "p", "in": "query", "schema": schema}]
    elif prefix.startswith("request"):
        operation["requestBody"] = {"content": {"application/json": {"schema": schema}}}
    elif prefix == "response-header":
        operation["responses"] = {"200": {"description": "ok", "headers": {"X-P": {"schema": schema}}}}
    else:
        operation["responses"] = {
            "200": {"description": "ok", "content": {"application/json": {"schema": schema}}}
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1.0.0"},
        "paths": {"/things": {"post": operation}},
    }


def _cases() -> list[tuple[str, Family, str, bool]]:
    cases = []
    for prefix, direction in PREFIXES:
        for family in FAMILIES:
            if family.key == "required" and not prefix.endswith("property"):
                continue
            for narrow in (True, False):
                if family.symmetric and narrow != (direction == "request"):
                    continue  # a symmetric id is tested with the change that harms this direction
                suffix = family.narrow if narrow else family.widen
                cases.append((f"{prefix}-{suffix}", family, prefix, narrow))
    return cases


CASES = _cases()


def _pair(family: Family, narrow: bool) -> tuple[JSONValue, JSONValue]:
    base, revision = copy.deepcopy(family.base), copy.deepcopy(family.revision)
    return (base, revision) if narrow else (revision, base)


@pytest.mark.parametrize(("rule_id", "family", "prefix", "narrow"), CASES, ids=[c[0] for c in CASES])
def test_the_change_reports_the_rule(
    tmp_path: Path, rule_id: str, family: Family, prefix: str, narrow: bool
) -> None:
    assert rule_id in BY_ID
    base, revision = _pair(family, narrow)
    report = diff_documents(tmp_path, _document(prefix, base), _document(prefix, revision))
    found = by_id(report, rule_id)
    assert found, f"{rule_id} not reported; got {sorted(ids(report))}"
    rule = BY_ID[rule_id]
    for finding in found:
        if rule.level is Level.INFO:
            assert finding.level is Level.INFO
        elif rule_id in TOLERATED:  # proven, yet only a warning by policy
            assert finding.level is Level.WARNING and "counter_example" in finding.details, finding
        elif family.decidable:
            assert finding.level is Level.BREAKING, finding
        else:
            assert finding.level is Level.WARNING and finding.details.get("undecided") == "true"
        if "counter_example" in finding.details:
            _check_counter_example(
                finding.details["counter_example"], base, revision, prefix, rule.direction.value
            )


@pytest.mark.parametrize(("rule_id", "family", "prefix", "narrow"), CASES, ids=[c[0] for c in CASES])
def test_the_safe_twin_does_not(
    tmp_path: Path, rule_id: str, family: Family, prefix: str, narrow: bool
) -> None:
    if family.symmetric:
        base = revision = family.base
    else:
        base, revision = _pair(family, not narrow)
    report = diff_documents(tmp_path, _document(prefix, base), _document(prefix, revision))
    assert rule_id not in ids(report)


def _check_counter_example(
    text: str, base: JSONValue, revision: JSONValue, prefix: str, direction: str
) -> None:
    instance = json.loads(text)
    if prefix.endswith("property"):
        base = {"type": "object", "properties": {"p": base}}
        revision = {"type": "object", "properties": {"p": revision}}
    accepted, rejected = (base, revision) if direction == "request" else (revision, base)
    assert OAS30Validator(accepted).is_valid(instance), f"{instance!r} should be valid under {accepted}"
    assert not OAS30Validator(rejected).is_valid(instance), f"{instance!r} should be invalid under {rejected}"
