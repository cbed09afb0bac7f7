"""``--tier sdk``: changes that break code using a generated client, without changing the wire
format, are judged at their catalogue ``sdk_level``; the wire tier keeps every level.

The positive cases and safe twins are those of :mod:`tests.unit.rules.test_structural_rules`
(one per id), run again under each tier.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apigov.config.project import load_config
from apigov.core.errors import ConfigError
from apigov.core.findings import Level
from apigov.rules.catalogue import BY_ID, RULES
from apigov.rules.rule import Tier
from apigov.rules.run import DiffRequest, diff_sources
from tests.unit.rules._support import TODAY, by_id, diff_documents
from tests.unit.rules.test_structural_rules import BY_CASE, Case, api, one, op, param

SDK_RULES = [rule.id for rule in RULES if rule.sdk_level is not None]
SDK_CASES = [BY_CASE[rule_id] for rule_id in SDK_RULES]


def test_the_sdk_tier_covers_the_client_visible_names() -> None:
    assert set(SDK_RULES) == {
        "api-operation-id-removed",
        "api-operation-id-added",
        "request-path-parameter-renamed",
        "api-schema-removed",
        "enum-value-case-changed",
    }
    for rule_id in SDK_RULES:
        assert BY_ID[rule_id].level is Level.INFO
        assert BY_ID[rule_id].level_in(Tier.SDK) is Level.BREAKING
        assert BY_ID[rule_id].level_in(Tier.WIRE) is Level.INFO
    # apigov's generated clients put every method on one class: tags do not name anything
    for rule_id in ("api-tag-removed", "api-tag-added"):
        assert BY_ID[rule_id].level_in(Tier.SDK) is Level.INFO


@pytest.mark.parametrize("item", SDK_CASES, ids=SDK_RULES)
@pytest.mark.parametrize("tier", ["wire", "sdk"])
def test_the_change_is_judged_at_the_tier_level(tmp_path: Path, item: Case, tier: str) -> None:
    report = diff_documents(tmp_path, item.base, item.revision, tier=tier)
    found = by_id(report, item.rule_id)
    expected = BY_ID[item.rule_id].level_in(Tier(tier))
    assert found and all(f.level is expected for f in found), found
    assert report.tier == tier
    assert report.fails("breaking") is (tier == "sdk")


@pytest.mark.parametrize("item", SDK_CASES, ids=SDK_RULES)
def test_the_safe_twin_is_not_reported_under_the_sdk_tier(tmp_path: Path, item: Case) -> None:
    base, revision = item.safe
    report = diff_documents(tmp_path, base, revision, tier="sdk")
    assert by_id(report, item.rule_id) == []


def test_without_a_tier_the_report_names_none_and_judges_the_wire(tmp_path: Path) -> None:
    item = BY_CASE["api-operation-id-removed"]
    report = diff_documents(tmp_path, item.base, item.revision)
    assert report.tier is None
    assert [f.level for f in by_id(report, item.rule_id)] == [Level.INFO]


def test_the_sdk_tier_leaves_wire_changes_at_their_level(tmp_path: Path) -> None:
    base = one(op(parameters=[param("q")]))
    revision = one(op(parameters=[param("q", required=True)]))
    for tier in ("wire", "sdk"):
        report = diff_documents(tmp_path / tier, base, revision, tier=tier)
        levels = {f.rule_id: f.level for f in report.findings}
        assert levels["request-parameter-became-required"] is Level.BREAKING
        assert "api-operation-summary-changed" not in levels


def test_diff_rules_in_apigov_yaml_win_over_the_tier(tmp_path: Path) -> None:
    (tmp_path / "apigov.yaml").write_text(
        "diff:\n  tier: sdk\n  rules:\n    api-operation-id-removed: warning\n", encoding="utf-8"
    )
    config = load_config(tmp_path / "apigov.yaml")
    assert config.diff_tier == "sdk"
    item = BY_CASE["api-operation-id-removed"]
    for name, data in (("base", item.base), ("revision", item.revision)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "api.json").write_text(json.dumps(data), encoding="utf-8")
    request = DiffRequest(
        base=str(tmp_path / "base" / "api.json"),
        revision=str(tmp_path / "revision" / "api.json"),
        today=TODAY,
    )
    report = diff_sources(request, config)
    assert report.tier == "sdk"
    assert [f.level for f in by_id(report, "api-operation-id-removed")] == [Level.WARNING]


def test_diff_tier_in_apigov_yaml_is_the_default(tmp_path: Path) -> None:
    (tmp_path / "apigov.yaml").write_text("diff:\n  tier: sdk\n", encoding="utf-8")
    assert load_config(tmp_path / "apigov.yaml").diff_tier == "sdk"
    (tmp_path / "apigov.yaml").write_text("diff: {}\n", encoding="utf-8")
    assert load_config(tmp_path / "apigov.yaml").diff_tier is None


def test_an_unknown_tier_in_apigov_yaml_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "apigov.yaml").write_text("diff:\n  tier: client\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"diff\.tier must be one of wire, sdk, not 'client'"):
        load_config(tmp_path / "apigov.yaml")


def test_an_enum_inside_an_example_is_not_a_schema(tmp_path: Path) -> None:
    base = api({}, components={"schemas": {"S": {"type": "object", "example": {"enum": ["a"]}}}})
    revision = api({}, components={"schemas": {"S": {"type": "object", "example": {"enum": ["A"]}}}})
    report = diff_documents(tmp_path, base, revision, tier="sdk")
    assert by_id(report, "enum-value-case-changed") == []


# --- what apigov's generated clients call things (apigov/core/naming.py) -------------------


@pytest.mark.parametrize(
    ("base", "revision", "rule_id", "level"),
    [
        # get_pet / getPet either way: the method keeps its name
        (
            one(op(operationId="getPet")),
            one(op(operationId="get_pet")),
            "api-operation-id-removed",
            Level.INFO,
        ),
        (
            one(op(operationId="getPet")),
            one(op(operationId="fetchPet")),
            "api-operation-id-removed",
            Level.BREAKING,
        ),
        # without an operationId the method is named after method and path: get_pets
        (one(op()), one(op(operationId="get-pets")), "api-operation-id-added", Level.INFO),
        (one(op()), one(op(operationId="listPets")), "api-operation-id-added", Level.BREAKING),
    ],
)
def test_an_operation_id_change_is_breaking_when_the_method_name_changes(
    tmp_path: Path, base: dict[str, object], revision: dict[str, object], rule_id: str, level: Level
) -> None:
    report = diff_documents(tmp_path, base, revision, tier="sdk")
    assert [f.level for f in by_id(report, rule_id)] == [level]


def _path_param(name: str) -> dict[str, object]:
    parameter = {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
    return api({f"/pets/{{{name}}}": {"get": op(parameters=[parameter])}})


def test_a_path_parameter_respelled_to_the_same_argument_names_is_not_breaking(tmp_path: Path) -> None:
    # petId and pet_id are pet_id in Python and petId in TypeScript
    report = diff_documents(tmp_path, _path_param("petId"), _path_param("pet_id"), tier="sdk")
    found = by_id(report, "request-path-parameter-renamed")
    assert [(f.level, f.details.get("same_client_name")) for f in found] == [(Level.INFO, "pet_id")]


def test_a_component_schema_respelled_to_the_same_type_name_is_not_breaking(tmp_path: Path) -> None:
    base = api({}, components={"schemas": {"pet": {"type": "string"}}})
    revision = api({}, components={"schemas": {"Pet": {"type": "string"}}})
    report = diff_documents(tmp_path, base, revision, tier="sdk")
    assert [f.level for f in by_id(report, "api-schema-removed")] == [Level.INFO]
    assert not report.fails("breaking")


@pytest.mark.parametrize("stability", ["draft", "alpha"])
def test_a_rename_on_a_draft_or_alpha_operation_stays_info(tmp_path: Path, stability: str) -> None:
    base = one(op(operationId="getPet", **{"x-stability-level": stability}))
    revision = one(op(operationId="fetchPet", **{"x-stability-level": stability}))
    report = diff_documents(tmp_path, base, revision, tier="sdk")
    found = by_id(report, "api-operation-id-removed")
    assert [(f.level, f.details.get("stability")) for f in found] == [(Level.INFO, stability)]


def test_apigov_rules_json_gives_the_level_under_each_tier() -> None:
    from apigov.rules.docs import rule_to_json

    assert rule_to_json(BY_ID["api-schema-removed"])["sdk_level"] == "breaking"
    assert rule_to_json(BY_ID["request-parameter-became-required"])["sdk_level"] == "breaking"
    assert rule_to_json(BY_ID["api-tag-removed"])["sdk_level"] == "info"
