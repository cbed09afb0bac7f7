"""Notices about the ignore file itself: entries that expired, entries that matched nothing."""

from __future__ import annotations

from collections.abc import Iterator

from apigov.core.findings import Finding
from apigov.rules.context import CheckContext


def ignore_notices(ctx: CheckContext) -> Iterator[Finding]:
    """ignore-entry-expired / ignore-entry-unused, as found when the ignore file was applied."""
    yield from ctx.notices
