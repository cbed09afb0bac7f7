"""Shared, cached views of an OpenAPI/Swagger document for the lint rules.

Everything here tolerates any value of any type: documents are untrusted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.documents.kinds import Kind
from apigov.lint.context import LintContext

METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
TEMPLATE_RE: Final = re.compile(r"\{([^{}/]+)\}")


@dataclass(frozen=True, slots=True)
class Operation:
    path: str
    method: str
    value: dict[str, JSONValue]
    pointer: str
    path_item: dict[str, JSONValue]
    path_item_pointer: str

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


def as_dict(value: JSONValue) -> dict[str, JSONValue]:
    return value if isinstance(value, dict) else {}


def as_list(value: JSONValue) -> list[JSONValue]:
    return value if isinstance(value, list) else []


def operations(ctx: LintContext) -> list[Operation]:
    """Every operation under ``paths`` (and 3.1 ``webhooks``), path items' ``$ref`` followed."""
    cached = ctx.cached("openapi.operations")
    if isinstance(cached, list):
        return cached
    found: list[Operation] = []
    data = as_dict(ctx.data)
    for section in ("paths", "webhooks"):
        for path, raw_item in as_dict(data.get(section)).items():
            item_ptr = jsonptr.join("/" + section, path)
            item = as_dict(ctx.resolve(raw_item))
            for method in METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    found.append(Operation(path, method, op, jsonptr.join(item_ptr, method), item, item_ptr))
    ctx.remember("openapi.operations", found)
    return found


def parameters(ctx: LintContext, op: Operation) -> Iterator[tuple[dict[str, JSONValue], str]]:
    """Effective parameters of an operation (operation-level ones override path-level ones)."""
    seen: set[tuple[str, str]] = set()
    for owner, owner_ptr in ((op.value, op.pointer), (op.path_item, op.path_item_pointer)):
        for index, raw in enumerate(as_list(owner.get("parameters"))):
            param = as_dict(ctx.resolve(raw))
            name, where = param.get("name"), param.get("in")
            if not isinstance(name, str) or not isinstance(where, str):
                continue
            key = (where, name.lower() if where == "header" else name)
            if key in seen:
                continue
            seen.add(key)
            yield param, f"{owner_ptr}/parameters/{index}"


def component_sections(kind: Kind) -> dict[str, str]:
    """Component section -> pointer of its container, for the sections OpenAPI has."""
    from apigov.documents.bundle import component_sections as all_sections

    return {name: pointer for name, pointer in all_sections(kind).items() if name in _OPENAPI_SECTIONS}


_OPENAPI_SECTIONS: Final = frozenset(
    {
        "schemas",
        "parameters",
        "responses",
        "requestBodies",
        "headers",
        "examples",
        "links",
        "callbacks",
        "pathItems",
    }
)


SCHEMA_CHILD: Final = frozenset(
    {
        "items",
        "additionalProperties",
        "not",
        "additionalItems",
        "contains",
        "propertyNames",
        "if",
        "then",
        "else",
        "unevaluatedItems",
        "unevaluatedProperties",
    }
)
SCHEMA_MAPS: Final = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
SCHEMA_LISTS: Final = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})


def schemas(ctx: LintContext) -> list[tuple[str, dict[str, JSONValue]]]:
    """Every schema object in the document, with its pointer (``$ref`` objects included)."""
    cached = ctx.cached("openapi.schemas")
    if isinstance(cached, list):
        return cached
    found: list[tuple[str, dict[str, JSONValue]]] = []
    for root_ptr, root in schema_roots(ctx):
        _walk_schema(root_ptr, root, found)
    ctx.remember("openapi.schemas", found)
    return found


