"""Publish validates contracts as `apigov check` does, keeps subjects with an unreadable old
version publishable, never names a temporary path (issue 13, item 1), and digests a canonical
form, so reordered keys or another spelling of a number are no new version (item 2).

``tests/data/registry-0.1`` was written by apigov 0.1.0 before these changes (see its README):
registries of today's apigov must still open and accept publishes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.e2e._cli import apigov, assert_input_error

OLD_REGISTRY = Path(__file__).parents[1] / "data" / "registry-0.1"

BAD = {
    "s.json": '{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",'
    ' "properties": {"a": {"type": "strin"}}}',
    "r.avsc": '{"type": "record", "name": "R", "fields": [{"name": "a", "type": "strin"}]}',
    "o.yaml": "openapi: 3.0.3\n",
}

GOOD_SCHEMA = (
    '{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",'
    ' "properties": {"a": {"type": "string"}}}'
)

ORDERS_REORDERED = """\
paths:
  /orders:
    get:
      responses:
        '200':
          content:
            application/json:
              schema:
                properties:
                  status: {enum: [open, closed], type: string}
                  total: {maximum: 1.0e+2, type: number}
                type: object
          description: ok
info: {version: 1.0.0, title: Orders}
openapi: 3.0.3
"""


@pytest.fixture
def old_registry(tmp_path: Path) -> Path:
    registry = tmp_path / "reg"
    shutil.copytree(OLD_REGISTRY, registry)
    (registry / "README.md").unlink()
    return registry


@pytest.mark.parametrize("name", sorted(BAD))
def test_an_invalid_contract_is_refused_and_nothing_stored(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(BAD[name])
    result = apigov("publish", name, "--subject", "x", "--registry", "reg", cwd=tmp_path)
    assert_input_error(result, name, "not a valid")
    assert "/tmp" not in result.stderr
    assert not (tmp_path / "reg" / "x").exists()


def test_lint_findings_do_not_block_a_publish(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("openapi: 3.0.3\ninfo: {title: A, version: 1.0.0}\npaths: {}\n")
    result = apigov("publish", "a.yaml", "--subject", "a", "--registry", "reg", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("extra", [[], ["--version", "2.0.0"]])
def test_a_subject_holding_an_unreadable_version_stays_publishable(
    old_registry: Path, tmp_path: Path, extra: list[str]
) -> None:
    (tmp_path / "s2.json").write_text(GOOD_SCHEMA)
    result = apigov(
        "publish", "s2.json", "--subject", "s", "--registry", str(old_registry), *extra, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "published s@" in result.stdout
    assert "s@1.0.0" in result.stderr and "warning" in result.stderr
    assert "/tmp" not in result.stderr + result.stdout.replace(str(old_registry), "REG")


def test_keys_reordered_and_numbers_respelled_are_the_same_version(
    old_registry: Path, tmp_path: Path
) -> None:
    (tmp_path / "orders.yaml").write_text(ORDERS_REORDERED)
    for extra in ([], ["--version", "1.0.0"], ["--bump", "patch"]):
        result = apigov(
            "publish",
            "orders.yaml",
            "-s",
            "orders",
            "-r",
            str(old_registry),
            "-f",
            "json",
            *extra,
            cwd=tmp_path,
        )
        assert result.returncode == 0, (extra, result.stderr)
        outcome = json.loads(result.stdout)
        assert outcome["status"] == "unchanged", (extra, outcome)
        assert outcome["version"] == "1.0.0"
        assert outcome["canonical_digest"].startswith("sha256:")
    assert sorted(p.name for p in (old_registry / "orders").glob("*.yaml")) == ["1.0.0.yaml"]


def test_strings_are_compared_exactly(old_registry: Path, tmp_path: Path) -> None:
    # "closed" with a combining accent is another enum value, not a normalised spelling of it
    (tmp_path / "orders.yaml").write_text(ORDERS_REORDERED.replace("closed", "close\u0301d"))
    result = apigov(
        "publish", "orders.yaml", "-s", "orders", "-r", str(old_registry), "-f", "json", cwd=tmp_path
    )
    assert json.loads(result.stdout)["status"] != "unchanged", result.stdout
