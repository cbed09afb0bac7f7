"""Structural validation of JSON Schema documents against their draft's meta-schema.

The meta-schemas (draft-04, -06, -07, 2019-09, 2020-12) ship with ``jsonschema-specifications``;
nothing is fetched. Each subschema is validated on its own (see :mod:`apigov.lint._schema_walk`),
so every error is reported at its exact pointer and deep documents cannot exhaust the stack.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from apigov.core.findings import Finding, Level
from apigov.documents.kinds import Kind
from apigov.lint._doc import rule_doc
from apigov.lint._schema_walk import broken_local_refs, iter_refs, metaschema_errors
from apigov.lint.context import LintContext
from apigov.lint.rule import LintRule

#: At most this many structural errors are reported per document; the rest are counted.
MAX_ERRORS: Final = 200


def jsonschema_structure_invalid(ctx: LintContext) -> Iterator[Finding]:
    if ctx.kind.family != "jsonschema":
        return
    id_keyword = "id" if ctx.kind is Kind.JSONSCHEMA_4 else "$id"
    sites = iter_refs(ctx.data)
    problems = [
        *metaschema_errors(ctx.data, "", ctx.kind),
        *broken_local_refs(ctx.data, sites, id_keyword),
    ]
    for pointer, message in problems[:MAX_ERRORS]:
        yield ctx.finding(message, pointer)
    if len(problems) > MAX_ERRORS:
        yield ctx.finding(f"{len(problems) - MAX_ERRORS} more structural errors are not shown", "")


RULES: Final[tuple[LintRule, ...]] = (
    LintRule(
        id="jsonschema-structure-invalid",
        level=Level.ERROR,
        families=("jsonschema",),
        summary="The document is not a valid schema for the JSON Schema draft it declares.",
        check=jsonschema_structure_invalid,
        structural=True,
        doc=rule_doc(
            checks="""\
                The document against the meta-schema of its draft (`$schema`: draft-04, -06, -07,
                2019-09 or 2020-12; 2020-12 when absent), every subschema at its own pointer, and
                that every same-document `$ref` (`#/...` or `#anchor`) names something in the
                document. Formats are not asserted (a `pattern` is an ECMA 262 regular expression,
                which Python cannot judge).
                """,
            why="""\
                Validators disagree on how to read an invalid schema: some refuse it, others silently
                ignore the broken keyword, so the same payload passes in one service and fails in
                another. A dangling `$ref` fails only when a validator reaches it.
                """,
            example="""\
                $schema: "https://json-schema.org/draft/2020-12/schema"
                type: object
                properties:
                  id: {type: strng}        # not a JSON Schema type
                  total: {minimum: "0"}    # must be a number
                """,
            fix="""\
                Follow the message at the pointer it gives. This rule cannot be switched off.
                """,
        ),
    ),
)
