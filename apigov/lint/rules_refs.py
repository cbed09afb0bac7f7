"""Lint rules about how a multi-file document uses ``$ref`` (OpenAPI and AsyncAPI)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from apigov.core import jsonptr
from apigov.core.findings import Finding, Level
from apigov.lint._doc import rule_doc
from apigov.lint.context import LintContext
from apigov.lint.rule import LintRule

_WHAT: Final = {str: "a string", list: "an array", bool: "a boolean", int: "a number", float: "a number"}


def value_kind(value: object) -> str:
    """``a string``, ``an array`` ... for messages about a value."""
    return "null" if value is None else _WHAT.get(type(value), "a value")


def ref_target_not_object(ctx: LintContext) -> Iterator[Finding]:
    for pointer, ref in ctx.bundled.value_refs:
        try:
            value = jsonptr.resolve(ctx.data, pointer)
        except (jsonptr.PointerError, ValueError):
            continue
        yield ctx.finding(
            f"$ref {ref!r} points to {value_kind(value)}: resolved as JSON Reference does (Redocly, "
            "swagger-cli), but OpenAPI and AsyncAPI allow $ref only to objects, and other tools may refuse it",
            pointer,
        )


RULES: Final[tuple[LintRule, ...]] = (
    LintRule(
        id="ref-target-not-object",
        level=Level.INFO,
        families=("openapi", "asyncapi"),
        summary="A $ref points to a string, an array or a number, which only JSON Reference tools resolve.",
        check=ref_target_not_object,
        doc=rule_doc(
            checks="""\
                Every `$ref` to another file whose target is not an object: a markdown string
                (`description: {$ref: 'description.yml#/introduction'}`), a list (`tags`,
                `required`), a number. apigov resolves it as JSON Reference does (the value takes
                the place of the `$ref`, and findings on it point at the file that holds it) and
                says where.
                """,
            why="""\
                OpenAPI and AsyncAPI define `$ref` only where an object (a Reference Object, a
                Schema) may stand. Bundlers such as Redocly and swagger-cli resolve references to
                any value, so specs built with them do this; code generators, gateways and
                validators that follow the specification may refuse the document.
                """,
            example="""\
                info:
                  title: Fleet
                  version: 1.0.0
                  description: {$ref: 'description.yml#/introduction'}   # a markdown string
                """,
            fix="""\
                Nothing, if every tool that reads the spec resolves it (`apigov bundle` writes a
                document without it). Otherwise write the value in place. Switch the rule off in
                apigov.yaml (`lint: {rules: {ref-target-not-object: off}}`) to silence it.
                """,
        ),
    ),
)
