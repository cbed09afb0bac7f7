"""Rule-level classes of wrong verdicts (issue 12: 5, 11, 12, 13, 14, 16), each with its safe
twin, in both directions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigov.core.findings import Level
from tests.unit.rules._support import diff_documents

Doc = dict[str, Any]


def _body(schema: Doc, request: bool, media: str = "application/json", version: str = "3.1.0") -> Doc:
    content = {media: {"schema": schema}}
    if request:
        op: Doc = {"requestBody": {"content": content}, "responses": {"200": {"description": "ok"}}}
    else:
        op = {"responses": {"200": {"description": "ok", "content": content}}}
    return {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {"/a": {"post": op}}}


def _levels(tmp_path: Path, base: Doc, revision: Doc) -> dict[str, Level]:
    report = diff_documents(tmp_path, base, revision)
    return {f.rule_id: f.level for f in report.findings if not f.rule_id.startswith("api-version")}


# --- 13: a replaced const -----------------------------------------------------------------------

S = {"type": "string"}


@pytest.mark.parametrize("request_side", [True, False], ids=["request", "response"])
@pytest.mark.parametrize(
    ("old", "new"),
    [({"const": "a"}, {"const": "b"}), ({"enum": ["a"]}, {"enum": ["b"]})],
    ids=["const", "one-value-enum"],
)
def test_a_replaced_constant_is_breaking(tmp_path: Path, request_side: bool, old: Doc, new: Doc) -> None:
    prefix = "request" if request_side else "response"
    levels = _levels(tmp_path, _body({**S, **old}, request_side), _body({**S, **new}, request_side))
    assert levels == {f"{prefix}-body-const-changed": Level.BREAKING}


def test_a_replaced_property_constant_is_breaking(tmp_path: Path) -> None:
    def obj(value: str) -> Doc:
        return {"type": "object", "properties": {"kind": {"const": value}}}

    levels = _levels(tmp_path, _body(obj("a"), False), _body(obj("b"), False))
    assert levels == {"response-property-const-changed": Level.BREAKING}


def test_safe_twin_a_constant_grown_into_an_enum_is_a_grown_enum(tmp_path: Path) -> None:
    levels = _levels(tmp_path, _body({**S, "const": "a"}, False), _body({**S, "enum": ["a", "b"]}, False))
    assert levels == {"response-body-enum-value-added": Level.WARNING}
    levels = _levels(tmp_path / "r", _body({**S, "const": "a"}, True), _body({**S, "enum": ["a", "b"]}, True))
    assert levels == {"request-body-enum-value-added": Level.INFO}


# --- 5: discriminator dispatch --------------------------------------------------------------------


def _pets(property_name: str, mapping: dict[str, str] | None = None, dispatch: bool = True) -> Doc:
    disc: Doc = {"propertyName": property_name}
    if mapping is not None:
        disc["mapping"] = mapping
    pet: Doc = {"discriminator": disc}
    if dispatch:
        pet["oneOf"] = [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]
    else:
        pet["type"] = "object"
    return pet


def _with_pets(doc: Doc) -> Doc:
    variant = {"type": "object", "properties": {"kind": S, "type": S}}
    doc["components"] = {"schemas": {"Cat": variant, "Dog": variant}}
    return doc


@pytest.mark.parametrize("request_side", [True, False], ids=["request", "response"])
def test_a_dispatching_discriminator_property_changed_is_breaking(tmp_path: Path, request_side: bool) -> None:
    root = "request-body" if request_side else "response-body"
    base = _with_pets(_body(_pets("kind"), request_side))
    revision = _with_pets(_body(_pets("type"), request_side))
    assert _levels(tmp_path, base, revision)[f"{root}-discriminator-property-name-changed"] is Level.BREAKING


@pytest.mark.parametrize("request_side", [True, False], ids=["request", "response"])
def test_a_dispatching_discriminator_mapping_changed_or_deleted_is_breaking(
    tmp_path: Path, request_side: bool
) -> None:
    root = "request-body" if request_side else "response-body"
    cat, dog = "#/components/schemas/Cat", "#/components/schemas/Dog"
    base = _with_pets(_body(_pets("kind", {"cat": cat, "dog": dog}), request_side))
    revision = _with_pets(_body(_pets("kind", {"cat": dog}), request_side))
    levels = _levels(tmp_path, base, revision)
    assert levels[f"{root}-discriminator-mapping-changed"] is Level.BREAKING
    assert levels[f"{root}-discriminator-mapping-deleted"] is Level.BREAKING


def test_safe_twins_of_discriminator_changes(tmp_path: Path) -> None:
    # nothing dispatches on it: a warning, as before
    levels = _levels(
        tmp_path, _body(_pets("kind", dispatch=False), True), _body(_pets("type", dispatch=False), True)
    )
    assert levels["request-body-discriminator-property-name-changed"] is Level.WARNING
    # the same target respelled: no change
    cat = "#/components/schemas/Cat"
    base = _with_pets(_body(_pets("kind", {"cat": cat}), False))
    revision = _with_pets(_body(_pets("kind", {"cat": "Cat"}), False))
    assert not [i for i in _levels(tmp_path / "b", base, revision) if "discriminator" in i]
    # a deleted mapping whose value names its schema resolves there implicitly: a warning
    base = _with_pets(_body(_pets("kind", {"Cat": cat}), False))
    revision = _with_pets(_body(_pets("kind", {}), False))
    assert (
        _levels(tmp_path / "c", base, revision)["response-body-discriminator-mapping-deleted"]
        is Level.WARNING
    )


# --- 14: security alternatives --------------------------------------------------------------------


def _secured(*alternatives: Doc) -> Doc:
    doc = _body(S, False)
    doc["components"] = {
        "securitySchemes": {name: {"type": "apiKey", "in": "header", "name": f"X-{name}"} for name in "abc"}
    }
    doc["paths"]["/a"]["post"]["security"] = list(alternatives)
    return doc


@pytest.mark.parametrize(
    ("old", "new", "breaking"),
    [
        ([{"a": [], "b": []}], [{"a": []}], False),  # a AND b relaxed to a: its clients hold a
        ([{"a": [], "b": []}], [{"a": []}, {"c": []}], False),
        ([{"a": [], "b": []}], [{"c": []}], True),  # nobody holding a and b holds c
        ([{"a": []}], [{"a": [], "b": []}], True),  # tightened: clients with a alone are out
        ([{"a": []}, {"b": []}], [{"a": []}], True),  # the b clients are out
    ],
)
def test_a_removed_alternative_locks_out_only_clients_that_satisfy_no_new_one(
    tmp_path: Path, old: list[Doc], new: list[Doc], breaking: bool
) -> None:
    report = diff_documents(tmp_path, _secured(*old), _secured(*new))
    removed = [f for f in report.findings if f.rule_id == "api-security-removed"]
    assert removed
    assert (
        any(f.level is Level.BREAKING for f in report.findings if f.rule_id.startswith("api-security"))
        is breaking
    )


# --- 16: an unrecognised x-stability-level in the base ---------------------------------------------


def _staged(level: str | None) -> Doc:
    doc = _body(S, False)
    if level is not None:
        doc["paths"]["/a"]["post"]["x-stability-level"] = level
    return doc


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("ga", "alpha", Level.BREAKING),  # GA is read as stable
        ("GA", "beta", Level.BREAKING),
        ("Stable", "draft", Level.BREAKING),
        ("production-ready", "alpha", Level.WARNING),  # unknown: flagged, undecided
        ("ga", "stable", None),  # the same level spelled the standard way
        ("production-ready", "stable", None),  # nothing is above stable
        ("beta", "stable", None),
    ],
)
def test_an_unrecognised_base_stability_level_is_compared(
    tmp_path: Path, old: str, new: str, expected: Level | None
) -> None:
    report = diff_documents(tmp_path, _staged(old), _staged(new))
    found = [f for f in report.findings if f.rule_id == "api-stability-decreased"]
    assert [f.level for f in found] == ([] if expected is None else [expected])
    if expected is Level.WARNING:
        assert found[0].details["undecided"] == "true"


# --- 12: media-type names in direction ------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_side", "old", "new", "rule_id", "level"),
    [
        (
            False,
            "application/problem+json",
            "application/json",
            "response-body-media-type-name-generalized",
            Level.BREAKING,
        ),
        (
            False,
            "application/json",
            "application/problem+json",
            "response-body-media-type-name-specialized",
            Level.INFO,
        ),
        (
            False,
            "application/json",
            "application/*",
            "response-body-media-type-name-generalized",
            Level.BREAKING,
        ),
        (
            True,
            "application/json",
            "application/merge-patch+json",
            "request-body-media-type-name-specialized",
            Level.BREAKING,
        ),
        (
            True,
            "application/merge-patch+json",
            "application/json",
            "request-body-media-type-name-generalized",
            Level.INFO,
        ),
        (
            True,
            "application/*",
            "application/json",
            "request-body-media-type-name-specialized",
            Level.BREAKING,
        ),
        # neither covers the other: a respelling, info as before
        (
            False,
            "application/vnd.a+json",
            "application/vnd.b+json",
            "response-body-media-type-name-changed",
            Level.INFO,
        ),
    ],
)
def test_media_type_names_are_judged_in_direction(
    tmp_path: Path, request_side: bool, old: str, new: str, rule_id: str, level: Level
) -> None:
    levels = _levels(tmp_path, _body(S, request_side, old), _body(S, request_side, new))
    assert levels.get(rule_id) is level, levels


# --- 11: a counter-example must be a body of the media type ----------------------------------------


@pytest.mark.parametrize(
    ("request_side", "media", "old", "new", "rule_id", "level"),
    [
        # {} proves it for JSON; no text/plain body is an object: undecided, said so
        (True, "text/plain", {"type": "object"}, S, "request-body-type-changed", Level.WARNING),
        (True, "application/json", {"type": "object"}, S, "request-body-type-changed", Level.BREAKING),
        # a string longer than 5 is a text body: proven
        (True, "text/plain", S, {**S, "maxLength": 5}, "request-body-max-length-set", Level.BREAKING),
        # an XML document has one root element: [] is none
        (
            False,
            "application/xml",
            {"type": "object"},
            {"type": ["object", "array"]},
            "response-body-type-generalized",
            Level.WARNING,
        ),
        (
            False,
            "application/json",
            {"type": "object"},
            {"type": ["object", "array"]},
            "response-body-type-generalized",
            Level.BREAKING,
        ),
        # an object counter-example is an XML document
        (
            False,
            "application/xml",
            {"type": "object", "properties": {"a": S}},
            {"type": "object", "properties": {"a": {"type": "integer"}}},
            "response-property-type-changed",
            Level.BREAKING,
        ),
        (
            True,
            "application/octet-stream",
            {"type": "object"},
            {**S, "format": "binary"},
            "request-body-type-changed",
            Level.WARNING,
        ),
    ],
)
def test_a_counter_example_must_be_a_body_of_the_media_type(
    tmp_path: Path, request_side: bool, media: str, old: Doc, new: Doc, rule_id: str, level: Level
) -> None:
    report = diff_documents(tmp_path, _body(old, request_side, media), _body(new, request_side, media))
    found = [f for f in report.findings if f.rule_id == rule_id]
    assert [f.level for f in found] == [level], [(f.rule_id, f.level) for f in report.findings]
    if level is Level.WARNING:
        assert found[0].details["undecided_why"].startswith("not expressible: ")
