"""Every formatter and the changelog on ``apigov diff`` reports: goldens, and what each format promises."""

from __future__ import annotations

import io
import itertools
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from apigov.core.findings import DocumentInfo, Finding, Level, Location, Report
from apigov.report.base import RenderOptions
from apigov.report.changelog import CHANGELOG_FORMATS, render_changelog, section_of
from apigov.report.formatters import FORMATTERS
from apigov.report.markdown import escape_text

from ._cases import finding
from ._diff_cases import DIFF_CASES
from ._golden import GOLDEN_ROOT, assert_golden
from .test_markdown import cells, rows
from .test_sarif import assert_github_accepts

GOLDEN_DIR = GOLDEN_ROOT / "report"
PAIRS = list(itertools.product(DIFF_CASES, FORMATTERS))
CHANGELOG_SUFFIX = {"markdown": "md", "html": "html"}
CHANGELOG_PAIRS = list(itertools.product(DIFF_CASES, CHANGELOG_FORMATS))
SCHEMA_PATH = Path(__file__).resolve().parents[3] / "contracts" / "schemas" / "diff-report.schema.json"
_RAW_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MIXED = DIFF_CASES["mixed"]
HOSTILE = DIFF_CASES["hostile"]


def golden_names() -> set[str]:
    """Every golden file this module owns (test_formatters checks none is stale)."""
    return {f"diff-{case}.{fmt}" for case, fmt in PAIRS} | {
        f"changelog-{case}.{CHANGELOG_SUFFIX[fmt]}" for case, fmt in CHANGELOG_PAIRS
    }


def render(report: Report, output_format: str, *, color: bool = False) -> str:
    out = io.StringIO()
    FORMATTERS[output_format].render(report, out, RenderOptions(color=color))
    return out.getvalue()


def changelog(report: Report, fmt: str) -> str:
    out = io.StringIO()
    render_changelog(report, out, fmt)
    return out.getvalue()


def diff_report(*findings: Finding, suppressed: tuple[Finding, ...] = ()) -> Report:
    documents = (
        DocumentInfo("v1.yaml", "openapi-3.0", "A", "1"),
        DocumentInfo("v2.yaml", "openapi-3.0", "A", "2"),
    )
    return Report("diff", findings, documents, "0.1.0", suppressed=suppressed)


def change(level: Level = Level.BREAKING, operation: str | None = "GET /a", **details: str) -> Finding:
    return finding(
        "request-parameter-became-required", level, "m", Location("v2.yaml", "/x", 3, 4), operation, **details
    )


# --- every format -------------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "output_format"), PAIRS)
def test_output_matches_golden(case: str, output_format: str) -> None:
    assert_golden(GOLDEN_DIR / f"diff-{case}.{output_format}", render(DIFF_CASES[case], output_format))


@pytest.mark.parametrize(("case", "fmt"), CHANGELOG_PAIRS)
def test_changelog_matches_golden(case: str, fmt: str) -> None:
    assert_golden(GOLDEN_DIR / f"changelog-{case}.{CHANGELOG_SUFFIX[fmt]}", changelog(DIFF_CASES[case], fmt))


@pytest.mark.parametrize(("case", "output_format"), PAIRS)
def test_no_raw_control_characters(case: str, output_format: str) -> None:
    text = render(DIFF_CASES[case], output_format)
    assert text.endswith("\n")
    assert not _RAW_CONTROLS.search(text), "raw control characters reached the output"
    text.encode("utf-8")


@pytest.mark.parametrize(("case", "fmt"), CHANGELOG_PAIRS)
def test_changelog_has_no_raw_control_characters(case: str, fmt: str) -> None:
    text = changelog(DIFF_CASES[case], fmt)
    assert not _RAW_CONTROLS.search(text)
    text.encode("utf-8")


def test_suppressed_findings_count_nowhere() -> None:
    report = diff_report(change(Level.INFO), suppressed=(change(Level.BREAKING),))
    assert report.summary() == {"error": 0, "breaking": 0, "warning": 0, "info": 1}
    assert report.fails("info")
    assert not report.fails("warning")


