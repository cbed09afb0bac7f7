"""Schema pairs: left for the schema engine only where the schemas are not written the same."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from apigov.core._types import JSONValue
from apigov.diff.normalise import Schema
from apigov.diff.sameness import Sameness, unchanged_paths
from tests.unit.diff._support import HEAD_20, HEAD_30, diff_texts, only_operation

TREE = (
    HEAD_30
    + """paths:
  /nodes:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Node'}
  /leaves:
    get:
      responses:
        '200': {description: ok}
components:
  schemas:
    Node:
      type: object
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
        label: {type: string}
"""
)


def test_recursive_schemas_terminate(tmp_path: Path) -> None:
    assert diff_texts(tmp_path, TREE, TREE).empty
    revision = TREE.replace("label: {type: string}", "label: {type: string, maxLength: 5}")
    op = only_operation(diff_texts(tmp_path / "2", TREE, revision))
    (response,) = op.responses.changed
    (media,) = response.content.changed
    assert media.schema is not None


def test_unchanged_path_items_are_found_cheaply() -> None:
    base = yaml.safe_load(TREE)
    revision = yaml.safe_load(TREE.replace("label: {type: string}", "label: {type: integer}"))
    assert unchanged_paths(base, revision) == frozenset({"/leaves"})
    assert unchanged_paths(base, base) == frozenset({"/nodes", "/leaves"})


def test_definitions_and_components_are_compared_by_what_they_hold() -> None:
    old: JSONValue = {"definitions": {"A": {"type": "string"}}, "s": {"$ref": "#/definitions/A"}}
    new: JSONValue = {
        "components": {"schemas": {"A": {"type": "string"}}},
        "s": {"$ref": "#/components/schemas/A"},
    }
    assert Sameness(old, new).same(Schema("/s"), Schema("/s"))
    changed: JSONValue = {
        "components": {"schemas": {"A": {"type": "integer"}}},
        "s": {"$ref": "#/components/schemas/A"},
    }
    assert not Sameness(old, changed).same(Schema("/s"), Schema("/s"))


def test_legacy_parameter_is_compared_on_its_schema_keywords_only() -> None:
    old: JSONValue = {"p": {"name": "q", "in": "query", "type": "string", "description": "old"}}
    new: JSONValue = {"p": {"schema": {"type": "string"}}}
    assert Sameness(old, new).same(Schema("/p", legacy=True), Schema("/p/schema"))


SWAGGER = (
    HEAD_20
    + """paths:
  /pets:
    post:
      parameters:
        - {name: pet, in: body, schema: {$ref: '#/definitions/Pet'}}
        - {name: limit, in: query, type: integer, x-internal: true}
      responses:
        '200': {description: ok}
definitions:
  Pet: {type: object, properties: {name: {type: string}}}
"""
)


def test_swagger_2_schema_change_and_parameter_extension(tmp_path: Path) -> None:
    revision = SWAGGER.replace("name: {type: string}", "name: {type: string, minLength: 1}")
    revision = revision.replace("x-internal: true", "x-internal: false")
    op = only_operation(diff_texts(tmp_path, SWAGGER, revision))
    assert op.request_body is not None
    (media,) = op.request_body.content.changed
    assert media.schema is not None and media.schema.base == "/paths/~1pets/post/parameters/0/schema"
    (limit,) = op.parameters.changed
    assert [(c.field, c.base, c.revision) for c in limit.changes] == [("x-internal", True, False)]
    assert limit.schema is None


def _web(shift: int) -> dict[str, JSONValue]:
    """40 schemas referencing each other through anyOf: equal, if at all, only under assumptions."""
    return {
        "components": {
            "schemas": {
                f"N{i}": {
                    "anyOf": [
                        {"$ref": f"#/components/schemas/N{(i + shift) % 40}"},
                        {"$ref": f"#/components/schemas/N{(i + 3) % 40}"},
                        {"properties": {"x": {"$ref": f"#/components/schemas/N{(i + 2) % 40}"}}},
                    ]
                }
                for i in range(40)
            }
        }
    }


def test_schemas_referencing_each_other_are_judged_within_a_bound() -> None:
    """It used to recurse along every route (RecursionError, or hours): out of budget the answer
    is "not known the same", which only costs a full comparison by the engine."""
    sameness = Sameness(_web(1), _web(2))
    assert not sameness.same(Schema("/components/schemas/N0"), Schema("/components/schemas/N0"))
    assert Sameness(_web(1), _web(1)).same(Schema("/components/schemas/N0"), Schema("/components/schemas/N0"))


def test_a_chain_of_thousands_of_references_is_followed_without_recursion() -> None:
    schemas: dict[str, JSONValue] = {
        f"S{i}": {"properties": {"next": {"$ref": f"#/components/schemas/S{i + 1}"}}} for i in range(5000)
    }
    schemas["S5000"] = {"type": "string"}
    api: dict[str, JSONValue] = {
        "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/schemas/S0"}}}}},
        "components": {"schemas": schemas},
    }
    changed = copy.deepcopy(api)
    changed["components"]["schemas"]["S5000"] = {"type": "integer"}
    assert unchanged_paths(api, api) == frozenset({"/a"})
    assert unchanged_paths(api, changed) == frozenset()
