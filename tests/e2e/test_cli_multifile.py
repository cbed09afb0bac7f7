"""Multi-file specs as Redocly-built ones are written: `$ref` to strings, arrays and objects
across folders (issue 13, item 8), a `$ref` to a file holding only a string said in the user's
terms (item 7), and the project root as the boundary of relative `$ref` (item 8)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from benchmarks.multifile import generate
from tests.e2e._cli import apigov, assert_input_error


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("fleet"), resources=60)


def test_the_fixture_has_hundreds_of_files(fleet: Path) -> None:
    assert len(list(fleet.parent.rglob("*.yml"))) >= 300


def test_check_resolves_refs_to_any_value_and_says_so_as_info(fleet: Path) -> None:
    result = apigov("check", str(fleet), "-f", "json", "--fail-on", "error", cwd=fleet.parent)
    assert result.returncode == 0, result.stderr + result.stdout[-2000:]
    report = json.loads(result.stdout)
    assert not [f for f in report["findings"] if f["level"] == "error"]
    notes = [f for f in report["findings"] if f["id"] == "ref-target-not-object"]
    assert notes and all(f["level"] == "info" for f in notes)
    # positions are those of the file that holds the value
    intro = [f for f in notes if f["file"] == "description.yml"]
    assert intro and intro[0]["line"] == 1, intro


def test_bundle_inlines_strings_arrays_and_objects(fleet: Path, tmp_path: Path) -> None:
    out = tmp_path / "bundled.json"
    result = apigov("bundle", str(fleet), "-o", str(out), cwd=fleet.parent)
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["info"]["description"].startswith("# Fleet API")
    assert data["tags"][0] == {"name": "r0", "description": "Resource 0"}
    assert data["servers"][0]["url"] == "https://api.example.com"
    assert "bearer token" in data["servers"][0]["description"]
    assert "$ref" not in json.dumps(data["paths"]["/r3"]["get"]["description"])


def test_diff_reads_it(fleet: Path) -> None:
    result = apigov("diff", str(fleet), str(fleet), cwd=fleet.parent)
    assert result.returncode == 0, result.stderr


def test_a_ref_cycle_through_values_is_still_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: A, version: 1.0.0, description: {$ref: 'b.yaml#/x'}}\npaths: {}\n"
    )
    (tmp_path / "b.yaml").write_text("x: {$ref: '#/y'}\ny: {$ref: '#/x'}\n")
    assert_input_error(apigov("check", "a.yaml", cwd=tmp_path), "circular")


def test_a_ref_to_a_file_holding_only_a_string_where_an_object_belongs(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: A, version: 1.0.0}\npaths:\n  /a:\n    get:\n"
        "      responses:\n        '200': {$ref: 'ok.yaml'}\n"
    )
    (tmp_path / "ok.yaml").write_text("just some words\n")
    result = apigov("check", "a.yaml", "-f", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    errors = [f for f in json.loads(result.stdout)["findings"] if f["level"] == "error"]
    assert errors, result.stdout
    text = " ".join(f["message"] for f in errors)
    assert "TypeError" not in text and "string indices" not in text
    assert "'$ref' to ok.yaml" in text and "a string" in text and "response" in text, text


def _service_layout(root: Path) -> Path:
    (root / "common").mkdir(parents=True)
    (root / "common" / "messages.yaml").write_text(
        "Ping:\n  payload:\n    type: object\n    properties:\n      at: {type: string}\n"
    )
    service = root / "services" / "pinger"
    service.mkdir(parents=True)
    spec = service / "asyncapi.yaml"
    spec.write_text(
        "asyncapi: 3.0.0\ninfo: {title: Pinger, version: 1.0.0}\n"
        "channels:\n  ping:\n    address: ping\n    messages:\n"
        "      ping: {$ref: '../../common/messages.yaml#/Ping'}\n"
        "operations:\n  sendPing:\n    action: send\n    channel: {$ref: '#/channels/ping'}\n"
    )
    return spec


def test_the_project_root_is_the_boundary_apigov_yaml(tmp_path: Path) -> None:
    spec = _service_layout(tmp_path)
    (tmp_path / "apigov.yaml").write_text("version: 1\n")
    result = apigov("check", str(spec.relative_to(tmp_path)), cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    # from another directory too: the root is where apigov.yaml is, not the cwd
    result = apigov("bundle", str(spec), cwd=spec.parent)
    assert result.returncode == 0, result.stderr


def test_the_project_root_is_the_boundary_git(tmp_path: Path) -> None:
    spec = _service_layout(tmp_path)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = apigov("check", str(spec), cwd=spec.parent)
    assert result.returncode in (0, 1), result.stderr


def test_without_a_project_the_directory_given_is_the_boundary(tmp_path: Path) -> None:
    spec = _service_layout(tmp_path)
    assert_input_error(apigov("check", str(spec), cwd=tmp_path), "reaches outside")


def test_outside_the_project_and_symlinks_out_stay_refused(tmp_path: Path) -> None:
    project = tmp_path / "project"
    spec = _service_layout(project)
    (project / "apigov.yaml").write_text("version: 1\n")
    (tmp_path / "secret.yaml").write_text("Ping: {payload: {type: string}}\n")
    text = spec.read_text()
    spec.write_text(text.replace("../../common/messages.yaml", "../../../secret.yaml"))
    assert_input_error(apigov("check", str(spec), cwd=project), "reaches outside")
    (project / "common" / "link.yaml").symlink_to(tmp_path / "secret.yaml")
    spec.write_text(text.replace("messages.yaml", "link.yaml"))
    assert_input_error(apigov("check", str(spec), cwd=project), "reaches outside")
    spec.write_text(text.replace("../../common/messages.yaml#/Ping", f"file://{tmp_path}/secret.yaml#/Ping"))
    assert_input_error(apigov("check", str(spec), cwd=project), "reaches outside")