def test_a_diff_report_needs_two_documents() -> None:
    with pytest.raises(ValueError, match="two documents"):
        render(Report("diff", ()), "json")


# --- json ---------------------------------------------------------------------------------------


def as_json(report: Report) -> Any:
    return json.loads(render(report, "json"))


def schema_errors(instance: Any) -> list[str]:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


def test_schema_is_valid_draft_2020_12() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("case", list(DIFF_CASES))
def test_json_output_matches_schema(case: str) -> None:
    assert schema_errors(as_json(DIFF_CASES[case])) == []


@pytest.mark.parametrize(
    ("pointer", "change_to"),
    [
        ((), {"apigov": "check/1"}),
        ((), {"findings": []}),
        (("summary",), {"error": 0}),
        (("base",), {"extra": 1}),
        (("changes", 0), {"level": "error"}),
        (("changes", 0), {"side": "left"}),
        (("changes", 0), {"location": "/servers/1"}),
        (("changes", 0), {"pointer": "/servers/1"}),
        (("changes", 0), {"details": {"x": 1}}),
        (("ignored", 0), {"surprise": True}),
    ],
)
def test_schema_rejects_what_apigov_never_prints(
    pointer: tuple[str | int, ...], change_to: dict[str, Any]
) -> None:
    document = as_json(MIXED)
    target = document
    for token in pointer:
        target = target[token]
    target.update(change_to)
    assert schema_errors(document), f"schema accepted {change_to} at {pointer}"


def test_event_reports_carry_their_mode_and_the_schema_checks_it() -> None:
    from dataclasses import replace

    document = as_json(replace(MIXED, mode="FULL_TRANSITIVE"))
    assert document["mode"] == "FULL_TRANSITIVE"
    assert schema_errors(document) == []
    assert "mode" not in as_json(MIXED)  # OpenAPI reports have none
    document["mode"] = "SIDEWAYS"
    assert schema_errors(document)


def test_schema_requires_reason_and_expires_on_ignored_changes() -> None:
    document = as_json(MIXED)
    del document["ignored"][0]["reason"]
    assert schema_errors(document)


def test_json_envelope() -> None:
    document = as_json(MIXED)
    assert document["apigov"] == "diff/1"
    assert document["base"]["source"] == "git:HEAD~1:api/petstore.yaml"
    assert document["revision"]["version"] == "1.1.0"
    assert (document["breaking"], document["compatible"]) == (True, False)
    assert document["summary"] == {"breaking": 3, "warning": 2, "info": 6}
    assert len(document["changes"]) == len(MIXED.findings)


def test_json_change_lifts_path_method_side_and_counter_example() -> None:
    [typed] = [c for c in as_json(MIXED)["changes"] if c["id"] == "request-property-type-changed"]
    assert typed["path"] == "/pets" and typed["method"] == "post" and typed["side"] == "revision"
    assert typed["location"] == "#/components/schemas/Tag/type"
    assert typed["counter_example"] == {"name": "Rex", "tag": "dog"}
    assert typed["details"] == {
        "base_location": "git:HEAD~1:api/petstore.yaml:58:13",
        "ref_chain": "#/components/schemas/NewPet -> #/components/schemas/Tag",
    }


def test_json_counter_example_is_absent_when_none_and_may_be_null() -> None:
    document = as_json(diff_report(change(), change(counter_example="null")))
    assert "counter_example" not in document["changes"][0]
    assert document["changes"][1]["counter_example"] is None


@pytest.mark.parametrize("text", ["NaN", "[Infinity]", "{", "[" * 100_000])
def test_json_counter_example_that_is_not_json_stays_text_in_details(text: str) -> None:
    [result] = as_json(diff_report(change(counter_example=text)))["changes"]
    assert "counter_example" not in result
    assert result["details"]["counter_example"] == text


def test_json_ignored_change_has_reason_and_expires() -> None:
    [ignored] = as_json(MIXED)["ignored"]
    assert ignored["reason"] == "never filled in by the server (PLAT-1234)"
    assert ignored["expires"] == "2026-03-31"
    assert ignored["side"] == "base"
    assert "ignore_reason" not in ignored["details"]


