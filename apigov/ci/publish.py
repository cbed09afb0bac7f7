"""What the gate leaves behind: the markdown report (job summary, pull-request comment), the step
outputs, one SARIF file, and the annotations.

The comment starts with a hidden marker (``<!-- apigov-ci: KEY -->``) by which the next run
finds it to edit it in place. It holds at most 65,536 characters (GitHub's limit): the check
and every changed contract get a fair share of the room, a diff that does not fit in its share
is rendered shorter (least serious changes left out, a line saying how many), the check's table
is cut at a row with a line saying so, and a section that does not fit even so is one line that
points at the job summary. The job summary is made the same way within 1 MiB (GitHub's limit
for one step's summary).

Everything a finding says is escaped by the markdown formatter; this module adds only counts,
file paths (shown as code) and the base commit.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, TextIO

from apigov.ci.comments import marker
from apigov.ci.gate import DeployAnswer, GateResult
from apigov.core._types import JSONObject, JSONValue
from apigov.core.findings import Level, Report
from apigov.report.base import RenderOptions

#: GitHub's step summary holds at most 1 MiB.
SUMMARY_LIMIT: Final = 1024 * 1024
_NOTE_ROOM: Final = 600
#: Contracts named at most in the head's lists (new, unchanged); the rest are counted.
_NAMED: Final = 30
#: A can-i-deploy reason or notice is cut at this many characters.
_ITEM_CHARS: Final = 500


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def summary_line(result: GateResult) -> str:
    """One line, counts only: ``gate failed: 2 breaking changes in 1 of 3 contracts; check: ...``."""
    verdict = "gate failed" if result.failed else "gate passed"
    compared = [d for d in result.diffs if not d.new]
    breaking_in = sum(
        1 for r in result.diff_reports if any(f.level.rank >= Level.BREAKING.rank for f in r.findings)
    )
    if result.base is None:
        diff = "no base to compare with"
    else:
        diff = (
            f"{_plural(result.breaking, 'breaking change')} in {breaking_in} of "
            f"{_plural(len(compared), 'compared contract')}, "
            f"{_plural(result.diff_count(Level.WARNING), 'warning')}, {result.diff_count(Level.INFO)} info"
        )
    check = (
        f"check: {_plural(result.check_count(Level.ERROR), 'error')}, "
        f"{_plural(result.check_count(Level.WARNING), 'warning')} in "
        f"{_plural(len(result.check.documents), 'contract')}"
    )
    deploy = ""
    if result.deploy is not None:
        answer = "yes" if result.deploy.deployable else "no"
        deploy = f"; can-i-deploy to {result.deploy.environment}: {answer}"
    return f"{verdict}: {diff}; {check}{deploy}"


def outputs(result: GateResult) -> dict[str, str]:
    """The step outputs (single-line values)."""
    return {
        "breaking": "true" if result.breaking else "false",
        "gate": "failed" if result.failed else "passed",
        "summary": summary_line(result),
        "breaking-changes": str(result.breaking),
        "diff-warnings": str(result.diff_count(Level.WARNING)),
        "diff-info": str(result.diff_count(Level.INFO)),
        "check-errors": str(result.check_count(Level.ERROR)),
        "check-warnings": str(result.check_count(Level.WARNING)),
        "contracts": str(len(result.check.documents)),
        "base": result.base.commit if result.base is not None else "",
        "can-i-deploy": "" if result.deploy is None else ("true" if result.deploy.deployable else "false"),
    }


def deploy_line(answer: DeployAnswer) -> str:
    """can-i-deploy's answer on one line (for an annotation: no newline, cut)."""
    asked = ", ".join(f"{name}@{version}" for name, version in answer.asked)
    verdict = "yes" if answer.deployable else "no: " + "; ".join(answer.reasons)
    text = f"can {asked} be deployed to {answer.environment}? {verdict}"
    return " ".join(text.split())[:2000]


def output_lines(values: Mapping[str, str]) -> str:
    """``name=value`` lines, as ``GITHUB_OUTPUT`` reads them (values are checked to be one line)."""
    lines = []
    for name, value in values.items():
        if "\n" in value or "\r" in value:
            raise ValueError(f"output {name} is not one line")
        lines.append(f"{name}={value}\n")
    return "".join(lines)


# --- markdown ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Section:
    """A part of the report: ``fit(room)`` renders it within ``room`` if it can; ``brief`` is the
    one line used when even that does not fit."""

    fit: Callable[[int], str]
    brief: str


