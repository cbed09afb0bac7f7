"""Governance rules for JSON Schema documents (draft-04 to 2020-12).

Each check walks the document's subschemas (:func:`apigov.lint._schema_walk.iter_subschemas`,
at their definition sites, ``$ref`` not followed) and yields findings. The document is already
known to be valid against its meta-schema when these run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.findings import Finding, Level
from apigov.core.text import shown
from apigov.documents.drafts import uses_older_idioms
from apigov.lint._doc import rule_factory
from apigov.lint._schema_walk import (
    InstanceValidator,
    declared_types,
    iter_subschemas,
    matches_type,
    pattern_matches,
)
from apigov.lint.context import LintContext
from apigov.lint.rule import LintRule

JSONSCHEMA: Final = ("jsonschema",)


def _subschemas(ctx: LintContext) -> list[tuple[str, dict[str, JSONValue]]]:
    """Every object subschema of the document (walked once per document)."""
    if ctx.kind.family != "jsonschema":
        return []
    cached = ctx.cached("jsonschema-subschemas")
    if isinstance(cached, list):
        return cached
    found = list(iter_subschemas(ctx.data))
    ctx.remember("jsonschema-subschemas", found)
    return found


def _root(ctx: LintContext) -> dict[str, JSONValue] | None:
    data = ctx.data
    return data if ctx.kind.family == "jsonschema" and isinstance(data, dict) else None


def jsonschema_schema_keyword_missing(ctx: LintContext) -> Iterator[Finding]:
    root = _root(ctx)
    if root is not None and "$schema" not in root:
        draft = ctx.kind.value.split("-", 1)[1]
        name = draft if draft.startswith("draft") else f"draft {draft}"
        message = f"the document has no $schema, so it is read as {name}"
        idiom = uses_older_idioms(root)
        if idiom is not None:
            message += f" (it uses {idiom})"
        yield ctx.finding(message, "")


def jsonschema_title_missing(ctx: LintContext) -> Iterator[Finding]:
    root = _root(ctx)
    if root is not None and not (isinstance(root.get("title"), str) and str(root["title"]).strip()):
        yield ctx.finding("the schema has no title", "")


def _listed(
    pointer: str, schema: dict[str, JSONValue], many: str, one: str
) -> Iterator[tuple[str, JSONValue]]:
    """``(pointer, value)`` of each item of the list ``many`` and of the value ``one`` of one
    subschema (``examples`` and ``default``; ``enum`` and ``const``)."""
    items = schema.get(many)
    if isinstance(items, list):
        for index, item in enumerate(items):
            yield jsonptr.join(pointer, many, index), item
    if one in schema:
        yield jsonptr.join(pointer, one), schema[one]


def jsonschema_example_invalid(ctx: LintContext) -> Iterator[Finding]:
    validator: InstanceValidator | None = None
    for pointer, schema in _subschemas(ctx):
        for at, example in _listed(pointer, schema, "examples", "default"):
            validator = validator or InstanceValidator(ctx.data, ctx.kind)
            error = validator.error(pointer, example, at)
            if error is not None:
                what = "default" if at.endswith("/default") else "example"
                yield ctx.finding(
                    f"{what} does not validate against its schema: {error.message}", error.pointer
                )


def jsonschema_enum_type_mismatch(ctx: LintContext) -> Iterator[Finding]:
    for pointer, schema in _subschemas(ctx):
        types = declared_types(schema)
        if not types:
            continue
        for at, value in _listed(pointer, schema, "enum", "const"):
            verdicts = [matches_type(value, name, ctx.kind) for name in types]
            if None not in verdicts and not any(verdicts):
                wanted = " or ".join(types)
                yield ctx.finding(f"{shown(value)} is not of the declared type {wanted}", at)


def jsonschema_additional_properties_unspecified(ctx: LintContext) -> Iterator[Finding]:
    for pointer, schema in _subschemas(ctx):
        if not isinstance(schema.get("properties"), dict):
            continue
        if "additionalProperties" in schema or "unevaluatedProperties" in schema:
            continue
        yield ctx.finding(
            "object schema lists properties but does not say whether others are allowed: "
            "the model is open (any other property is accepted)",
            pointer,
        )


def jsonschema_required_property_undefined(ctx: LintContext) -> Iterator[Finding]:
    for pointer, schema in _subschemas(ctx):
        required = schema.get("required")
        if schema.get("additionalProperties") is not False or not isinstance(required, list):
            continue
        properties = schema.get("properties")
        names = set(properties) if isinstance(properties, dict) else set()
        patterns = schema.get("patternProperties")
        regexes = list(patterns) if isinstance(patterns, dict) else []
        for index, name in enumerate(required):
            if not isinstance(name, str) or name in names or any(pattern_matches(p, name) for p in regexes):
                continue
            yield ctx.finding(
                f"required property {name!r} is not defined and additionalProperties is false, "
                "so no instance can be valid",
                jsonptr.join(pointer, "required", index),
            )


_rule: Final = rule_factory(*JSONSCHEMA)


RULES: Final[tuple[LintRule, ...]] = (
    _rule(
        "jsonschema-schema-keyword-missing",
        Level.INFO,
        "The root declares its draft with $schema.",
        jsonschema_schema_keyword_missing,
        checks="The root object has a `$schema` keyword.",
        why="Without `$schema`, each validator picks its own default draft; keywords such as "
        "`items`, `dependencies` or `$ref` siblings then mean different things in different tools. "
        "apigov reads such a document as `jsonschema.default-draft` of apigov.yaml (default draft-07, "
        "as Confluent Schema Registry does), or as the draft its keywords need (draft-04 for a "
        "boolean `exclusiveMaximum`, 2020-12 for `prefixItems`).",
        example="type: object\nproperties:\n  id: {type: string}",
        fix='Add `$schema: "https://json-schema.org/draft/2020-12/schema"` (or the draft you target).',
    ),
    _rule(
        "jsonschema-title-missing",
        Level.INFO,
        "The root schema has a title.",
        jsonschema_title_missing,
        checks="The root object has a non-empty `title`.",
        why="Catalogues, registries and code generators name the schema after its title; without "
        "one they fall back to file names.",
        example='$schema: "https://json-schema.org/draft/2020-12/schema"\ntype: object',
        fix="Add `title: Order` (a short, human name).",
    ),
    _rule(
        "jsonschema-example-invalid",
        Level.ERROR,
        "Examples and defaults validate against the schema they sit in.",
        jsonschema_example_invalid,
        checks="Every value of `examples` and every `default`, at any depth, validates against the "
        "(sub)schema it belongs to (formats not asserted; local `$ref` resolved in the document). "
        "The finding points inside the value, where it fails.",
        why="Examples become documentation, mocks and test data; a default is what consumers use when "
        "a value is absent. An invalid one teaches clients to send what the schema rejects.",
        example="type: object\nproperties:\n  total: {type: number, examples: [twelve]}",
        fix="Correct the example or default, or the schema if the example shows the real data.",
    ),
    _rule(
        "jsonschema-enum-type-mismatch",
        Level.ERROR,
        "enum and const values are of the declared type.",
        jsonschema_enum_type_mismatch,
        checks="In a schema with `type`, each `enum` value and the `const` value is of one of the "
        "declared types.",
        why="A value of the wrong type can never validate (`type` and `enum` must both hold), so the "
        "enum silently shrinks; usually `type: string` with `enum: [1, 2]` or unquoted YAML values.",
        example="type: string\nenum: [draft, 1, 2]",
        fix="Quote the values (`'1'`) or fix the declared type.",
    ),
    _rule(
        "jsonschema-additional-properties-unspecified",
        Level.INFO,
        "Object schemas say whether properties they do not list are allowed.",
        jsonschema_additional_properties_unspecified,
        checks="Schemas with `properties` also set `additionalProperties` or `unevaluatedProperties`. "
        "Without either the object is open: any other property is accepted.",
        why="Whether a model is open or closed decides which changes are compatible: adding a property "
        "to a closed model breaks old readers' validation, removing one from an open model does not. "
        "Saying it explicitly makes the contract and its evolution rules clear.",
        example="type: object\nproperties:\n  id: {type: string}",
        fix="Add `additionalProperties: false` (closed) or `true` (open, on purpose); inside `allOf` "
        "compositions use `unevaluatedProperties` (2019-09 and later).",
    ),
    _rule(
        "jsonschema-required-property-undefined",
        Level.WARNING,
        "Required properties of a closed object are defined.",
        jsonschema_required_property_undefined,
        checks="When `additionalProperties` is `false`, every name in `required` is a key of "
        "`properties` or matches a `patternProperties` pattern.",
        why="The property is both required and forbidden, so no instance validates; usually a typo or "
        "a renamed property.",
        example="type: object\nadditionalProperties: false\nrequired: [id, totl]\n"
        "properties:\n  id: {type: string}\n  total: {type: number}",
        fix="Fix the name in `required`, or define the property.",
    ),
)
