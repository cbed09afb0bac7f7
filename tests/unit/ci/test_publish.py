"""The gate's markdown stays within GitHub's limits, whatever the reports hold; the SARIF log is one run."""

from __future__ import annotations

import dataclasses

from apigov.ci.comments import marker
from apigov.ci.gate import Base, ContractDiff, DeployAnswer, GateResult
from apigov.ci.publish import (
    SUMMARY_LIMIT,
    comment_body,
    comment_length,
    deploy_line,
    outputs,
    sarif,
    summary_markdown,
    utf8_length,
)
from apigov.core.findings import DocumentInfo, Finding, Level, Location, Report
from apigov.report.markdown import COMMENT_LIMIT


def check_report(files: int, per_file: int) -> Report:
    findings = tuple(
        Finding(
            rule_id="operation-summary-missing",
            level=Level.ERROR if n % 2 else Level.WARNING,
            message="GET /ordérs/{id} 🚀 has no summary " + "x" * 40,
            location=Location(file=f"api/spec{f}.yaml", pointer=f"/paths/{n}", line=n + 1),
        )
        for f in range(files)
        for n in range(per_file)
    )
    documents = tuple(DocumentInfo(source=f"api/spec{f}.yaml", kind="openapi-3.0") for f in range(files))
    return Report(command="check", findings=findings, documents=documents)


def diff_report(path: str, changes: int) -> Report:
    findings = tuple(
        Finding(
            rule_id="request-parameter-became-required",
            level=(Level.BREAKING, Level.WARNING, Level.INFO)[n % 3],
            message=f"query parameter 'p{n}' became required 🚀",
            location=Location(file=path, pointer=f"/paths/~1x{n}/get", line=n + 1),
            operation=f"GET /x{n}",
        )
        for n in range(changes)
    )
    documents = (
        DocumentInfo(source=f"git:0123456789ab:{path}", kind="openapi-3.0"),
        DocumentInfo(source=path, kind="openapi-3.0"),
    )
    return Report(command="diff", findings=findings, documents=documents)


def result(check: Report, diffs: list[ContractDiff]) -> GateResult:
    return GateResult(
        check=check,
        diffs=tuple(diffs),
        base=Base(name="main", commit="0123456789abcdef" * 2 + "01234567"),
        check_fail_on="error",
        diff_fail_on="breaking",
    )


def test_small_reports_are_shown_whole() -> None:
    gate = result(check_report(1, 3), [ContractDiff("api/spec0.yaml", diff_report("api/spec0.yaml", 3))])
    body = comment_body(gate, "default")
    assert body.startswith(marker("default") + "\n")
    assert body.count("request-parameter-became-required") == 3  # breaking, warning and info rows
    assert "not shown" not in body and "cut here" not in body


def test_a_huge_gate_fits_one_comment_and_the_summary() -> None:
    diffs = [ContractDiff(f"api/spec{n}.yaml", diff_report(f"api/spec{n}.yaml", 3000)) for n in range(4)]
    diffs.append(ContractDiff("api/new.yaml", None))
    gate = result(check_report(3, 2000), diffs)
    body = comment_body(gate, "default")
    assert comment_length(body) <= COMMENT_LIMIT
    assert body.startswith(marker("default"))
    for n in range(4):  # every contract is at least named, with its first breaking changes
        assert f"api/spec{n}.yaml" in body
    assert "cut here" in body or "not shown" in body
    summary = summary_markdown(gate)
    assert utf8_length(summary) <= SUMMARY_LIMIT
    assert marker("default") not in summary
    assert outputs(gate)["breaking-changes"] == str(4 * 1000)


def test_very_many_contracts_still_fit() -> None:
    diffs = [
        ContractDiff(f"api/{'d' * 200}/spec{n}.yaml", diff_report(f"api/spec{n}.yaml", 3)) for n in range(800)
    ]
    body = comment_body(result(check_report(1, 1), diffs), "default")
    assert comment_length(body) <= COMMENT_LIMIT
    assert "not shown here" in body


def test_sarif_is_one_run_with_consistent_rule_indexes() -> None:
    gate = result(check_report(2, 3), [ContractDiff("api/spec0.yaml", diff_report("api/spec0.yaml", 5))])
    log = sarif(gate)
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert len({r["id"] for r in rules}) == len(rules) == 2
    assert len(run["results"]) == 6 + 5
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])


def test_thousands_of_unchanged_and_new_contracts_are_counted_not_listed() -> None:
    unchanged = [
        ContractDiff(f"api/{'u' * 100}{n}.yaml", diff_report(f"api/u{n}.yaml", 0)) for n in range(3000)
    ]
    new = [ContractDiff(f"api/{'n' * 100}{n}.yaml", None) for n in range(3000)]
    body = comment_body(result(check_report(1, 1), unchanged + new), "default")
    assert comment_length(body) <= 20_000
    assert "and 2970 more" in body


def test_can_i_deploy_reasons_are_escaped_bounded_and_fail_the_gate() -> None:
    hostile = "verification #3 failed: '# take over\n- [x](javascript:alert(1)) <img src=x> @octocat'"
    answer = DeployAnswer(
        environment="production",
        asked=(("orders", "abc123"),),
        deployable=False,
        reasons=(hostile + "y" * 2000, *(f"reason {n}" for n in range(100))),
    )
    gate = dataclasses.replace(result(check_report(1, 1), []), deploy=answer)
    assert gate.failed and not gate.check_failed and not gate.diff_failed
    values = outputs(gate)
    assert values["can-i-deploy"] == "false" and values["gate"] == "failed"
    assert values["summary"].endswith("; can-i-deploy to production: no")
    body = comment_body(gate, "default")
    assert "## can-i-deploy to `production`: ❌ no" in body and "`orders@abc123`" in body
    assert "<img" not in body and "\n# take over" not in body and "@octocat" not in body
    assert "y" * 501 not in body  # each reason is cut
    assert "reason 28" in body and "reason 29" not in body and "and 71 more" in body
    line = deploy_line(answer)
    assert "\n" not in line and len(line) <= 2000
    assert line.startswith("can orders@abc123 be deployed to production? no: verification #3")
    yes = dataclasses.replace(answer, deployable=True, reasons=(), notices=("orders has no integrations",))
    passed = dataclasses.replace(gate, deploy=yes)
    assert not passed.failed and outputs(passed)["can-i-deploy"] == "true"
    assert "✅ yes" in comment_body(passed, "default") and "orders has no integrations" in comment_body(
        passed, "default"
    )
    assert outputs(result(check_report(1, 1), []))["can-i-deploy"] == ""
