"""Older drafts rewritten into the engine's reading (apigov.schema.drafts)."""

from __future__ import annotations

from apigov.schema.drafts import for_engine, unknown_keywords


def test_ref_siblings_are_dropped_up_to_draft_07_only() -> None:
    data = {
        "properties": {"a": {"$ref": "#/definitions/s", "maxLength": 3, "description": "kept"}},
        "definitions": {"s": {"type": "string"}},
    }
    read = for_engine(data, "draft-07")
    assert read == {
        "properties": {"a": {"$ref": "#/definitions/s", "description": "kept"}},
        "definitions": {"s": {"type": "string"}},
    }
    assert for_engine(data, "2019-09")["properties"]["a"]["maxLength"] == 3  # type: ignore[index]
    assert for_engine(data, "2020-12") is data


def test_keywords_a_draft_lacks_are_annotations() -> None:
    data = {
        "type": "array",
        "prefixItems": [{"type": "string"}],
        "items": [{"if": {"const": 1}, "then": False}],
        "enum": [{"prefixItems": 1}],  # data, not a schema: untouched
    }
    assert for_engine(data, "draft-06") == {"type": "array", "items": [{}], "enum": [{"prefixItems": 1}]}
    assert for_engine(data, "draft-04") == {"type": "array", "items": [{}], "enum": [{"prefixItems": 1}]}
    assert "prefixItems" not in for_engine(data, "2019-09")  # type: ignore[operator]
    assert {"const", "contains", "propertyNames", "if", "prefixItems"} <= unknown_keywords("draft-04")
    assert "const" not in unknown_keywords("draft-06")
    assert unknown_keywords("2020-12") == frozenset()


def test_the_rewrite_only_removes_keys() -> None:
    data = {"allOf": [{"$ref": "#/x", "type": "string"}], "dependencies": {"a": ["b"], "c": {"minimum": 1}}}
    assert for_engine(data, "draft-07") == {"allOf": [{"$ref": "#/x"}], "dependencies": data["dependencies"]}
