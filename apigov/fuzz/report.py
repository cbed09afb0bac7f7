"""Reports of a fuzz run: ``text``, ``json``, ``junit`` and ``markdown`` (a PR comment).

Every format names, per failure, the operation, the check that failed, the minimised example
and one reproducing ``curl`` command. Text from the service (messages, bodies) is data: it is
escaped for XML and Markdown, never interpreted.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from typing import Final, TextIO
from xml.sax.saxutils import escape, quoteattr

from apigov.fuzz.model import Failure, FuzzResult
from apigov.report._common import printable
from apigov.report.junit import xml_text
from apigov.report.markdown import cell_code

SCHEMA_ID: Final = "fuzz/1"


_VERDICTS: Final = {"failed": "FAILED", "untested": "INCOMPLETE", "passed": "passed"}


def _summary(result: FuzzResult) -> str:
    verdict = _VERDICTS[result.verdict]
    tested = len(result.operations)
    parts = [
        f"apigov fuzz {verdict}: {len(result.failures)} failure(s) in {tested}/{result.operations_total} operation(s)",
        f"{result.cases} request(s)",
        f"{result.elapsed:.1f} s",
    ]
    if result.seed is not None:
        parts.append(f"seed {result.seed}")
    if result.untested:
        parts.append(
            f"{len(result.untested)} operation(s) not tested"
            + (" (allowed by --allow-untested)" if result.allow_untested else "")
        )
    unconfirmed = sum(1 for f in result.failures if not f.replayed)
    if unconfirmed:
        parts.append(f"{unconfirmed} failure(s) not replayed")
    return ", ".join(parts)


def _credentials_note(result: FuzzResult) -> str:
    if any("$APIGOV_FUZZ_" in f.curl for f in result.failures):
        return (
            "The curl lines read credentials from the environment ($APIGOV_FUZZ_TOKEN, "
            "$APIGOV_FUZZ_HEADER_<NAME>): export them before running a line."
        )
    return ""


def render_text(result: FuzzResult, out: TextIO) -> None:
    buffer = io.StringIO()
    _render_text(result, buffer)
    # spec text (paths) and service text (bodies) shown as escapes, never run by the terminal
    out.write(printable(buffer.getvalue(), keep="\n"))


def _render_text(result: FuzzResult, out: TextIO) -> None:
    for index, failure in enumerate(result.failures, 1):
        out.write(f"{index}. {failure.operation}: {failure.check} ({failure.code} {failure.title})\n")
        for line in failure.message.splitlines()[:8]:
            out.write(f"   {line}\n")
        if failure.example:
            out.write("   example:\n")
            for line in failure.example.splitlines():
                out.write(f"     {line}\n")
        out.write("   reproduce:\n")
        for line in failure.curl.splitlines():
            out.write(f"     {line}\n")
        out.write(f"   {_replay_line(failure)}\n")
        out.write(f"   fingerprint: {failure.fingerprint}\n\n")
    for failure, reason in result.known:
        out.write(f"known: {failure.operation}: {failure.check} ({failure.fingerprint}): {reason}\n")
    if result.not_reproduced:
        out.write(f"{result.not_reproduced} failure(s) passed when replayed and are not reported\n")
    if result.stopped == "max-time":
        out.write("the run reached --max-time before it finished\n")
    for error in result.errors[:10]:
        out.write(f"error: {error}\n")
    for operation, reason in result.untested:
        out.write(f"not (fully) tested: {operation}: {reason}\n")
    note = _credentials_note(result)
    if note:
        out.write(note + "\n")
    out.write(_summary(result) + f"; checks: {', '.join(result.checks)}\n")


def _replay_line(failure: Failure) -> str:
    if failure.replayed:
        chain = len(failure.curl.splitlines()) > 1
        return "replayed: " + ("the whole chain failed again" if chain else "failed again")
    return f"UNCONFIRMED, {failure.replay_note or 'not replayed'}"


def _failure_json(failure: Failure) -> dict[str, object]:
    return {
        "operation": failure.operation,
        "check": failure.check,
        "code": failure.code,
        "title": failure.title,
        "message": failure.message,
        "example": failure.example,
        "curl": failure.curl,
        "fingerprint": failure.fingerprint,
        "status": failure.status,
        "phase": failure.phase,
        "replayed": failure.replayed,
        "replay_note": failure.replay_note,
    }


def as_json(result: FuzzResult) -> dict[str, object]:
    """The ``fuzz/1`` JSON document of a run."""
    return {
        "apigov": SCHEMA_ID,
        "contract": result.contract,
        "base_url": result.base_url,
        "passed": result.passed,
        "verdict": result.verdict,
        "seed": result.seed,
        "checks": list(result.checks),
        "phases": list(result.phases),
        "stopped": result.stopped,
        "elapsed_seconds": round(result.elapsed, 3),
        "summary": {
            "operations": result.operations_total,
            "tested": len(result.operations),
            "requests": result.cases,
            "failures": len(result.failures),
            "known": len(result.known),
            "not_reproduced": result.not_reproduced,
            "untested": len(result.untested),
            "not_replayed": sum(1 for f in result.failures if not f.replayed),
        },
        "operations": [
            {"operation": o.operation, "checks": dict(sorted(o.checks.items()))} for o in result.operations
        ],
        "failures": [_failure_json(f) for f in result.failures],
        "known": [{**_failure_json(f), "reason": reason} for f, reason in result.known],
        "untested": [{"operation": op, "reason": reason} for op, reason in result.untested],
        "allow_untested": result.allow_untested,
        "errors": list(result.errors),
    }


def render_json(result: FuzzResult, out: TextIO) -> None:
    json.dump(as_json(result), out, indent=2, ensure_ascii=False)
    out.write("\n")


def render_junit(result: FuzzResult, out: TextIO) -> None:
    """One test case per operation and check; a failing case carries the curl line."""
    failing: dict[tuple[str, str], list[Failure]] = {}
    for failure in result.failures:
        failing.setdefault((failure.operation, failure.check), []).append(failure)
    cases: list[str] = []
    for outcome in result.operations:
        for check in sorted(outcome.checks):
            found = failing.pop((outcome.operation, check), [])
            cases.append(_junit_case(outcome.operation, check, found))
    for (operation, check), found in sorted(failing.items()):
        cases.append(_junit_case(operation, check, found))
    for operation, reason in result.untested:  # a skipped case; an error unless --allow-untested
        name = quoteattr(xml_text(operation, keep=""))
        text = quoteattr(xml_text("not tested: " + reason, keep=""))
        inner = (
            f"<skipped message={text}/>"
            if result.allow_untested
            else f'<error type="untested" message={text}/>'
        )
        cases.append(f'    <testcase classname={name} name="tested">\n      {inner}\n    </testcase>\n')
    failures = sum(1 for c in cases if "<failure" in c)
    errors = sum(1 for c in cases if "<error" in c)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(
        f'<testsuites name="apigov fuzz" tests="{len(cases)}" failures="{failures}" errors="{errors}" time="{result.elapsed:.3f}">\n'
        f'  <testsuite name={quoteattr(xml_text("fuzz " + result.contract, keep=""))} tests="{len(cases)}" failures="{failures}" errors="{errors}">\n'
    )
    for case in cases:
        out.write(case)
    out.write("  </testsuite>\n</testsuites>\n")


def _junit_case(operation: str, check: str, found: list[Failure]) -> str:
    text = f"    <testcase classname={quoteattr(xml_text(operation, keep=''))} name={quoteattr(xml_text(check, keep=''))}"
    if not found:
        return text + "/>\n"
    body = "\n\n".join(
        f"{f.message}\n\nexample:\n{f.example}\n\nreproduce:\n{f.curl}\n\n{_replay_line(f)}" for f in found
    )
    first = found[0]
    return (
        text + ">\n"
        f"      <failure type={quoteattr(xml_text(first.code, keep=''))} "
        f"message={quoteattr(xml_text(first.title, keep=''))}>{escape(xml_text(body))}</failure>\n"
        "    </testcase>\n"
    )


def _md(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|<>" else c for c in printable(text))


def _fence(text: str) -> str:
    """A backtick fence longer than any run of backticks in ``text`` (at least three)."""
    return "`" * max(3, max((len(run) for run in re.findall("`+", text)), default=0) + 1)


def render_markdown(result: FuzzResult, out: TextIO) -> None:
    icon = {"failed": ":x:", "untested": ":warning:", "passed": ":white_check_mark:"}[result.verdict]
    out.write(f"### {icon} apigov fuzz: {_md(result.contract)}\n\n{_md(_summary(result))}\n\n")
    if result.failures:
        out.write("| # | operation | check | failure | replayed |\n|---|---|---|---|---|\n")
        for i, f in enumerate(result.failures, 1):
            replayed = "yes" if f.replayed else "**no**: " + _md(f.replay_note or "not replayed")
            out.write(
                f"| {i} | {cell_code(f.operation)} | {cell_code(f.check)} | {_md(f.title)} | {replayed} |\n"
            )
        out.write("\n")
        for i, f in enumerate(result.failures, 1):
            message, example, curl = (printable(t, keep="\n") for t in (f.message, f.example, f.curl))
            fence = _fence(message + example + curl)
            out.write(f"<details><summary>{i}. {_md(f.operation)}: {_md(f.check)}</summary>\n\n")
            out.write(
                f"{fence}text\n{message}\n\n{example}\n{fence}\n\n{fence}sh\n{curl}\n{fence}\n\n</details>\n\n"
            )
        note = _credentials_note(result)
        if note:
            out.write(_md(note) + "\n\n")
    if result.untested:
        out.write("**Not tested:**\n\n| operation | reason |\n|---|---|\n")
        for operation, reason in result.untested:
            out.write(f"| {cell_code(operation)} | {_md(reason)} |\n")
        out.write("\n")
    if result.known:
        out.write(f"{len(result.known)} known failure(s) from the baseline.\n")


FORMATS: Final[dict[str, Callable[[FuzzResult, TextIO], None]]] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "markdown": render_markdown,
}
