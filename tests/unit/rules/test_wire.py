"""Parameters judged as what travels on the wire (issue 12, class 10): each change with its safe
twin, in both directions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigov.core.findings import Level
from apigov.rules.openapi.wire import Wire, read, serialise
from tests.unit.rules._support import diff_documents

Doc = dict[str, Any]


def _api(params: list[Doc], headers: Doc | None = None) -> Doc:
    response: Doc = {"description": "ok"}
    if headers:
        response["headers"] = headers
    op = {"parameters": params, "responses": {"200": response}}
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a/{x}": {"get": op}}}


def _p(schema: Doc, where: str = "query", **fields: Any) -> list[Doc]:
    extra = {"required": True} if where == "path" else {}
    if where == "path":
        return [{"name": "x", "in": "path", "schema": schema, **extra, **fields}]
    return [
        {"name": "x", "in": "path", "required": True, "schema": {"type": "string"}},
        {"name": "y", "in": where, "schema": schema, **fields},
    ]


def _levels(tmp_path: Path, base: Doc, revision: Doc) -> dict[str, Level]:
    report = diff_documents(tmp_path, base, revision)
    return {f.rule_id: f.level for f in report.findings if "parameter" in f.rule_id or "header" in f.rule_id}


INT, NUM, STR, BOOL = {"type": "integer"}, {"type": "number"}, {"type": "string"}, {"type": "boolean"}
ARRAY = {"type": "array", "items": STR}
DEEP = {"style": "deepObject", "explode": True}

#: (name, base params, revision params, the id reported, its level): a change and its reverse
CASES = [
    ("query int -> string", _p(INT), _p(STR), "request-parameter-type-generalized", Level.INFO),
    ("query string -> int", _p(STR), _p(INT), "request-parameter-type-changed", Level.BREAKING),
    (
        "path int -> string",
        _p(INT, "path"),
        _p(STR, "path"),
        "request-parameter-type-generalized",
        Level.INFO,
    ),
    (
        "path string -> int",
        _p(STR, "path"),
        _p(INT, "path"),
        "request-parameter-type-changed",
        Level.BREAKING,
    ),
    (
        "header bool -> string",
        _p(BOOL, "header"),
        _p(STR, "header"),
        "request-parameter-type-generalized",
        Level.INFO,
    ),
    (
        "header string -> bool",
        _p(STR, "header"),
        _p(BOOL, "header"),
        "request-parameter-type-changed",
        Level.BREAKING,
    ),
    (
        "cookie number -> string",
        _p(NUM, "cookie"),
        _p(STR, "cookie"),
        "request-parameter-type-generalized",
        Level.INFO,
    ),
    ("scalar -> exploded array", _p(STR), _p(ARRAY), "request-parameter-type-generalized", Level.INFO),
    ("exploded array -> scalar", _p(ARRAY), _p(STR), "request-parameter-type-changed", Level.BREAKING),
    (
        "deepObject number -> string",
        _p({"type": "object", "properties": {"p": NUM}}, **DEEP),
        _p({"type": "object", "properties": {"p": STR}}, **DEEP),
        "request-parameter-type-generalized",
        Level.INFO,
    ),
    (
        "deepObject string -> number",
        _p({"type": "object", "properties": {"p": STR}}, **DEEP),
        _p({"type": "object", "properties": {"p": NUM}}, **DEEP),
        "request-parameter-type-changed",
        Level.BREAKING,
    ),
    # the new string's pattern refuses "3": breaking on the wire too (the README's warehouseId)
    (
        "int -> patterned string",
        _p(INT),
        _p({"type": "string", "pattern": "^WH-[0-9]{2}$"}),
        "request-parameter-type-changed",
        Level.BREAKING,
    ),
    # "-10" is longer than 2 characters: the counter-example is found on the wire
    (
        "int -> short string",
        _p(INT),
        _p({"type": "string", "maxLength": 2}),
        "request-parameter-type-changed",
        Level.BREAKING,
    ),
    # a pattern against the texts of integers: not decided, said so
    (
        "int -> digit string",
        _p(INT),
        _p({"type": "string", "pattern": "^[0-9]+$"}),
        "request-parameter-type-changed",
        Level.WARNING,
    ),
]


@pytest.mark.parametrize(
    ("base", "revision", "rule_id", "level"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_parameter_is_judged_as_text(
    tmp_path: Path, base: list[Doc], revision: list[Doc], rule_id: str, level: Level
) -> None:
    levels = _levels(tmp_path, _api(base), _api(revision))
    assert levels.get(rule_id) is level, levels
    if level is Level.INFO:
        assert Level.BREAKING not in levels.values() and Level.WARNING not in levels.values(), levels


def test_the_counter_example_says_how_it_travels(tmp_path: Path) -> None:
    report = diff_documents(tmp_path, _api(_p(STR)), _api(_p(INT)))
    (finding,) = [f for f in report.findings if f.rule_id == "request-parameter-type-changed"]
    assert finding.details["wire"].startswith("?y=")
    assert finding.details["counter_example"] == '""'


def test_an_undecided_wire_change_says_why(tmp_path: Path) -> None:
    report = diff_documents(tmp_path, _api(_p(INT)), _api(_p({"type": "string", "pattern": "^[0-9]+$"})))
    (finding,) = [f for f in report.findings if f.rule_id == "request-parameter-type-changed"]
    assert finding.details["undecided"] == "true"
    assert finding.details["undecided_why"].startswith("on the wire: ")


def test_a_content_parameter_keeps_json_semantics(tmp_path: Path) -> None:
    def content(schema: Doc) -> list[Doc]:
        return [
            {"name": "x", "in": "path", "required": True, "schema": STR},
            {"name": "y", "in": "query", "content": {"application/json": {"schema": schema}}},
        ]

    levels = _levels(tmp_path, _api(content(INT)), _api(content(STR)))
    assert levels["request-parameter-type-changed"] is Level.BREAKING  # ?y=3 is JSON 3, not "3"


@pytest.mark.parametrize(
    ("base", "revision", "rule_id", "level"),
    [
        (INT, STR, "response-header-type-changed", Level.BREAKING),  # old clients read "abc" as no integer
        (STR, INT, "response-header-type-specialized", Level.INFO),  # "3" is a string to old clients
    ],
)
def test_a_response_header_is_judged_as_text(
    tmp_path: Path, base: Doc, revision: Doc, rule_id: str, level: Level
) -> None:
    params = _p(STR, "path")
    levels = _levels(
        tmp_path, _api(params, {"X-N": {"schema": base}}), _api(params, {"X-N": {"schema": revision}})
    )
    assert levels.get(rule_id) is level, levels


def test_nullable_removed_stays_breaking(tmp_path: Path) -> None:
    """null has no one serialisation (left out, or sent empty): the JSON verdict stands."""
    levels = _levels(tmp_path, _api(_p({"type": "string", "nullable": True})), _api(_p(STR)))
    assert levels["request-parameter-became-not-nullable"] is Level.BREAKING


@pytest.mark.parametrize(
    ("value", "wire", "expected"),
    [
        (3, Wire("x", "query", "form", True, False), [("x", "3")]),
        (["a", "b"], Wire("x", "query", "form", True, False), [("x", "a"), ("x", "b")]),
        (["a", "b,c"], Wire("x", "query", "form", False, False), [("x", "a,b%2Cc")]),
        (["a", "b"], Wire("x", "query", "pipeDelimited", False, False), [("x", "a|b")]),
        ({"p": 1}, Wire("x", "query", "deepObject", True, False), [("x[p]", "1")]),
        ({"p": 1, "q": True}, Wire("x", "path", "simple", True, True), [("x", "p=1,q=true")]),
        (["a", "b"], Wire("x", "path", "label", True, True), [("x", ".a.b")]),
        (["a", "b"], Wire("x", "path", "matrix", True, True), [("x", ";x=a;x=b")]),
        ({"p": [1]}, Wire("x", "query", "deepObject", True, False), None),
    ],
)
def test_serialisation_follows_style_and_explode(value: Any, wire: Wire, expected: Any) -> None:
    assert serialise(value, wire) == expected


@pytest.mark.parametrize(
    "wire",
    [
        Wire("x", "query", "form", True, False),
        Wire("x", "query", "form", False, False),
        Wire("x", "query", "spaceDelimited", False, False),
        Wire("x", "path", "simple", False, True),
        Wire("x", "path", "label", True, True),
        Wire("x", "path", "matrix", False, True),
        Wire("x", "header", "simple", False, False),
    ],
)
def test_an_array_reads_back_as_sent(wire: Wire) -> None:
    def refuse(ref: str) -> Any:
        raise LookupError(ref)

    schema = {"type": "array", "items": {"type": "integer"}}
    pairs = serialise([1, 22, 3], wire)
    assert pairs is not None
    assert read(pairs, wire, schema, refuse) == [[1, 22, 3]]
