"""Documentation generated from the diff rule catalogue: ``docs/diff-rules.md``, ``apigov rules``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from apigov.rules.catalogue import RULES
from apigov.rules.events.catalogue import EVENT_RULES
from apigov.rules.rule import Area, Rule

#: every rule ``apigov diff`` may report: OpenAPI rules, then event-schema rules
ALL_RULES: tuple[Rule, ...] = (*RULES, *EVENT_RULES)

AREA_TITLES: dict[Area, str] = {
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
    Area.EVENT_SCHEMAS: "Event schemas: JSON Schema documents and AsyncAPI payloads and headers",
    Area.SCHEMA_DIALECTS: "Event schemas: JSON Schema drafts",
    Area.AVRO: "Event schemas: Avro",
    Area.CHANNELS: "AsyncAPI channels",
    Area.OPERATIONS: "AsyncAPI operations",
    Area.MESSAGES: "AsyncAPI messages",
    Area.EVENT_SERVERS: "AsyncAPI servers",
    Area.EVENT_INFO: "AsyncAPI info",
}


def rule_to_json(rule: Rule) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": rule.id,
        "command": "diff",
        "level": rule.level.value,
        "area": str(rule.area),
        "families": list(rule.families),
        "direction": str(rule.direction),
        "summary": rule.summary,
    }
    if not rule.is_event:
        found["sdk_level"] = (rule.sdk_level or rule.level).value
        found["oasdiff_id"] = rule.oasdiff_id
    else:
        found["confluent_id"] = rule.confluent_id
    found["since"] = rule.since
    found["deprecated_by"] = list(rule.deprecated_by)
    return found


def explain(rule: Rule) -> str:
    if rule.is_event:
        direction = "the compatibility mode (`--mode`; AsyncAPI: per message without it)"
    else:
        direction = rule.direction.value
    header = (
        f"# {rule.id}\n\n{rule.summary}\n\n"
        f"- Command: `apigov diff`\n- Level: `{rule.level.value}`\n- Area: {AREA_TITLES[rule.area]}\n"
        f"- Families: {', '.join(rule.families)}\n- Direction: {direction}\n- Since: {rule.since}\n"
    )
    if rule.sdk_level is not None:
        header += f"- Level under `--tier sdk`: `{rule.sdk_level.value}`\n"
    if rule.oasdiff_id:
        header += f"- oasdiff id: `{rule.oasdiff_id}`\n"
    if rule.confluent_id:
        header += f"- Confluent Schema Registry: `{rule.confluent_id}`\n"
    if rule.deprecated_by:
        header += f"- Deprecated; use {', '.join(f'`{r}`' for r in rule.deprecated_by)}\n"
    body = "\n".join(
        ("#" + line) if line.startswith("## ") else line for line in rule.doc.strip().splitlines()
    )
    return header + "\n" + body + "\n"


def rules_markdown(rules: Iterable[Rule] = ALL_RULES) -> str:
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
        "`--tier sdk` (`diff.tier: sdk`) also protects code written against generated clients: the",
        "rules with a level under `--tier sdk` (an operationId, a component schema name, a path",
        "parameter name, an enum value's spelling) are reported at that level. The default tier,",
        "`wire`, judges only what goes over the wire.",
        "",
        "Event schemas (JSON Schema, Avro, AsyncAPI) are judged under a compatibility mode",
        "(`--mode`: BACKWARD, FORWARD, FULL, their `_TRANSITIVE` forms, NONE): a change in a direction",
        "the mode asks for has the level below, in the other direction (or under NONE) it is `info`.",
        "",
        f"{len(rules)} rules.",
        "",
    ]
    for area, title in AREA_TITLES.items():
        selected = [r for r in rules if r.area is area]
        if not selected:
            continue
        lines += [f"## {title}", "", "| id | level | summary |", "|---|---|---|"]
        lines += [f"| [`{r.id}`](#{r.id}) | {_levels(r)} | {r.summary} |" for r in selected]
        lines.append("")
    lines += ["---", ""]
    for rule in rules:
        lines.append(
            "\n".join(("##" + line) if line.startswith("#") else line for line in explain(rule).splitlines())
            + "\n"
        )
    return "\n".join(lines).rstrip() + "\n"


def _levels(rule: Rule) -> str:
    """The level, and the level under ``--tier sdk`` where it differs."""
    if rule.sdk_level is not None:
        return f"{rule.level.value} (sdk: {rule.sdk_level.value})"
    return rule.level.value
