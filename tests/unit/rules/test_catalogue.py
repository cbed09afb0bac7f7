"""The diff rule catalogue itself: ids, levels, docs."""

from __future__ import annotations

import re
from pathlib import Path

from apigov.core.findings import Level
from apigov.rules.catalogue import BY_ID, RULES
from apigov.rules.docs import rules_markdown

ROOT = Path(__file__).resolve().parents[3]
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SECTIONS = ("## What changed", "## Why it breaks clients", "## Example", "## How to evolve safely")


def test_ids_are_unique_kebab_and_many() -> None:
    assert len(BY_ID) == len(RULES)
    assert len(RULES) >= 200
    for rule in RULES:
        assert KEBAB.match(rule.id), rule.id
        assert rule.level in (Level.BREAKING, Level.WARNING, Level.INFO)


def test_every_rule_has_a_summary_and_documentation_in_fixed_sections() -> None:
    for rule in RULES:
        assert rule.summary.endswith("."), rule.id
        for section in SECTIONS:
            assert section in rule.doc, (rule.id, section)


def test_oasdiff_ids_are_only_claimed_where_they_are_ours_too() -> None:
    for rule in RULES:
        assert rule.oasdiff_id in (None, rule.id)


def test_docs_are_generated_from_the_catalogue() -> None:
    written = (ROOT / "docs" / "diff-rules.md").read_text(encoding="utf-8")
    assert written == rules_markdown(), "docs/diff-rules.md is stale: run `make docs`"
