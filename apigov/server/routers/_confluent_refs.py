"""Schema references of the Confluent API inlined, so that every stored version is
self-contained for apigov's verdicts: an Avro reference's named types are defined where first
used, a JSON Schema reference is embedded under ``$defs``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["inline_avro", "inline_json"]


def inline_avro(data: Any, referenced: Sequence[Any]) -> Any:
    """``data`` with the named types of ``referenced`` schemas defined where first used."""
    named: dict[str, Any] = {}
    for schema in referenced:
        for item in schema if isinstance(schema, list) else [schema]:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                namespace = item.get("namespace")
                full = item["name"] if "." in item["name"] or not namespace else f"{namespace}.{item['name']}"
                named[full] = item
                named.setdefault(item["name"], item)
    defined: set[str] = set()

    def walk(node: Any, depth: int) -> Any:
        if depth > 64:
            return node
        if isinstance(node, str) and node in named and node not in defined:
            defined.add(node)
            return named[node]
        if isinstance(node, list):
            return [walk(item, depth + 1) for item in node]
        if isinstance(node, dict):
            return {
                k: (walk(v, depth + 1) if k in ("type", "items", "values", "fields") else v)
                for k, v in node.items()
            }
        return node

    return walk(data, 0)


def inline_json(data: Any, referenced: dict[str, Any]) -> Any:
    """``data`` with each referenced schema under ``$defs`` and every ``$ref`` to a reference's
    name (``name`` or ``name#/pointer``) pointing there, so the version is self-contained."""
    if not isinstance(data, dict):
        return data
    keys = {
        name: "ref-" + "".join(c if c.isalnum() or c in "-_." else "_" for c in name) for name in referenced
    }

    def rewrite(node: Any, inside: str | None, depth: int) -> Any:
        if depth > 200:
            return node
        if isinstance(node, list):
            return [rewrite(item, inside, depth + 1) for item in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                name, _, fragment = value.partition("#")
                if name in keys:
                    value = f"#/$defs/{keys[name]}{fragment}"
                elif not name and inside is not None:  # a reference's own "#/..." stays inside it
                    value = f"#/$defs/{inside}{fragment}"
            out[key] = rewrite(value, inside, depth + 1)
        return out

    result = rewrite(data, None, 0)
    defs = dict(result.get("$defs") or {})
    for name, schema in referenced.items():
        embedded = (
            {k: v for k, v in schema.items() if k not in ("$id", "$schema")}
            if isinstance(schema, dict)
            else schema
        )
        defs[keys[name]] = rewrite(embedded, keys[name], 0)
    result["$defs"] = defs
    return result
