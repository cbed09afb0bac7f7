"""The ``config`` of Kong's ``request-validator`` plugin for one operation's JSON request body.

Kong checks the body against ``body_schema``, a JSON *string* holding a JSON Schema draft 4
document (``version: draft4``), and the ``Content-Type`` against ``allowed_content_types``.
The spec's schema is rewritten into that dialect: same-document ``$ref`` are inlined (Kong
resolves none of the spec's), OpenAPI 3.0 ``nullable`` becomes a ``"null"`` type, ``const``
a one-value ``enum``, numeric ``exclusiveMinimum``/``exclusiveMaximum`` (OpenAPI 3.1) the
draft 4 boolean form; only validation keywords are kept (no titles, descriptions, examples
or extensions), and ``readOnly`` properties are not required in a request. The result is
JSON-encoded (so spec text is data, never config syntax) and bounded in size.

:func:`request_validator` returns the plugin config, or the reason the schema cannot be
expressed (a ``$ref`` cycle, a ``$ref`` outside the document, a body that is not only JSON,
a schema too large), which the target turns into a warning naming the route.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Final

from generators.base import JSONValue
from generators.gateway.model import RequestBody

MAX_SCHEMA: Final = 64 * 1024
"""Bytes of ``body_schema`` at most (Kong keeps plugin configs in memory on every node)."""
_MAX_NODES: Final = 20_000
_KEEP: Final = frozenset(
    {
        "type", "enum", "format", "pattern", "minLength", "maxLength", "minimum", "maximum",
        "multipleOf", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
        "required",
    }
)  # fmt: skip
_ONE: Final = ("items", "additionalProperties", "additionalItems", "not")
_MANY: Final = ("allOf", "anyOf", "oneOf")
_BY_NAME: Final = ("properties", "patternProperties")


class Unexpressible(Exception):
    """The schema cannot be written for Kong's validator (the message says why)."""


def is_json(media_type: str) -> bool:
    kind = media_type.split(";", 1)[0].strip().lower()
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


def request_validator(body: RequestBody) -> dict[str, JSONValue]:
    """The plugin's ``config`` (raises :class:`Unexpressible`)."""
    others = [m for m in body.media_types if not is_json(m)]
    if others:
        raise Unexpressible(f"the body may also be {others[0][:60]!r}, which Kong's validator cannot check")
    schemas = [body.schemas.get(m) for m in body.media_types]
    first = schemas[0]
    if any(s != first for s in schemas[1:]):
        raise Unexpressible("the JSON media types of the body have different schemas")
    converter = _Converter(body.document)
    schema = converter.convert(first if first is not None else {}, ())
    text = json.dumps(schema, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    if len(text) > MAX_SCHEMA:
        raise Unexpressible(f"the body schema takes {len(text)} bytes inlined (at most {MAX_SCHEMA})")
    types = [m.split(";", 1)[0].strip().lower() for m in body.media_types]
    allowed: list[JSONValue] = []
    for kind in dict.fromkeys(types):
        allowed += [kind, f"{kind}; charset=utf-8"]
    return {
        "version": "draft4",
        "body_schema": text,
        "allowed_content_types": allowed,
        "verbose_response": False,
    }


class _Converter:
    def __init__(self, document: Mapping[str, JSONValue]) -> None:
        self.document = document
        self.nodes = 0

    def resolve(self, ref: str, seen: tuple[str, ...]) -> tuple[JSONValue, tuple[str, ...]]:
        if not ref.startswith("#/"):
            raise Unexpressible(f"$ref {ref[:80]!r} points outside the document")
        if ref in seen:
            raise Unexpressible(f"$ref {ref[:80]!r} refers to itself (a cycle), which cannot be inlined")
        node: JSONValue = dict(self.document)
        for part in ref[2:].split("/"):
            key = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or key not in node:
                raise Unexpressible(f"$ref {ref[:80]!r} does not resolve")
            node = node[key]
        return node, (*seen, ref)

    def convert(self, node: JSONValue, seen: tuple[str, ...]) -> JSONValue:
        self.nodes += 1
        if self.nodes > _MAX_NODES:
            raise Unexpressible(f"the body schema has more than {_MAX_NODES} nodes inlined")
        if isinstance(node, bool):
            return {} if node else {"not": {}}
        if not isinstance(node, dict):
            return {}
        ref = node.get("$ref")
        if isinstance(ref, str):
            target, seen = self.resolve(ref, seen)
            return self.convert(target, seen)
        out: dict[str, JSONValue] = {k: v for k, v in node.items() if k in _KEEP}
        for key in _ONE:
            value = node.get(key)
            if isinstance(value, bool) and key.startswith("additional"):  # draft 4 takes these as booleans
                out[key] = value
            elif isinstance(value, dict | bool):
                out[key] = self.convert(value, seen)
        if isinstance(node.get("items"), list):  # draft 4 tuple validation
            out["items"] = [self.convert(item, seen) for item in node["items"]]  # type: ignore[union-attr]
        for key in _MANY:
            value = node.get(key)
            if isinstance(value, list):
                out[key] = [self.convert(item, seen) for item in value]
        for key in _BY_NAME:
            value = node.get(key)
            if isinstance(value, dict):
                out[key] = {str(name): self.convert(sub, seen) for name, sub in value.items()}
        if "const" in node:
            out["enum"] = [node["const"]]
        for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            value = node.get(bound)
            if isinstance(value, bool):
                out[bound] = value
            elif isinstance(value, int | float):
                out[limit], out[bound] = value, True
        if node.get("nullable") is True and isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
            if isinstance(out.get("enum"), list) and None not in out["enum"]:  # type: ignore[operator]
                out["enum"] = [*out["enum"], None]  # type: ignore[misc]
        required = out.get("required")
        if isinstance(required, list):
            properties = node.get("properties")
            read_only = {
                name
                for name, sub in (properties.items() if isinstance(properties, dict) else ())
                if isinstance(sub, dict) and sub.get("readOnly") is True
            }
            kept = [r for r in required if isinstance(r, str) and r not in read_only]
            if kept:
                out["required"] = kept  # type: ignore[assignment]
            else:
                del out["required"]
        return out