def _code(text: str) -> str:
    from apigov.report.markdown import code_span

    return code_span(text)


def _cut_lines(text: str, room: int, measure: Callable[[str], int], what: str) -> str:
    """``text`` cut after the last whole line that fits, with a line saying so."""
    if measure(text) <= room:
        return text
    note = f"\n**{what} cut here**: the full report is in the job summary and in code scanning.\n"
    budget = room - measure(note)
    kept: list[str] = []
    for line in text.splitlines(keepends=True):
        size = measure(line)
        if size > budget:
            break
        kept.append(line)
        budget -= size
    return "".join(kept) + note


def _render(report: Report, fail_on: str) -> str:
    from apigov.report.formatters import FORMATTERS

    out = io.StringIO()
    FORMATTERS["markdown"].render(report, out, RenderOptions(color=False, fail_on=fail_on))
    return out.getvalue()


def _check_section(result: GateResult, measure: Callable[[str], int]) -> Section:
    text = "\n" + _render(result.check, result.check_fail_on)
    errors = result.check_count(Level.ERROR)
    return Section(
        fit=lambda room: _cut_lines(text, room, measure, "The check's report is"),
        brief=f"\n**apigov check**: {_plural(errors, 'error')} (the report is in the job summary)\n",
    )


def _diff_section(path: str, report: Report, fail_on: str, limit: int) -> Section:
    from apigov.report.markdown import render_diff

    def fit(room: int) -> str:
        out = io.StringIO()
        shared = "this report shares the space with the other contracts' (the job summary shows more)"
        render_diff(report, out, fail_on, limit=min(room, limit), why=shared if room < limit else None)
        return "\n" + out.getvalue()

    breaking = sum(1 for f in report.findings if f.level.rank >= Level.BREAKING.rank)
    return Section(
        fit=fit,
        brief=f"\n**{_code(path[:300])}**: {_plural(breaking, 'breaking change')} (the report is in the job summary)\n",
    )


def _compose(head: str, sections: Sequence[Section], limit: int, measure: Callable[[str], int]) -> str:
    """``head`` and the sections within ``limit``: each gets a fair share of what the smaller
    ones leave; what does not fit in its share is rendered shorter, or as its brief line."""
    room = limit - measure(head) - _NOTE_ROOM
    texts = [section.fit(limit) for section in sections]
    if sum(measure(t) for t in texts) <= room:
        return head + "".join(texts)
    order = sorted(range(len(sections)), key=lambda i: measure(texts[i]))
    left = len(sections)
    for index in order:
        share = max(room, 0) // left
        left -= 1
        if measure(texts[index]) > share:
            shorter = sections[index].fit(share)
            texts[index] = shorter if measure(shorter) <= share else sections[index].brief
        room -= measure(texts[index])
    dropped = 0
    while texts and sum(measure(t) for t in texts) > limit - measure(head) - _NOTE_ROOM:
        texts.pop()
        dropped += 1
    tail = (
        f"\n**{_plural(dropped, 'more report')} not shown here**: see the job summary.\n" if dropped else ""
    )
    return head + "".join(texts) + tail


def _names(paths: Sequence[str]) -> str:
    shown = ", ".join(_code(p[:300]) for p in paths[:_NAMED])
    return shown + (f" and {len(paths) - _NAMED} more" if len(paths) > _NAMED else "")


def _head(result: GateResult, key: str | None) -> str:
    verdict = "🔴 apigov: the gate failed" if result.failed else "🟢 apigov: the gate passed"
    lines = [marker(key) + "\n"] if key is not None else []
    lines.append(f"# {verdict}\n\n")
    lines.append(summary_line(result)[:1].upper() + summary_line(result)[1:] + ".\n")
    if result.base is not None:
        lines.append(
            f"\nContracts compared with {_code(result.base.name)} where this branch left it "
            f"({_code(result.base.short)}).\n"
        )
    else:
        lines.append("\nNo base revision to compare with: only the check ran.\n")
    new = [d.path for d in result.diffs if d.new]
    if new:
        lines.append("\nNew contracts (not in the base): " + _names(new) + ".\n")
    untouched = [d.path for d in result.diffs if d.unchanged]
    if untouched:
        lines.append("\nUnchanged since the base (same files): " + _names(untouched) + ".\n")
    same = [
        d.path
        for d in result.diffs
        if d.report is not None and not d.report.findings and not d.report.suppressed
    ]
    if same:
        lines.append("\nNo API changes: " + _names(same) + ".\n")
    if result.consumers:
        lines.append(
            "\nEach breaking change names the registered consumers whose pacts use what changed "
            "(from the registry's pacts and deployments).\n"
        )
    if result.deploy is not None:
        lines.append(_deploy_section(result.deploy))
    return "".join(lines)


