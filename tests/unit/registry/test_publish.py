"""The publish policy: compatibility modes and semver, for JSON Schema, Avro and AsyncAPI subjects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apigov.config.project import load_config
from apigov.core.errors import InputError, VersionExists
from apigov.registry.base import SemVer
from apigov.registry.filesystem import DirectoryBackend
from apigov.registry.publish import PublishOutcome, PublishRequest, publish
from apigov.schema.modes import Mode

CONFIG = load_config(None)


class Registry:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.backend = DirectoryBackend(tmp / "contracts")
        self.count = 0

    def publish(
        self, schema: object, subject: str = "orders-value", *, suffix: str = ".json", **options: object
    ) -> PublishOutcome:
        self.count += 1
        path = self.tmp / f"doc{self.count}{suffix}"
        path.write_text(json.dumps(schema))
        request = PublishRequest(
            file=path, subject=subject, publisher="t", git_sha="a", git_branch="b", **options
        )  # type: ignore[arg-type]
        return publish(self.backend, request, CONFIG)


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    return Registry(tmp_path)


ENUM_1 = {"type": "string", "enum": ["a"]}
ENUM_2 = {"type": "string", "enum": ["a", "b"]}
ENUM_3 = {"type": "string", "enum": ["a", "b", "c"]}


def test_json_schema_backward(registry: Registry) -> None:
    assert (o := registry.publish(ENUM_1)).status == "published" and o.version == SemVer(1, 0, 0)
    widened = registry.publish(ENUM_2)
    assert (widened.status, widened.version, widened.required_bump) == ("published", SemVer(1, 1, 0), "minor")
    narrowed = registry.publish(ENUM_1)
    assert narrowed.status == "refused"
    assert narrowed.reasons == (
        "breaks BACKWARD compatibility with orders-value@1.1.0 (backward): 1 breaking change",
    )
    assert registry.backend.subject("orders-value").versions == (SemVer(1, 0, 0), SemVer(1, 1, 0))


def test_forward_and_full_modes(registry: Registry) -> None:
    registry.publish(ENUM_2, mode=Mode.FORWARD)
    assert registry.publish(ENUM_3).status == "refused"  # old readers cannot read "c"
    narrowed = registry.publish(ENUM_1)
    # narrowing keeps FORWARD (old readers read new data): not breaking in this mode, a minor
    assert (narrowed.status, narrowed.version) == ("published", SemVer(1, 1, 0))
    registry.backend.set_mode("orders-value", Mode.FULL)
    assert registry.publish(ENUM_2).status == "refused"
    assert registry.publish({"type": "string", "enum": ["a"], "description": "docs"}).version == SemVer(
        1, 1, 1
    )


def test_transitive_modes_check_every_earlier_version(registry: Registry) -> None:
    registry.publish(ENUM_1, mode=Mode.NONE)
    registry.publish({"type": "string", "enum": ["b"]})  # a breaking change, allowed by NONE: 2.0.0
    registry.backend.set_mode("orders-value", Mode.BACKWARD)
    assert registry.publish({"type": "string", "enum": ["b", "c"]}).status == "published"  # 2.1.0
    registry.backend.set_mode("orders-value", Mode.BACKWARD_TRANSITIVE)
    refused = registry.publish({"type": "string", "enum": ["b", "c", "d"]})
    assert refused.status == "refused"
    assert [r.split(" (")[0] for r in refused.reasons] == [
        "breaks BACKWARD_TRANSITIVE compatibility with orders-value@1.0.0"
    ]
    assert registry.publish({"type": "string", "enum": ["a", "b", "c", "d"]}).version == SemVer(2, 2, 0)


def test_explicit_versions(registry: Registry) -> None:
    registry.publish(ENUM_1, version="0.1.0")
    low = registry.publish(ENUM_2, version="0.1.1")
    assert low.status == "refused" and "need a minor bump" in low.reasons[0]
    behind = registry.publish(ENUM_2, version="0.0.9")
    assert behind.status == "refused" and "not above the latest version 0.1.0" in behind.reasons[0]
    assert registry.publish(ENUM_2, version="0.2.0").status == "published"
    assert registry.publish(ENUM_2, version="0.2.0").status == "unchanged"
    with pytest.raises(VersionExists):
        registry.publish(ENUM_3, version="0.2.0")
    dry = registry.publish(ENUM_3, dry_run=True)
    assert (dry.status, dry.version) == ("dry-run", SemVer(0, 3, 0))
    assert registry.backend.subject("orders-value").latest == SemVer(0, 2, 0)


def test_whitespace_and_key_order_only_are_the_same_content(registry: Registry, tmp_path: Path) -> None:
    registry.publish(ENUM_1)
    path = tmp_path / "same.json"
    path.write_text('{\n  "type":   "string",\n  "enum": ["a"]\n}\n')
    again = publish(registry.backend, PublishRequest(file=path, subject="orders-value"), CONFIG)
    assert (again.status, again.version) == ("unchanged", SemVer(1, 0, 0))


AVRO_1 = {"type": "record", "name": "Order", "fields": [{"name": "id", "type": "string"}]}
AVRO_ADDED_DEFAULT = {
    **AVRO_1,
    "fields": [*AVRO_1["fields"], {"name": "note", "type": "string", "default": ""}],
}  # type: ignore[list-item]
AVRO_ADDED_REQUIRED = {**AVRO_1, "fields": [*AVRO_1["fields"], {"name": "note", "type": "string"}]}  # type: ignore[list-item]


def test_avro(registry: Registry) -> None:
    registry.publish(AVRO_1, "orders-avro", suffix=".avsc")
    refused = registry.publish(AVRO_ADDED_REQUIRED, "orders-avro", suffix=".avsc")
    assert refused.status == "refused"
    assert refused.judgement is not None
    assert "note" in refused.judgement.failures[0].changes[0].message
    added = registry.publish(AVRO_ADDED_DEFAULT, "orders-avro", suffix=".avsc")
    assert (added.status, added.version) == ("published", SemVer(1, 1, 0))
    assert (registry.tmp / "contracts" / "orders-avro" / "1.1.0.avsc").is_file()


def _asyncapi(payload: dict[str, object], extra_channel: bool = False) -> dict[str, object]:
    channels: dict[str, object] = {
        "orders": {"subscribe": {"message": {"name": "OrderCreated", "payload": payload}}}
    }
    if extra_channel:
        channels["refunds"] = {
            "subscribe": {"message": {"name": "RefundCreated", "payload": {"type": "object"}}}
        }
    return {"asyncapi": "2.6.0", "info": {"title": "Shop", "version": "1.0.0"}, "channels": channels}


def test_asyncapi(registry: Registry) -> None:
    base = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}
    registry.publish(_asyncapi(base), "shop-events", suffix=".yaml")
    added = registry.publish(_asyncapi(base, extra_channel=True), "shop-events", suffix=".yaml")
    assert (added.status, added.version) == ("published", SemVer(1, 1, 0))
    looser = {"type": "object", "properties": {"id": {"type": "string"}}}
    refused = registry.publish(_asyncapi(looser, extra_channel=True), "shop-events", suffix=".yaml")
    assert refused.status == "refused"  # what the application sends may now lack 'id'
    removed = registry.publish(_asyncapi(base), "shop-events", suffix=".yaml")
    assert removed.status == "refused"
    assert removed.judgement is not None
    assert any(c.id == "channel-removed" for c in removed.judgement.failures[0].changes)


def test_a_file_of_another_kind_is_refused(registry: Registry) -> None:
    registry.publish(ENUM_1)
    with pytest.raises(InputError, match="holds jsonschema contracts"):
        registry.publish(AVRO_1, suffix=".avsc")


def _openapi(tmp: Path, extra_property: bool) -> Path:
    (tmp / "api").mkdir(exist_ok=True)
    (tmp / "shared").mkdir(exist_ok=True)
    properties = {"id": {"type": "string"}}
    if extra_property:
        properties["note"] = {"type": "string"}
    (tmp / "shared" / "schemas.json").write_text(
        json.dumps({"Order": {"type": "object", "properties": properties}})
    )
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Orders", "version": "1.0.0"},
        "paths": {
            "/orders": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"$ref": "../shared/schemas.json#/Order"}}
                            },
                        }
                    }
                }
            }
        },
    }
    path = tmp / "api" / "openapi.json"
    path.write_text(json.dumps(spec))
    return path


def test_bundled_versions_are_self_contained_and_ref_flags_reach_the_diff(tmp_path: Path) -> None:
    backend = DirectoryBackend(tmp_path / "contracts")
    path = _openapi(tmp_path, extra_property=False)
    with pytest.raises(InputError, match="outside"):
        publish(backend, PublishRequest(file=path, subject="orders-api"), CONFIG)
    first = publish(backend, PublishRequest(file=path, subject="orders-api", allow_ref_outside=True), CONFIG)
    assert first.status == "published"
    stored = json.loads(backend.get_version("orders-api", SemVer(1, 0, 0)).content)
    assert "../shared" not in json.dumps(stored)  # the external $ref was internalised
    path = _openapi(tmp_path, extra_property=True)
    second = publish(backend, PublishRequest(file=path, subject="orders-api", allow_ref_outside=True), CONFIG)
    assert (second.status, second.version) == ("published", SemVer(1, 1, 0))


def _documented(description: str) -> dict[str, object]:
    ok = {"description": "ok"}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Orders", "version": "1.0.0", "description": description},
        "paths": {"/orders": {"get": {"responses": {"200": ok}}}},
    }


def test_a_documentation_only_change_is_a_patch(registry: Registry) -> None:
    registry.publish(_documented("Orders."), "orders-api", suffix=".yaml")
    changed = registry.publish(_documented("Orders of the shop."), "orders-api", suffix=".yaml")
    assert (changed.status, changed.required_bump, changed.version) == ("published", "patch", SemVer(1, 0, 1))


def test_the_same_data_in_the_other_format_is_no_new_version(registry: Registry) -> None:
    first = registry.publish(_documented("Orders."), "orders-api", suffix=".yaml")
    again = registry.publish(_documented("Orders."), "orders-api", suffix=".json")
    assert (again.status, again.version) == ("unchanged", first.version)
    assert registry.backend.subject("orders-api").versions == (SemVer(1, 0, 0),)
