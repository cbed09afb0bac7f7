"""``apigov bundle`` on a real multi-file spec, and on bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from tests.e2e._cli import apigov, assert_input_error

ORDERS_V1 = Path(__file__).resolve().parents[2] / "examples" / "shop" / "orders" / "v1"


def test_bundles_the_multi_file_example_into_one_valid_document(tmp_path: Path) -> None:
    shutil.copytree(ORDERS_V1, tmp_path / "orders")
    result = apigov("bundle", "orders/openapi.yaml", "-o", "bundled.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    bundled = json.loads((tmp_path / "bundled.json").read_text())
    text = json.dumps(bundled)
    assert ".yaml#" not in text and '"$ref": "./' not in text  # only local references remain
    from openapi_spec_validator import validate

    validate(bundled)
    stdout = apigov("bundle", "orders/openapi.yaml", cwd=tmp_path)
    assert yaml.safe_load(stdout.stdout) == bundled
    check = apigov("check", "bundled.json", cwd=tmp_path)
    assert check.returncode == 0, check.stdout


def test_bundle_refuses_bad_input_without_writing(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /x: {$ref: 'gone.yaml'}\n"
    )
    (tmp_path / "out.yaml").write_text("previous content\n")
    assert_input_error(
        apigov("bundle", "a.yaml", "-o", "out.yaml", cwd=tmp_path), "a.yaml:4", "does not exist"
    )
    assert (tmp_path / "out.yaml").read_text() == "previous content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "out.yaml"]


def test_bundle_to_json_refuses_values_json_cannot_hold(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\nx-limit: .inf\n"
    )
    assert_input_error(apigov("bundle", "a.yaml", "-f", "json", cwd=tmp_path), "JSON cannot represent")
    yaml_out = apigov("bundle", "a.yaml", cwd=tmp_path)
    assert yaml_out.returncode == 0 and "x-limit: .inf" in yaml_out.stdout


def test_bundled_yaml_keeps_strings_that_look_like_numbers(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\nx-ids: ['00340434161094042557', '1e3', 'yes']\n"
    )
    result = apigov("bundle", "a.yaml", cwd=tmp_path)
    assert yaml.safe_load(result.stdout)["x-ids"] == ["00340434161094042557", "1e3", "yes"]