def test_json_only_ignored_breaking_changes_leave_the_diff_compatible() -> None:
    document = as_json(diff_report(change(Level.INFO), suppressed=(change(ignore_reason="ok"),)))
    assert (document["breaking"], document["compatible"]) == (False, True)
    assert document["ignored"][0]["expires"] is None


def test_json_side_without_detail_follows_the_file() -> None:
    removed = finding("api-path-removed", Level.BREAKING, "m", Location("v1.yaml", "/paths/~1a"))
    document = as_json(diff_report(removed, change()))
    assert [c["side"] for c in document["changes"]] == ["base", "revision"]


# --- text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(DIFF_CASES))
def test_text_ansi_codes_only_with_color(case: str) -> None:
    plain, colored = render(DIFF_CASES[case], "text"), render(DIFF_CASES[case], "text", color=True)
    assert "\x1b" not in plain
    assert re.sub("\x1b\\[[0-9;]*m", "", colored) == plain


def test_text_groups_by_operation_document_first() -> None:
    lines = render(MIXED, "text").splitlines()
    headings = [line for line in lines if line and not line.startswith(" ")]
    assert headings == [
        "git:HEAD~1:api/petstore.yaml (openapi-3.0: Pet Store 1.0.0) → api/petstore.yaml (openapi-3.1: Pet Store 1.1.0)",
        "Document",
        "GET /pets",
        "POST /pets",
        "GET /pets/{petId}/photos",
        "GET /pets/{petId}",
        "DELETE /pets/{petId}",
        "WEBHOOK POST newPet",
        "1 change ignored (see --ignore file)",
        "✖ 3 breaking changes, 2 warnings, 6 info",
    ]


def test_text_counter_example_and_summary_lines() -> None:
    text = render(MIXED, "text")
    assert '            e.g. {"name":"Rex","tag":"dog"}\n' in text
    assert "  breaking  the optional query parameter 'limit' became required  " in text
    assert "request-parameter-became-required  api/petstore.yaml:16\n" in text
    assert render(DIFF_CASES["clean"], "text").endswith("\n✔ no breaking changes\n")
    assert render(diff_report(change(Level.WARNING)), "text").endswith(
        "! no breaking changes, 1 warning, 0 info\n"
    )


def test_text_long_counter_example_is_cut() -> None:
    [line] = [line for line in render(HOSTILE, "text").splitlines() if "0123456789" in line]
    assert line.endswith('…"}')
    assert len(line.strip()) == len("e.g. ") + 120


# --- markdown -----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(DIFF_CASES))
def test_markdown_tables_keep_their_columns(case: str) -> None:
    for row in rows(render(DIFF_CASES[case], "markdown")):
        assert len(cells(row)) in (2, 4), row


def test_markdown_verdict_and_sections() -> None:
    text = render(MIXED, "markdown")
    assert text.startswith("## 🔴 apigov diff: breaking (3 breaking changes, 2 warnings, 6 info)\n")
    assert text.index("### Breaking changes") < text.index("### Warnings") < text.index("<details>")
    assert "1 change ignored (see --ignore file)" in text
    clean = render(DIFF_CASES["clean"], "markdown")
    assert clean.startswith("## 🟢 apigov diff: compatible (no breaking changes)\n")
    assert "No changes found." in clean


def test_markdown_hostile_text_stays_text() -> None:
    text = render(HOSTILE, "markdown")
    outside_code = re.sub(r"(`+).*?\1", "", text)
    assert not re.sub("<br>|</?em>|</?details>|</?summary>", "", outside_code).count("<")
    assert not re.search(r"(?<!\\)\[", outside_code)
    assert not re.search(r"@\w", text)
    assert "\n::" not in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# h", "\\# h"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("12. item", "12\\. item"),
        ("3) item", "3\\) item"),
        ("  # h", "\\# h"),
        ("a # b", "a # b"),
        ("> quote", "&gt; quote"),
        ("2024 went well", "2024 went well"),
    ],
)
def test_escape_text(text: str, expected: str) -> None:
    assert escape_text(text) == expected


