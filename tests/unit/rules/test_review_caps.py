"""Review of the counter-example caps (5df5155, 8c82f96): a change decided by comparing two
numbers, or by a type, must not turn into an undecided warning because its example is large."""

from __future__ import annotations

from pathlib import Path

from apigov.core._types import JSONValue
from apigov.core.findings import Level
from tests.unit.rules._support import by_id, diff_documents


def _response(schema: JSONValue) -> JSONValue:
    return {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/x": {
                "get": {
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": schema}}}
                    }
                }
            }
        },
    }


def _request(schema: JSONValue) -> JSONValue:
    return {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/x": {
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": schema}}},
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }


def test_response_min_items_decreased_past_the_cap_stays_breaking(tmp_path: Path) -> None:
    report = diff_documents(
        tmp_path,
        _response({"type": "array", "minItems": 2000}),
        _response({"type": "array", "minItems": 1500}),
    )
    (finding,) = by_id(report, "response-body-min-items-decreased")
    assert finding.level is Level.BREAKING  # 95b6116: breaking; now a warning, the gate passes


def test_response_min_items_decreased_below_the_cap_is_breaking(tmp_path: Path) -> None:
    report = diff_documents(
        tmp_path,
        _response({"type": "array", "minItems": 20}),
        _response({"type": "array", "minItems": 15}),
    )
    (finding,) = by_id(report, "response-body-min-items-decreased")
    assert finding.level is Level.BREAKING


def test_request_type_changed_past_the_cap_stays_breaking(tmp_path: Path) -> None:
    report = diff_documents(
        tmp_path,
        _request({"type": "object", "minProperties": 2000}),
        _request({"type": "string"}),
    )
    (finding,) = by_id(report, "request-body-type-changed")
    assert finding.level is Level.BREAKING  # 95b6116: breaking; now a warning
