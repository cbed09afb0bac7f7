"""Notices about the inputs rather than changes: ignore-file entries that expired or matched
nothing, examples whose ``$ref`` leads nowhere."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from apigov.core.findings import Finding
from apigov.rules.context import CheckContext, SideName
from apigov.rules.openapi._rows import NONE, I, W, row
from apigov.rules.rule import Area, Rule

EXPIRED_ID: Final = "ignore-entry-expired"
UNUSED_ID: Final = "ignore-entry-unused"
DANGLING_EXAMPLE_ID: Final = "api-example-ref-unresolved"


def ignore_notices(ctx: CheckContext) -> Iterator[Finding]:
    """ignore-entry-expired / ignore-entry-unused, as found when the ignore file was applied
    (:func:`apigov.rules.ignore.apply_ignores` makes them)."""
    yield from (f for f in ctx.notices if f.rule_id in (EXPIRED_ID, UNUSED_ID))


def dangling_examples(ctx: CheckContext) -> Iterator[Finding]:
    """api-example-ref-unresolved: an ``examples`` entry's ``$ref`` leads nowhere."""
    for name in (SideName.BASE, SideName.REVISION):
        for site in ctx.side(name).dangling_examples:
            yield ctx.finding(
                DANGLING_EXAMPLE_ID,
                f"example $ref {site.ref!r} leads nowhere; the example was not compared",
                side=name,
                pointer=site.pointer,
            )


#: the catalogue rows of notices about the inputs
RULES: Final[tuple[Rule, ...]] = (
    row(
        EXPIRED_ID,
        W,
        Area.LIFECYCLE,
        NONE,
        ignore_notices,
        "An ignore-file entry matched a change but has expired, so it no longer applies.",
        "The change it accepted is reported again at its own level. An entry applies through its "
        "expires date (inclusive): expires: 2026-01-31 still applies on 2026-01-31 and expires on "
        "2026-02-01.",
        "ignore: [{id: request-property-removed, operation: POST /pets, reason: ..., expires: 2026-01-31}]",
        "Fix the change, or renew the entry with a new date and reason.",
    ),
    row(
        UNUSED_ID,
        I,
        Area.LIFECYCLE,
        NONE,
        ignore_notices,
        "An ignore-file entry matched no change.",
        "Nothing breaks; the entry is probably stale.",
        "ignore: [{id: api-schema-removed, pointer: '#/components/schemas/Gone', reason: ...}]",
        "Remove the entry.",
    ),
    row(
        DANGLING_EXAMPLE_ID,
        W,
        Area.LIFECYCLE,
        NONE,
        dangling_examples,
        "An `examples` entry's `$ref` leads nowhere, so that example was not compared.",
        "Nothing in the contract breaks: examples are documentation. apigov reports it instead of "
        "refusing the whole document, because real specs ship with such dangling examples (GitHub's "
        "REST description 5.6.3 has one); `apigov check` still refuses the document.",
        "examples: {default: {$ref: '#/components/examples/gone'}}   # no such example",
        "Point the `$ref` at an example that exists, or remove the entry.",
    ),
)
