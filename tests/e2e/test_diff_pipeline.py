"""One diff pipeline for ``diff``, ``registry diff`` and ``publish``: the bugs of two pipelines
drifting apart, each shown on the real CLI (they all failed before the pipeline was one)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.e2e._cli import apigov, assert_input_error

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
SCHEMA = "https://json-schema.org/draft/2020-12/schema"
ENUM_2 = {"type": "record", "name": "R", "fields": [{"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}}]}  # fmt: skip
ENUM_3 = {"type": "record", "name": "R", "fields": [{"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B", "C"]}}]}  # fmt: skip


def _write(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return path


def _json(cwd: Path, *args: str) -> dict[str, object]:
    result = apigov(*args, "-f", "json", "--registry", "reg", cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def _changes(report: dict[str, object]) -> list[dict[str, object]]:
    changes = report["changes"]
    assert isinstance(changes, list)
    return changes


def _publish(cwd: Path, path: str, *args: str) -> None:
    result = apigov("publish", path, "-s", "s-value", "--registry", "reg", *args, cwd=cwd)
    assert result.returncode == 0, result.stderr


def _format_added(tmp_path: Path) -> None:
    _write(
        tmp_path / "s1.json", {"$schema": SCHEMA, "type": "object", "properties": {"x": {"type": "string"}}}
    )
    _write(
        tmp_path / "s2.json",
        {"$schema": SCHEMA, "type": "object", "properties": {"x": {"type": "string", "format": "email"}}},
    )
    _publish(tmp_path, "s1.json", "--mode", "none")  # an undecided change breaks a publish otherwise
    _publish(tmp_path, "s2.json")


def test_diff_overrides_apply_to_event_schemas(tmp_path: Path) -> None:
    _write(tmp_path / "v1" / "r.avsc", ENUM_2)
    _write(tmp_path / "v2" / "r.avsc", ENUM_3)
    (tmp_path / "apigov.yaml").write_text(
        "diff:\n  overrides:\n    - files: ['v2/*.avsc']\n      rules: {avro-enum-symbol-added: warning}\n",
        encoding="utf-8",
    )
    changes = _changes(_json(tmp_path, "diff", "v1/r.avsc", "v2/r.avsc", "--mode", "forward"))
    assert [(c["id"], c["level"]) for c in changes] == [("avro-enum-symbol-added", "warning")]
    elsewhere = tmp_path / "other"
    _write(elsewhere / "v1" / "r.avsc", ENUM_2)
    _write(elsewhere / "v3" / "r.avsc", ENUM_3)
    (elsewhere / "apigov.yaml").write_text((tmp_path / "apigov.yaml").read_text(), encoding="utf-8")
    changes = _changes(_json(elsewhere, "diff", "v1/r.avsc", "v3/r.avsc", "--mode", "forward"))
    assert [(c["id"], c["level"]) for c in changes] == [("avro-enum-symbol-added", "breaking")]


def test_registry_diff_reports_what_apigov_diff_reports_on_the_same_refs(tmp_path: Path) -> None:
    _format_added(tmp_path)
    refs = ("s-value@1.0.0", "s-value@latest")
    direct = _changes(_json(tmp_path, "diff", *refs))
    through_registry = _changes(_json(tmp_path, "registry", "diff", *refs))
    assert [(c["id"], c["level"]) for c in direct] == [("schema-format-added", "warning")]
    assert through_registry == direct
    assert direct[0]["file"] == "s-value@latest" and direct[0]["line"]


def test_registry_refs_never_name_a_temporary_file(tmp_path: Path) -> None:
    shutil.copytree(SHOP / "orders", tmp_path / "orders")
    steps = [
        ("publish", "orders/v1/openapi.yaml", "-s", "orders-api"),
        ("registry", "set-mode", "orders-api", "NONE"),  # v2 breaks v1
        ("publish", "orders/v2/openapi.yaml", "-s", "orders-api"),
    ]
    for step in steps:
        assert apigov(*step, "--registry", "reg", cwd=tmp_path).returncode == 0
    refs = ("orders-api@1.0.0", "orders-api@latest")
    runs = [("diff", f) for f in ("json", "sarif", "junit", "github", "markdown", "text")]
    runs += [("registry diff", f) for f in ("json", "text")]
    for line, output_format in runs:
        result = apigov(*line.split(), *refs, "-f", output_format, "--registry", "reg", cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert "apigov-ref-" not in result.stdout and "/tmp" not in result.stdout, (line, output_format)
    changes = _changes(_json(tmp_path, "diff", *refs))
    located = [c["details"]["base_location"] for c in changes if "base_location" in c["details"]]  # type: ignore[operator,index]
    assert located and all(str(where).startswith("orders-api@1.0.0:") for where in located), located


def test_full_mode_names_the_same_avro_change_in_diff_and_publish(tmp_path: Path) -> None:
    _write(tmp_path / "r1.avsc", ENUM_2)
    _write(tmp_path / "r2.avsc", ENUM_3)
    diffed = _changes(_json(tmp_path, "diff", "r1.avsc", "r2.avsc", "--mode", "full"))
    assert [(c["id"], c["level"]) for c in diffed] == [("avro-enum-symbol-added", "breaking")]
    _publish(tmp_path, "r1.avsc", "--mode", "full")
    refused = apigov("publish", "r2.avsc", "-s", "s-value", "--registry", "reg", "-f", "json", cwd=tmp_path)
    assert refused.returncode == 1, refused.stderr
    failures = json.loads(refused.stdout)["failures"]
    assert [(f["direction"], [(c["id"], c["level"]) for c in f["changes"]]) for f in failures] == [
        ("forward", [("avro-enum-symbol-added", "breaking")])
    ]


UNDECIDED_JSON = {"$schema": SCHEMA, "type": "object", "properties": {"x": {"type": "string", "pattern": "^a+$"}}}  # fmt: skip
UNDECIDED_YAML = """openapi: 3.1.0
info: {title: t, version: 1.0.0}
paths:
  /p:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {x: {type: string, pattern: "^a+$"}}}
      responses:
        '200': {description: ok}
