"""Diffing against an invalid spec never prints Python's ``None``: a field one side lacks is
said to be added or removed, a ``null`` where a string belongs reads ``null`` (issue 13, item 16)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from apigov.cli.main import run
from apigov.core.shown import as_text, quoted, value_change

BASE: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Orders", "version": "1.0.0"},
    "servers": [
        {
            "url": "https://{region}.example.com",
            "variables": {"region": {"default": "eu", "enum": ["eu", "us"]}},
        }
    ],
    "tags": [{"name": "orders"}],
    "security": [{"oauth": ["orders:read"]}],
    "paths": {
        "/orders": {
            "get": {
                "tags": ["orders"],
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "style": "form",
                        "explode": False,
                        "schema": {"type": "array"},
                    }
                ],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
    "components": {
        "securitySchemes": {
            "oauth": {
                "type": "oauth2",
                "flows": {"clientCredentials": {"tokenUrl": "https://a/t", "scopes": {"orders:read": "r"}}},
            },
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
        }
    },
}

#: (where, how): ``delete`` the field or set it to ``null``
MUTATIONS = [
    (("info", "version"), "delete"),
    (("info", "version"), "null"),
    (("servers", 0, "variables", "region", "default"), "delete"),
    (("servers", 0, "variables", "region", "enum", 0), "null"),
    (("servers", 0, "url"), "null"),
    (("tags", 0, "name"), "null"),
    (("security", 0, "oauth", 0), "null"),
    (("paths", "/orders", "get", "tags", 0), "null"),
    (("paths", "/orders", "get", "parameters", 0, "in"), "null"),
    (("paths", "/orders", "get", "parameters", 0, "style"), "null"),
    (("components", "securitySchemes", "bearer", "bearerFormat"), "delete"),
    (("components", "securitySchemes", "bearer", "scheme"), "null"),
    (("components", "securitySchemes", "key", "name"), "delete"),
    (("servers", 0, "url"), "delete"),
    (("tags", 0, "name"), "delete"),
    (("paths", "/orders", "get", "parameters", 0, "in"), "delete"),
]
#: Python's values, and the traces of an empty name: two spaces, '' or ()
PYTHON_WORDS = re.compile(r"\b(None|True|False)\b|  |''|\(\)")


def _diff(tmp: Path, base: object, revision: object) -> list[str]:
    (tmp / "a.yaml").write_text(yaml.safe_dump(base))
    (tmp / "b.yaml").write_text(yaml.safe_dump(revision))
    out = tmp / "out.json"
    code = run(
        ["diff", str(tmp / "a.yaml"), str(tmp / "b.yaml"), "-f", "json", "--fail-on", "none", "-o", str(out)]
    )
    assert code == 0
    return [change["message"] for change in json.loads(out.read_text())["changes"]]


def _mutated(where: tuple[str | int, ...], how: str) -> dict[str, Any]:
    document = copy.deepcopy(BASE)
    node: Any = document
    for key in where[:-1]:
        node = node[key]
    if how == "delete":
        del node[where[-1]]
    else:
        node[where[-1]] = None
    return document


@pytest.mark.parametrize(
    ("where", "how"), MUTATIONS, ids=[f"{how}-{'.'.join(map(str, w))}" for w, how in MUTATIONS]
)
def test_no_message_shows_python_values(tmp_path: Path, where: tuple[str | int, ...], how: str) -> None:
    mutated = _mutated(where, how)
    messages = _diff(tmp_path, BASE, mutated) + _diff(tmp_path, mutated, BASE)
    assert messages, "the mutation is a change"
    assert not [m for m in messages if PYTHON_WORDS.search(m)]


def test_a_missing_field_is_said_to_be_missing(tmp_path: Path) -> None:
    without = _mutated(("info", "version"), "delete")
    assert "info.version removed (was '1.0.0')" in _diff(tmp_path, BASE, without)
    assert "info.version added ('1.0.0')" in _diff(tmp_path, without, BASE)
    default = _mutated(("servers", 0, "variables", "region", "default"), "delete")
    assert "server https://{region}.example.com variable {region} default removed (was 'eu')" in _diff(
        tmp_path, BASE, default
    )
    scheme = _mutated(("components", "securitySchemes", "bearer", "bearerFormat"), "delete")
    assert "security scheme 'bearer': bearerFormat added ('JWT')" in _diff(tmp_path, scheme, BASE)


def test_values_are_shown_as_json() -> None:
    assert [as_text(v) for v in ("a", None, True, 1.5)] == ["a", "null", "true", "1.5"]
    assert [quoted(v) for v in ("a", None, False)] == ["'a'", "null", "false"]
    assert value_change("x", "a", None) == "x changed from 'a' to null"
    assert value_change("x", "a", None, has=False) == "x removed (was 'a')"
    assert value_change("x", None, 2, had=False) == "x added (2)"


ASYNCAPI: dict[str, Any] = {
    "asyncapi": "3.0.0",
    "info": {"title": "Events", "version": "1.0.0"},
    "servers": {
        "production": {"host": "kafka.example.com:9093", "protocol": "kafka", "protocolVersion": "3.7"}
    },
    "channels": {},
    "operations": {},
}


def test_an_asyncapi_field_one_side_lacks_is_added_or_removed(tmp_path: Path) -> None:
    without = copy.deepcopy(ASYNCAPI)
    del without["servers"]["production"]["protocolVersion"]
    assert "server 'production': protocolVersion removed (was \"3.7\")" in _diff(tmp_path, ASYNCAPI, without)
    assert "server 'production': protocolVersion added (\"3.7\")" in _diff(tmp_path, without, ASYNCAPI)


def test_a_missing_name_is_said_to_be_missing(tmp_path: Path) -> None:
    messages = _diff(tmp_path, BASE, _mutated(("servers", 0, "url"), "delete"))
    assert "server without a url added" in messages
    messages = _diff(tmp_path, BASE, _mutated(("tags", 0, "name"), "delete"))
    assert "tag definition without a name added" in messages
    messages = _diff(tmp_path, BASE, _mutated(("paths", "/orders", "get", "parameters", 0, "in"), "delete"))
    assert "new optional parameter 'q' (without 'in')" in messages


@pytest.mark.parametrize("value", [None, True])
def test_an_unsupported_version_reads_as_json(
    tmp_path: Path, value: object, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.yaml").write_text(
        yaml.safe_dump({"openapi": value, "info": {"title": "a", "version": "1"}})
    )
    assert run(["check", str(tmp_path / "a.yaml")]) == 2
    error = capsys.readouterr().err
    assert f"unsupported OpenAPI version {json.dumps(value)};" in error
    assert not PYTHON_WORDS.search(error)