def _deploy_section(answer: DeployAnswer) -> str:
    """can-i-deploy's answer: the versions asked about, yes or no, and why (reasons and notices
    quote pact interaction names, so each is escaped, cut, and their number bounded)."""
    from apigov.report.markdown import escape_text

    asked = ", ".join(_code(f"{name}@{version}"[:200]) for name, version in answer.asked)
    verdict = "✅ yes" if answer.deployable else "❌ no"
    lines = [f"\n## can-i-deploy to {_code(answer.environment)}: {verdict}\n\nAsked for {asked}.\n"]
    for title, items in (("Reasons", answer.reasons), ("Notes", answer.notices)):
        if not items:
            continue
        lines.append(f"\n{title}:\n\n")
        lines.extend(f"- {escape_text(item[:_ITEM_CHARS])}\n" for item in items[:_NAMED])
        if len(items) > _NAMED:
            lines.append(f"- and {len(items) - _NAMED} more (apigov can-i-deploy lists them all)\n")
    return "".join(lines)


def comment_length(text: str) -> int:
    from apigov.report.markdown import comment_length as length

    return length(text)


def utf8_length(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def markdown(result: GateResult, *, limit: int, key: str | None, measure: Callable[[str], int]) -> str:
    """The report as one markdown document of at most ``limit`` (as ``measure`` counts)."""
    from apigov.report.markdown import COMMENT_LIMIT

    sections = [_check_section(result, measure)]
    for diff in result.diffs:
        if diff.report is not None and (diff.report.findings or diff.report.suppressed):
            sections.append(_diff_section(diff.path, diff.report, result.diff_fail_on, COMMENT_LIMIT))
    return _compose(_head(result, key), sections, limit, measure)


def comment_body(result: GateResult, key: str) -> str:
    from apigov.report.markdown import COMMENT_LIMIT

    return markdown(result, limit=COMMENT_LIMIT, key=key, measure=comment_length)


def summary_markdown(result: GateResult) -> str:
    return markdown(result, limit=SUMMARY_LIMIT, key=None, measure=utf8_length)


# --- SARIF and annotations ------------------------------------------------------------------


def _reports(result: GateResult) -> Iterator[Report]:
    yield result.check
    yield from result.diff_reports


def sarif(result: GateResult) -> JSONObject:
    """One SARIF log with one run holding the check's and every diff's results (code scanning
    refuses several runs of one tool in one upload)."""
    from apigov.report.sarif import report_to_sarif

    rules: list[JSONValue] = []
    index: dict[str, int] = {}
    results: list[JSONValue] = []
    driver: JSONObject = {}
    head: JSONObject = {}
    for report in _reports(result):
        log = report_to_sarif(report)
        runs = log["runs"]
        assert isinstance(runs, list) and isinstance(runs[0], dict)
        run = runs[0]
        tool = run["tool"]
        assert isinstance(tool, dict) and isinstance(tool["driver"], dict)
        if not driver:
            driver = {k: v for k, v in tool["driver"].items() if k != "rules"}
            head = {k: v for k, v in log.items() if k != "runs"}
        own_rules = tool["driver"].get("rules")
        assert isinstance(own_rules, list)
        for rule in own_rules:
            assert isinstance(rule, dict) and isinstance(rule["id"], str)
            if rule["id"] not in index:
                index[rule["id"]] = len(rules)
                rules.append(rule)
        own_results = run["results"]
        assert isinstance(own_results, list)
        for item in own_results:
            assert isinstance(item, dict) and isinstance(item["ruleId"], str)
            results.append({**item, "ruleIndex": index[item["ruleId"]]})
    driver["rules"] = rules
    return {
        **head,
        "runs": [{"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}],
    }


def write_sarif(result: GateResult, out: TextIO) -> None:
    from apigov.report._common import dump_json

    dump_json(sarif(result), out)


def write_reports(result: GateResult, out: TextIO, output_format: str) -> None:
    """The check's and each diff's report in ``output_format`` (``github``: annotations; ``text``)."""
    from apigov.report.formatters import FORMATTERS

    formatter = FORMATTERS[output_format]
    formatter.render(result.check, out, RenderOptions(color=False, fail_on=result.check_fail_on))
    for report in result.diff_reports:
        formatter.render(report, out, RenderOptions(color=False, fail_on=result.diff_fail_on))
