"""Inputs found by review that crashed `apigov diff` (exit 3): a parameter value too long for
int(), and a discriminator mapping that is not a JSON pointer. Each is an answer, not a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.e2e._cli import apigov


def _spec(parameter: dict[str, object], schemas: dict[str, object] | None = None) -> str:
    op = {"parameters": [parameter], "responses": {"200": {"description": "ok"}}}
    doc: dict[str, object] = {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1.0.0"},
        "paths": {"/items": {"get": op}},
    }
    if schemas:
        doc["components"] = {"schemas": schemas}
    return yaml.safe_dump(doc)


def test_a_parameter_text_longer_than_int_reads_is_judged_as_a_string(tmp_path: Path) -> None:
    long_digits = "7" * 4400
    base = {"name": "n", "in": "query", "schema": {"type": "string", "enum": [long_digits]}}
    revision = {"name": "n", "in": "query", "schema": {"type": "integer"}}
    (tmp_path / "a.yaml").write_text(_spec(base))
    (tmp_path / "b.yaml").write_text(_spec(revision))
    done = apigov("diff", "a.yaml", "b.yaml", "-f", "json", cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    changes = json.loads(done.stdout)["changes"]
    assert any(c["level"] == "breaking" for c in changes), changes


def test_a_discriminator_mapping_that_is_no_pointer_is_not_a_crash(tmp_path: Path) -> None:
    def schemas(kind: str) -> dict[str, object]:
        cat = {"type": "object", "properties": {"pet": {"type": "string"}, "lives": {"type": kind}}}
        dog = {"type": "object", "properties": {"pet": {"type": "string"}}}
        return {
            "Cat": cat,
            "Dog": dog,
            "Pet": {
                "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                "discriminator": {"propertyName": "pet", "mapping": {"cat": "#bad", "dog": "Dog"}},
            },
        }

    parameter = {"name": "q", "in": "query", "schema": {"type": "string"}}
    for name, kind in (("a.yaml", "integer"), ("b.yaml", "string")):
        doc = yaml.safe_load(_spec(parameter, schemas(kind)))
        doc["paths"]["/items"]["get"]["responses"]["200"]["content"] = {
            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
        }
        (tmp_path / name).write_text(yaml.safe_dump(doc))
    done = apigov("diff", "a.yaml", "b.yaml", "-f", "json", cwd=tmp_path)
    assert done.returncode in (0, 1, 2), done.stderr
    assert "Traceback" not in done.stderr
    if done.returncode == 2:
        assert len(done.stderr.strip().splitlines()) == 1
