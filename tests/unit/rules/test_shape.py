"""A field the diff reads, written with the wrong JSON type, is refused (exit 2) naming the file,
the line and the field: it used to be skipped, and its changes were never reported."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from apigov.core._types import JSONValue
from apigov.core.errors import DocumentError
from apigov.diff.shape import first_misshapen

from ._support import diff_documents

OK: dict[str, JSONValue] = {
    "openapi": "3.0.3",
    "info": {"title": "T", "version": "1"},
    "paths": {
        "/a": {
            "parameters": [{"name": "p", "in": "query", "schema": {"type": "string"}}],
            "post": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {"200": {"description": "ok", "content": {}, "headers": {}}},
                "callbacks": {"c": {"{$request.body#/u}": {"post": {"responses": {}}}}},
                "security": [],
            },
        }
    },
    "components": {"schemas": {"S": True}, "parameters": {"P": {"name": "x", "in": "query"}}},
}


def _with(pointer: list[str | int], value: JSONValue) -> dict[str, JSONValue]:
    document = copy.deepcopy(OK)
    node: JSONValue = document
    for token in pointer[:-1]:
        node = node[token]  # type: ignore[index,call-overload]
    node[pointer[-1]] = value  # type: ignore[index]
    return document


CASES = [
    (
        ["paths", "/a", "post", "parameters"],
        {"q": {"name": "q", "in": "query"}},
        "/paths/~1a/post/parameters",
        "a list",
    ),
    (["paths", "/a", "post", "responses"], [{"description": "ok"}], "/paths/~1a/post/responses", "an object"),
    (["paths", "/a", "post"], "yes", "/paths/~1a/post", "an object"),
    (["paths", "/a", "parameters", 0], "p", "/paths/~1a/parameters/0", "an object"),
    (
        ["paths", "/a", "post", "parameters", 0, "schema"],
        "string",
        "/paths/~1a/post/parameters/0/schema",
        "a schema (an object or a boolean)",
    ),
    (["paths", "/a", "post", "requestBody"], [], "/paths/~1a/post/requestBody", "an object"),
    (
        ["paths", "/a", "post", "requestBody", "content"],
        [],
        "/paths/~1a/post/requestBody/content",
        "an object",
    ),
    (["paths", "/a", "post", "responses", "200"], "ok", "/paths/~1a/post/responses/200", "an object"),
    (
        ["paths", "/a", "post", "responses", "200", "headers"],
        [],
        "/paths/~1a/post/responses/200/headers",
        "an object",
    ),
    (
        ["paths", "/a", "post", "callbacks", "c", "{$request.body#/u}"],
        [],
        "/paths/~1a/post/callbacks/c/{$request.body#~1u}",
        "an object",
    ),
    (["paths", "/a", "post", "security"], {}, "/paths/~1a/post/security", "a list"),
    (["components", "schemas"], [], "/components/schemas", "an object"),
    (["components", "parameters", "P"], [], "/components/parameters/P", "an object"),
    (["paths"], [], "/paths", "an object"),
]


@pytest.mark.parametrize(("at", "value", "pointer", "kind"), CASES, ids=[c[2] for c in CASES])
def test_a_misshapen_field_is_found(at: list[str | int], value: JSONValue, pointer: str, kind: str) -> None:
    assert first_misshapen(OK) is None
    assert first_misshapen(_with(at, value)) == (pointer, kind)


def test_the_diff_refuses_it_naming_file_line_and_field(tmp_path: Path) -> None:
    swagger: dict[str, JSONValue] = {
        "swagger": "2.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"get": {"parameters": {"q": {"name": "q", "in": "query", "type": "string"}}}}},
    }
    with pytest.raises(DocumentError) as caught:
        diff_documents(tmp_path, OK, swagger)
    assert caught.value.source is not None and caught.value.source.endswith("revision/api.json")
    assert caught.value.line is not None
    assert str(caught.value).endswith("paths./a.get.parameters must be a list; run apigov check on it")
    assert diff_documents(tmp_path, OK, OK).findings == ()