# --- sarif, junit, github -----------------------------------------------------------------------


def sarif(report: Report) -> Any:
    return json.loads(render(report, "sarif"))


@pytest.mark.parametrize("case", list(DIFF_CASES))
def test_sarif_meets_github_requirements(case: str) -> None:
    assert_github_accepts(sarif(DIFF_CASES[case]))


def test_sarif_diff_results() -> None:
    run = sarif(MIXED)["runs"][0]
    results = run["results"]
    assert len(results) == len(MIXED.findings) + len(MIXED.suppressed)
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels["request-parameter-became-required"] == "error"
    assert levels["response-body-schema-changed"] == "warning"
    assert levels["endpoint-added"] == "note"
    [required] = [r for r in results if r["ruleId"] == "request-parameter-became-required"]
    assert required["message"]["text"] == "GET /pets: the optional query parameter 'limit' became required\ne.g. {}"
    [server] = [r for r in results if r["ruleId"] == "api-server-removed"]
    assert server["message"]["text"] == (  # a line of the base, in a past revision of the file
        "the server https://staging.example.com was removed (at git:HEAD~1:api/petstore.yaml:8:5)"
    )
    descriptions = {rule["id"]: rule["shortDescription"]["text"] for rule in run["tool"]["driver"]["rules"]}
    assert (
        descriptions["request-parameter-became-required"] == "An optional request parameter became required."
    )
    assert descriptions.keys() == {f.rule_id for f in MIXED.findings + MIXED.suppressed}


def test_sarif_suppressed_results() -> None:
    results = sarif(MIXED)["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert [r["ruleId"] for r in suppressed] == ["response-property-removed"]
    assert suppressed[0]["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "never filled in by the server (PLAT-1234)",
        }
    ]


def junit(report: Report) -> ET.Element:
    return ET.fromstring(render(report, "junit").encode("utf-8"))


@pytest.mark.parametrize("case", list(DIFF_CASES))
def test_junit_counts_add_up(case: str) -> None:
    report = DIFF_CASES[case]
    root = junit(report)
    cases = root.findall("testsuite/testcase")
    assert int(root.get("tests", "")) == len(cases)
    failing = [f for f in report.findings if f.level is not Level.INFO]
    assert int(root.get("failures", "")) == len(failing) == len(root.findall("testsuite/testcase/failure"))
    assert len(root.findall("testsuite/testcase/skipped")) == len(report.suppressed)
    assert int(root.get("skipped", "0")) == len(report.suppressed)
    for suite in root.findall("testsuite"):
        assert int(suite.get("skipped", "")) == len(suite.findall("testcase/skipped"))


def test_junit_failure_message_names_the_operation() -> None:
    messages = [f.get("message") for f in junit(MIXED).iter("failure")]
    assert "GET /pets: the optional query parameter 'limit' became required" in messages
    [skipped] = junit(MIXED).iter("skipped")
    assert skipped.get("message") == "ignored: never filled in by the server (PLAT-1234)"


def github(report: Report) -> list[str]:
    return render(report, "github").splitlines()


@pytest.mark.parametrize("case", list(DIFF_CASES))
def test_github_one_command_per_change_and_none_for_ignored(case: str) -> None:
    report = DIFF_CASES[case]
    lines = github(report)
    assert len([line for line in lines if line.startswith("::")]) == len(report.findings) == len(lines) - 1
    assert lines[-1].startswith("apigov diff: ")


def test_github_levels_and_messages() -> None:
    lines = github(MIXED)
    assert (
        "::error file=api/petstore.yaml,line=16,col=11,title=request-parameter-became-required"
        "::GET /pets: the optional query parameter 'limit' became required%0Ae.g. {}"
    ) in lines
    assert (
        lines[-1]
        == "apigov diff: 3 breaking changes, 2 warnings, 6 info; 1 change ignored (see --ignore file)"
    )
    assert sum(line.startswith("::warning ") for line in lines) == 2
    assert sum(line.startswith("::notice ") for line in lines) == 6


