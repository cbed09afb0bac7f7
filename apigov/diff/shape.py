"""The shape of the parts of an OpenAPI or Swagger 2.0 document that ``apigov diff`` reads.

The diff reads paths, operations, parameters, bodies, responses and the component sections
leniently; a field of the wrong JSON type there (``parameters`` written as a map, ``responses``
as a list) would otherwise be skipped and its changes never reported. This finds the first such
field without validating the whole document against the specification's schema (``apigov
check`` does that): a walk over operations, not schemas, so it costs little on large APIs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue

_OBJECT: Final = "an object"
_LIST: Final = "a list"
_SCHEMA: Final = "a schema (an object or a boolean)"

_METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_ROOT: Final = {
    "paths": _OBJECT,
    "webhooks": _OBJECT,
    "components": _OBJECT,
    "security": _LIST,
    "servers": _LIST,
    "tags": _LIST,
    "definitions": _OBJECT,
    "parameters": _OBJECT,
    "responses": _OBJECT,
    "securityDefinitions": _OBJECT,
}
_OPERATION: Final = {
    "parameters": _LIST,
    "responses": _OBJECT,
    "requestBody": _OBJECT,
    "security": _LIST,
    "servers": _LIST,
    "callbacks": _OBJECT,
    "tags": _LIST,
}
_PARAMETER: Final = {"schema": _SCHEMA, "content": _OBJECT, "items": _OBJECT}
_RESPONSE: Final = {"content": _OBJECT, "headers": _OBJECT, "schema": _SCHEMA, "links": _OBJECT}


def first_misshapen(data: JSONValue) -> tuple[str, str] | None:
    """``(pointer, what it must be)`` of the first field the diff reads that has the wrong type."""
    return next(_problems(data), None)


def _problems(data: JSONValue) -> Iterator[tuple[str, str]]:
    if not isinstance(data, dict):
        return
    yield from _fields(data, "", _ROOT)
    components = data.get("components")
    if isinstance(components, dict):
        for name, section in components.items():
            at = jsonptr.join("/components", name)
            if not isinstance(section, dict):
                yield at, _OBJECT
            elif name in ("parameters", "responses", "requestBodies", "headers", "pathItems", "callbacks"):
                yield from _members(section, at)
    for section in ("parameters", "responses"):  # Swagger 2.0
        value = data.get(section)
        if isinstance(value, dict):
            yield from _members(value, "/" + section)
    for group in ("paths", "webhooks"):
        items = data.get(group)
        if isinstance(items, dict):
            for path, item in items.items():
                yield from _path_item(item, jsonptr.join("/" + group, path))


def _path_item(item: JSONValue, at: str) -> Iterator[tuple[str, str]]:
    if not isinstance(item, dict):
        yield at, _OBJECT
        return
    yield from _fields(item, at, {"parameters": _LIST, "servers": _LIST})
    yield from _list_of_objects(item.get("parameters"), jsonptr.join(at, "parameters"), _PARAMETER)
    for method in _METHODS:
        if method in item:
            yield from _operation(item[method], jsonptr.join(at, method))


def _operation(op: JSONValue, at: str) -> Iterator[tuple[str, str]]:
    if not isinstance(op, dict):
        yield at, _OBJECT
        return
    yield from _fields(op, at, _OPERATION)
    yield from _list_of_objects(op.get("parameters"), jsonptr.join(at, "parameters"), _PARAMETER)
    responses = op.get("responses")
    if isinstance(responses, dict):
        for code, response in responses.items():
            where = jsonptr.join(at, "responses", code)
            if not isinstance(response, dict):
                yield where, _OBJECT
            else:
                yield from _fields(response, where, _RESPONSE)
    body = op.get("requestBody")
    if isinstance(body, dict):
        yield from _fields(body, jsonptr.join(at, "requestBody"), {"content": _OBJECT})
    callbacks = op.get("callbacks")
    if isinstance(callbacks, dict):
        for name, callback in callbacks.items():
            where = jsonptr.join(at, "callbacks", name)
            if not isinstance(callback, dict):
                yield where, _OBJECT
            elif "$ref" not in callback:
                for expression, item in callback.items():
                    yield from _path_item(item, jsonptr.join(where, expression))


def _members(section: dict[str, JSONValue], at: str) -> Iterator[tuple[str, str]]:
    for name, member in section.items():
        if not isinstance(member, dict):
            yield jsonptr.join(at, name), _OBJECT


def _list_of_objects(value: JSONValue, at: str, fields: dict[str, str]) -> Iterator[tuple[str, str]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                yield jsonptr.join(at, index), _OBJECT
            else:
                yield from _fields(item, jsonptr.join(at, index), fields)


def _fields(node: dict[str, JSONValue], at: str, fields: dict[str, str]) -> Iterator[tuple[str, str]]:
    for name, kind in fields.items():
        if name not in node:
            continue
        value = node[name]
        good = (
            isinstance(value, list)
            if kind == _LIST
            else isinstance(value, dict) or (kind == _SCHEMA and isinstance(value, bool))
        )
        if not good:
            yield jsonptr.join(at, name), kind
