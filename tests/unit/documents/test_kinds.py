"""Kind detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigov.core._types import JSONValue
from apigov.core.errors import UnknownKind
from apigov.documents.kinds import Kind, detect_kind


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
        ({"type": "object", "properties": {}}, ".json", Kind.JSONSCHEMA_2020, "2020-12"),
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
        ({"type": "array", "items": {"type": "string"}}, ".json", Kind.JSONSCHEMA_2020, "2020-12"),
        ({"type": "array", "items": "string", "maxItems": 3}, ".json", Kind.JSONSCHEMA_2020, "2020-12"),
        ({"type": "array", "items": {"type": "object"}}, ".json", Kind.JSONSCHEMA_2020, "2020-12"),
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