# --- changelog ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_id", "level", "section"),
    [
        ("request-parameter-became-required", Level.BREAKING, "⚠ Breaking changes"),
        ("endpoint-removed-before-sunset", Level.BREAKING, "⚠ Breaking changes"),
        ("endpoint-deprecated", Level.INFO, "Deprecations"),
        ("endpoint-sunset-changed", Level.WARNING, "Deprecations"),
        ("endpoint-added", Level.INFO, "New"),
        ("response-property-enum-value-added", Level.WARNING, "Changed"),
        ("info-version-changed", Level.INFO, "Changed"),
    ],
)
def test_changelog_sections(rule_id: str, level: Level, section: str) -> None:
    assert section_of(Finding(rule_id, level, "m", Location("v2.yaml"))) == section


def test_changelog_markdown_shape() -> None:
    text = changelog(MIXED, "markdown")
    assert text.startswith("# Changes from Pet Store 1.0.0 to Pet Store 1.1.0\n")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## ⚠ Breaking changes", "## Deprecations", "## New", "## Changed"]
    assert "- The optional query parameter 'limit' became required <sub>" in text
    assert "accepted: never filled in by the server (PLAT-1234)" in text
    assert "\nNo changes.\n" in changelog(DIFF_CASES["clean"], "markdown")


@pytest.mark.parametrize("case", list(DIFF_CASES))
def test_changelog_html_is_standalone_and_inert(case: str) -> None:
    text = changelog(DIFF_CASES[case], "html")
    assert text.startswith("<!DOCTYPE html>\n<html") and text.endswith("</html>\n")
    assert "<script" not in text.lower()
    for tag in re.findall(r"<[^>]*>", text):
        assert not re.search(r"\b(src|href|on\w+)\s*=", tag, re.IGNORECASE), tag
    assert "default-src 'none'" in text
    tags = set(re.findall(r"</?([a-zA-Z0-9!]+)", text))
    assert tags <= {
        "!DOCTYPE",
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "h1",
        "h2",
        "h3",
        "p",
        "small",
        "section",
        "ul",
        "li",
        "code",
        "footer",
    }


def test_changelog_refuses_unknown_formats_and_other_reports() -> None:
    with pytest.raises(ValueError, match="unknown changelog format"):
        changelog(MIXED, "rst")
    with pytest.raises(ValueError, match="diff report"):
        changelog(Report("check", ()), "markdown")


@pytest.mark.parametrize(
    ("message", "sentence"),
    [
        ("the path /a was removed", "The path /a was removed"),
        ("info.version changed", "info.version changed"),
        ("x-rate-limit was added", "x-rate-limit was added"),
        ("GET /a was deprecated", "GET /a was deprecated"),
        ("  spaced out\n", "Spaced out"),
    ],
)
def test_changelog_capitalises_only_plain_words(message: str, sentence: str) -> None:
    text = changelog(
        diff_report(finding("endpoint-added", Level.INFO, message, Location("v2.yaml"))), "markdown"
    )
    assert f"- {sentence} <sub>" in text


def test_junit_clean_diff_is_one_passing_case_for_the_revision() -> None:
    [suite] = junit(DIFF_CASES["clean"]).findall("testsuite")
    assert suite.get("name") == "api/petstore.yaml"
    assert [case.get("name") for case in suite.findall("testcase")] == ["no changes"]


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_event_reports_name_their_mode_in_the_header(fmt: str) -> None:
    from dataclasses import replace

    assert (
        "BACKWARD_TRANSITIVE"
        in render(replace(MIXED, mode="BACKWARD_TRANSITIVE"), fmt).split("\n\n")[
            1 if fmt == "markdown" else 0
        ]
    )
    assert "mode" not in render(MIXED, fmt).split("\n")[0]


# --- the --fail-on gate -------------------------------------------------------------------------


def gated(report: Report, output_format: str, fail_on: str) -> str:
    out = io.StringIO()
    FORMATTERS[output_format].render(report, out, RenderOptions(fail_on=fail_on))
    return out.getvalue()


