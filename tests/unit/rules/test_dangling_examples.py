"""A dangling ``$ref`` in an ``examples`` entry is reported, not fatal, for ``apigov diff``;
anywhere else it still refuses the document."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from apigov.core._types import JSONValue
from apigov.core.errors import UnresolvedRef
from apigov.core.findings import Level
from tests.unit.rules._support import by_id, diff_documents


def _api(examples: JSONValue, schema: JSONValue | None = None) -> dict[str, JSONValue]:
    media: dict[str, JSONValue] = {"schema": schema or {"type": "string"}, "examples": examples}
    return {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1.0.0"},
        "paths": {
            "/a": {
                "get": {"responses": {"200": {"description": "ok", "content": {"application/json": media}}}}
            }
        },
    }


DANGLING: dict[str, JSONValue] = {"default": {"$ref": "#/components/examples/gone"}}


def test_a_dangling_example_is_a_warning_and_the_diff_goes_on(tmp_path: Path) -> None:
    revision = _api({"default": {"value": "x"}}, {"type": "integer"})
    report = diff_documents(tmp_path, _api(DANGLING), revision)
    (notice,) = by_id(report, "api-example-ref-unresolved")
    assert notice.level is Level.WARNING
    assert notice.details["side"] == "base"
    assert notice.location.pointer.endswith("/content/application~1json/examples/default")
    assert by_id(report, "response-body-type-changed"), "the real change must still be found"


def test_an_example_that_resolves_is_no_notice(tmp_path: Path) -> None:
    api = _api({"default": {"$ref": "#/components/examples/here"}})
    api["components"] = {"examples": {"here": {"value": "x"}}}
    report = diff_documents(tmp_path, api, copy.deepcopy(api))
    assert not report.findings


def test_a_dangling_schema_ref_still_refuses_the_document(tmp_path: Path) -> None:
    broken = _api({}, {"$ref": "#/components/schemas/gone"})
    with pytest.raises(UnresolvedRef, match="gone"):
        diff_documents(tmp_path, broken, _api({}))


def test_a_schema_property_called_examples_is_not_an_example(tmp_path: Path) -> None:
    # the $ref sits at .../properties/examples/items: under "examples", but in a schema
    schema: JSONValue = {
        "type": "object",
        "properties": {"examples": {"type": "array", "items": {"$ref": "#/components/schemas/gone"}}},
    }
    with pytest.raises(UnresolvedRef, match="gone"):
        diff_documents(tmp_path, _api({}, schema), _api({}))
