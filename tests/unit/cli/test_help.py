"""``--help`` of every command is part of the CLI contract: snapshot-tested."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from apigov.cli.main import cli
from tests.unit.report._golden import GOLDEN_ROOT, assert_golden


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


COMMANDS = _commands(cli)


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "apigov")
def test_help_matches_the_golden(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="apigov", terminal_width=100)
    assert result.exit_code == 0, result.output
    name = "-".join(path) or "apigov"
    assert_golden(GOLDEN_ROOT / "cli" / f"help-{name}.txt", result.output)


def test_format_choices_come_from_the_formatter_table() -> None:
    from apigov.report.formatters import FORMATTERS

    result = CliRunner().invoke(cli, ["check", "--help"], prog_name="apigov", terminal_width=100)
    for name in FORMATTERS:
        assert name in result.output
