"""Hostile text from a spec in the machine-read reports: JUnit stays well-formed XML 1.0 whose
elements it cannot leave, SARIF stays JSON, and a GitHub workflow command stays one line that
cannot start another command."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.e2e._cli import apigov, assert_input_error

#: what a spec may hold in a description, a key or an enum value (JSON escapes keep it in one file)
EVIL = (
    ']]></failure><failure message="pwned"/><x a="\'&\x00\x01\x07\x08\x0b\x0c\x1b[31m\x1f\x7f\x85'
    "\u2028\u2029\u202e ::error::pwned %0A\r\nlevel: info\n::warning file=x.yaml,line=1::forged\r"
)
#: characters XML 1.0 forbids (and raw CR, LF and line separators outside their structural use)
_NOT_XML_CHAR = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _spec(*, required: list[str], enum: list[str], description: str) -> str:
    schema = {
        "type": "object",
        "description": description,
        "properties": {
            EVIL: {"type": "string", "description": EVIL, "enum": enum},
            "id": {"type": "integer"},
        },
        "required": required,
    }
    document = {
        "openapi": "3.0.3",
        "info": {"title": EVIL, "version": "1", "description": EVIL},
        "paths": {
            "/p": {
                "post": {
                    "description": description,
                    "requestBody": {"content": {"application/json": {"schema": schema}}},
                    "responses": {"200": {"description": EVIL}},
                }
            }
        },
    }
    return json.dumps(document, ensure_ascii=True)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    base, revision = tmp_path / "base.json", tmp_path / "rev.json"
    base.write_text(_spec(required=["id"], enum=[EVIL, "b"], description=EVIL))
    # newly required hostile property (breaking), hostile enum value removed, description changed
    revision.write_text(_spec(required=["id", EVIL], enum=["b"], description=EVIL + " 2"))
    return base, revision


def _run(*args: str) -> str:
    result = apigov(*args)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout


def _assert_junit_well_formed(text: str) -> None:
    assert not _NOT_XML_CHAR.search(text), _NOT_XML_CHAR.search(text)
    root = ET.fromstring(text)
    assert root.tag == "testsuites"
    for case in root.iter("testcase"):
        assert [child.tag for child in case] in ([], ["failure"], ["system-out"], ["skipped", "system-out"])
    failures = list(root.iter("failure"))
    assert failures and len(failures) == sum(int(s.get("failures", "0")) for s in root.iter("testsuite"))
    for failure in failures:
        message, blank, *facts = (failure.text or "").split("\n")[:-1]
        assert blank == "" and all(re.fullmatch(r"[a-z_]+: .*", fact) for fact in facts), failure.text
        levels = [fact for fact in facts if fact.startswith("level: ")]
        assert len(levels) == 1, failure.text  # the hostile text could not forge a fact line
        assert (failure.get("message") or "").endswith(message)  # the same one-line message


def test_junit_stays_well_formed_and_inside_its_elements(pair: tuple[Path, Path]) -> None:
    base, revision = pair
    diff = _run("diff", str(base), str(revision), "-f", "junit")
    assert "request-property-became-required" in diff
    _assert_junit_well_formed(diff)
    _assert_junit_well_formed(_run("check", str(revision), "-f", "junit", "--fail-on", "info"))


def _assert_sarif(text: str) -> list[Any]:
    assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029]", text.replace("\n", ""))
    results: list[Any] = json.loads(text)["runs"][0]["results"]
    assert results
    return results


def test_sarif_stays_json(pair: tuple[Path, Path]) -> None:
    base, revision = pair
    results = _assert_sarif(_run("diff", str(base), str(revision), "-f", "sarif"))
    assert any(EVIL.split("\x00")[0] in r["message"]["text"] for r in results)
    _assert_sarif(_run("check", str(revision), "-f", "sarif"))


def _assert_github(text: str, command: str) -> None:
    assert "\r" not in text and not re.search("[\u2028\u2029\x85]", text)
    *commands, summary = text.split("\n")[:-1]
    assert summary.startswith(f"apigov {command}: ")
    for line in commands:
        match = re.fullmatch(r"::(error|warning|notice) ([^:]*)::(.*)", line)
        assert match is not None, line
        assert "::" not in match[2]  # properties cannot be closed early
        properties = dict(item.split("=", 1) for item in match[2].split(","))
        assert set(properties) <= {"file", "line", "col", "title"}


def test_github_commands_stay_one_line_each(pair: tuple[Path, Path]) -> None:
    base, revision = pair
    diff = _run("diff", str(base), str(revision), "-f", "github")
    _assert_github(diff, "diff")
    assert "%0D%0Alevel: info%0A::warning file=x.yaml" in diff
    _assert_github(_run("check", str(revision), "-f", "github"), "check")


def test_a_lone_surrogate_in_json_is_refused_before_any_report(tmp_path: Path) -> None:
    spec = tmp_path / "lone.json"
    spec.write_text(_spec(required=[], enum=["b"], description="\ud800").replace("\\ud800", "a\\udfffb"))
    for fmt in ("junit", "sarif", "github"):
        assert_input_error(apigov("diff", str(spec), str(spec), "-f", fmt), "surrogate")
