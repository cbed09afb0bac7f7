"""Governance rules on OpenAPI components and schemas: unused components, enum values,
``$ref`` siblings and examples.

Part of :mod:`apigov.lint.rules_openapi`, which assembles the OpenAPI rule table.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.findings import Finding, Level
from apigov.documents.kinds import Kind
from apigov.lint._doc import rule_factory
from apigov.lint._openapi_model import (
    as_dict,
    as_list,
    component_sections,
    jsonptr_get,
    operations,
    referenced_pointers,
    schemas,
    security_requirements,
    security_schemes,
)
from apigov.lint._schema_walk import declared_types, matches_type
from apigov.lint.context import LintContext
from apigov.lint.rule import LintRule

# ----------------------------------------------------------------------------- components and schemas


def component_unused(ctx: LintContext) -> Iterator[Finding]:
    used = referenced_pointers(ctx)
    sections = component_sections(ctx.kind)
    containers = set(sections.values())
    # a reference into a component (`#/components/schemas/A/properties/b`) uses it too
    used_components: set[str] = set()
    for pointer in used:
        for container in containers:
            if pointer.startswith(container + "/"):
                used_components.add(container + "/" + pointer[len(container) + 1 :].split("/", 1)[0])
    for section, container in sections.items():
        for name in as_dict(jsonptr_get(ctx.data, container)):
            pointer = jsonptr.join(container, name)
            if pointer in used_components:
                continue
            yield ctx.finding(f"component {section}/{name} is never referenced", pointer)
    container, schemes = security_schemes(ctx)
    required = {name for name, _, _ in security_requirements(ctx)}
    for name in schemes:
        if name not in required:
            yield ctx.finding(f"security scheme {name!r} is never required", jsonptr.join(container, name))


def enum_value_type_mismatch(ctx: LintContext) -> Iterator[Finding]:
    for pointer, schema in schemas(ctx):
        types = declared_types(schema)
        if not types:
            continue
        nullable = schema.get("nullable") is True or schema.get("x-nullable") is True
        for index, value in enumerate(as_list(schema.get("enum"))):
            if value is None and nullable:
                continue
            verdicts = [matches_type(value, name, ctx.kind) for name in types]
            if None not in verdicts and not any(verdicts):
                yield ctx.finding(
                    f"enum value {value!r} is not of type {' or '.join(types)}",
                    f"{pointer}/enum/{index}",
                )


def ref_sibling_ignored(ctx: LintContext) -> Iterator[Finding]:
    if ctx.kind is Kind.OPENAPI_31:
        return  # 3.1 schemas may have siblings of $ref
    for pointer, schema in schemas(ctx):
        if "$ref" not in schema:
            continue
        ignored = sorted(k for k in schema if k != "$ref" and not k.startswith("x-"))
        if ignored:
            yield ctx.finding(
                f"{', '.join(ignored)} next to $ref is ignored in {ctx.kind.value}",
                pointer,
                ignored=", ".join(ignored),
            )


def _example_sites(ctx: LintContext) -> Iterator[tuple[str, JSONValue, str, str]]:
    """(pointer of the example value, value, pointer of its schema, direction) for every example."""
    for pointer, schema in schemas(ctx):
        if "example" in schema and "$ref" not in schema:
            yield pointer + "/example", schema["example"], pointer, "response"
        if ctx.kind is Kind.OPENAPI_31 and "$ref" not in schema:
            for index, value in enumerate(as_list(schema.get("examples"))):
                yield f"{pointer}/examples/{index}", value, pointer, "response"
    if ctx.kind is Kind.SWAGGER_2:
        yield from _swagger2_response_examples(ctx)
        return
    stack: list[tuple[str, JSONValue, str]] = [("", ctx.data, "response")]
    while stack:
        pointer, node, direction = stack.pop()
        if not isinstance(node, dict):
            if isinstance(node, list):
                stack.extend((f"{pointer}/{i}", c, direction) for i, c in enumerate(node))
            continue
        schema_ptr = pointer + "/schema"
        if isinstance(node.get("schema"), dict) and (
            "example" in node or isinstance(node.get("examples"), dict)
        ):
            if "example" in node:
                yield pointer + "/example", node["example"], schema_ptr, direction
            for name, example in as_dict(node.get("examples")).items():
                resolved = as_dict(ctx.resolve(example))
                if "value" in resolved:
                    yield (
                        jsonptr.join(pointer + "/examples", name, "value"),
                        resolved["value"],
                        schema_ptr,
                        direction,
                    )
        for key, child in node.items():
            if key in ("schema", "example", "examples", "schemas") or key.startswith("x-"):
                continue
            child_direction = (
                "request" if key in ("requestBody", "requestBodies", "parameters") else direction
            )
            if key == "responses":
                child_direction = "response"
            if isinstance(child, (dict, list)):
                stack.append((pointer + "/" + jsonptr.escape(key), child, child_direction))


def _swagger2_response_examples(ctx: LintContext) -> Iterator[tuple[str, JSONValue, str, str]]:
    """Swagger 2.0 responses keep examples per mime type next to the response's schema."""
    json_like = ("application/json", "+json", "text/json")
    for op in operations(ctx):
        for code, raw in as_dict(op.value.get("responses")).items():
            response_ptr = jsonptr.join(op.pointer, "responses", code)
            response = as_dict(raw)
            if "$ref" in response:
                continue
            if isinstance(response.get("schema"), dict):
                for mime, value in as_dict(response.get("examples")).items():
                    if mime.split(";")[0].strip().endswith(json_like):
                        yield (
                            jsonptr.join(response_ptr, "examples", mime),
                            value,
                            response_ptr + "/schema",
                            "response",
                        )


