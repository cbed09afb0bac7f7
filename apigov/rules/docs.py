"""Documentation generated from the diff rule catalogue: ``docs/diff-rules.md``, ``apigov rules``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from apigov.rules.catalogue import RULES
from apigov.rules.rule import Area, Rule

AREA_TITLES = {
    Area.PATHS: "Paths and operations",
    Area.LIFECYCLE: "Deprecation and lifecycle",
    Area.PARAMETERS: "Parameters",
    Area.REQUEST_BODY: "Request bodies",
    Area.RESPONSES: "Responses",
    Area.HEADERS: "Headers",
    Area.SCHEMAS: "Schemas",
    Area.SECURITY: "Security",
    Area.SERVERS: "Servers",
    Area.INFO: "Info and versioning",
}


def rule_to_json(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "command": "diff",
        "level": rule.level.value,
        "area": rule.area.value,
        "direction": rule.direction.value,
        "summary": rule.summary,
        "oasdiff_id": rule.oasdiff_id,
        "since": rule.since,
        "deprecated_by": list(rule.deprecated_by),
    }


def explain(rule: Rule) -> str:
    header = (
        f"# {rule.id}\n\n{rule.summary}\n\n"
        f"- Command: `apigov diff`\n- Level: `{rule.level.value}`\n- Area: {AREA_TITLES[rule.area]}\n"
        f"- Direction: {rule.direction.value}\n- Since: {rule.since}\n"
    )
    if rule.oasdiff_id:
        header += f"- oasdiff id: `{rule.oasdiff_id}`\n"
    if rule.deprecated_by:
        header += f"- Deprecated; use {', '.join(f'`{r}`' for r in rule.deprecated_by)}\n"
    body = "\n".join(
        ("#" + line) if line.startswith("## ") else line for line in rule.doc.strip().splitlines()
    )
    return header + "\n" + body + "\n"


def rules_markdown(rules: Iterable[Rule] = RULES) -> str:
    """``docs/diff-rules.md``: an index table per area, then every rule's documentation."""
    rules = list(rules)
    lines = [
        "# apigov diff rules",
        "",
        "<!-- Generated from the rule catalogue by `apigov rules --command diff --format markdown`; do not edit. -->",
        "",
        "`apigov diff` reports these changes. A `breaking` schema change is reported as breaking only",
        "with a counter-example (an instance the old contract accepted and the new one rejects, for",
        "what clients send; one the new contract allows and the old did not, for what they receive);",
        "when apigov cannot decide, it reports a warning. Change a level or switch a rule off in",
        "`apigov.yaml` (`diff.rules`), or accept one change in an ignore file (`--ignore`).",
        "",
        f"{len(rules)} rules.",
        "",
    ]
    for area, title in AREA_TITLES.items():
        selected = [r for r in rules if r.area is area]
        if not selected:
            continue
        lines += [f"## {title}", "", "| id | level | summary |", "|---|---|---|"]
        lines += [f"| [`{r.id}`](#{r.id}) | {r.level.value} | {r.summary} |" for r in selected]
        lines.append("")
    lines += ["---", ""]
    for rule in rules:
        lines.append(
            "\n".join(("##" + line) if line.startswith("#") else line for line in explain(rule).splitlines())
            + "\n"
        )
    return "\n".join(lines).rstrip() + "\n"
