"""A change in a shared component, reached through many instance paths of one schema, is one
finding per operation (with the number of places), and properties added or removed inside
``anyOf``/``oneOf`` branches are named as such, not as a vague "accepts less"."""

from __future__ import annotations

import copy
from pathlib import Path

from apigov.core._types import JSONValue
from apigov.core.findings import Level
from tests.unit.rules._support import by_id, diff_documents, ids


def _api(address: JSONValue, extra_branch: JSONValue | None = None) -> dict[str, JSONValue]:
    contact: dict[str, JSONValue] = {
        "type": "object",
        "properties": {
            "home": {"$ref": "#/components/schemas/Address"},
            "work": {"$ref": "#/components/schemas/Address"},
        },
    }
    if extra_branch is not None:
        contact = {"anyOf": [{"type": "string"}, extra_branch]}
    return {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1.0.0"},
        "paths": {
            "/people": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "owner": contact,
                                            "backup": {"type": "array", "items": contact},
                                        },
                                    }
                                }
                            },
                        }
                    }
                }
            }
        },
        "components": {"schemas": {"Address": address}},
    }


ADDRESS: dict[str, JSONValue] = {
    "type": "object",
    "required": ["kind"],
    "properties": {"kind": {"type": "string", "enum": ["home", "work"]}},
}


def test_a_shared_component_change_is_one_finding_per_operation(tmp_path: Path) -> None:
    revision = copy.deepcopy(ADDRESS)
    revision["properties"]["kind"]["enum"].append("other")  # type: ignore[index]
    report = diff_documents(tmp_path, _api(ADDRESS), _api(revision))
    found = by_id(report, "response-property-enum-value-added")
    # four instance paths (owner.home, owner.work, backup[].home, backup[].work), one place
    assert len(found) == 1, found
    finding = found[0]
    assert finding.location.pointer == "/components/schemas/Address/properties/kind"
    assert finding.details["instance_paths"] == "4"
    assert finding.operation == "GET /people"
    assert finding.level is Level.WARNING and finding.details["counter_example"]


def test_a_change_reached_once_says_nothing_about_instance_paths(tmp_path: Path) -> None:
    revision = copy.deepcopy(ADDRESS)
    revision["properties"]["kind"]["enum"] = ["home"]  # type: ignore[index]
    base_api, revision_api = _api(ADDRESS), _api(revision)
    for api in (base_api, revision_api):  # only one path reaches Address
        props = api["paths"]["/people"]["get"]["responses"]["200"]["content"]["application/json"]["schema"][
            "properties"
        ]  # type: ignore[index]
        del props["backup"]
        del props["owner"]["properties"]["work"]
    report = diff_documents(tmp_path, base_api, revision_api)
    (finding,) = by_id(report, "response-property-enum-value-removed")
    assert "instance_paths" not in finding.details


def test_a_property_added_inside_an_any_of_branch_is_named(tmp_path: Path) -> None:
    old_branch: dict[str, JSONValue] = {"type": "object", "properties": {"id": {"type": "string"}}}
    new_branch = copy.deepcopy(old_branch)
    new_branch["properties"]["nickname"] = {"type": "string"}  # type: ignore[index]
    report = diff_documents(tmp_path, _api(ADDRESS, old_branch), _api(ADDRESS, new_branch))
    found = by_id(report, "response-optional-property-added")
    assert found, sorted(ids(report))
    assert {f.location.pointer.rsplit("/", 1)[-1] for f in found} == {"nickname"}
    assert not [f for f in report.findings if f.rule_id.endswith("-schema-narrowed")], report.findings


def test_a_property_removed_inside_an_any_of_branch_is_named(tmp_path: Path) -> None:
    old_branch: dict[str, JSONValue] = {
        "type": "object",
        "properties": {"id": {"type": "string"}, "nickname": {"type": "string"}},
    }
    new_branch = copy.deepcopy(old_branch)
    del new_branch["properties"]["nickname"]  # type: ignore[union-attr, arg-type]
    report = diff_documents(tmp_path, _api(ADDRESS, old_branch), _api(ADDRESS, new_branch))
    found = by_id(report, "response-optional-property-removed")
    assert found, sorted(ids(report))
    assert found[0].details["side"] == "base"
    assert found[0].location.pointer.endswith("/properties/nickname")