def example_invalid(ctx: LintContext) -> Iterator[Finding]:
    from apigov.lint._examples import ExampleValidator

    validator = ExampleValidator(ctx)
    for pointer, value, schema_ptr, direction in _example_sites(ctx):
        error = validator.first_error(value, schema_ptr, direction)
        if error is not None:
            yield ctx.finding(f"example does not match its schema: {error}", pointer, schema=schema_ptr)


# ----------------------------------------------------------------------------- the table


_rule: Final = rule_factory("openapi")


RULES: Final[tuple[LintRule, ...]] = (
    _rule(
        "component-unused",
        Level.WARNING,
        "Every component is referenced.",
        component_unused,
        checks="Every entry of `components` (`definitions`, `parameters`, `responses` in 2.0) is the target "
        "of some `$ref`, and every security scheme is used by a security requirement.",
        why="Unused components are dead weight that still gets generated into clients and reviewed in diffs.",
        example="components:\n  schemas:\n    OldOrder: {type: object}   # nothing refers to it",
        fix="Remove it, or reference it where it was meant to be used.",
    ),
    _rule(
        "enum-value-type-mismatch",
        Level.ERROR,
        "Enum values match the schema's type.",
        enum_value_type_mismatch,
        checks="Each `enum` value of a schema with a `type` is of that type (`null` allowed when nullable).",
        why="A value of the wrong type can never validate, so clients and servers disagree about it "
        "(`enum: [1, 2]` on a string is the classic YAML surprise).",
        example="schema:\n  type: string\n  enum: [1, 2]",
        fix="Quote the values or fix the type.",
    ),
    _rule(
        "ref-sibling-ignored",
        Level.WARNING,
        "Nothing sits next to $ref in Swagger 2.0 / OpenAPI 3.0 schemas.",
        ref_sibling_ignored,
        checks="Schema objects with `$ref` have no other keywords (extensions aside). OpenAPI 3.1 allows "
        "siblings and is not checked.",
        why="In Swagger 2.0 and OpenAPI 3.0 every sibling of `$ref` is ignored, so a `description`, "
        "`nullable` or `maxLength` written there silently has no effect.",
        example="properties:\n  customer:\n    $ref: '#/components/schemas/Customer'\n    nullable: true   # ignored",
        fix="Wrap the reference: `allOf: [{$ref: ...}]` with the other keywords beside `allOf`.",
    ),
    _rule(
        "example-invalid",
        Level.ERROR,
        "Examples validate against their schema.",
        example_invalid,
        checks="Every `example` and `examples` value of media types, parameters, headers and schemas "
        "validates against its schema (request examples in write mode, response examples in read mode, "
        "so readOnly / writeOnly properties are handled). Formats are not checked.",
        why="Examples are copied into documentation, mocks and tests; a wrong example teaches every "
        "consumer the wrong thing and makes mock servers lie.",
        example="schema: {type: integer}\nexample: twelve",
        fix="Correct the example (or the schema, if the example is right).",
    ),
)
