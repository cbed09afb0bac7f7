"""GitHub workflow commands: one command per finding, whatever the finding says."""

from __future__ import annotations

import io
import re

import pytest

from apigov.core.findings import Finding, Level, Location, Report
from apigov.report.base import RenderOptions
from apigov.report.github import GithubFormatter, escape_data, escape_property

from ._cases import CASES

#: How the Actions runner recognises a command: ``::name`` at the start of a line.
COMMAND_LINE = re.compile(r"^::([a-z-]+)(?: ([^:]*))?::(.*)$")


def github(report: Report) -> list[str]:
    out = io.StringIO()
    GithubFormatter().render(report, out, RenderOptions())
    return out.getvalue().splitlines()


def commands(lines: list[str]) -> list[re.Match[str]]:
    return [match for line in lines if (match := COMMAND_LINE.match(line))]


@pytest.mark.parametrize("case", list(CASES))
def test_one_command_per_finding_then_a_summary(case: str) -> None:
    report = CASES[case]
    lines = github(report)
    assert len(commands(lines)) == len(report.findings) == len(lines) - 1
    assert lines[-1].startswith("apigov check: ")


def test_hostile_message_cannot_start_a_second_command() -> None:
    finding = Finding("r", Level.WARNING, "x\n::error::pwned\r\n::add-mask::y", Location("a.yaml", "", 1))
    lines = github(Report("check", (finding,)))
    [command] = commands(lines)
    assert command[1] == "warning"
    assert command[3] == "x%0A::error::pwned%0D%0A::add-mask::y"


def test_hostile_file_cannot_add_properties() -> None:
    finding = Finding("r", Level.ERROR, "m", Location("a,line=99,title=x::y\n.yaml", "", 1, 2))
    [command] = commands(github(Report("check", (finding,))))
    properties = dict(item.split("=", 1) for item in command[2].split(","))
    assert properties == {
        "file": "a%2Cline=99%2Ctitle=x%3A%3Ay%0A.yaml",
        "line": "1",
        "col": "2",
        "title": "r",
    }


@pytest.mark.parametrize(
    ("level", "name"),
    [(Level.ERROR, "error"), (Level.BREAKING, "error"), (Level.WARNING, "warning"), (Level.INFO, "notice")],
)
def test_levels(level: Level, name: str) -> None:
    [command] = commands(github(Report("check", (Finding("r", level, "m", Location("a.yaml")),))))
    assert command[1] == name


def test_unknown_line_leaves_out_line_and_col() -> None:
    [command] = commands(github(Report("check", (Finding("r", Level.INFO, "m", Location("a.yaml")),))))
    assert command[2] == "file=a.yaml,title=r"


def test_escaping_as_documented() -> None:
    assert escape_data("100%\r\n: ,") == "100%25%0D%0A: ,"
    assert escape_property("100%\r\n: ,") == "100%25%0D%0A%3A %2C"
    assert escape_data("\x1b[31m") == "\\x1b[31m"


@pytest.mark.parametrize(("warnings", "noted"), [(10, False), (11, True)])
def test_summary_says_when_github_will_not_annotate_them_all(warnings: int, noted: bool) -> None:
    findings = tuple(
        Finding("r", Level.WARNING, f"w{index}", Location("a.yaml", f"/{index}", index + 1))
        for index in range(warnings)
    ) + tuple(Finding("e", Level.ERROR, "e", Location("a.yaml", "/e", 1)) for _ in range(3))
    summary = github(Report("check", findings))[-1]
    assert ("GitHub shows only the first 10 annotations of each level per step" in summary) is noted
    assert summary.startswith("apigov check: ")