def schema_roots(ctx: LintContext) -> list[tuple[str, JSONValue]]:
    """The outermost schema objects: named components and every ``schema`` of a parameter,
    header or media type (their subschemas are not listed)."""
    cached = ctx.cached("openapi.schema_roots")
    if isinstance(cached, list):
        return cached
    roots: list[tuple[str, JSONValue]] = []
    data = as_dict(ctx.data)
    container = "/definitions" if ctx.kind is Kind.SWAGGER_2 else "/components/schemas"
    for name, schema in as_dict(jsonptr_get(data, container)).items():
        roots.append((jsonptr.join(container, name), schema))
    # schemas anywhere else: under a `schema` key (parameters, media types, headers)
    stack: list[tuple[str, JSONValue, bool]] = [("", data, False)]
    while stack:
        pointer, node, names = stack.pop()
        if isinstance(node, dict):
            for key, child in node.items():
                if not isinstance(child, (dict, list)):
                    continue
                if not names and (
                    key in ("example", "examples", "default", "enum", "const") or key.startswith("x-")
                ):
                    continue
                child_ptr = pointer + "/" + jsonptr.escape(key)
                if not names and key == "schema" and isinstance(child, dict):
                    roots.append((child_ptr, child))
                    continue
                if child_ptr in (container,):
                    continue
                stack.append(
                    (
                        child_ptr,
                        child,
                        not names
                        and key
                        in (
                            "paths",
                            "responses",
                            "content",
                            "headers",
                            "parameters",
                            "requestBodies",
                            "webhooks",
                            "callbacks",
                            "properties",
                        ),
                    )
                )
        elif isinstance(node, list):
            stack.extend(
                (f"{pointer}/{i}", c, False) for i, c in enumerate(node) if isinstance(c, (dict, list))
            )
    ctx.remember("openapi.schema_roots", roots)
    return roots


def _walk_schema(pointer: str, schema: JSONValue, found: list[tuple[str, dict[str, JSONValue]]]) -> None:
    stack: list[tuple[str, JSONValue]] = [(pointer, schema)]
    while stack:
        ptr, node = stack.pop()
        if not isinstance(node, dict):
            continue
        found.append((ptr, node))
        for key in SCHEMA_CHILD:
            child = node.get(key)
            if isinstance(child, dict):
                stack.append((ptr + "/" + key, child))
        items = node.get("items")
        if isinstance(items, list):
            stack.extend((f"{ptr}/items/{i}", c) for i, c in enumerate(items))
        for key in SCHEMA_MAPS:
            for name, child in as_dict(node.get(key)).items():
                stack.append((ptr + "/" + jsonptr.escape(key) + "/" + jsonptr.escape(name), child))
        for key in SCHEMA_LISTS:
            stack.extend((f"{ptr}/{key}/{i}", c) for i, c in enumerate(as_list(node.get(key))))


def jsonptr_get(data: JSONValue, pointer: str) -> JSONValue:
    try:
        return jsonptr.resolve(data, pointer)
    except (jsonptr.PointerError, ValueError):
        return None


def referenced_pointers(ctx: LintContext) -> set[str]:
    """Every local pointer some ``$ref`` (or a discriminator ``mapping``) points to (cached)."""
    cached = ctx.cached("openapi.refs")
    if isinstance(cached, set):
        return cached
    from apigov.documents.refs import iter_ref_sites

    found = {
        jsonptr.from_fragment(site.ref[1:])
        for site in iter_ref_sites(ctx.bundled.document)
        if site.ref.startswith("#")
    }
    container = "/definitions" if ctx.kind is Kind.SWAGGER_2 else "/components/schemas"
    for _, schema in schemas(ctx):
        for target in as_dict(as_dict(schema.get("discriminator")).get("mapping")).values():
            if isinstance(target, str):  # a local reference, or a bare schema name
                found.add(
                    jsonptr.from_fragment(target[1:])
                    if target.startswith("#")
                    else jsonptr.join(container, target)
                )
    ctx.remember("openapi.refs", found)
    return found


def security_schemes(ctx: LintContext) -> tuple[str, dict[str, JSONValue]]:
    """The pointer of the security-scheme section and its schemes (2.0 or 3.x)."""
    if ctx.kind is Kind.SWAGGER_2:
        return "/securityDefinitions", as_dict(as_dict(ctx.data).get("securityDefinitions"))
    pointer = "/components/securitySchemes"
    return pointer, as_dict(jsonptr_get(ctx.data, pointer))


def security_requirements(ctx: LintContext) -> Iterator[tuple[str, str, str | None]]:
    """(scheme name, pointer of the requirement entry, operation label) for every requirement."""
    for index, req in enumerate(as_list(as_dict(ctx.data).get("security"))):
        for name in as_dict(req):
            yield name, jsonptr.join(f"/security/{index}", name), None
    for op in operations(ctx):
        for index, req in enumerate(as_list(op.value.get("security"))):
            for name in as_dict(req):
                yield name, jsonptr.join(f"{op.pointer}/security/{index}", name), op.label
