"""``apigov diff --mode`` on OpenAPI: the meaning a registry subject's mode has (policy.judge)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apigov.config.project import load_config
from apigov.core.findings import Level, Report
from apigov.registry.filesystem import DirectoryBackend
from apigov.registry.publish import PublishRequest, publish
from apigov.rules.openapi_modes import FORWARD_NOTE, diff_with_mode
from apigov.rules.run import DiffRequest
from apigov.schema.modes import Mode

CONFIG = load_config(None)


def spec(*, name_required: bool = False, query_required: bool = False) -> str:
    properties = {"id": {"type": "integer"}}
    required = ["id"]
    if name_required:
        properties["name"] = {"type": "string"}
        required.append("name")
    operation: dict[str, object] = {
        "responses": {
            "200": {
                "description": "ok",
                "content": {
                    "application/json": {
                        "schema": {"type": "object", "properties": properties, "required": required}
                    }
                },
            }
        }
    }
    if query_required:
        operation["parameters"] = [
            {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}}
        ]
    return json.dumps(
        {"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {"/pets": {"get": operation}}}
    )


PLAIN = spec()
NAME_ADDED = spec(name_required=True)  # a new required response property: breaks a rollback only
QUERY_ADDED = spec(query_required=True)  # a new required query parameter: breaks old clients

#: (base, revision) -> the modes under which the revision breaks clients
CASES = {
    "response-property-added": (PLAIN, NAME_ADDED, {"FORWARD", "FULL"}),
    "response-property-removed": (NAME_ADDED, PLAIN, {"BACKWARD", "FULL"}),
    "query-parameter-added": (PLAIN, QUERY_ADDED, {"BACKWARD", "FULL"}),
    "query-parameter-removed": (QUERY_ADDED, PLAIN, {"FORWARD", "FULL"}),
}
MODES = ("BACKWARD", "FORWARD", "FULL", "NONE")


def files(tmp_path: Path, base: str, revision: str) -> tuple[Path, Path]:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(base)
    new.write_text(revision)
    return old, new


def diff(old: Path, new: Path, mode: str | None, **more: object) -> Report:
    request = DiffRequest(base=str(old), revision=str(new), mode=mode, **more)  # type: ignore[arg-type]
    return diff_with_mode(request, CONFIG, version="0")


def refused_by_registry(tmp_path: Path, old: Path, new: Path, mode: str) -> bool:
    backend = DirectoryBackend(tmp_path / "contracts")
    first = PublishRequest(file=old, subject="pets-api", mode=Mode(mode), publisher="t")
    assert publish(backend, first, CONFIG).status == "published"
    outcome = publish(
        backend, PublishRequest(file=new, subject="pets-api", dry_run=True, publisher="t"), CONFIG
    )
    return outcome.refused


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", list(CASES))
def test_diff_mode_fails_exactly_where_the_registry_refuses(tmp_path: Path, case: str, mode: str) -> None:
    base, revision, breaking_under = CASES[case]
    old, new = files(tmp_path, base, revision)
    report = diff(old, new, mode)
    assert report.mode == mode
    assert report.fails("breaking") is (mode in breaking_under)
    assert refused_by_registry(tmp_path, old, new, mode) is (mode in breaking_under)


def test_forward_changes_are_told_from_the_revision_back_to_the_base(tmp_path: Path) -> None:
    old, new = files(tmp_path, PLAIN, NAME_ADDED)
    report = diff(old, new, "forward")
    [change] = [f for f in report.findings if f.level is Level.BREAKING]
    assert change.rule_id == "response-required-property-removed"
    assert change.message.endswith(FORWARD_NOTE)
    assert change.details["direction"] == "forward"
    assert change.details["side"] == "revision" and change.location.file == str(new)  # a rollback removes it
    assert [d.source for d in report.documents] == [str(old), str(new)]  # the sides stay as given
    assert not any(f.rule_id.startswith("api-version") for f in report.findings)


def test_forward_changes_name_the_revision_where_the_swapped_diff_said_base(tmp_path: Path) -> None:
    old, new = files(tmp_path, PLAIN, PLAIN.replace('"integer"', '"string"'))
    [change] = [
        f for f in diff(old, new, "forward").findings if f.rule_id == "response-property-type-changed"
    ]
    assert change.details["side"] == "base" and change.location.file == str(old)
    assert change.details["revision_location"].startswith(f"{new}:")
    assert "base_location" not in change.details and "base_pointer" not in change.details


def test_full_is_the_backward_report_plus_what_breaks_a_rollback(tmp_path: Path) -> None:
    old, new = files(tmp_path, PLAIN, QUERY_ADDED)
    backward, full = diff(old, new, None), diff(old, new, "FULL")
    forward_ids = [f.rule_id for f in full.findings if f.details.get("direction") == "forward"]
    assert [f for f in full.findings if "direction" not in f.details] == list(backward.findings)
    assert forward_ids == ["request-parameter-removed"]  # a warning; forward info is left out
    assert backward.mode is None and full.mode == "FULL"


def test_none_lists_every_change_as_info_and_keeps_its_level(tmp_path: Path) -> None:
    old, new = files(tmp_path, PLAIN, QUERY_ADDED)
    report = diff(old, new, "none")
    assert {f.level for f in report.findings} == {Level.INFO}
    assert [
        f.details.get("mode_none_level") for f in report.findings if f.rule_id.startswith("new-required")
    ] == ["breaking"]


@pytest.mark.parametrize("mode", ["BACKWARD", "FORWARD", "FULL"])
def test_transitive_forms_with_two_documents_are_their_plain_form(tmp_path: Path, mode: str) -> None:
    old, new = files(tmp_path, PLAIN, NAME_ADDED)
    plain, transitive = diff(old, new, mode), diff(old, new, f"{mode}_TRANSITIVE")
    assert transitive.findings == plain.findings and transitive.mode == f"{mode}_TRANSITIVE"


def test_full_reports_an_ignore_entry_unused_only_when_neither_direction_used_it(tmp_path: Path) -> None:
    old, new = files(tmp_path, PLAIN, NAME_ADDED)
    ignore = tmp_path / "ignore.yaml"
    ignore.write_text(
        "version: 1\nignore:\n"
        "  - {id: response-required-property-removed, operation: GET /pets, reason: rollbacks are rare}\n"
        "  - {id: request-parameter-removed, operation: GET /pets, reason: stale}\n"
    )
    report = diff(old, new, "FULL", ignore=ignore)
    assert not report.fails("breaking")
    assert [f.rule_id for f in report.suppressed] == ["response-required-property-removed"]
    unused = [f.location.pointer for f in report.findings if f.rule_id == "ignore-entry-unused"]
    assert unused == ["/ignore/1"]
