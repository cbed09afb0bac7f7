"""``apigov rules``: list the rule catalogue; ``apigov rules explain ID``: one rule's documentation."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

import click


class _Listed(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def families(self) -> tuple[str, ...]: ...


R = TypeVar("R", bound=_Listed)


@click.group("rules", invoke_without_command=True)
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="text: a table; json: machine-readable; markdown: the generated docs/rules.md.",
)
@click.option(
    "--family", type=click.Choice(["openapi", "asyncapi", "jsonschema", "avro"]), help="Only this family."
)
@click.option(
    "--command",
    "command",
    type=click.Choice(["check", "diff"]),
    default="check",
    show_default=True,
    help="Whose rules: check (lint) or diff (breaking changes).",
)
@click.pass_context
def rules_command(ctx: click.Context, output_format: str, family: str | None, command: str) -> int:
    """List every rule of a command with its id, level and summary."""
    if ctx.invoked_subcommand is not None:
        return 0
    if command == "diff":
        from apigov.rules.docs import ALL_RULES
        from apigov.rules.docs import rule_to_json as diff_rule_to_json
        from apigov.rules.docs import rules_markdown as diff_rules_markdown

        return _write_rules(
            ALL_RULES,
            family,
            output_format,
            diff_rule_to_json,
            diff_rules_markdown,
            lambda rule: f"{rule.level.value:<8} {rule.area!s:<13} {rule.summary}",
        )
    from apigov.lint.catalogue import RULES
    from apigov.lint.docs import rule_to_json, rules_markdown

    return _write_rules(
        RULES,
        family,
        output_format,
        rule_to_json,
        rules_markdown,
        lambda rule: f"{rule.level.value:<8} {'/'.join(rule.families):<10}  {rule.summary}",
    )


def _write_rules(
    rules: Sequence[R],
    family: str | None,
    output_format: str,
    to_json: Callable[[R], object],
    markdown: Callable[[Sequence[R]], str],
    line: Callable[[R], str],
) -> int:
    """Write the rules (of ``family``, when given) as JSON, markdown, or text lines (the id,
    then ``line(rule)``)."""
    selected = [r for r in rules if family is None or family in r.families]
    if output_format == "json":
        json.dump({"apigov": "rules/1", "rules": [to_json(r) for r in selected]}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif output_format == "markdown":
        sys.stdout.write(markdown(selected))
    else:
        width = max((len(r.id) for r in selected), default=10)
        for rule in selected:
            sys.stdout.write(f"{rule.id:<{width}}  {line(rule)}\n")
        sys.stdout.write(f"\n{len(selected)} rules. 'apigov rules explain ID' shows one in full.\n")
    return 0


@rules_command.command("explain")
@click.argument("rule_id")
def explain_command(rule_id: str) -> int:
    """Show the documentation of one rule."""
    from apigov.lint.catalogue import BY_ID
    from apigov.lint.docs import explain
    from apigov.rules.docs import ALL_RULES
    from apigov.rules.docs import explain as explain_diff

    DIFF_BY_ID = {r.id: r for r in ALL_RULES}

    diff_rule = DIFF_BY_ID.get(rule_id)
    if diff_rule is not None:
        sys.stdout.write(explain_diff(diff_rule))
        return 0
    rule = BY_ID.get(rule_id)
    if rule is None:
        import difflib

        close = difflib.get_close_matches(rule_id, [*BY_ID, *DIFF_BY_ID], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; 'apigov rules' lists every id"
        raise click.UsageError(f"unknown rule id {rule_id!r}{hint}")
    sys.stdout.write(explain(rule))
    return 0
