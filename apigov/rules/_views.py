"""Schemas as one direction sees them: a request never carries ``readOnly`` properties, a
response never carries ``writeOnly`` ones (OpenAPI 3.x, JSON Schema 2019+ annotations).

A :class:`View` rewrites schema objects lazily and copy-on-write: a subtree without such a
property is returned as the very same object, so the engine's identity-based tracking of
recursion keeps working; a rewritten one is cached by the identity of its original.
"""

from __future__ import annotations

from typing import Final

from apigov.core._types import JSONValue
from apigov.schema.model import Resolver

_SUBSCHEMA: Final = ("items", "additionalProperties", "not", "additionalItems", "contains", "propertyNames")
_SUBSCHEMA_LISTS: Final = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS: Final = ("patternProperties", "$defs", "definitions", "dependentSchemas")
MAX_DEPTH: Final = 64


class View:
    def __init__(self, resolve: Resolver, drop: str) -> None:
        self._resolve = resolve
        self._drop = drop
        self._cache: dict[int, tuple[JSONValue, JSONValue]] = {}  # id -> (original, view)

    def resolve(self, ref: str) -> JSONValue:
        return self.schema(self._resolve(ref))

    def schema(self, node: JSONValue) -> JSONValue:
        return self._rewrite(node, 0)

    def dropped(self, node: JSONValue) -> bool:
        """Whether a property schema carries this view's flag (directly or behind one ``$ref``)."""
        if not isinstance(node, dict):
            return False
        if node.get(self._drop) is True:
            return True
        ref = node.get("$ref")
        if isinstance(ref, str):
            try:
                target = self._resolve(ref)
            except LookupError:
                return False
            return isinstance(target, dict) and target.get(self._drop) is True
        return False

    def _rewrite(self, node: JSONValue, depth: int) -> JSONValue:
        if not isinstance(node, dict) or depth > MAX_DEPTH:
            return node
        cached = self._cache.get(id(node))
        if cached is not None and cached[0] is node:
            return cached[1]
        changed: dict[str, JSONValue] = {}
        properties = node.get("properties")
        if isinstance(properties, dict):
            kept = {
                name: self._rewrite(value, depth + 1)
                for name, value in properties.items()
                if not self.dropped(value)
            }
            if len(kept) != len(properties) or any(kept[n] is not properties[n] for n in kept):
                changed["properties"] = kept
                gone = set(properties) - set(kept)
                required = node.get("required")
                if gone and isinstance(required, list):
                    changed["required"] = [r for r in required if r not in gone]
        for key in _SUBSCHEMA:
            if key in node:
                value = self._rewrite(node[key], depth + 1)
                if value is not node[key]:
                    changed[key] = value
        for key in _SUBSCHEMA_LISTS:
            items = node.get(key)
            if isinstance(items, list):
                new_items = [self._rewrite(item, depth + 1) for item in items]
                if any(a is not b for a, b in zip(new_items, items, strict=True)):
                    changed[key] = new_items
        for key in _SUBSCHEMA_MAPS:
            members = node.get(key)
            if isinstance(members, dict):
                new_members = {k: self._rewrite(v, depth + 1) for k, v in members.items()}
                if any(new_members[k] is not members[k] for k in members):
                    changed[key] = new_members
        result: JSONValue = {**node, **changed} if changed else node
        self._cache[id(node)] = (node, result)
        return result