"""


def _undecided_pairs(tmp_path: Path) -> dict[str, tuple[str, str, str]]:
    """An undecided change (one pattern replaced by another the engine cannot compare it with,
    here a wider one) in OpenAPI and in an event schema."""
    _write(tmp_path / "a.json", UNDECIDED_JSON)
    changed = json.loads(json.dumps(UNDECIDED_JSON).replace("^a+$", "^(a|b)+$"))
    _write(tmp_path / "b.json", changed)
    (tmp_path / "a.yaml").write_text(UNDECIDED_YAML, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(UNDECIDED_YAML.replace("^a+$", "^(a|b)+$"), encoding="utf-8")
    return {
        "openapi": ("a.yaml", "b.yaml", "request-property-pattern-changed"),
        "events": ("a.json", "b.json", "schema-pattern-changed"),
    }


def test_one_undecided_policy_for_openapi_and_events(tmp_path: Path) -> None:
    for old, new, rule_id in _undecided_pairs(tmp_path).values():
        for extra, level in (((), "warning"), (("--undecided", "breaking"), "breaking")):
            changes = [c for c in _changes(_json(tmp_path, "diff", old, new, *extra)) if c["id"] == rule_id]
            assert [(c["level"], c["details"]["undecided"]) for c in changes] == [(level, "true")], (
                old,
                extra,
            )  # type: ignore[index]
    (tmp_path / "apigov.yaml").write_text("diff:\n  undecided: breaking\n", encoding="utf-8")
    for old, new, _ in _undecided_pairs(tmp_path).values():
        result = apigov("diff", old, new, cwd=tmp_path)
        assert result.returncode == 1, result.stdout
        assert "not decided: reported as breaking" in result.stdout
    (tmp_path / "apigov.yaml").write_text("diff:\n  undecided: maybe\n", encoding="utf-8")
    assert_input_error(apigov("diff", "a.json", "b.json", cwd=tmp_path), "diff.undecided")


def test_a_registry_publish_judges_an_undecided_change_breaking(tmp_path: Path) -> None:
    _undecided_pairs(tmp_path)
    _publish(tmp_path, "a.json")
    refused = apigov("publish", "b.json", "-s", "s-value", "--registry", "reg", "-f", "json", cwd=tmp_path)
    assert refused.returncode == 1, refused.stderr
    failures = json.loads(refused.stdout)["failures"]
    assert [[(c["id"], c["level"]) for c in f["changes"]] for f in failures] == [
        [("schema-pattern-changed", "breaking")]
    ]
    assert apigov("diff", "a.json", "b.json", cwd=tmp_path).returncode == 0  # apigov diff: a warning
