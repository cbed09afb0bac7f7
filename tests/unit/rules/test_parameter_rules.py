"""Request parameters: moved between locations, default values, sunset dates (issue 12, classes
15, 17, 18), each with its safe twin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigov.core.findings import Level
from tests.unit.rules._support import by_id, diff_documents, ids

Doc = dict[str, Any]


def _api(*params: Doc) -> Doc:
    op = {"parameters": list(params), "responses": {"200": {"description": "ok"}}}
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": op}}}


def _p(name: str = "tenant", where: str = "query", **fields: Any) -> Doc:
    return {"name": name, "in": where, "schema": fields.pop("schema", {"type": "string"}), **fields}


@pytest.mark.parametrize(("old", "new"), [("query", "header"), ("header", "cookie"), ("cookie", "query")])
@pytest.mark.parametrize("required", [True, False])
def test_a_parameter_moved_to_another_location_is_breaking(
    tmp_path: Path, old: str, new: str, required: bool
) -> None:
    report = diff_documents(
        tmp_path, _api(_p(where=old, required=required)), _api(_p(where=new, required=required))
    )
    (finding,) = by_id(report, "request-parameter-location-changed")
    assert finding.level is Level.BREAKING
    assert not ids(report) & {
        "request-parameter-removed",
        "new-required-request-parameter",
        "new-optional-request-parameter",
    }


def test_a_header_moved_matches_its_name_in_any_case(tmp_path: Path) -> None:
    report = diff_documents(tmp_path, _api(_p("X-Tenant", "header")), _api(_p("x-tenant", "query")))
    assert by_id(report, "request-parameter-location-changed")


def test_safe_twin_another_name_is_a_removal_and_an_addition(tmp_path: Path) -> None:
    report = diff_documents(tmp_path, _api(_p("tenant", "query")), _api(_p("org", "header")))
    assert "request-parameter-location-changed" not in ids(report)
    assert {"request-parameter-removed", "new-optional-request-parameter"} <= ids(report)


def test_safe_twin_the_same_parameter_kept_in_both_places(tmp_path: Path) -> None:
    report = diff_documents(tmp_path, _api(_p(where="query")), _api(_p(where="query"), _p(where="header")))
    assert "request-parameter-location-changed" not in ids(report)


@pytest.mark.parametrize(
    ("before", "after", "rule_id", "level"),
    [
        (None, 20, "request-parameter-default-value-added", Level.INFO),
        (20, 50, "request-parameter-default-value-changed", Level.WARNING),
        (20, None, "request-parameter-default-value-removed", Level.WARNING),
    ],
)
def test_a_parameter_default_value_change(
    tmp_path: Path, before: Any, after: Any, rule_id: str, level: Level
) -> None:
    def limit(default: Any) -> Doc:
        schema: Doc = {"type": "integer", "maximum": 100}
        if default is not None:
            schema["default"] = default
        return _p("limit", schema=schema)

    report = diff_documents(tmp_path, _api(limit(before)), _api(limit(after)))
    (finding,) = by_id(report, rule_id)
    assert finding.level is level
    twin = diff_documents(tmp_path / "twin", _api(limit(before)), _api(limit(before)))
    assert not [f for f in twin.findings if "default" in f.rule_id]


def test_a_default_through_a_ref_is_read(tmp_path: Path) -> None:
    base, revision = (
        _api(_p("limit", schema={"$ref": "#/components/schemas/L"})),
        _api(_p("limit", schema={"$ref": "#/components/schemas/L"})),
    )
    base["components"] = {"schemas": {"L": {"type": "integer", "default": 10}}}
    revision["components"] = {"schemas": {"L": {"type": "integer", "default": 25}}}
    assert by_id(diff_documents(tmp_path, base, revision), "request-parameter-default-value-changed")


def test_a_parameter_removed_before_its_sunset_is_breaking(tmp_path: Path) -> None:
    dated = _p("q", deprecated=True, **{"x-sunset": "2099-01-31"})
    report = diff_documents(tmp_path, _api(_p(), dated), _api(_p()))
    (finding,) = by_id(report, "request-parameter-removed-before-sunset")
    assert finding.level is Level.BREAKING
    assert "request-parameter-removed-with-deprecation" not in ids(report)


def test_safe_twin_removed_after_its_sunset(tmp_path: Path) -> None:
    dated = _p("q", deprecated=True, **{"x-sunset": "2020-01-31"})
    report = diff_documents(tmp_path, _api(_p(), dated), _api(_p()))
    assert "request-parameter-removed-before-sunset" not in ids(report)
    assert by_id(report, "request-parameter-removed-with-deprecation")[0].level is Level.INFO


def test_an_unparsable_parameter_sunset_is_breaking(tmp_path: Path) -> None:
    report = diff_documents(
        tmp_path, _api(_p("q")), _api(_p("q", deprecated=True, **{"x-sunset": "next spring"}))
    )
    (finding,) = by_id(report, "request-parameter-sunset-parse")
    assert finding.level is Level.BREAKING
    twin = diff_documents(
        tmp_path / "twin", _api(_p("q")), _api(_p("q", deprecated=True, **{"x-sunset": "2027-03-31"}))
    )
    assert "request-parameter-sunset-parse" not in ids(twin)


def test_a_deleted_parameter_sunset_is_breaking(tmp_path: Path) -> None:
    dated = _p("q", deprecated=True, **{"x-sunset": "2027-03-31"})
    report = diff_documents(tmp_path, _api(dated), _api(_p("q", deprecated=True)))
    (finding,) = by_id(report, "request-parameter-sunset-deleted")
    assert finding.level is Level.BREAKING
    later = _p("q", deprecated=True, **{"x-sunset": "2027-06-30"})
    assert "request-parameter-sunset-deleted" not in ids(
        diff_documents(tmp_path / "twin", _api(dated), _api(later))
    )


# --- properties: the same sunset family ------------------------------------------------------------


def _props(request: bool, **props: Doc) -> Doc:
    schema = {"type": "object", "properties": props}
    content = {"application/json": {"schema": schema}}
    if request:
        op: Doc = {"requestBody": {"content": content}, "responses": {"200": {"description": "ok"}}}
    else:
        op = {"responses": {"200": {"description": "ok", "content": content}}}
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"post": op}}}


STR: Doc = {"type": "string"}


@pytest.mark.parametrize("request_side", [True, False], ids=["request", "response"])
def test_a_property_removed_before_its_sunset_is_breaking(tmp_path: Path, request_side: bool) -> None:
    prefix = "request-property" if request_side else "response-property"
    dated = {**STR, "deprecated": True, "x-sunset": "2099-01-31"}
    report = diff_documents(tmp_path, _props(request_side, id=STR, nick=dated), _props(request_side, id=STR))
    (finding,) = by_id(report, f"{prefix}-removed-before-sunset")
    assert finding.level is Level.BREAKING
    past = {**STR, "deprecated": True, "x-sunset": "2020-01-31"}
    twin = diff_documents(
        tmp_path / "twin", _props(request_side, id=STR, nick=past), _props(request_side, id=STR)
    )
    assert f"{prefix}-removed-before-sunset" not in ids(twin)


@pytest.mark.parametrize("request_side", [True, False], ids=["request", "response"])
def test_a_property_sunset_unparsable_or_deleted_is_breaking(tmp_path: Path, request_side: bool) -> None:
    prefix = "request-property" if request_side else "response-property"
    dated = {**STR, "deprecated": True, "x-sunset": "2027-03-31"}
    bad = {**STR, "deprecated": True, "x-sunset": "next spring"}
    later = {**STR, "deprecated": True, "x-sunset": "2027-06-30"}
    report = diff_documents(tmp_path, _props(request_side, nick=dated), _props(request_side, nick=bad))
    assert by_id(report, f"{prefix}-sunset-parse")[0].level is Level.BREAKING
    report = diff_documents(
        tmp_path / "d",
        _props(request_side, nick=dated),
        _props(request_side, nick={**STR, "deprecated": True}),
    )
    assert by_id(report, f"{prefix}-sunset-deleted")[0].level is Level.BREAKING
    twin = diff_documents(tmp_path / "t", _props(request_side, nick=dated), _props(request_side, nick=later))
    assert not [f for f in twin.findings if "sunset" in f.rule_id]
    # reactivated (no longer deprecated, so no date needed): not a deleted sunset
    twin = diff_documents(tmp_path / "r", _props(request_side, nick=dated), _props(request_side, nick=STR))
    assert f"{prefix}-sunset-deleted" not in ids(twin)