WARNINGS_AND_INFO = diff_report(change(Level.WARNING), change(Level.WARNING), change(Level.INFO))


@pytest.mark.parametrize(
    ("fail_on", "reason"),
    [
        ("warning", "gate failed: 2 warnings at or above --fail-on warning"),
        ("info", "gate failed: 2 warnings and 1 info at or above --fail-on info"),
    ],
)
@pytest.mark.parametrize("output_format", ["text", "github"])
def test_summary_line_says_why_the_gate_failed(output_format: str, fail_on: str, reason: str) -> None:
    last = gated(WARNINGS_AND_INFO, output_format, fail_on).splitlines()[-1]
    assert last.endswith(f"no breaking changes, 2 warnings, 1 info; {reason}"), last
    if output_format == "text":
        assert last.startswith("✖ ")


def test_info_alone_fails_the_gate_with_a_reason() -> None:
    report = diff_report(change(Level.INFO))
    assert gated(report, "text", "info").endswith(
        "✖ no breaking changes, 0 warnings, 1 info; gate failed: 1 info at or above --fail-on info\n"
    )


def test_markdown_heading_says_the_gate_failed_and_why() -> None:
    text = gated(WARNINGS_AND_INFO, "markdown", "warning")
    assert text.startswith(
        "## 🔴 apigov diff: compatible, gate failed (no breaking changes, 2 warnings, 1 info)\n"
    )
    assert "\n**Gate failed: 2 warnings at or above --fail-on warning.**\n" in text


@pytest.mark.parametrize("output_format", ["text", "github", "markdown"])
@pytest.mark.parametrize(
    ("report", "fail_on"),
    [
        (WARNINGS_AND_INFO, "breaking"),  # the gate passes
        (WARNINGS_AND_INFO, "none"),
        (diff_report(change(Level.BREAKING), change(Level.WARNING)), "warning"),  # breaking says why
        (diff_report(change(Level.INFO)), "warning"),
    ],
)
def test_no_gate_sentence_when_the_verdict_already_explains(
    output_format: str, report: Report, fail_on: str
) -> None:
    text = gated(report, output_format, fail_on)
    assert "gate failed" not in text.lower()
    assert text == render(report, output_format)


@pytest.mark.parametrize("fail_on", ["breaking", "warning", "info", "none"])
def test_json_gate_is_additive_and_matches_the_schema(fail_on: str) -> None:
    document = json.loads(gated(WARNINGS_AND_INFO, "json", fail_on))
    assert document["gate"] == {"fail_on": fail_on, "failed": fail_on in ("warning", "info")}
    assert document["breaking"] is False
    assert schema_errors(document) == []
    assert "gate" not in json.loads(render(WARNINGS_AND_INFO, "json"))


@pytest.mark.parametrize(
    ("fail_on", "failing"),
    [
        ("breaking", []),
        ("warning", ["warning", "warning"]),
        ("info", ["warning", "warning", "info"]),
        ("none", []),
    ],
)
def test_junit_failures_are_what_failed_the_gate(fail_on: str, failing: list[str]) -> None:
    root = ET.fromstring(gated(WARNINGS_AND_INFO, "junit", fail_on))
    levels = [
        (case.findtext("failure") or "").split("level: ")[1].split("\n")[0]
        for case in root.iter("testcase")
        if case.find("failure") is not None
    ]
    assert levels == failing
    assert root.get("failures") == str(len(failing))
    assert (len(failing) > 0) is WARNINGS_AND_INFO.fails(fail_on)


def test_junit_without_a_gate_fails_warnings_and_above() -> None:
    assert ET.fromstring(render(WARNINGS_AND_INFO, "junit")).get("failures") == "2"


# --- markdown: one pull-request comment ---------------------------------------------------------


def _many(count: int, level: Level) -> list[Finding]:
    return [
        finding(
            "response-property-schema-widened",
            level,
            f"property 'p{index}' 🔴 accepts more " + "x" * 200,
            Location("v2.yaml", f"/p{index}", index + 1),
            f"GET /things/{index}",
        )
        for index in range(count)
    ]


