"""JUnit XML: well-formed whatever the spec says, and counts that add up."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest

from apigov.core.findings import DocumentInfo, Finding, Level, Location, Report
from apigov.report.base import RenderOptions
from apigov.report.junit import JunitFormatter

from ._cases import CASES


def junit(report: Report) -> ET.Element:
    out = io.StringIO()
    JunitFormatter().render(report, out, RenderOptions())
    return ET.fromstring(out.getvalue().encode("utf-8"))


@pytest.mark.parametrize("case", list(CASES))
def test_output_parses_and_counts_match(case: str) -> None:
    report = CASES[case]
    root = junit(report)
    suites = root.findall("testsuite")
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "")) == len(cases)
        assert int(suite.get("failures", "")) == sum(1 for c in cases if c.find("failure") is not None)
        assert suite.get("errors") == "0"
    all_cases = root.findall("testsuite/testcase")
    assert int(root.get("tests", "")) == len(all_cases)
    assert int(root.get("failures", "")) == sum(1 for f in report.findings if f.level is not Level.INFO)
    assert root.get("errors") == "0"


@pytest.mark.parametrize("case", list(CASES))
def test_every_document_has_a_suite(case: str) -> None:
    report = CASES[case]
    names = [suite.get("name") for suite in junit(report).findall("testsuite")]
    expected = {d.source for d in report.documents} | {f.location.file for f in report.findings}
    assert len(names) == len(expected)


def test_clean_document_gets_one_passing_testcase() -> None:
    report = Report("check", (), (DocumentInfo("a.yaml", "openapi-3.1", "A", "1"),))
    [suite] = junit(report).findall("testsuite")
    [case] = suite.findall("testcase")
    assert case.get("classname") == "a.yaml"
    assert list(case) == []


def test_finding_becomes_a_testcase() -> None:
    finding = Finding(
        "operation-operationid-missing",
        Level.WARNING,
        "GET /a has no operationId",
        Location("a.yaml", "/paths/~1a/get", 7, 3),
        "GET /a",
    )
    [case] = junit(Report("check", (finding,))).findall("testsuite/testcase")
    assert case.get("classname") == "a.yaml"
    assert case.get("name") == "operation-operationid-missing at a.yaml:7"
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("type") == "operation-operationid-missing"
    assert failure.get("message") == "GET /a has no operationId"
    assert "operation: GET /a" in (failure.text or "")


def test_info_passes_with_system_out() -> None:
    finding = Finding("info-contact-missing", Level.INFO, "no contact", Location("a.yaml", "/info"))
    [case] = junit(Report("check", (finding,))).findall("testsuite/testcase")
    assert case.find("failure") is None
    assert (case.findtext("system-out") or "").startswith("no contact\n")


def test_control_characters_cannot_break_the_xml() -> None:
    nasty = "a\x00b\x01c\x0bd\x1be\ud800f\ufffeg\uffffh]]><x/>&"
    report = Report(
        "check",
        (Finding("r", Level.ERROR, nasty, Location(nasty, nasty, 1), nasty, {nasty: nasty}),),
        (DocumentInfo(nasty, nasty, nasty, nasty),),
    )
    failure = junit(report).find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "a\\x00b\\x01c\\x0bd\\x1be\\ud800fgh]]><x/>&"
