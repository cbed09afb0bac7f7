"""``apigov check`` as a user runs it: exit codes, bad input, configuration, formats."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.e2e._cli import apigov, assert_input_error

CLEAN = Path(__file__).resolve().parents[1] / "data" / "rules" / "_clean" / "openapi.yaml"
HEAD = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n"


def test_clean_spec_passes(tmp_path: Path) -> None:
    result = apigov("check", str(CLEAN), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problems in 1 file" in result.stdout
    assert result.stderr == ""


def test_findings_fail_the_gate_at_the_chosen_level(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(HEAD + "servers: [{url: 'https://x.example.com'}]\nsecurity: []\npaths: {}\n")
    warnings_only = apigov("check", "s.yaml", cwd=tmp_path)
    assert warnings_only.returncode == 0
    assert "s.yaml:4:1" in warnings_only.stdout or "paths-empty" in warnings_only.stdout
    assert apigov("check", "s.yaml", "--fail-on", "warning", cwd=tmp_path).returncode == 1
    assert apigov("check", "s.yaml", "--fail-on", "none", cwd=tmp_path).returncode == 0
    spec.write_text(HEAD + "paths:\n  /a/{id}:\n    get:\n      responses: {'200': {description: ok}}\n")
    invalid = apigov("check", "s.yaml", cwd=tmp_path)
    assert invalid.returncode == 1
    assert "s.yaml:5:5" in invalid.stdout and "openapi-structure-invalid" in invalid.stdout


BAD_INPUTS = {
    "malformed.yaml": ("openapi: 3.0.3\ninfo: {title: T\npaths: {}\n", ["malformed.yaml:3", "invalid YAML"]),
    "malformed.json": ('{"openapi": "3.0.3",\n "info": }', ["malformed.json:2", "invalid JSON"]),
    "empty.yaml": ("", ["empty.yaml", "empty document"]),
    "dup.yaml": (HEAD + "paths: {}\npaths: {}\n", ["dup.yaml:4", "duplicate key 'paths'"]),
    "notaspec.yaml": ("hello: world\n", ["notaspec.yaml", "not an OpenAPI"]),
    "v4.yaml": ("openapi: 4.0.0\n", ["unsupported OpenAPI version"]),
    "cycle.yaml": (
        HEAD + "paths:\n  /a: {$ref: '#/paths/~1b'}\n  /b: {$ref: '#/paths/~1a'}\n",
        ["circular $ref"],
    ),
    "missing-file.yaml": (
        HEAD + "paths:\n  /a: {$ref: 'nope.yaml'}\n",
        ["missing-file.yaml:4", "does not exist"],
    ),
    "missing-ptr.yaml": (HEAD + "paths:\n  /a: {$ref: '#/components/x'}\n", ["points to nothing"]),
    "outside.yaml": (
        HEAD + "paths:\n  /a: {$ref: '/etc/passwd'}\n",
        ["reaches outside", "--allow-ref-outside"],
    ),
    "remote.yaml": (
        HEAD + "paths:\n  /a: {$ref: 'https://example.invalid/x.yaml'}\n",
        ["--allow-remote-refs"],
    ),
    "tag.yaml": ("openapi: !!python/object/apply:os.system ['touch pwned']\n", ["not allowed"]),
    "bigint.yaml": (HEAD + "paths: {}\nx-n: " + "9" * 5000 + "\n", ["bigint.yaml:4", "is too long"]),
    "surrogate.json": (
        '{"openapi": "3.0.3", "info": {"title": "\\ud800", "version": "1"}, "paths": {}}',
        ["surrogate"],
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, name: str) -> None:
    text, words = BAD_INPUTS[name]
    (tmp_path / name).write_text(text)
    assert_input_error(apigov("check", name, cwd=tmp_path), *words)
    assert not (tmp_path / "pwned").exists()


def test_control_characters_in_names_are_escaped_on_stderr(tmp_path: Path) -> None:
    (tmp_path / "a\x1b[31mb.yaml").write_text("a: 1\na: 2\n")
    result = apigov("check", "a\x1b[31mb.yaml", cwd=tmp_path)
    assert_input_error(result, "a\\x1b[31mb.yaml:2", "duplicate key")
    assert "\x1b" not in result.stderr


def test_debug_is_accepted_after_the_command(tmp_path: Path) -> None:
    assert apigov("check", "--debug", str(CLEAN), cwd=tmp_path).returncode == 0


def test_binary_file_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "img.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert_input_error(apigov("check", "img.yaml", cwd=tmp_path), "binary")
    assert_input_error(apigov("check", "absent.yaml", cwd=tmp_path), "absent.yaml", "no such file")


def test_alias_bomb_and_deep_nesting(tmp_path: Path) -> None:
    lines = ["openapi: 3.0.3", 'a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    (tmp_path / "bomb.yaml").write_text("\n".join(lines) + "\n")
    assert_input_error(apigov("check", "bomb.yaml", cwd=tmp_path), "aliases expand to more than")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    assert_input_error(apigov("check", "deep.json", cwd=tmp_path), "nested too deeply")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["check", "--nope"], ["No such option '--nope'", "apigov check --help"]),
        (["check", "--format", "xml", "x.yaml"], ["'xml' is not one of"]),
        (["frobnicate"], ["No such command 'frobnicate'"]),
        (["rules", "explain", "no-such-rule"], ["unknown rule id"]),
        (["rules", "explain", "info-contact-mising"], ["did you mean 'info-contact-missing'"]),
        (["check"], ["no contracts given"]),
        (["--config", "absent.yaml", "check", "x.yaml"], ["absent.yaml", "does not exist"]),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], words: list[str]) -> None:
    assert_input_error(apigov(*args, cwd=tmp_path), *words)


def test_config_switches_rules_and_levels(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # the config search stops here
    api = tmp_path / "api"
    api.mkdir()
    (api / "legacy.yaml").write_text(HEAD + "servers: [{url: 'http://legacy.example.com'}]\npaths: {}\n")
    (api / "new.yaml").write_text(HEAD + "servers: [{url: 'http://new.example.com'}]\npaths: {}\n")
    config = tmp_path / "apigov.yaml"
    config.write_text(
        "contracts: ['api/*.yaml']\n"
        "lint:\n  rules:\n    server-url-not-https: error\n    paths-empty: off\n"
        "  overrides:\n    - files: ['api/legacy.yaml']\n      rules: {server-url-not-https: info}\n"
    )
    result = apigov("check", "--format", "json", cwd=api)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    by_file = {(f["file"], f["id"]): f["level"] for f in report["findings"]}
    assert by_file[("legacy.yaml", "server-url-not-https")] == "info"
    assert by_file[("new.yaml", "server-url-not-https")] == "error"
    assert not any(f["id"] == "paths-empty" for f in report["findings"])
    config.write_text("lint:\n  rules:\n    no-such-rule: off\n")
    assert_input_error(apigov("check", "legacy.yaml", cwd=api), "unknown rule id 'no-such-rule'")
    config.write_text("lint:\n  rules:\n    paths-empty: loud\n")
    assert_input_error(apigov("check", "legacy.yaml", cwd=api), "apigov.yaml:3", "setting must be one of")
    config.write_text("lint:\n  rules:\n    openapi-structure-invalid: off\n")
    assert_input_error(apigov("check", "legacy.yaml", cwd=api), "cannot be switched off")
    config.write_text("lintt: {}\n")
    assert_input_error(apigov("check", "legacy.yaml", cwd=api), "unknown key 'lintt'")
    config.write_text("refs: []\n")
    assert_input_error(apigov("check", "legacy.yaml", cwd=api), "/refs must be a mapping")
    config.write_text("version: 99\n")
    assert_input_error(apigov("check", "legacy.yaml", cwd=api), "apigov.yaml:1", "version must be 1")
    config.write_text("lint:\n  rules:\n    paths-empty: false\n")
    assert_input_error(apigov("check", "legacy.yaml", cwd=api), "apigov.yaml:3", "not False")
    config.write_text("lint:\n  rules:\n    openapi-structure-invalid: info\n")
    assert_input_error(apigov("check", "legacy.yaml", cwd=api), "apigov.yaml:3", "structural")
    config.write_text("lint:\n\n  rules:\n    not-a-rule: info\n")
    assert_input_error(apigov("check", "legacy.yaml", cwd=api), "apigov.yaml:4", "unknown rule id")
    config.write_text("")
    assert "server-url-not-https" in apigov("check", "legacy.yaml", cwd=api).stdout  # empty: the defaults


def test_file_globs_do_not_cross_directories(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    for folder in ("legacy", "legacy/deep"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.yaml").write_text(HEAD + "paths: {}\n")
    (tmp_path / "apigov.yaml").write_text(
        "lint:\n  overrides:\n    - files: ['legacy/*']\n      rules: {paths-empty: off}\n"
    )
    report = json.loads(apigov("check", "legacy", "-f", "json", "--fail-on", "none", cwd=tmp_path).stdout)
    flagged = [f["file"] for f in report["findings"] if f["id"] == "paths-empty"]
    assert flagged == ["legacy/deep/a.yaml"]


def test_api_path_overrides(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "s.yaml").write_text(
        HEAD + "paths:\n  /internal/a:\n    get: {responses: {'200': {description: ok}}}\n"
        "  /public/b:\n    get: {responses: {'200': {description: ok}}}\n"
    )
    (tmp_path / "apigov.yaml").write_text(
        "lint:\n  overrides:\n    - paths: ['/internal/**']\n      rules: {operation-security-missing: off}\n"
    )
    report = json.loads(apigov("check", "s.yaml", "-f", "json", "--fail-on", "none", cwd=tmp_path).stdout)
    flagged = [f["details"]["path"] for f in report["findings"] if f["id"] == "operation-security-missing"]
    assert flagged == ["/public/b"]


def test_directories_are_searched_and_non_contracts_skipped(tmp_path: Path) -> None:
    (tmp_path / "specs" / "node_modules").mkdir(parents=True)
    (tmp_path / "specs" / "a.yaml").write_text(CLEAN.read_text())
    (tmp_path / "specs" / "notes.yaml").write_text("just: notes\n")
    (tmp_path / "specs" / "node_modules" / "x.yaml").write_text("openapi: broken\n")
    result = apigov("check", "specs", "-f", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [d["source"] for d in json.loads(result.stdout)["documents"]] == ["specs/a.yaml"]
    (tmp_path / "empty").mkdir()
    assert_input_error(apigov("check", "empty", cwd=tmp_path), "no contract found")


def test_output_file_is_written_atomically(tmp_path: Path) -> None:
    result = apigov("check", str(CLEAN), "-f", "json", "-o", "report.json", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == ""
    assert json.loads((tmp_path / "report.json").read_text())["apigov"] == "check/1"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "report.json").stat().st_mode & 0o777 == 0o666 & ~umask  # as for any new file
    assert_input_error(apigov("check", str(CLEAN), "-o", "no/such/dir/r.txt", cwd=tmp_path), "does not exist")


def test_version_and_help(tmp_path: Path) -> None:
    version = apigov("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("apigov ")
    help_text = apigov("--help", cwd=tmp_path)
    assert help_text.returncode == 0
    for command in ("check", "bundle", "rules"):
        assert command in help_text.stdout
    assert apigov(cwd=tmp_path).returncode == 0  # bare `apigov` shows the help


def test_junit_failures_follow_the_gate(tmp_path: Path) -> None:
    """A JUnit case fails exactly when its finding reaches --fail-on, as the exit code does."""
    spec = tmp_path / "a.yaml"
    spec.write_text(HEAD + "paths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n")
    lenient = apigov("check", str(spec), "-f", "junit", "--fail-on", "error")
    strict = apigov("check", str(spec), "-f", "junit", "--fail-on", "warning")
    assert (lenient.returncode, strict.returncode) == (0, 1), lenient.stderr + strict.stderr
    assert "<failure" not in lenient.stdout and "level: warning" in strict.stdout
