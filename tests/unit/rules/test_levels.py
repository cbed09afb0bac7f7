"""The level of a finding lives in the catalogue only.

A check makes a finding by rule id and the level is looked up when it is made; a check names a
judgement (:class:`~apigov.rules.rule.Judged`) only where what it found out about one
occurrence decides the level. After the checks, only the policy (tier, undecided level,
``diff.rules``), an operation's stability and the NONE mode change a level. Every finding made
in tests/unit/rules is checked as it is made (conftest.py); here the reports of the shop
example, under both tiers and two modes, are checked end to end.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from apigov.config.project import Config
from apigov.core.findings import Level
from apigov.rules.catalogue import BY_ID
from apigov.rules.events.catalogue import EVENT_BY_ID
from apigov.rules.rule import Tier
from apigov.rules.run import DiffRequest, diff_sources
from tests._diff_golden import EXAMPLE_PAIRS, EXAMPLES
from tests.unit.rules._levels import recorded_findings

ROOT = Path(__file__).resolve().parents[3]


def _pairs() -> list[tuple[str, str, str | None]]:
    found = []
    for name, args in EXAMPLE_PAIRS:
        mode = args[args.index("--mode") + 1].upper() if "--mode" in args else None
        found.append((name, args[0], mode))
    return found


@pytest.mark.parametrize("tier", [Tier.WIRE, Tier.SDK])
@pytest.mark.parametrize(("name", "base", "mode"), _pairs(), ids=[p[0] for p in _pairs()])
def test_report_levels_are_the_catalogues_unless_judged_or_the_policy_changed_them(
    name: str, base: str, mode: str | None, tier: Tier
) -> None:
    args = dict(EXAMPLE_PAIRS)[name]
    request = DiffRequest(
        base=str(EXAMPLES / args[0]), revision=str(EXAMPLES / args[1]), mode=mode, tier=tier
    )
    with recorded_findings(check=True) as made:
        report = diff_sources(request, Config(root=EXAMPLES))
    judged = {
        (m.finding.rule_id, m.finding.location.pointer, m.finding.operation)
        for m in made
        if m.judged is not None or "mode_none_level" in m.finding.details
    }
    for finding in report.findings:
        rule = BY_ID.get(finding.rule_id) or EVENT_BY_ID[finding.rule_id]
        if (finding.rule_id, finding.location.pointer, finding.operation) in judged:
            continue  # its check judged it; checked as it was made
        if "level_without_stability" in finding.details:  # a draft or alpha operation
            assert finding.level is Level.INFO
            continue
        if "same_client_name" in finding.details or "stability" in finding.details:
            assert finding.level is rule.level, finding  # the sdk tier keeps its level
            continue
        assert finding.level is rule.level_in(tier), (finding.rule_id, finding.level, tier)


#: modules where a level is decided by something other than the rule: the policy (tier,
#: undecided level, configuration), the modes wrapper, an operation's stability, the NONE mode,
#: and the ignore file's own notices; and the rows of the catalogue, which hold the levels
_LEVELS_ALLOWED = {
    "catalogue.py",
    "events_catalogue.py",
    "policy.py",
    "openapi_modes.py",
    "ignore.py",
    "rule.py",
}


def _sets_a_level(tree: ast.AST) -> list[int]:
    """Lines that pass a ``Level.X`` as a finding's level (``level=Level.X``)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "level":
            value = node.value
            if (
                isinstance(value, ast.Attribute)
                and isinstance(value.value, ast.Name)
                and value.value.id == "Level"
            ):
                lines.append(node.value.lineno)
    return lines


def test_checks_never_name_a_level() -> None:
    rules_dir = ROOT / "apigov" / "rules"
    offenders = {}
    for path in sorted(rules_dir.rglob("*.py")):
        if path.name in _LEVELS_ALLOWED:
            continue
        lines = _sets_a_level(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            offenders[str(path.relative_to(ROOT))] = lines
    # relax_unstable (operations): a draft or alpha operation makes no compatibility promise
    assert offenders == {"apigov/rules/openapi/operations.py": offenders.get("apigov/rules/openapi/operations.py", [])}
    assert len(offenders.get("apigov/rules/openapi/operations.py", [])) <= 1


def test_the_examples_exercise_judged_findings() -> None:
    """The end-to-end check above is not vacuous: the orders example has plain and judged findings."""
    args = dict(EXAMPLE_PAIRS)["orders-v1-v2"]
    request = DiffRequest(base=str(EXAMPLES / args[0]), revision=str(EXAMPLES / args[1]))
    with recorded_findings() as made:
        report = diff_sources(request, Config(root=EXAMPLES))
    assert len(report.findings) >= 10
    assert any(m.judged is not None for m in made)
