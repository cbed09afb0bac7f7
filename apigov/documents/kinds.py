"""Detect which kind of contract a document is."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Final

from apigov.core._types import JSONValue
from apigov.core.errors import UnknownKind
from apigov.core.shown import as_text, quoted


class Kind(StrEnum):
    SWAGGER_2 = "swagger-2.0"
    OPENAPI_30 = "openapi-3.0"
    OPENAPI_31 = "openapi-3.1"
    ASYNCAPI_2 = "asyncapi-2"
    ASYNCAPI_3 = "asyncapi-3"
    JSONSCHEMA_4 = "jsonschema-draft-04"
    JSONSCHEMA_6 = "jsonschema-draft-06"
    JSONSCHEMA_7 = "jsonschema-draft-07"
    JSONSCHEMA_2019 = "jsonschema-2019-09"
    JSONSCHEMA_2020 = "jsonschema-2020-12"
    AVRO = "avro"

    @property
    def family(self) -> str:
        """``openapi`` (Swagger 2.0 included), ``asyncapi``, ``jsonschema`` or ``avro``."""
        if self in (Kind.SWAGGER_2, Kind.OPENAPI_30, Kind.OPENAPI_31):
            return "openapi"
        return self.value.split("-", 1)[0]


JSON_SCHEMA_DIALECTS: Final[dict[str, Kind]] = {
    "http://json-schema.org/draft-04/schema": Kind.JSONSCHEMA_4,
    "http://json-schema.org/draft-06/schema": Kind.JSONSCHEMA_6,
    "http://json-schema.org/draft-07/schema": Kind.JSONSCHEMA_7,
    "https://json-schema.org/draft/2019-09/schema": Kind.JSONSCHEMA_2019,
    "https://json-schema.org/draft/2020-12/schema": Kind.JSONSCHEMA_2020,
}

AVRO_PRIMITIVES: Final = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})
_SCHEMA_KEYWORDS: Final = frozenset(
    {
        "type",
        "properties",
        "$defs",
        "definitions",
        "allOf",
        "anyOf",
        "oneOf",
        "items",
        "$ref",
        "enum",
        "const",
    }
)
_VERSION_RE = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")


def _version_text(value: JSONValue) -> str:
    return as_text(value)  # 3.0 written as a number reads "3.0"; null reads "null", never "None"


def dialect_kind(uri: str) -> Kind | None:
    normalised = uri.rstrip("#").replace("https://json-schema.org/draft-0", "http://json-schema.org/draft-0")
    return JSON_SCHEMA_DIALECTS.get(normalised)


def detect_kind(data: JSONValue, path: Path | None = None, *, source: str = "") -> tuple[Kind, str]:
    """Return the kind of a document and the specification version it declares.

    JSON Schema documents without ``$schema`` are read as draft 2020-12. ``.avsc`` files and
    documents shaped like Avro schemas (``{"type": "record", "name": ...}``, unions as lists)
    are Avro.
    """
    suffix = path.suffix.lower() if path is not None else ""
    if isinstance(data, dict):
        if "swagger" in data:
            version = _version_text(data["swagger"])
            if version == "2.0":
                return Kind.SWAGGER_2, version
            raise UnknownKind(
                f"unsupported Swagger version {quoted(data['swagger'])}",
                source=source,
                hint="only 2.0 exists",
            )
        if "openapi" in data:
            version = _version_text(data["openapi"])
            match = _VERSION_RE.match(version)
            if match and match.group(1) == "3" and match.group(2) == "0":
                return Kind.OPENAPI_30, version
            if match and match.group(1) == "3" and match.group(2) == "1":
                return Kind.OPENAPI_31, version
            raise UnknownKind(
                f"unsupported OpenAPI version {quoted(data['openapi'])}",
                source=source,
                hint="apigov reads 2.0, 3.0.x and 3.1.x",
            )
        if "asyncapi" in data:
            version = _version_text(data["asyncapi"])
            match = _VERSION_RE.match(version)
            if match and match.group(1) == "2":
                return Kind.ASYNCAPI_2, version
            if match and match.group(1) == "3":
                return Kind.ASYNCAPI_3, version
            raise UnknownKind(
                f"unsupported AsyncAPI version {quoted(data['asyncapi'])}",
                source=source,
                hint="apigov reads 2.x and 3.x",
            )
        schema_uri = data.get("$schema")
        if isinstance(schema_uri, str):
            kind = dialect_kind(schema_uri)
            if kind is None:
                raise UnknownKind(
                    f"unknown JSON Schema dialect {schema_uri!r}",
                    source=source,
                    hint="use a draft-04, -06, -07, 2019-09 or 2020-12 meta-schema URI",
                )
            return kind, kind.value.split("-", 1)[1]
        if suffix == ".avsc" or _looks_like_avro(data):
            return Kind.AVRO, "1.11"
        if _SCHEMA_KEYWORDS & data.keys() or (suffix == ".json" and not data):
            return Kind.JSONSCHEMA_2020, "2020-12"
    elif suffix == ".avsc" or (
        isinstance(data, list) and data and all(_looks_like_avro(item) for item in data)
    ):
        return Kind.AVRO, "1.11"
    raise UnknownKind(
        "not an OpenAPI, Swagger, AsyncAPI, JSON Schema or Avro document",
        source=source,
        hint="a contract starts with 'openapi:', 'swagger:', 'asyncapi:', '$schema' or an Avro type",
    )


def _looks_like_avro(data: JSONValue) -> bool:
    if isinstance(data, str):
        return data in AVRO_PRIMITIVES
    if isinstance(data, dict):
        kind = data.get("type")
        if kind in ("record", "error", "enum", "fixed"):
            return isinstance(data.get("name"), str)
        if kind == "map":
            return "values" in data and _no_json_schema_keywords(data)
        if kind == "array":  # JSON Schema has arrays with `items` too: Avro's items is a type
            items = data.get("items")
            avro_items = (isinstance(items, str) and items not in _JSON_TYPES) or _looks_like_avro(items)
            return avro_items and not (_JSON_ARRAY_ONLY & data.keys())
        return kind in AVRO_PRIMITIVES and "logicalType" in data and _no_json_schema_keywords(data)
    return isinstance(data, list) and bool(data) and all(_looks_like_avro(item) for item in data)


_JSON_TYPES: Final = frozenset({"object", "array", "integer", "number"})
_JSON_ARRAY_ONLY: Final = (_SCHEMA_KEYWORDS - {"type", "items"}) | {
    "maxItems",
    "minItems",
    "uniqueItems",
    "contains",
    "minContains",
    "maxContains",
    "prefixItems",
    "additionalItems",
    "unevaluatedItems",
    "title",
    "description",
    "examples",
    "$id",
    "$comment",
}
"""Keywords that make an array schema JSON Schema, not Avro (whose arrays have ``items`` only)."""
"""JSON Schema type names that are no Avro type (an Avro array's items may name any Avro type)."""


def _no_json_schema_keywords(data: dict[str, JSONValue]) -> bool:
    return not ((_SCHEMA_KEYWORDS - {"type"}) & data.keys())
