"""Structural validation of Avro schemas (``.avsc``): apigov's reading of the Avro 1.11 rules.

The rules themselves live in :mod:`apigov.schema.avro_parse`, shared by the AsyncAPI validator
(for Avro message payloads) and the compatibility engine. Invalid logical types are not
structural (readers ignore them); they are reported by ``avro-logical-type-invalid`` in :mod:`apigov.lint.rules_avro`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from apigov.core.findings import Finding, Level
from apigov.documents.kinds import Kind
from apigov.lint._avro import analysis_of
from apigov.lint._doc import rule_doc
from apigov.lint.context import LintContext
from apigov.lint.rule import LintRule


def avro_structure_invalid(ctx: LintContext) -> Iterator[Finding]:
    if ctx.kind is not Kind.AVRO:
        return
    for issue in analysis_of(ctx).issues:
        if not issue.logical:
            yield ctx.finding(issue.message, issue.pointer)


RULES: Final[tuple[LintRule, ...]] = (
    LintRule(
        id="avro-structure-invalid",
        level=Level.ERROR,
        families=("avro",),
        summary="The document is not a valid Avro 1.11 schema.",
        check=avro_structure_invalid,
        structural=True,
        doc=rule_doc(
            checks="""\
                The schema against the Avro 1.11 specification: primitive type names; records and
                errors (a `name`, a list of `fields`, each with a `name` and a `type`, field names
                unique); enums (unique `symbols`, a `default` that is one of them); fixed (an integer
                `size` of 0 or more); arrays (`items`) and maps (`values`); unions (no union directly
                inside a union, no two branches of the same type or of the same named type); names
                (`[A-Za-z_][A-Za-z0-9_]*`, namespaces dot-separated names, fullnames resolved per the
                specification, a named type defined once and before it is used, primitive names never
                redefined); field defaults of the field's type (for a union, of its *first* branch).
                A top-level union (JSON array) or type name (JSON string) is read the same way.
                """,
            why="""\
                Avro libraries refuse to parse an invalid schema, so producers and consumers cannot
                use it, and a schema registry refuses to register it. A default that does not match
                its type fails at the moment a reader needs it: when it reads data written without
                the field.
                """,
            example="""\
                {"type": "record", "name": "Order", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "note", "type": ["null", "string"], "default": "none"}
                ]}
                # the default must match the first branch of the union: null
                """,
            fix="""\
                Follow the message: it names the problem and points at the exact place. For an
                optional field, put `"null"` first in the union and use `"default": null`. This rule
                cannot be switched off.
                """,
        ),
    ),
)
