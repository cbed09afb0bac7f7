"""Rule-level classes of wrong verdicts (issue 12: 5, 11, 12, 13, 14, 16), each with its safe
twin, in both directions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigov.core.findings import Level
from tests.unit.rules._support import diff_documents

Doc = dict[str, Any]


def _body(schema: Doc, request: bool, media: str = "application/json", version: str = "3.1.0") -> Doc:
    content = {media: {"schema": schema}}
    if request:
        op: Doc = {"requestBody": {"content": content}, "responses": {"200": {"description": "ok"}}}
    else:
        op = {"responses": {"200": {"description": "ok", "content": content}}}
    return {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {"/a": {"post": op}}}


def _levels(tmp_path: Path, base: Doc, revision: Doc) -> dict[str, Level]:
    report = diff_documents(tmp_path, base, revision)
    return {f.rule_id: f.level for f in report.findings if not f.rule_id.startswith("api-version")}


# --- 13: a replaced const -----------------------------------------------------------------------

S = {"type": "string"}


@pytest.mark.parametrize("request_side", [True, False], ids=["request", "response"])
@pytest.mark.parametrize(
    ("old", "new"),
    [({"const": "a"}, {"const": "b"}), ({"enum": ["a"]}, {"enum": ["b"]})],
    ids=["const", "one-value-enum"],
)
def test_a_replaced_constant_is_breaking(tmp_path: Path, request_side: bool, old: Doc, new: Doc) -> None:
    prefix = "request" if request_side else "response"
    levels = _levels(tmp_path, _body({**S, **old}, request_side), _body({**S, **new}, request_side))
    assert levels == {f"{prefix}-body-const-changed": Level.BREAKING}


def test_a_replaced_property_constant_is_breaking(tmp_path: Path) -> None:
    def obj(value: str) -> Doc:
        return {"type": "object", "properties": {"kind": {"const": value}}}

    levels = _levels(tmp_path, _body(obj("a"), False), _body(obj("b"), False))
    assert levels == {"response-property-const-changed": Level.BREAKING}


def test_safe_twin_a_constant_grown_into_an_enum_is_a_grown_enum(tmp_path: Path) -> None:
    levels = _levels(tmp_path, _body({**S, "const": "a"}, False), _body({**S, "enum": ["a", "b"]}, False))
    assert levels == {"response-body-enum-value-added": Level.WARNING}
    levels = _levels(tmp_path / "r", _body({**S, "const": "a"}, True), _body({**S, "enum": ["a", "b"]}, True))
    assert levels == {"request-body-enum-value-added": Level.INFO}
