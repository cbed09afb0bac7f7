"""Swagger 2.0 against OpenAPI 3.x, and a real pair."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests._corpus import corpus_dir
from tests.unit.diff._support import HEAD_20, HEAD_30, diff_files, diff_texts

SWAGGER = (
    HEAD_20
    + """host: api.example.com
basePath: /v1
schemes: [https]
consumes: [application/json]
produces: [application/json]
paths:
  /pets/{id}:
    parameters:
      - {name: id, in: path, required: true, type: string}
    get:
      parameters:
        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: multi}
        - {name: X-Trace, in: header, type: string}
      responses:
        '200':
          description: ok
          headers:
            ETag: {type: string}
          schema: {$ref: '#/definitions/Pet'}
    put:
      parameters:
        - {name: pet, in: body, required: true, schema: {$ref: '#/definitions/Pet'}}
      responses:
        '204': {description: done}
  /pets/{id}/photo:
    post:
      consumes: [multipart/form-data]
      parameters:
        - {name: id, in: path, required: true, type: string}
        - {name: file, in: formData, type: file}
      responses:
        '204': {description: done}
definitions:
  Pet:
    type: object
    properties:
      name: {type: string}
"""
)

OPENAPI = (
    HEAD_30
    + """servers:
  - url: https://api.example.com/v1
paths:
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string}}
    get:
      parameters:
        - {name: tags, in: query, explode: true, schema: {type: array, items: {type: string}}}
        - {name: x-trace, in: header, schema: {type: string}}
      responses:
        '200':
          description: ok
          headers:
            ETag: {schema: {type: string}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
    put:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '204': {description: done}
  /pets/{petId}/photo:
    post:
      parameters:
        - {name: petId, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                file: {type: string, format: binary}
      responses:
        '204': {description: done}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string}
"""
)


def test_swagger_2_against_its_openapi_3_conversion(tmp_path: Path) -> None:
    tree = diff_texts(tmp_path, SWAGGER, OPENAPI)
    assert (tree.base_kind, tree.revision_kind) == ("swagger-2.0", "openapi-3.0")
    assert not tree.operations.added and not tree.operations.removed
    assert not tree.servers
    for op in tree.operations.changed:
        assert not op.parameters, op.parameters
        assert not op.responses, op.responses
        assert not op.security and not op.changes
    by_path = {op.base.path: op for op in tree.operations.changed}
    assert set(by_path) == {"/pets/{id}", "/pets/{id}/photo"}  # only the path-parameter renames
    for op in tree.operations.changed:
        assert [(r.base, r.revision) for r in op.renamed_path_parameters] == [("id", "petId")]
    assert by_path["/pets/{id}"].request_body is None
    # a 2.0 form is compared field by field with the 3.x form schema: `file` is the same field
    assert by_path["/pets/{id}/photo"].request_body is None


def test_swagger_2_body_became_required_and_media_removed(tmp_path: Path) -> None:
    revision = SWAGGER.replace("{name: pet, in: body, required: true,", "{name: pet, in: body,")
    revision = revision.replace("consumes: [application/json]", "consumes: [application/xml]")
    tree = diff_texts(tmp_path, SWAGGER, revision)
    put = next(op for op in tree.operations.changed if op.base.method == "put")
    assert put.request_body is not None
    assert [(c.field, c.base, c.revision) for c in put.request_body.changes] == [("required", True, False)]
    assert [m.name for m in put.request_body.content.removed] == ["application/json"]
    assert put.request_body.base is not None
    assert put.request_body.base.pointer == "/paths/~1pets~1{id}/put/parameters/0"


def test_swagger_2_parameter_schema_pair_is_marked_legacy(tmp_path: Path) -> None:
    revision = SWAGGER.replace(
        "{name: X-Trace, in: header, type: string}", "{name: X-Trace, in: header, type: integer}"
    )
    tree = diff_texts(tmp_path, SWAGGER, revision)
    (op,) = tree.operations.changed
    (trace,) = op.parameters.changed
    assert trace.schema is not None and trace.schema.base_legacy and trace.schema.revision_legacy
    assert trace.schema.base == "/paths/~1pets~1{id}/get/parameters/1"


@pytest.mark.slow  # the real-world corpus from ../shared (make test-slow)
def test_petstore_1_0_25_to_1_0_26() -> None:
    petstore = corpus_dir() / "petstore"
    tree = diff_files(petstore / "v3-1.0.25.yaml", petstore / "v3-1.0.26.yaml")
    assert not tree.operations.added and not tree.operations.removed
    assert [s.name for s in tree.servers.removed] == ["/v3"]
    assert [s.name for s in tree.servers.added] == ["https://petstore3.swagger.io/api/v3"]
    fields = [(c.field, c.base, c.revision) for c in tree.changes]
    assert ("version", "1.0.25", "1.0.26") in fields
    ops = {(op.base.method, op.base.path): op for op in tree.operations.changed}
    put = ops[("put", "/pet")]
    assert [r.code for r in put.responses.added] == ["422", "default"]
    assert [r.code for r in put.responses.removed] == ["405"]
    assert ("summary", "Update an existing pet", "Update an existing pet.") in {
        (c.field, c.base, c.revision) for c in put.changes
    }
