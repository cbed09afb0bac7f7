"""Detect which kind of contract a document is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Final

from apigov.core._types import JSONValue
from apigov.core.errors import UnknownKind, UnsupportedVersion
from apigov.core.shown import as_text, quoted
from apigov.documents.drafts import D6, DEFAULT_DRAFT, ORDER, Assumed, assumed_draft


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

FAMILIES: Final = ("openapi", "asyncapi", "jsonschema", "avro")
"""The kind families a user may name (``--kind``, apigov.yaml ``kind``)."""


@dataclass(frozen=True, slots=True)
class KindHint:
    """What is known about a document's kind beyond its content.

    ``family``: the family it must be read as (``--kind``, ``kind`` in apigov.yaml); a JSON
    Schema is then any object or boolean, an Avro schema any name, object or union.
    ``fallback``: the family of a document whose content names no kind (the kind of the registry
    subject it is a version of; ``jsonschema`` for event schemas compared under ``--mode``).
    ``default_draft``: the draft of a JSON Schema without ``$schema``
    (:mod:`apigov.documents.drafts`)."""

    family: str | None = None
    fallback: str | None = None
    default_draft: str = DEFAULT_DRAFT


NO_HINT: Final = KindHint()

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
        "$id",
        "$comment",
        "additionalProperties",
        "patternProperties",
        "propertyNames",
        "prefixItems",
        "unevaluatedProperties",
        "unevaluatedItems",
        "dependentRequired",
        "dependentSchemas",
    }
)
_VERSION_RE = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")


def _version_text(value: JSONValue) -> str:
    return as_text(value)  # 3.0 written as a number reads "3.0"; null reads "null", never "None"


def dialect_kind(uri: str) -> Kind | None:
    normalised = uri.rstrip("#").replace("https://json-schema.org/draft-0", "http://json-schema.org/draft-0")
    return JSON_SCHEMA_DIALECTS.get(normalised)


def detect_kind(
    data: JSONValue, path: Path | None = None, *, source: str = "", hint: KindHint = NO_HINT
) -> tuple[Kind, str]:
    """Return the kind of a document and the specification version it declares.

    JSON Schema documents without ``$schema`` are read as the draft
    :func:`~apigov.documents.drafts.assumed_draft` picks (draft-07 by default). ``.avsc`` files
    and documents shaped like Avro schemas (``{"type": "record", "name": ...}``, unions as lists)
    are Avro. ``hint`` says what else is known (see :class:`KindHint`).
    """
    if hint.family is not None:
        return _of_family(data, path, source, hint.family, hint)
    found = _detect(data, path, source, hint)
    if found is not None:
        return found
    if hint.fallback in ("jsonschema", "avro"):
        return _of_family(data, path, source, hint.fallback, hint)
    raise UnknownKind(
        "not an OpenAPI, Swagger, AsyncAPI, JSON Schema or Avro document",
        source=source,
        hint="a contract starts with 'openapi:', 'swagger:', 'asyncapi:', '$schema' or an Avro type; "
        "name the kind with --kind (jsonschema, avro, openapi, asyncapi)",
    )


def _of_family(
    data: JSONValue, path: Path | None, source: str, family: str, hint: KindHint
) -> tuple[Kind, str]:
    if family == "jsonschema":
        if isinstance(data, (dict, bool)):
            return json_schema_kind(data, source, hint)
        raise UnknownKind(
            f"not a JSON Schema: a schema is an object or a boolean, not {_json_type(data)}", source=source
        )
    if family == "avro":
        if isinstance(data, (dict, list, str)):
            return Kind.AVRO, "1.11"
        raise UnknownKind(
            f"not an Avro schema: a schema is a name, an object or a union, not {_json_type(data)}",
            source=source,
        )
    found = _detect(data, path, source, hint)
    if found is not None and found[0].family == family:
        return found
    key = "'openapi' or 'swagger'" if family == "openapi" else f"'{family}'"
    what = "OpenAPI" if family == "openapi" else "AsyncAPI"
    raise UnknownKind(f"not an {what} document: it has no {key} field at the top", source=source)


def _json_type(data: JSONValue) -> str:
    if data is None:
        return "null"
    if isinstance(data, bool):
        return "a boolean"
    if isinstance(data, (int, float)):
        return "a number"
    if isinstance(data, str):
        return "a string"
    return "an array" if isinstance(data, list) else "an object"


def json_schema_kind(data: JSONValue, source: str = "", hint: KindHint = NO_HINT) -> tuple[Kind, str]:
    """The kind of a JSON Schema document: its ``$schema``'s draft, else the assumed one."""
    schema_uri = data.get("$schema") if isinstance(data, dict) else None
    if isinstance(schema_uri, str):
        kind = dialect_kind(schema_uri)
        if kind is None:
            raise UnsupportedVersion(
                f"unknown JSON Schema dialect {schema_uri!r}",
                source=source,
                hint="use a draft-04, -06, -07, 2019-09 or 2020-12 meta-schema URI",
            )
        return kind, kind.value.split("-", 1)[1]
    name = assumed(data, hint).name
    return Kind(f"jsonschema-{name}"), name


