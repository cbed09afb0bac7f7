"""Rule documentation in the fixed sections every rule uses."""

from __future__ import annotations

import textwrap


def rule_doc(*, checks: str, why: str, example: str, fix: str) -> str:
    """Assemble a rule's documentation: What it checks · Why it matters · Example · How to fix."""
    example_block = textwrap.dedent(example).strip("\n")
    return (
        f"## What it checks\n{textwrap.dedent(checks).strip()}\n\n"
        f"## Why it matters\n{textwrap.dedent(why).strip()}\n\n"
        f"## Example\n```yaml\n{example_block}\n```\n\n"
        f"## How to fix\n{textwrap.dedent(fix).strip()}\n"
    )
