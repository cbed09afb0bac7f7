"""What a fuzz run concludes when it cannot decide everything: operations Schemathesis could not
test, failures that could not be replayed, and curl lines that still run without the secret."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from apigov.fuzz._worker import runnable_curl
from apigov.fuzz.model import Auth, Failure, FuzzResult, OperationOutcome
from apigov.fuzz.report import FORMATS
from apigov.fuzz.run import _untested, curl_secrets

SCHEMA = Path(__file__).parents[3] / "contracts" / "schemas" / "fuzz-report.schema.json"


def _result(**extra: object) -> FuzzResult:
    base: dict[str, object] = {
        "contract": "orders.yaml", "base_url": "http://127.0.0.1:1", "seed": 1, "checks": ("not_a_server_error",),
        "phases": ("examples",), "operations_total": 2,
        "operations": (OperationOutcome("GET /orders", {"not_a_server_error": True}),), "failures": (),
    }
    base.update(extra)
    return FuzzResult(**base)  # type: ignore[arg-type]


def _render(result: FuzzResult) -> dict[str, str]:
    rendered = {}
    for name, render in FORMATS.items():
        out = io.StringIO()
        render(result, out)
        rendered[name] = out.getvalue()
    return rendered


def test_an_untested_operation_fails_the_run_unless_allowed_and_every_format_says_so() -> None:
    import jsonschema

    untested = (("GET /export", "Cannot generate test data for query parameter 'q'"),)
    result = _result(untested=untested)
    assert result.verdict == "untested" and not result.passed
    allowed = _result(untested=untested, allow_untested=True)
    assert allowed.verdict == "passed" and allowed.passed
    for each, verdict in ((result, "INCOMPLETE"), (allowed, "passed")):
        rendered = _render(each)
        assert f"apigov fuzz {verdict}" in rendered["text"]
        assert "not (fully) tested: GET /export: Cannot generate test data" in rendered["text"]
        assert "1 operation(s) not tested" in rendered["text"]
        document = json.loads(rendered["json"])
        jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text())).validate(document)
        assert document["untested"] == [{"operation": "GET /export", "reason": untested[0][1]}]
        assert document["summary"]["untested"] == 1
        assert "Not tested" in rendered["markdown"] and "Cannot generate test data" in rendered["markdown"]
        case = ET.fromstring(rendered["junit"]).find(".//testcase[@classname='GET /export']")
        assert case is not None
        assert case.find("error" if each is result else "skipped") is not None
    assert json.loads(_render(result)["json"])["verdict"] == "untested"
    assert ":warning:" in _render(result)["markdown"]


def test_untested_operations_are_found_with_their_reason() -> None:
    operations = (OperationOutcome("GET /a", {"x": True}), OperationOutcome("GET /b", {"x": True}))
    operations += (OperationOutcome("GET /e", {"x": True}),)
    outcome = {"untested": {"GET /c": "No examples in schema (examples phase)"}, "unusable": {"GET /b": "Unsatisfiable"},
               "exercised": ["GET /a", "GET /b"]}
    found = dict(_untested(["GET /a", "GET /b", "GET /c", "GET /d", "GET /e"], operations, outcome, "completed"))
    assert found == {
        "GET /b": "only partly tested: Unsatisfiable",
        "GET /e": "no valid request could be generated (only invalid ones or other methods were sent)",
        "GET /c": "No examples in schema (examples phase)",
        "GET /d": "no request was generated for it",
    }
    assert dict(_untested(["GET /d"], (), {}, "max-time")) == {"GET /d": "the run reached --max-time before it"}


def test_a_failure_that_could_not_be_replayed_is_unconfirmed_in_every_format_and_still_fails() -> None:
    failure = Failure(operation="GET /orders/{id}", check="ensure_resource_availability", code="ST302",
                      title="Created resource not found", message="404", curl="curl -X POST x\ncurl -X GET y",
                      fingerprint="abc123def456", replayed=False,
                      replay_note="not replayed: the run reached --max-time first")
    result = _result(failures=(failure,))
    assert result.verdict == "failed"
    rendered = _render(result)
    assert "UNCONFIRMED, not replayed: the run reached --max-time first" in rendered["text"]
    assert "1 failure(s) not replayed" in rendered["text"]
    document = json.loads(rendered["json"])
    assert document["failures"][0]["replayed"] is False and document["summary"]["not_replayed"] == 1
    assert "**no**: not replayed" in rendered["markdown"]
    assert "UNCONFIRMED" in rendered["junit"]
    confirmed = _render(_result(failures=(Failure(**{**{s: getattr(failure, s) for s in Failure.__slots__},
                                                     "replayed": True, "replay_note": ""}),)))
    assert "replayed: the whole chain failed again" in confirmed["text"]


def test_curl_lines_read_the_credential_from_the_environment() -> None:
    masked = ("curl -X GET -H 'Authorization: [Filtered]' -H 'X-Api-Key: [Filtered]' "
              "-H 'Cookie: [Filtered]' http://127.0.0.1:1/orders")
    secrets = curl_secrets(Auth("bearer", value="s3cret"), (("X-Api-Key", "k"),))
    assert runnable_curl(masked, secrets) == (
        'curl -X GET -H "Authorization: Bearer $APIGOV_FUZZ_TOKEN" -H "X-Api-Key: $APIGOV_FUZZ_HEADER_X_API_KEY" '
        '-H "Cookie: $APIGOV_FUZZ_HEADER_COOKIE" http://127.0.0.1:1/orders'
    )
    assert curl_secrets(Auth("apikey", value="k", name="X-Key"), ()) == {"x-key": "$APIGOV_FUZZ_TOKEN"}
    note = _render(_result(failures=(Failure("GET /o", "c", "ST1", "t", "m", runnable_curl(masked, secrets), "f"),)))
    assert "export them before running a line" in note["text"]


def test_hypothesis_unicode_tables_are_kept_between_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from apigov.fuzz.run import _unicode_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first, second = tmp_path / "run1", tmp_path / "run2"
    built = first / ".hypothesis" / "unicode_data" / "14.0.0" / "charmap.json.gz"
    built.parent.mkdir(parents=True)
    built.write_bytes(b"tables")
    _unicode_cache(first, restore=False)
    _unicode_cache(second, restore=True)
    assert (second / ".hypothesis" / "unicode_data" / "14.0.0" / "charmap.json.gz").read_bytes() == b"tables"
    assert not list((tmp_path / "cache").rglob(".*.tmp"))
    _unicode_cache(tmp_path / "nothing", restore=False)  # no tables built: nothing happens
