"""Kind detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigov.core._types import JSONValue
from apigov.core.errors import UnknownKind
from apigov.documents.drafts import parse_draft
from apigov.documents.kinds import FAMILIES, NO_HINT, Kind, KindHint, assumed, detect_kind


@pytest.mark.parametrize(
    ("data", "suffix", "kind", "version"),
    [
        ({"swagger": "2.0"}, ".yaml", Kind.SWAGGER_2, "2.0"),
        ({"openapi": "3.0.3"}, ".yaml", Kind.OPENAPI_30, "3.0.3"),
        ({"openapi": "3.0.4"}, ".yaml", Kind.OPENAPI_30, "3.0.4"),
        ({"openapi": "3.1.0"}, ".json", Kind.OPENAPI_31, "3.1.0"),
        ({"asyncapi": "2.6.0"}, ".yaml", Kind.ASYNCAPI_2, "2.6.0"),
        ({"asyncapi": "3.0.0"}, ".yaml", Kind.ASYNCAPI_3, "3.0.0"),
        ({"$schema": "http://json-schema.org/draft-04/schema#"}, ".json", Kind.JSONSCHEMA_4, "draft-04"),
        ({"$schema": "http://json-schema.org/draft-06/schema#"}, ".json", Kind.JSONSCHEMA_6, "draft-06"),
        ({"$schema": "http://json-schema.org/draft-07/schema"}, ".json", Kind.JSONSCHEMA_7, "draft-07"),
        (
            {"$schema": "https://json-schema.org/draft/2019-09/schema"},
            ".json",
            Kind.JSONSCHEMA_2019,
            "2019-09",
        ),
        (
            {"$schema": "https://json-schema.org/draft/2020-12/schema"},
            ".json",
            Kind.JSONSCHEMA_2020,
            "2020-12",
        ),
        ({"type": "object", "properties": {}}, ".json", Kind.JSONSCHEMA_7, "draft-07"),
        ({"type": "record", "name": "A", "fields": []}, ".json", Kind.AVRO, "1.11"),
        ({"type": "string"}, ".avsc", Kind.AVRO, "1.11"),
        ("string", ".avsc", Kind.AVRO, "1.11"),
        (["null", {"type": "record", "name": "A", "fields": []}], ".json", Kind.AVRO, "1.11"),
        ({"type": "enum", "name": "Colour", "symbols": ["RED"]}, ".json", Kind.AVRO, "1.11"),
        # arrays: Avro's items is a type (a name or an Avro schema); JSON Schema's is a schema
        ({"type": "array", "items": "string"}, ".json", Kind.AVRO, "1.11"),
        ({"type": "array", "items": "com.shop.Line"}, ".json", Kind.AVRO, "1.11"),
        (
            {"type": "array", "items": {"type": "record", "name": "L", "fields": []}},
            ".json",
            Kind.AVRO,
            "1.11",
        ),
        ({"type": "array", "items": {"type": "string"}}, ".json", Kind.JSONSCHEMA_7, "draft-07"),
        ({"type": "array", "items": "string", "maxItems": 3}, ".json", Kind.JSONSCHEMA_7, "draft-07"),
        ({"type": "array", "items": {"type": "object"}}, ".json", Kind.JSONSCHEMA_7, "draft-07"),
        ({"type": "map", "values": "long"}, ".json", Kind.AVRO, "1.11"),
    ],
)
def test_detects_kind_and_version(data: JSONValue, suffix: str, kind: Kind, version: str) -> None:
    assert detect_kind(data, Path("x" + suffix)) == (kind, version)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"swagger": "1.2"}, "unsupported Swagger version"),
        ({"openapi": "2.0"}, "unsupported OpenAPI version"),
        ({"asyncapi": "1.2.0"}, "unsupported AsyncAPI version"),
        ({"$schema": "http://example.com/my-meta"}, "unknown JSON Schema dialect"),
        ({"hello": "world"}, "not an OpenAPI"),
        ([1, 2], "not an OpenAPI"),
        ("text", "not an OpenAPI"),
    ],
)
def test_refuses_what_it_does_not_know(data: JSONValue, words: str) -> None:
    with pytest.raises(UnknownKind, match=words):
        detect_kind(data, Path("x.yaml"))


def test_families() -> None:
    assert Kind.SWAGGER_2.family == "openapi"
    assert Kind.ASYNCAPI_3.family == "asyncapi"
    assert Kind.JSONSCHEMA_7.family == "jsonschema"
    assert Kind.AVRO.family == "avro"


# ---------------------------------------------------------------------- odd shapes never crash


@pytest.mark.parametrize(
    "data",
    [
        {"type": ["object", "array"]},
        {"type": ["null", "string"]},
        {"type": []},
        {"type": {"type": "object"}},
        {"type": {"a": ["b"]}},
        {"type": 5},
        {"type": None},
        {"type": True},
        {"type": "array", "items": ["string", "int"]},
        {"type": "array", "items": [{"type": "string"}]},
        {"type": "array", "items": {"type": ["string", "null"]}},
        {"type": "map", "values": ["a"]},
        {"type": "record", "name": ["A"]},
        {"$ref": 5},
        {"$ref": ["#"]},
        {"$ref": {"$ref": "#"}},
        {"$schema": 7, "type": "object"},
        {"$schema": ["x"]},
        {"swagger": {"a": 1}},
        {"openapi": ["3.0.0"]},
        {"asyncapi": None},
        {"exclusiveMaximum": True, "maximum": 3},
        [{"type": ["int"]}],
        [["string"]],
        [],
        {},
        True,
        False,
        None,
        0,
        1.5,
        "",
    ],
)
def test_odd_shapes_are_a_kind_or_unknown_never_a_crash(data: JSONValue) -> None:
    for suffix in (".json", ".yaml", ".avsc"):
        for hint in (NO_HINT, KindHint(fallback="jsonschema"), *(KindHint(family=f) for f in FAMILIES)):
            try:
                kind, _ = detect_kind(data, Path("x" + suffix), hint=hint)
            except UnknownKind:
                continue
            assert isinstance(kind, Kind)


def test_a_type_list_is_json_schema_unless_a_member_is_avro_only() -> None:
    assert detect_kind({"type": ["object", "array"]}, Path("x.json"))[0] is Kind.JSONSCHEMA_7
    assert detect_kind({"type": ["null", "string"]}, Path("x.json"))[0] is Kind.JSONSCHEMA_7
    assert detect_kind({"type": ["null", "long"]}, Path("x.json"))[0] is Kind.AVRO
    record = {"type": "record", "name": "A", "fields": []}
    assert detect_kind({"type": ["null", record]}, Path("x.json"))[0] is Kind.AVRO


# ---------------------------------------------------------------------- hints: --kind, --mode


@pytest.mark.parametrize("data", [{}, {"$id": "x"}, {"properties": {"a": {"type": "string"}}}, True, False])
def test_keyword_light_schemas_are_json_schemas_when_told(data: JSONValue) -> None:
    for hint in (KindHint(family="jsonschema"), KindHint(fallback="jsonschema")):
        kind, version = detect_kind(data, Path("x.yaml"), hint=hint)
        assert (kind, version) == (Kind.JSONSCHEMA_7, "draft-07")


def test_json_schema_only_keywords_are_enough_without_a_hint() -> None:
    assert detect_kind({"$id": "urn:x"}, Path("x.yaml"))[0] is Kind.JSONSCHEMA_7
    assert detect_kind({"additionalProperties": False}, Path("x.yaml"))[0] is Kind.JSONSCHEMA_7
    with pytest.raises(UnknownKind, match="--kind"):
        detect_kind(True, Path("x.json"))


def test_a_named_family_that_does_not_fit_is_one_clear_error() -> None:
    with pytest.raises(
        UnknownKind, match="not a JSON Schema: a schema is an object or a boolean, not a string"
    ):
        detect_kind("x", Path("x.json"), hint=KindHint(family="jsonschema"))
    with pytest.raises(UnknownKind, match="not an OpenAPI document"):
        detect_kind({"type": "object"}, Path("x.json"), hint=KindHint(family="openapi"))
    with pytest.raises(UnknownKind, match="not an AsyncAPI document"):
        detect_kind({"openapi": "3.0.3"}, Path("x.json"), hint=KindHint(family="asyncapi"))
    assert detect_kind({"type": "string"}, Path("x.json"), hint=KindHint(family="avro"))[0] is Kind.AVRO
    assert detect_kind({"openapi": "3.1.0"}, Path("x"), hint=KindHint(family="openapi"))[0] is Kind.OPENAPI_31


# ---------------------------------------------------------------------- the draft assumed


@pytest.mark.parametrize(
    ("data", "default", "kind"),
    [
        ({"type": "object"}, "draft-07", Kind.JSONSCHEMA_7),
        ({"type": "object"}, "2020-12", Kind.JSONSCHEMA_2020),
        ({"type": "array", "items": [{"type": "string"}]}, "draft-07", Kind.JSONSCHEMA_7),
        ({"type": "array", "items": [{"type": "string"}]}, "2020-12", Kind.JSONSCHEMA_2019),
        ({"maximum": 3, "exclusiveMaximum": True}, "draft-07", Kind.JSONSCHEMA_4),
        ({"properties": {"a": {"exclusiveMinimum": False}}}, "draft-07", Kind.JSONSCHEMA_4),
        ({"dependencies": {"a": ["b"]}}, "2020-12", Kind.JSONSCHEMA_7),
        ({"prefixItems": [{"type": "string"}]}, "draft-07", Kind.JSONSCHEMA_2020),
        ({"$defs": {"a": {"type": "string"}}}, "draft-07", Kind.JSONSCHEMA_2019),
        ({"const": 1}, "draft-04", Kind.JSONSCHEMA_6),
        # older and newer idioms together: the default, and validation says what is wrong
        ({"items": [{}], "prefixItems": [{}]}, "draft-07", Kind.JSONSCHEMA_7),
        # data positions are not schema positions
        ({"enum": [{"items": [1]}], "default": {"exclusiveMaximum": True}}, "draft-07", Kind.JSONSCHEMA_7),
    ],
)
def test_the_draft_of_a_schema_without_dollar_schema(data: JSONValue, default: str, kind: Kind) -> None:
    assert (
        detect_kind(data, Path("x.json"), hint=KindHint(fallback="jsonschema", default_draft=default))[0]
        is kind
    )


def test_a_declared_dialect_always_wins() -> None:
    data = {"$schema": "https://json-schema.org/draft/2020-12/schema", "items": [{}]}
    assert detect_kind(data, Path("x.json"))[0] is Kind.JSONSCHEMA_2020


def test_the_assumed_draft_says_why() -> None:
    note = assumed({"maximum": 1, "exclusiveMaximum": True}).note()
    assert note.startswith("the document has no $schema, so it is read as draft-04")
    assert "boolean exclusiveMaximum" in note
    assert assumed({"type": "object"}).note() == "the document has no $schema, so it is read as draft-07"
    assert assumed(True, KindHint(default_draft="draft-04")).name == "draft-06"


@pytest.mark.parametrize(
    ("text", "name"),
    [("draft-07", "draft-07"), ("draft7", "draft-07"), ("7", "draft-07"), ("04", "draft-04"),
     ("2020-12", "2020-12"), ("draft-2019-09", "2019-09"), ("draft-05", None), ("latest", None)],
)  # fmt: skip
def test_draft_names(text: str, name: str | None) -> None:
    assert parse_draft(text) == name


@pytest.mark.parametrize(
    "data",
    [
        {"prefixItems": []},
        {"prefixItems": ["object"]},
        {"$defs": {"a": ""}},
        {"dependentRequired": {"a": "b"}},
        {"minContains": -1},
        {"unevaluatedProperties": 3},
    ],
)
def test_a_newer_keyword_of_another_shape_is_no_sign_of_a_newer_draft(data: JSONValue) -> None:
    """In draft-07 these are unknown keywords (annotations): the schema is valid there, not in 2020-12."""
    assert detect_kind(data, Path("x.json"), hint=KindHint(fallback="jsonschema"))[0] is Kind.JSONSCHEMA_7


def test_yaml_that_only_shares_an_english_word_with_json_schema_is_no_contract() -> None:
    with pytest.raises(UnknownKind):
        detect_kind({"not": "a contract", "title": "notes"}, Path("notes.yaml"))
