"""apigov.fuzz.openapi: what apigov mock and the shop's services share."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigov.core.errors import InputError
from apigov.fuzz.openapi import Validator, coerce, load_openapi, merge_patch, new_id, operations

DOC = """\
openapi: 3.0.3
info: {title: t, version: '1'}
security: [{bearer: []}]
paths:
  /w/{id}:
    parameters: [{name: id, in: path, required: true, schema: {$ref: '#/components/schemas/W'}}]
    get:
      operationId: getW
      parameters: [{name: n, in: query, schema: {type: integer, format: int32, nullable: true}}]
      responses: {'200': {description: ok}, '404': {$ref: '#/components/responses/Missing'}}
    delete:
      security: [{}]
      responses: {'204': {description: gone}}
components:
  schemas:
    W: {type: string, pattern: '^WH-[A-Z]{3}-[0-9]{2}$'}
  responses:
    Missing: {description: not found}
"""


def test_operations_validation_and_coercion(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(DOC)
    document = load_openapi(path, "w.yaml")
    get, delete = operations(document)
    assert (get.op_id, get.method, get.secured, delete.secured) == ("getW", "GET", True, False)
    assert [(p.name, p.where) for p in get.parameters] == [("id", "path"), ("n", "query")]
    assert get.responses["404"]["pointer"] == "/components/responses/Missing" and get.documented(400, 404) == 404
    check = Validator(document)
    id_schema = get.parameters[0].schema_ptr
    assert check.valid(id_schema, "WH-BER-01")
    assert not check.valid(id_schema, "\u0084")  # RE2 on any text, not only printable ASCII
    assert not check.valid(id_schema, "WH-BÉR-01")
    n_schema = get.parameters[1].schema_ptr
    assert check.valid(n_schema, None) and not check.valid(n_schema, 2**40)  # nullable, int32
    assert coerce("7", get.parameters[1].schema, document) == 7


def test_a_pattern_re2_cannot_run_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(DOC.replace("^WH-[A-Z]{3}-[0-9]{2}$", "^(?=W)(W+)+$"))
    with pytest.raises(InputError, match="RE2"):
        load_openapi(path, "hostile.yaml")


def test_new_ids_and_merge_patch() -> None:
    fresh = new_id("ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V")
    assert fresh.startswith("ord_0") and len(fresh) == 30 and fresh != "ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V"
    assert len(new_id("3f2b8c1e-1b2c-4d5e-8f90-123456789abc")) == 36
    assert new_id("plain").startswith("plain-") and isinstance(new_id(5), int)
    target = {"a": 1, "b": {"c": 2, "d": 3}}
    assert merge_patch(target, {"a": None, "b": {"c": 9}}) == {"b": {"c": 9, "d": 3}}
    assert target == {"a": 1, "b": {"c": 2, "d": 3}}
