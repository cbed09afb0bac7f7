"""Notices about the inputs rather than changes: ignore-file entries that expired or matched
nothing, examples whose ``$ref`` leads nowhere."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from apigov.core.findings import Finding
from apigov.rules.context import CheckContext, SideName
from apigov.rules.ignore import EXPIRED_ID, UNUSED_ID

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
