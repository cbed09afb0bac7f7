"""``apigov diff`` as a user runs it: real process, exit codes, the JSON contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema

ROOT = Path(__file__).resolve().parents[2]
SHOP = ROOT / "examples" / "shop"


def _apigov(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "apigov", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_identical_files_have_no_changes() -> None:
    spec = str(SHOP / "orders" / "v2" / "openapi.yaml")
    result = _apigov("diff", spec, spec, "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["changes"] == [] and report["breaking"] is False and report["compatible"] is True


def test_a_breaking_evolution_fails_the_gate_and_matches_the_json_contract() -> None:
    result = _apigov(
        "diff",
        str(SHOP / "orders" / "v1" / "openapi.yaml"),
        str(SHOP / "orders" / "v2" / "openapi.yaml"),
        "--format",
        "json",
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    schema = json.loads((ROOT / "contracts" / "schemas" / "diff-report.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(report)
    assert report["apigov"] == "diff/1" and report["breaking"] is True
    ids = {c["id"] for c in report["changes"]}
    assert "request-parameter-became-required" in ids
    assert report["base"]["kind"] == "openapi-3.1"


def test_fail_on_none_never_fails() -> None:
    result = _apigov(
        "diff",
        str(SHOP / "orders" / "v1" / "openapi.yaml"),
        str(SHOP / "orders" / "v2" / "openapi.yaml"),
        "--fail-on",
        "none",
    )
    assert result.returncode == 0, result.stderr


def test_kinds_that_cannot_be_compared_are_an_input_error(tmp_path: Path) -> None:
    asyncapi = next(SHOP.joinpath("events").rglob("*.yaml"))
    result = _apigov("diff", str(SHOP / "orders" / "v1" / "openapi.yaml"), str(asyncapi))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_an_unreadable_side_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.0.3\ninfo: {title: [\n")
    result = _apigov("diff", str(SHOP / "orders" / "v1" / "openapi.yaml"), str(broken))
    assert result.returncode == 2
    assert "broken.yaml" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    missing = _apigov("diff", str(tmp_path / "nope.yaml"), str(broken))
    assert missing.returncode == 2 and "nope.yaml" in missing.stderr


def test_changelog_renders_markdown_and_html() -> None:
    v1, v2 = str(SHOP / "payments" / "v1" / "openapi.yaml"), str(SHOP / "payments" / "v2" / "openapi.yaml")
    markdown = _apigov("changelog", v1, v2)
    assert markdown.returncode == 0, markdown.stderr
    assert "metadata" in markdown.stdout
    html = _apigov("changelog", v1, v2, "--format", "html")
    assert html.returncode == 0 and html.stdout.lstrip().lower().startswith("<!doctype html")


_WITH_LIMIT = """\
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /pets:
    get:
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses: {"200": {description: ok}}
"""
_WITHOUT_LIMIT = """\
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /pets:
    get:
      responses: {"200": {description: ok}}
