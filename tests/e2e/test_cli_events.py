"""``apigov diff --mode`` on event schemas as a user runs it: real process, exit codes, JSON contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from ._cli import apigov, assert_input_error

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "examples" / "shop" / "events"
CONTRACT = json.loads(
    (ROOT / "contracts" / "schemas" / "diff-report.schema.json").read_text(encoding="utf-8")
)
ORDER_CREATED = [str(EVENTS / v / "schemas" / "order-created.json") for v in ("v1", "v2")]
PAYMENT = [str(EVENTS / v / "schemas" / "payment-processed.json") for v in ("v1", "v2")]
RESERVED = [str(EVENTS / v / "avro" / "inventory-reserved.avsc") for v in ("v1", "v2")]
DELIVERED = [str(EVENTS / v / "avro" / "shipment-delivered.avsc") for v in ("v1", "v2")]
ASYNCAPI = [str(EVENTS / v / "asyncapi.yaml") for v in ("v1", "v2")]


def _json(*args: str) -> tuple[int, dict[str, object]]:
    result = apigov("diff", *args, "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    errors = [e.message for e in Draft202012Validator(CONTRACT).iter_errors(report)]
    assert not errors, errors
    return result.returncode, report


@pytest.mark.parametrize(
    ("files", "mode", "code"),
    [
        (ORDER_CREATED, "BACKWARD", 0),  # optional `channel`: v2 readers read v1 data
        (ORDER_CREATED, "FORWARD", 1),  # v1 (closed model) rejects v2 data with `channel`
        (ORDER_CREATED, "FULL", 1),
        (ORDER_CREATED, "NONE", 0),
        (ORDER_CREATED, "BACKWARD_TRANSITIVE", 0),
        (ORDER_CREATED, "FORWARD_TRANSITIVE", 1),
        (ORDER_CREATED, "FULL_TRANSITIVE", 1),
        (PAYMENT, "BACKWARD", 1),  # new required `providerReference`
        (RESERVED, "BACKWARD", 1),  # field without a default
        (RESERVED, "FORWARD", 0),
        (DELIVERED, "FULL", 0),  # field with a default
    ],
)
def test_every_mode_gates_with_the_json_contract(files: list[str], mode: str, code: int) -> None:
    returncode, report = _json(*files, "--mode", mode)
    assert returncode == code, report
    assert report["mode"] == mode
    assert report["compatible"] is (code == 0)
    for change in report["changes"]:  # type: ignore[attr-defined]
        if change["level"] == "breaking":
            assert "counter_example" in change, change


def test_the_default_mode_is_backward_and_mode_names_are_case_insensitive() -> None:
    _, default = _json(*PAYMENT)
    _, lower = _json(*PAYMENT, "--mode", "backward")
    _, mixed = _json(*PAYMENT, "--mode", "Backward")
    assert default["mode"] == lower["mode"] == mixed["mode"] == "BACKWARD"
    assert default["changes"] == lower["changes"] == mixed["changes"]
    _, hyphen = _json(*PAYMENT, "--mode", "full-transitive")
    assert hyphen["mode"] == "FULL_TRANSITIVE"


def test_transitive_checks_every_earlier_version(tmp_path: Path) -> None:
    v1 = json.loads(Path(PAYMENT[0]).read_text(encoding="utf-8"))
    v2 = json.loads(Path(PAYMENT[1]).read_text(encoding="utf-8"))
    files = []
    for name, data in (("v1.json", v1), ("v2.json", v2), ("v3.json", v2)):
        (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
        files.append(str(tmp_path / name))
    code, latest = _json(*files, "--mode", "backward")
    assert code == 0 and latest["base"]["source"] == files[1]  # type: ignore[index]
    code, every = _json(*files, "--mode", "BACKWARD_TRANSITIVE")
    assert code == 1
    breaking = [c for c in every["changes"] if c["level"] == "breaking"]  # type: ignore[attr-defined]
    assert breaking and {c["details"]["against"] for c in breaking} == {files[0]}


def test_asyncapi_messages_are_judged_per_direction_without_a_mode() -> None:
    code, report = _json(*ASYNCAPI)
    assert code == 1 and report["mode"] == "PER_MESSAGE"
    ids = {c["id"] for c in report["changes"] if c["level"] == "breaking"}  # type: ignore[attr-defined]
    assert "message-payload-enum-value-added" in ids  # a sent message gained a value old consumers lack
    code, none = _json(*ASYNCAPI, "--mode", "none")
    assert code == 0 and none["breaking"] is False


@pytest.mark.parametrize("fmt", ["text", "markdown", "sarif", "junit", "github"])
def test_every_format_renders_event_findings(fmt: str) -> None:
    result = apigov("diff", *RESERVED, "--format", fmt)
    assert result.returncode == 1, result.stderr
    assert "avro-field-added-without-default" in result.stdout


def test_an_invalid_schema_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "strng"}))
    assert_input_error(apigov("diff", ORDER_CREATED[0], str(bad)), "not a valid JSON Schema", "bad.json")
    avsc = tmp_path / "bad.avsc"
    avsc.write_text(json.dumps({"type": "record", "name": "X", "fields": [{"name": "a"}]}))
    assert_input_error(apigov("diff", RESERVED[0], str(avsc)), "not a valid Avro schema")


@pytest.mark.parametrize(
    "pair",
    [
        (ORDER_CREATED[0], RESERVED[1]),
        (ASYNCAPI[0], ORDER_CREATED[1]),
        (RESERVED[0], str(ROOT / "examples" / "shop" / "orders" / "v1" / "openapi.yaml")),
    ],
)
def test_kinds_that_cannot_be_compared_are_an_input_error(pair: tuple[str, str]) -> None:
    assert_input_error(apigov("diff", *pair, "--mode", "FULL"), "cannot compare")


def test_an_unknown_mode_is_a_usage_error() -> None:
    result = apigov("diff", *ORDER_CREATED, "--mode", "sideways")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_event_rules_are_listed_and_explained() -> None:
    listed = apigov("rules", "--command", "diff", "--family", "avro", "--format", "json")
    assert listed.returncode == 0
    ids = {r["id"] for r in json.loads(listed.stdout)["rules"]}
    assert "avro-field-added-without-default" in ids and "request-body-removed" not in ids
    explained = apigov("rules", "explain", "schema-property-added-to-open-model")
    assert explained.returncode == 0 and "--strict-open-model" in explained.stdout
