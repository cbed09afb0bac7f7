"""Documentation generated from the rule catalogue: ``docs/rules.md`` and ``apigov rules``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from apigov.lint.catalogue import RULES
from apigov.lint.rule import LintRule

FAMILY_TITLES = {
    "openapi": "OpenAPI and Swagger",
    "asyncapi": "AsyncAPI",
    "jsonschema": "JSON Schema",
    "avro": "Avro",
}


def rule_to_json(rule: LintRule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "level": rule.level.value,
        "families": list(rule.families),
        "summary": rule.summary,
        "structural": rule.structural,
        "since": rule.since,
        "deprecated_by": list(rule.deprecated_by),
    }


def explain(rule: LintRule) -> str:
    """The full documentation of one rule, as markdown."""
    scope = ", ".join(FAMILY_TITLES.get(f, f) for f in rule.families)
    header = (
        f"# {rule.id}\n\n{rule.summary}\n\n"
        f"- Level: `{rule.level.value}`{' (structural, cannot be switched off)' if rule.structural else ''}\n"
        f"- Applies to: {scope}\n- Since: {rule.since}\n"
    )
    if rule.deprecated_by:
        header += f"- Deprecated; use {', '.join(f'`{r}`' for r in rule.deprecated_by)}\n"
    return header + "\n" + _shift_headings(rule.doc.strip()) + "\n"


def _shift_headings(text: str) -> str:
    return "\n".join(("#" + line) if line.startswith("## ") else line for line in text.splitlines())


def rules_markdown(rules: Iterable[LintRule] = RULES) -> str:
    """``docs/rules.md``: an index table, then every rule's documentation."""
    rules = list(rules)
    lines = [
        "# apigov lint rules",
        "",
        "<!-- Generated from the rule catalogue by `apigov rules --format markdown`; do not edit. -->",
        "",
        "`apigov check` runs these rules. Switch a rule off or change its level in `apigov.yaml`",
        "(`lint.rules`, `lint.overrides`); structural rules cannot be switched off.",
        "",
    ]
    for family, title in FAMILY_TITLES.items():
        selected = [r for r in rules if r.families[0] == family]
        if not selected:
            continue
        lines += [f"## {title}", "", "| id | level | summary |", "|---|---|---|"]
        lines += [f"| [`{r.id}`](#{r.id}) | {r.level.value} | {r.summary} |" for r in selected]
        lines.append("")
    lines.append("---")
    lines.append("")
    for rule in rules:
        lines.append(_demote(explain(rule)))
    return "\n".join(lines).rstrip() + "\n"


def _demote(text: str) -> str:
    return "\n".join(("##" + line) if line.startswith("#") else line for line in text.splitlines()) + "\n"