"""


def test_a_gate_failed_on_warnings_says_why(tmp_path: Path) -> None:
    base, revision = tmp_path / "a.yaml", tmp_path / "b.yaml"
    base.write_text(_WITH_LIMIT)
    revision.write_text(_WITHOUT_LIMIT)
    reason = "gate failed: 1 warning at or above --fail-on warning"
    text = _apigov("diff", str(base), str(revision), "--fail-on", "warning")
    assert text.returncode == 1, text.stderr
    assert text.stdout.splitlines()[-1].endswith(f"no breaking changes, 1 warning, 0 info; {reason}")
    markdown = _apigov("diff", str(base), str(revision), "--fail-on", "warning", "-f", "markdown")
    assert markdown.returncode == 1 and "compatible, gate failed" in markdown.stdout.splitlines()[0]
    github = _apigov("diff", str(base), str(revision), "--fail-on", "warning", "-f", "github")
    assert github.returncode == 1 and github.stdout.splitlines()[-1].endswith(reason)
    report = json.loads(
        _apigov("diff", str(base), str(revision), "--fail-on", "warning", "-f", "json").stdout
    )
    assert report["breaking"] is False and report["gate"] == {"fail_on": "warning", "failed": True}
    passing = _apigov("diff", str(base), str(revision))
    assert passing.returncode == 0 and "gate failed" not in passing.stdout


def test_an_ignore_entry_applies_through_its_expiry_day(tmp_path: Path) -> None:
    import datetime as dt

    base, revision = tmp_path / "a.yaml", tmp_path / "b.yaml"
    base.write_text(_WITH_LIMIT)
    revision.write_text(_WITHOUT_LIMIT)
    ignore = tmp_path / "ignore.yaml"

    def run(expires: dt.date) -> Any:
        ignore.write_text(
            "version: 1\nignore:\n  - id: request-parameter-removed\n    operation: GET /pets\n"
            f"    reason: nobody sends it\n    expires: {expires.isoformat()}\n"
        )
        result = _apigov("diff", str(base), str(revision), "--ignore", str(ignore), "-f", "json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    today = dt.date.today()
    still = run(today)
    assert [c["id"] for c in still["ignored"]] == ["request-parameter-removed"]
    gone = run(today - dt.timedelta(days=1))
    assert gone["ignored"] == []
    assert {c["id"] for c in gone["changes"]} == {
        "request-parameter-removed",
        "ignore-entry-expired",
    }


def test_mode_has_the_registry_meaning_for_openapi(tmp_path: Path) -> None:
    base, revision = tmp_path / "a.yaml", tmp_path / "b.yaml"
    base.write_text(_WITHOUT_LIMIT)
    revision.write_text(
        _WITH_LIMIT.replace("schema: {type: integer}", "required: true, schema: {type: integer}")
    )
    # a new required query parameter breaks old clients (BACKWARD), not a rollback (FORWARD)
    assert _apigov("diff", str(base), str(revision)).returncode == 1
    assert _apigov("diff", str(base), str(revision), "--mode", "backward").returncode == 1
    forward = _apigov("diff", str(base), str(revision), "--mode", "FORWARD", "-f", "json")
    assert forward.returncode == 0, forward.stderr
    report = json.loads(forward.stdout)
    assert report["mode"] == "FORWARD"
    assert [(c["id"], c["details"]["direction"]) for c in report["changes"]] == [
        ("request-parameter-removed", "forward")
    ]
    schema = json.loads((ROOT / "contracts" / "schemas" / "diff-report.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(report)
    assert _apigov("diff", str(base), str(revision), "--mode", "full").returncode == 1
    assert _apigov("diff", str(base), str(revision), "--mode", "none").returncode == 0


def test_registry_refs_read_the_registry_named_by_the_option(tmp_path: Path) -> None:
    from tests.e2e._cli import apigov, assert_input_error

    base, revision = tmp_path / "a.yaml", tmp_path / "b.yaml"
    base.write_text(_WITH_LIMIT)
    revision.write_text(_WITHOUT_LIMIT)
    registry = tmp_path / "team-registry"
    for spec in (base, revision):
        published = apigov("publish", str(spec), "-s", "pets-api", "--registry", str(registry), cwd=tmp_path)
        assert published.returncode == 0, published.stderr
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    # the option wins over APIGOV_REGISTRY (which names a registry without the subject)
    env = {"APIGOV_REGISTRY": str(tmp_path / "other")}
    (tmp_path / "other").mkdir()
    diff = apigov(
        "diff",
        "pets-api@1.0.0",
        "pets-api@latest",
        "--registry",
        str(registry),
        "-f",
        "json",
        cwd=elsewhere,
        env=env,
    )
    assert diff.returncode == 0, diff.stderr
    report = json.loads(diff.stdout)
    assert (report["base"]["source"], report["revision"]["source"]) == ("pets-api@1.0.0", "pets-api@latest")
    assert [c["id"] for c in report["changes"]] == ["request-parameter-removed"]
    changelog = apigov(
        "changelog", "pets-api@1.0.0", str(revision), "-r", str(registry), cwd=elsewhere, env=env
    )
    assert changelog.returncode == 0, changelog.stderr
    assert "request-parameter-removed" in changelog.stdout
    # without the option the environment's registry is asked, as before
    assert_input_error(apigov("diff", "pets-api@1.0.0", str(revision), cwd=elsewhere, env=env), "pets-api")
    missing = apigov(
        "diff", "pets-api@1.0.0", str(revision), "--registry", str(tmp_path / "nope"), cwd=elsewhere
    )
    assert_input_error(missing, "no registry at", "nope")


def test_output_never_replaces_the_ignore_file(tmp_path: Path) -> None:
    from tests.e2e._cli import apigov, assert_input_error

    (tmp_path / "a.yaml").write_text(_WITH_LIMIT)
    (tmp_path / "b.yaml").write_text(_WITHOUT_LIMIT)
    ignore = tmp_path / "accepted.yaml"
    text = "version: 1\nignore:\n  - {id: request-parameter-removed, operation: GET /pets, reason: ok}\n"
    ignore.write_text(text)
    for command in ("diff", "changelog"):
        result = apigov(
            command, "a.yaml", "b.yaml", "--ignore", "accepted.yaml", "-o", "./accepted.yaml", cwd=tmp_path
        )
        assert_input_error(result, "accepted.yaml", "input")
    (tmp_path / "apigov.yaml").write_text("diff:\n  ignore: accepted.yaml\n")
    assert_input_error(
        apigov("diff", "a.yaml", "b.yaml", "-o", "accepted.yaml", cwd=tmp_path), "accepted.yaml"
    )
    assert ignore.read_text() == text
    written = apigov("diff", "a.yaml", "b.yaml", "-o", "report.txt", cwd=tmp_path)
    assert written.returncode == 0 and "1 change ignored" in (tmp_path / "report.txt").read_text()


def test_an_operation_id_rename_breaks_the_sdk_tier_only(tmp_path: Path) -> None:
    spec = (
        "openapi: 3.0.3\ninfo: {title: T, version: 1.0.0}\npaths:\n  /pets:\n    get:\n"
        "      operationId: OP\n      responses: {'200': {description: ok}}\n"
    )
    (tmp_path / "a.yaml").write_text(spec.replace("OP", "listPets"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(spec.replace("OP", "fetchPets"), encoding="utf-8")
    schema = json.loads((ROOT / "contracts" / "schemas" / "diff-report.schema.json").read_text())
    for tier, code, level in (("sdk", 1, "breaking"), ("wire", 0, "info")):
        result = _apigov("diff", "a.yaml", "b.yaml", "--tier", tier, "--format", "json", cwd=tmp_path)
        assert result.returncode == code, result.stderr
        report = json.loads(result.stdout)
        jsonschema.Draft202012Validator(schema).validate(report)
        assert report["tier"] == tier
        levels = {c["id"]: c["level"] for c in report["changes"]}
        assert levels["api-operation-id-removed"] == level
    result = _apigov("diff", "a.yaml", "b.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (tmp_path / "apigov.yaml").write_text("diff:\n  tier: sdk\n", encoding="utf-8")
    result = _apigov("diff", "a.yaml", "b.yaml", cwd=tmp_path)
    assert result.returncode == 1 and "(tier sdk)" in result.stdout, result.stdout
    result = _apigov("diff", "a.yaml", "b.yaml", "--tier", "wire", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    result = _apigov("diff", "a.yaml", "b.yaml", "--tier", "client", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