def test_markdown_of_a_huge_diff_fits_one_github_comment_breaking_changes_first() -> None:
    from apigov.report.markdown import COMMENT_LIMIT, comment_length, render_diff

    report = diff_report(*_many(400, Level.BREAKING), *_many(300, Level.WARNING), *_many(300, Level.INFO))
    text = render(report, "markdown")
    whole = io.StringIO()
    render_diff(report, whole, limit=10**9)
    assert comment_length(text) <= COMMENT_LIMIT < 3 * COMMENT_LIMIT < comment_length(whole.getvalue())
    assert "not shown" not in whole.getvalue()
    shown = len([row for row in rows(text) if "accepts more" in row])
    [note] = [line for line in text.splitlines() if "not shown" in line]
    assert note.startswith(f"**{1000 - shown} more changes not shown**")
    assert 0 < shown < 400  # only breaking changes fit, and they come first
    assert "### Warnings" not in text and "<details>" not in text
    assert "| 🔴 breaking | 400 |" in text  # the counts still count everything


def test_markdown_rows_left_out_least_serious_first() -> None:
    from apigov.report.markdown import render_diff

    report = diff_report(*_many(3, Level.BREAKING), *_many(30, Level.INFO))
    out = io.StringIO()
    render_diff(report, out, limit=6_000)
    text = out.getvalue()
    assert len(text) <= 6_000 and "### Breaking changes" in text
    breaking_rows = [row for row in rows(text) if "accepts more" in row][:3]
    assert len(breaking_rows) == 3
    [note] = [line for line in text.splitlines() if "not shown" in line]
    shown_info = len([row for row in rows(text) if "accepts more" in row]) - 3
    assert note.startswith(f"**{30 - shown_info} more changes not shown**")
    assert text.count("<details>") == text.count("</details>") <= 1


def test_markdown_that_fits_leaves_nothing_out() -> None:
    assert "not shown" not in render(diff_report(*_many(20, Level.WARNING)), "markdown")


# --- code scanning: a line in a past revision is not a line of the checkout ----------------------


def _git_diff() -> Report:
    documents = (
        DocumentInfo("git:origin/main:api/openapi.yaml", "openapi-3.0", "A", "1"),
        DocumentInfo("api/openapi.yaml", "openapi-3.0", "A", "2"),
    )
    removed = finding(
        "api-path-removed-without-deprecation",
        Level.BREAKING,
        "path /a removed",
        Location("git:origin/main:api/openapi.yaml", "/paths/~1a", 175, 5),
        "GET /a",
        side="base",
    )
    changed = finding(
        "request-parameter-became-required",
        Level.BREAKING,
        "q became required",
        Location("api/openapi.yaml", "/paths/~1b/get/parameters/0", 12, 9),
        "GET /b",
        side="revision",
    )
    return Report("diff", (removed, changed), documents, "0.1.0")


def test_github_annotates_a_past_line_on_the_file_only() -> None:
    removed, changed = render(_git_diff(), "github").splitlines()[:2]
    assert removed == (
        "::error file=api/openapi.yaml,title=api-path-removed-without-deprecation::"
        "GET /a: path /a removed (at git:origin/main:api/openapi.yaml:175:5)"
    )
    assert changed.startswith("::error file=api/openapi.yaml,line=12,col=9,title=")
    assert changed.endswith("q became required")


def test_sarif_points_a_past_line_at_line_one_and_says_where() -> None:
    removed, changed = json.loads(render(_git_diff(), "sarif"))["runs"][0]["results"]
    assert removed["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert removed["message"]["text"].endswith("(at git:origin/main:api/openapi.yaml:175:5)")
    assert changed["locations"][0]["physicalLocation"]["region"] == {"startLine": 12, "startColumn": 9}
    assert "(at " not in changed["message"]["text"]


def test_a_base_that_is_a_file_of_the_checkout_keeps_its_lines() -> None:
    report = diff_report(change(side="base"))
    assert ",line=3,col=4," in render(report, "github")
