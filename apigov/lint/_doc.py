"""Rule documentation in the fixed sections every rule uses."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from apigov.core.findings import Level
from apigov.lint.rule import Check, LintRule


def rule_doc(*, checks: str, why: str, example: str, fix: str) -> str:
    """Assemble a rule's documentation: What it checks · Why it matters · Example · How to fix."""
    example_block = textwrap.dedent(example).strip("\n")
    return (
        f"## What it checks\n{textwrap.dedent(checks).strip()}\n\n"
        f"## Why it matters\n{textwrap.dedent(why).strip()}\n\n"
        f"## Example\n```yaml\n{example_block}\n```\n\n"
        f"## How to fix\n{textwrap.dedent(fix).strip()}\n"
    )


def rule_factory(*families: str) -> Callable[..., LintRule]:
    """A constructor of :class:`LintRule` for one family, with the doc built from its sections."""

    def make(rule_id: str, level: Level, summary: str, check: Check, **doc: str) -> LintRule:
        return LintRule(
            id=rule_id, level=level, families=families, summary=summary, check=check, doc=rule_doc(**doc)
        )

    return make
