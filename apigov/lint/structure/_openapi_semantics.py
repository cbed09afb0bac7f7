"""The semantic checks of openapi-spec-validator, walked over the plain document.

openapi-spec-validator checks more than the official schema: path parameters declared, no
parameter twice, operationIds unique, the ``required`` names of an ``allOf`` schema defined, and
every ``default`` valid for its schema. It walks the document through ``jsonschema_path``, whose
every step re-resolves the path from the root (most of a large spec's check time), and its
errors about a ``default`` carry no place in the document. This walk asks the same questions in
the same order over the dicts themselves: ``$ref`` followed by identity, each schema object
visited once however many places share it, and every error carrying the JSON pointer of the
offending value (a ``default``'s errors: the pointer of the value inside the default).
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue

_OPERATIONS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MAX_REF_HOPS: Final = 64


@dataclass(frozen=True, slots=True)
class SemanticError:
    """An error of the walk: where (a pointer of the document) and what, in openapi-spec-validator's
    words; ``error`` is the validator's error for a ``default`` (its path is inside the value)."""

    pointer: str
    message: str
    error: Any = None


class _Walk:
    def __init__(self, data: JSONValue, value_validator: Any, legacy: bool) -> None:
        self.data = data
        self.value_validator = value_validator
        """A jsonschema validator of ``default`` values (its ``evolve(schema=...)`` is used)."""
        self.legacy = legacy
        self.seen: set[int] = set()
        self.operation_ids: set[str] = set()
        self.pointers: dict[int, str] = {}

    def deref(self, pointer: str, node: JSONValue) -> tuple[str, JSONValue]:
        """``node`` with its ``$ref`` followed (chains too), and the pointer where it is written."""
        for _ in range(_MAX_REF_HOPS):
            if not isinstance(node, dict):
                return pointer, node
            ref = node.get("$ref")
            if not isinstance(ref, str) or not ref.startswith("#"):
                return pointer, node
            target_pointer = jsonptr.from_fragment(ref[1:])
            try:
                node = jsonptr.resolve(self.data, target_pointer)
            except (LookupError, ValueError, TypeError):
                return pointer, None
            pointer = target_pointer
        return pointer, None

    # --- schemas ------------------------------------------------------------------------------

    def schema(
        self, pointer: str, node: JSONValue, require_properties: bool = True
    ) -> Iterator[SemanticError]:
        pointer, node = self.deref(pointer, node)
        if not isinstance(node, dict) or id(node) in self.seen:
            return
        self.seen.add(id(node))
        nested: set[str] = set()
        all_of = node.get("allOf")
        if "allOf" in node:
            for index, inner in _items(all_of):
                inner_pointer = jsonptr.join(pointer, "allOf", str(index))
                yield from self.schema(inner_pointer, inner, False)
                nested |= self.properties_of(inner_pointer, inner, set())
        for keyword in ("anyOf", "oneOf"):
            for index, inner in _items(node.get(keyword)):
                yield from self.schema(jsonptr.join(pointer, keyword, str(index)), inner, False)
        for keyword in ("not", "items"):
            if keyword in node:
                yield from self.schema(jsonptr.join(pointer, keyword), node[keyword], False)
        properties = node.get("properties")
        if isinstance(properties, dict):
            for name, inner in properties.items():
                yield from self.schema(jsonptr.join(pointer, "properties", name), inner, False)
        if "allOf" in node and require_properties:
            required = node.get("required")
            declared = set(properties) if isinstance(properties, dict) else set()
            names = required if isinstance(required, list) else []
            extra = sorted({n for n in names if isinstance(n, str)} - declared - nested)
            if extra:
                yield SemanticError(
                    jsonptr.join(pointer, "required"), f"Required list has not defined properties: {extra}"
                )
        if "default" in node:
            default = node["default"]
            if default is not None or node.get("nullable", False) is not True:
                yield from self.value(jsonptr.join(pointer, "default"), node, default)

    def properties_of(self, pointer: str, node: JSONValue, visiting: set[int]) -> set[str]:
        """Every property name reachable from a schema (through ``allOf``/``anyOf``/``oneOf``,
        ``items`` and ``not``)."""
        pointer, node = self.deref(pointer, node)
        if not isinstance(node, dict) or id(node) in visiting:
            return set()
        visiting.add(id(node))
        found: set[str] = set()
        properties = node.get("properties")
        if isinstance(properties, dict):
            found.update(properties)
        for keyword in ("allOf", "anyOf", "oneOf"):
            for index, inner in _items(node.get(keyword)):
                found |= self.properties_of(jsonptr.join(pointer, keyword, str(index)), inner, visiting)
        for keyword in ("items", "not"):
            if keyword in node:
                found |= self.properties_of(jsonptr.join(pointer, keyword), node[keyword], visiting)
        visiting.discard(id(node))
        return found

    def value(self, pointer: str, schema: dict[str, JSONValue], value: JSONValue) -> Iterator[SemanticError]:
        validator = self.value_validator.evolve(schema=schema)
        for error in validator.iter_errors(value):
            yield SemanticError(pointer, "", error)

    # --- the document -------------------------------------------------------------------------

    def root(self) -> Iterator[SemanticError]:
        data = self.data
        if not isinstance(data, dict):
            return
        if "paths" in data:
            pointer, paths = self.deref("/paths", data["paths"])
            if isinstance(paths, dict):
                for url, item in paths.items():
                    yield from self.path(url, *self.deref(jsonptr.join(pointer, url), item))
        if "components" in data:
            pointer, components = self.deref("/components", data["components"])
            if isinstance(components, dict):
                pointer, schemas = self.deref(jsonptr.join(pointer, "schemas"), components.get("schemas", {}))
                if isinstance(schemas, dict):
                    for name, schema in schemas.items():
                        yield from self.schema(jsonptr.join(pointer, name), schema)

    def path(self, url: str, pointer: str, item: JSONValue) -> Iterator[SemanticError]:
        if not isinstance(item, dict):
            return
        shared: tuple[str, JSONValue] | None = None
        if "parameters" in item:
            shared = self.deref(jsonptr.join(pointer, "parameters"), item["parameters"])
            yield from self.parameters(*shared)
        for name, operation in item.items():
            if name in _OPERATIONS:
                op_pointer, op = self.deref(jsonptr.join(pointer, name), operation)
                yield from self.operation(url, name, op_pointer, op, shared)

    def operation(
        self, url: str, name: str, pointer: str, operation: JSONValue, shared: tuple[str, JSONValue] | None
    ) -> Iterator[SemanticError]:
        if not isinstance(operation, dict):
            return
        operation_id = operation.get("operationId")
        if isinstance(operation_id, str):
            if operation_id in self.operation_ids:
                yield SemanticError(
                    jsonptr.join(pointer, "operationId"),
                    f"Operation ID '{operation_id}' for '{name}' in '{url}' is not unique",
                )
            self.operation_ids.add(operation_id)
        if "responses" in operation:
            yield from self.responses(*self.deref(jsonptr.join(pointer, "responses"), operation["responses"]))
        names: set[str] = set()
        if "parameters" in operation:
            own = self.deref(jsonptr.join(pointer, "parameters"), operation["parameters"])
            yield from self.parameters(*own)
            names |= self.path_names(*own)
        if shared is not None:
            names |= self.path_names(*shared)
        try:
            in_url = [field for _, field, _, _ in string.Formatter().parse(url) if field]
        except ValueError:  # unbalanced braces: the path template is reported by the schema check
            in_url = []
        for field in in_url:
            if field not in names:
                yield SemanticError(
                    pointer, f"Path parameter '{field}' for '{name}' operation in '{url}' was not resolved"
                )

    def path_names(self, pointer: str, parameters: JSONValue) -> set[str]:
        names: set[str] = set()
        for index, parameter in _items(parameters):
            _, parameter = self.deref(jsonptr.join(pointer, str(index)), parameter)
            if isinstance(parameter, dict) and parameter.get("in") == "path":
                name = parameter.get("name")
                if isinstance(name, str):
                    names.add(name)
        return names

    def parameters(self, pointer: str, parameters: JSONValue) -> Iterator[SemanticError]:
        seen: set[tuple[object, object]] = set()
        for index, parameter in _items(parameters):
            here, parameter = self.deref(jsonptr.join(pointer, str(index)), parameter)
            if not isinstance(parameter, dict):
                continue
            if "schema" in parameter:
                yield from self.schema(jsonptr.join(here, "schema"), parameter["schema"])
            if self.legacy and "default" in parameter and parameter["default"] is not None:
                yield from self.value(jsonptr.join(here, "default"), parameter, parameter["default"])
            key = (parameter.get("name"), parameter.get("in"))
            if not all(isinstance(k, str) for k in key):
                continue
            if key in seen:
                yield SemanticError(here, f"Duplicate parameter `{key[0]}`")
            seen.add(key)

    def responses(self, pointer: str, responses: JSONValue) -> Iterator[SemanticError]:
        if not isinstance(responses, dict):
            return
        for code, response in responses.items():
            here, response = self.deref(jsonptr.join(pointer, code), response)
            if not isinstance(response, dict):
                continue
            if self.legacy:
                if "schema" in response:
                    yield from self.schema(jsonptr.join(here, "schema"), response["schema"])
            elif "content" in response:
                yield from self.content(*self.deref(jsonptr.join(here, "content"), response["content"]))

    def content(self, pointer: str, content: JSONValue) -> Iterator[SemanticError]:
        if not isinstance(content, dict):
            return
        for media, media_type in content.items():
            here, media_type = self.deref(jsonptr.join(pointer, media), media_type)
            if isinstance(media_type, dict) and "schema" in media_type:
                yield from self.schema(jsonptr.join(here, "schema"), media_type["schema"])


def _items(value: JSONValue) -> Iterator[tuple[int, JSONValue]]:
    return enumerate(value) if isinstance(value, list) else iter(())


def semantic_errors(data: JSONValue, value_validator: Any, *, legacy: bool) -> Iterator[SemanticError]:
    """openapi-spec-validator's semantic errors of ``data`` in its order, each with its place.

    ``value_validator``: a jsonschema validator (of any schema) that validates ``default`` values
    once evolved to their schema; ``legacy``: Swagger 2.0 (responses hold ``schema``, parameters
    may hold ``default``)."""
    return _Walk(data, value_validator, legacy).root()