def assumed(data: JSONValue, hint: KindHint = NO_HINT) -> Assumed:
    """The draft a JSON Schema without ``$schema`` is read as (a boolean schema: draft-06 at least)."""
    if isinstance(data, bool) and ORDER.index(hint.default_draft) < ORDER.index(D6):
        return Assumed(D6, "a boolean schema, which draft-04 does not have")
    return assumed_draft(data, hint.default_draft)


def _detect(data: JSONValue, path: Path | None, source: str, hint: KindHint) -> tuple[Kind, str] | None:
    suffix = path.suffix.lower() if path is not None else ""
    if isinstance(data, dict):
        if "swagger" in data:
            version = _version_text(data["swagger"])
            if version == "2.0":
                return Kind.SWAGGER_2, version
            raise UnsupportedVersion(
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
            raise UnsupportedVersion(
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
            raise UnsupportedVersion(
                f"unsupported AsyncAPI version {quoted(data['asyncapi'])}",
                source=source,
                hint="apigov reads 2.x and 3.x",
            )
        if isinstance(data.get("$schema"), str):
            return json_schema_kind(data, source, hint)
        if suffix == ".avsc" or _looks_like_avro(data):
            return Kind.AVRO, "1.11"
        if _SCHEMA_KEYWORDS & data.keys() or (suffix == ".json" and not data):
            return json_schema_kind(data, source, hint)
    elif suffix == ".avsc" or (
        isinstance(data, list) and data and all(_looks_like_avro(item) for item in data)
    ):
        return Kind.AVRO, "1.11"
    return None


def _looks_like_avro(data: JSONValue) -> bool:
    if isinstance(data, str):
        return data in AVRO_PRIMITIVES
    if isinstance(data, dict):
        kind = data.get("type")
        if isinstance(kind, list):  # a union, unless every member is a JSON Schema type name too
            return bool(kind) and all(_looks_like_avro(item) for item in kind) and not _json_type_names(kind)
        if isinstance(kind, dict):  # Avro allows {"type": {"type": "string"}}; JSON Schema does not
            return _looks_like_avro(kind) and _no_json_schema_keywords(data)
        if not isinstance(kind, str):
            return False
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


def _json_type_names(names: list[JSONValue]) -> bool:
    return all(isinstance(name, str) and name in _JSON_TYPE_NAMES for name in names)


_JSON_TYPE_NAMES: Final = frozenset({"null", "boolean", "object", "array", "integer", "number", "string"})


def _no_json_schema_keywords(data: dict[str, JSONValue]) -> bool:
    return not ((_SCHEMA_KEYWORDS - {"type"}) & data.keys())
