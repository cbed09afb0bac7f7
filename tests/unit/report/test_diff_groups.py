"""A change reported for many operations (one shared component's change) is one entry in the
text, markdown and github outputs, with the operations it reaches; JSON keeps one entry per
operation, and the counts (and ``--fail-on``) stay per operation."""

from __future__ import annotations

import json

from apigov.core.findings import Finding, Level, Location
from apigov.report import _diff

from ._cases import finding
from .test_diff_formats import diff_report, render

OPERATIONS = [f"GET /items/{n}" for n in range(8)]
MESSAGE = "response 200 (application/json) property 'owner': required property removed"


def _shared(operation: str, message: str = MESSAGE) -> Finding:
    location = Location("v2.yaml", "/components/schemas/Owner", 40, 5)
    return finding("response-required-property-removed", Level.BREAKING, message, location, operation)


REPORT = diff_report(
    *(_shared(op) for op in OPERATIONS),
    finding(
        "request-parameter-became-required", Level.BREAKING, "m", Location("v2.yaml", "/x", 3, 4), "GET /a"
    ),
)


def test_groups_join_the_same_change_at_the_same_node_across_operations() -> None:
    groups = _diff.change_groups(REPORT.findings)
    assert [len(g.findings) for g in groups] == [8, 1]
    assert groups[0].operations == tuple(OPERATIONS)
    other_message = diff_report(_shared("GET /a"), _shared("GET /b", MESSAGE + " (elsewhere)"))
    assert [len(g.findings) for g in _diff.change_groups(other_message.findings)] == [1, 1]


def test_text_shows_one_entry_with_its_operations() -> None:
    text = render(REPORT, "text")
    assert text.count(MESSAGE) == 1
    assert (
        "in 8 operations: GET /items/0, GET /items/1, GET /items/2, GET /items/3, GET /items/4, … and 3 more"
        in text
    )
    assert text.splitlines()[-1] == "✖ 9 breaking changes, 0 warnings, 0 info (in 2 groups)"


def test_markdown_has_one_row_for_the_group() -> None:
    text = render(REPORT, "markdown")
    assert text.count(MESSAGE) == 1
    assert "8 operations: `GET /items/0`," in text and "… and 3 more" in text


def test_github_annotates_the_group_once() -> None:
    lines = render(REPORT, "github").splitlines()
    assert len(lines) == 3  # two annotations and the summary
    assert lines[0].startswith("::error ") and "(in 8 operations: GET /items/0" in lines[0]
    assert "(in 2 groups)" in lines[-1]


def test_json_keeps_one_entry_per_operation() -> None:
    data = json.loads(render(REPORT, "json"))
    assert len(data["changes"]) == 9
    assert data["summary"] == {"breaking": 9, "warning": 0, "info": 0}
