"""Operations, path parameters, parameters: matching and what is recorded."""

from __future__ import annotations

from pathlib import Path

from tests.unit.diff._support import HEAD_30, diff_texts, only_operation

PETS = (
    HEAD_30
    + """paths:
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string}}
    get:
      operationId: getPet
      parameters:
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200': {description: ok}
"""
)


def test_identical_documents_give_an_empty_tree(tmp_path: Path) -> None:
    tree = diff_texts(tmp_path, PETS, PETS)
    assert tree.empty


def test_added_and_removed_operations(tmp_path: Path) -> None:
    revision = PETS.replace("/pets/{petId}", "/dogs/{petId}")
    tree = diff_texts(tmp_path, PETS, revision)
    assert [(o.method, o.path) for o in tree.operations.added] == [("get", "/dogs/{petId}")]
    assert [(o.method, o.path) for o in tree.operations.removed] == [("get", "/pets/{petId}")]
    assert tree.operations.removed[0].pointer == "/paths/~1pets~1{petId}/get"
    assert tree.operations.removed[0].operation_id == "getPet"


def test_method_change_is_a_removal_and_an_addition(tmp_path: Path) -> None:
    tree = diff_texts(tmp_path, PETS, PETS.replace("    get:", "    put:"))
    assert [o.method for o in tree.operations.added] == ["put"]
    assert [o.method for o in tree.operations.removed] == ["get"]


def test_renamed_path_parameter_matches_the_operation(tmp_path: Path) -> None:
    tree = diff_texts(tmp_path, PETS, PETS.replace("petId", "id"))
    op = only_operation(tree)
    assert [(r.base, r.revision) for r in op.renamed_path_parameters] == [("petId", "id")]
    assert not op.parameters.added and not op.parameters.removed
    assert not op.parameters.changed


def test_header_name_case_is_not_a_change(tmp_path: Path) -> None:
    tree = diff_texts(tmp_path, PETS, PETS.replace("X-Trace", "x-trace"))
    assert tree.empty


def test_parameter_added_removed_and_became_required(tmp_path: Path) -> None:
    revision = PETS.replace(
        "{name: limit, in: query, schema: {type: integer}}",
        "{name: limit, in: query, required: true, schema: {type: integer}}",
    )
    revision = revision.replace("name: X-Trace", "name: X-Request-Id")
    op = only_operation(diff_texts(tmp_path, PETS, revision))
    assert [(p.location, p.name) for p in op.parameters.added] == [("header", "X-Request-Id")]
    assert [(p.location, p.name) for p in op.parameters.removed] == [("header", "X-Trace")]
    (limit,) = op.parameters.changed
    assert [(c.field, c.base, c.revision) for c in limit.changes] == [("required", False, True)]
    assert limit.changes[0].at.revision == "/paths/~1pets~1{petId}/get/parameters/1/required"
    assert limit.schema is None


def test_parameter_schema_change_leaves_a_pair(tmp_path: Path) -> None:
    revision = PETS.replace(
        "{name: limit, in: query, schema: {type: integer}}",
        "{name: limit, in: query, schema: {type: integer, maximum: 10}}",
    )
    op = only_operation(diff_texts(tmp_path, PETS, revision))
    (limit,) = op.parameters.changed
    assert limit.changes == ()
    assert limit.schema is not None
    assert limit.schema.base == limit.schema.revision == "/paths/~1pets~1{petId}/get/parameters/1/schema"


def test_style_explode_and_deprecation(tmp_path: Path) -> None:
    revision = PETS.replace(
        "{name: limit, in: query, schema: {type: integer}}",
        "{name: limit, in: query, style: spaceDelimited, explode: false, deprecated: true, schema: {type: integer}}",
    )
    op = only_operation(diff_texts(tmp_path, PETS, revision))
    (limit,) = op.parameters.changed
    assert {c.field: (c.base, c.revision) for c in limit.changes} == {
        "deprecated": (None, True),
        "style": ("form", "spaceDelimited"),
        "explode": (True, False),
    }
    assert limit.revision.deprecated


def test_operation_level_parameter_overrides_path_level(tmp_path: Path) -> None:
    base = PETS.replace(
        "        - {name: limit, in: query, schema: {type: integer}}",
        "        - {name: limit, in: query, schema: {type: integer}}\n"
        "        - {name: petId, in: path, required: true, schema: {type: integer}}",
    )
    op = only_operation(diff_texts(tmp_path, base, PETS))
    (pet_id,) = op.parameters.changed
    assert pet_id.schema is not None
    assert pet_id.schema.base == "/paths/~1pets~1{petId}/get/parameters/2/schema"
    assert pet_id.schema.revision == "/paths/~1pets~1{petId}/parameters/0/schema"


def test_ref_parameters_are_resolved(tmp_path: Path) -> None:
    revision = (
        PETS.replace(
            "        - {name: limit, in: query, schema: {type: integer}}",
            "        - $ref: '#/components/parameters/Limit'",
        )
        + "components:\n  parameters:\n    Limit: {name: limit, in: query, schema: {type: integer}}\n"
    )
    tree = diff_texts(tmp_path, PETS, revision)
    assert not tree.operations


def test_deprecation_sunset_and_extensions_are_changes(tmp_path: Path) -> None:
    revision = PETS.replace(
        "      operationId: getPet",
        "      operationId: getPet\n      deprecated: true\n      x-sunset: '2027-01-01'",
    )
    op = only_operation(diff_texts(tmp_path, PETS, revision))
    assert {c.field: (c.base, c.revision) for c in op.changes} == {
        "deprecated": (None, True),
        "x-sunset": (None, "2027-01-01"),
    }
    assert op.revision.deprecated
    assert op.changes[0].at.base == "/paths/~1pets~1{petId}/get"
