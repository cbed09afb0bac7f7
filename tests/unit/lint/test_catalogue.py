"""The lint catalogue itself: ids, docs, and one triggering and one safe fixture per rule.

Fixtures live in ``tests/data/rules/<rule-id>/``: ``bad.*`` must produce exactly the findings
listed in ``expected.json`` (pointer and level) for that rule; ``good.*``, or the family's
clean document in ``tests/data/rules/_clean/`` when there is no ``good.*``, must produce none.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from apigov.config.project import Config
from apigov.core.findings import Finding
from apigov.documents.limits import DEFAULT_LIMITS
from apigov.documents.refs import RefPolicy
from apigov.lint.catalogue import BY_ID, RULES
from apigov.lint.check import check_file

DATA = Path(__file__).resolve().parents[2] / "data" / "rules"
KEBAB = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)+\Z")
SECTIONS = ("## What it checks", "## Why it matters", "## Example", "## How to fix")
RULE_IDS = [rule.id for rule in RULES]


def _lint(path: Path) -> list[Finding]:
    result = check_file(path, Config(root=path.parent), RefPolicy(), DEFAULT_LIMITS)
    assert result is not None, f"{path} is not a contract"
    return result[1]


def _one(directory: Path, stem: str) -> Path | None:
    found = sorted(p for p in directory.glob(stem + ".*") if p.suffix in (".yaml", ".json", ".avsc"))
    return found[0] if found else None


def test_ids_are_unique_and_kebab_case() -> None:
    assert len(RULE_IDS) == len(set(RULE_IDS))
    for rule_id in RULE_IDS:
        assert KEBAB.match(rule_id), rule_id


def test_there_are_at_least_25_rules() -> None:
    assert len(RULES) >= 25


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_has_documentation_in_fixed_sections(rule_id: str) -> None:
    rule = BY_ID[rule_id]
    assert rule.summary and "\n" not in rule.summary
    positions = [rule.doc.find(section) for section in SECTIONS]
    assert all(p >= 0 for p in positions), f"{rule_id}: doc lacks a section"
    assert positions == sorted(positions), f"{rule_id}: sections out of order"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_triggers_on_its_fixture(rule_id: str) -> None:
    directory = DATA / rule_id
    bad = _one(directory, "bad")
    assert bad is not None, f"no fixture {directory}/bad.*"
    expected = json.loads((directory / "expected.json").read_text())
    got = sorted((f.location.pointer, f.level.value) for f in _lint(bad) if f.rule_id == rule_id)
    assert got == sorted((e["pointer"], e["level"]) for e in expected)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_is_silent_on_the_safe_twin(rule_id: str) -> None:
    rule = BY_ID[rule_id]
    good = _one(DATA / rule_id, "good") or _one(DATA / "_clean", rule.families[0])
    assert good is not None, f"no good fixture for {rule_id} and no clean {rule.families[0]} document"
    assert [f for f in _lint(good) if f.rule_id == rule_id] == []


def test_clean_documents_are_clean_of_every_rule() -> None:
    for clean in sorted((DATA / "_clean").iterdir()):
        assert _lint(clean) == [], clean.name


def test_generated_rule_docs_are_current() -> None:
    from apigov.lint.docs import rules_markdown

    docs = Path(__file__).resolve().parents[3] / "docs" / "rules.md"
    assert docs.read_text(encoding="utf-8") == rules_markdown(), "docs/rules.md is stale: run `make docs`"
