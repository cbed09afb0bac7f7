"""What the property walk reports and what the engine proves are one finding only when they are
the same change: a property added or removed takes the engine's reasons inside it; a required
flag only the engine's "became required" at that property; an annotation (deprecated, default)
none, so a real change beside it is still reported on its own."""

from __future__ import annotations

from pathlib import Path

from apigov.core._types import JSONValue
from apigov.core.findings import Level
from tests.unit.rules._support import by_id, diff_documents


def _request(schema: JSONValue) -> dict[str, JSONValue]:
    body = {"content": {"application/json": {"schema": schema}}}
    operation = {"requestBody": body, "responses": {"200": {"description": "ok"}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1.0.0"},
        "paths": {"/a": {"post": operation}},
    }


def test_a_deprecation_does_not_hide_a_type_change(tmp_path: Path) -> None:
    base = _request({"type": "object", "properties": {"x": {"type": "string"}}})
    revision = _request({"type": "object", "properties": {"x": {"type": "integer", "deprecated": True}}})
    report = diff_documents(tmp_path, base, revision)
    (deprecated,) = by_id(report, "request-property-deprecated")
    assert deprecated.level is Level.INFO
    (changed,) = by_id(report, "request-property-type-changed")
    assert changed.level is Level.BREAKING and "counter_example" in changed.details


def test_a_property_that_became_optional_keeps_its_own_changes_apart(tmp_path: Path) -> None:
    inner_old = {"type": "object", "properties": {"n": {"type": "integer"}}}
    inner_new = {"type": "object", "properties": {"n": {"type": "integer", "maximum": 5}}}
    base = _request({"type": "object", "required": ["s"], "properties": {"s": inner_old}})
    revision = _request({"type": "object", "properties": {"s": inner_new}})
    report = diff_documents(tmp_path, base, revision)
    (optional,) = by_id(report, "request-property-became-optional")
    assert optional.level is Level.INFO, optional
    (narrowed,) = by_id(report, "request-property-max-set")
    assert narrowed.level is Level.BREAKING


def test_a_response_property_that_became_optional_is_proven(tmp_path: Path) -> None:
    def response(required: list[str]) -> dict[str, JSONValue]:
        schema = {"type": "object", "required": required, "properties": {"id": {"type": "string"}}}
        ok = {"description": "ok", "content": {"application/json": {"schema": schema}}}
        return {
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1.0.0"},
            "paths": {"/a": {"get": {"responses": {"200": ok}}}},
        }

    report = diff_documents(tmp_path, response(["id"]), response([]))
    (optional,) = by_id(report, "response-property-became-optional")
    assert optional.level is Level.BREAKING and optional.details["counter_example"] == "{}"


def _map_of(value: JSONValue) -> dict[str, JSONValue]:
    return _request(
        {"type": "object", "properties": {"labels": {"type": "object", "additionalProperties": value}}}
    )


def test_a_property_added_inside_a_map_value_is_a_new_optional_property(tmp_path: Path) -> None:
    # the map's values were open objects: old clients may have sent any "flag" there
    old_value: JSONValue = {"type": "object", "properties": {"name": {"type": "string"}}}
    new_value: JSONValue = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "flag": {"type": "boolean"}},
    }
    report = diff_documents(tmp_path, _map_of(old_value), _map_of(new_value))
    assert not [f for f in report.findings if f.level is Level.BREAKING], report.findings
    (added,) = by_id(report, "new-optional-request-property")
    assert added.location.pointer.endswith("/additionalProperties/properties/flag")
    strict = diff_documents(
        tmp_path / "strict", _map_of(old_value), _map_of(new_value), strict_open_model=True
    )
    (proven,) = by_id(strict, "new-optional-request-property")
    assert proven.level is Level.BREAKING and "counter_example" in proven.details
