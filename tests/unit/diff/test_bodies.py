"""Request bodies, responses, media types, headers."""

from __future__ import annotations

from pathlib import Path

from apigov.diff.tree import Pointers
from tests.unit.diff._support import HEAD_30, diff_texts, only_operation

ORDERS = (
    HEAD_30
    + """paths:
  /orders:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Order'}
      responses:
        '201':
          description: created
          headers:
            Location: {required: true, schema: {type: string}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
        '4XX': {description: client error}
        default: {description: error}
components:
  schemas:
    Order:
      type: object
      properties:
        id: {type: string}
"""
)


def test_body_became_required(tmp_path: Path) -> None:
    revision = ORDERS.replace("      requestBody:\n", "      requestBody:\n        required: true\n")
    op = only_operation(diff_texts(tmp_path, ORDERS, revision))
    body = op.request_body
    assert body is not None and body.base is not None and body.revision is not None
    assert not body.base.required and body.revision.required
    assert [(c.field, c.base, c.revision) for c in body.changes] == [("required", False, True)]
    assert body.changes[0].at == Pointers(
        "/paths/~1orders/post/requestBody", "/paths/~1orders/post/requestBody/required"
    )


def test_body_removed_and_added(tmp_path: Path) -> None:
    without = ORDERS.replace(
        "      requestBody:\n        content:\n          application/json:\n"
        "            schema: {$ref: '#/components/schemas/Order'}\n",
        "",
    )
    removed = only_operation(diff_texts(tmp_path, ORDERS, without)).request_body
    assert removed is not None and removed.revision is None
    assert removed.base is not None and removed.base.pointer == "/paths/~1orders/post/requestBody"
    added = only_operation(diff_texts(tmp_path / "2", without, ORDERS)).request_body
    assert added is not None and added.base is None and added.revision is not None


def test_shared_schema_change_gives_pairs_where_used(tmp_path: Path) -> None:
    revision = ORDERS.replace("        id: {type: string}", "        id: {type: integer}")
    op = only_operation(diff_texts(tmp_path, ORDERS, revision))
    assert op.request_body is not None
    (media,) = op.request_body.content.changed
    assert media.schema is not None
    assert media.schema.base == "/paths/~1orders/post/requestBody/content/application~1json/schema"
    (response,) = op.responses.changed
    assert response.content.changed[0].schema is not None


def test_media_type_matched_by_json_suffix_and_parameters(tmp_path: Path) -> None:
    revision = ORDERS.replace(
        "      requestBody:\n        content:\n          application/json:",
        "      requestBody:\n        content:\n          application/vnd.shop+json; charset=utf-8:",
    )
    op = only_operation(diff_texts(tmp_path, ORDERS, revision))
    assert op.request_body is not None
    content = op.request_body.content
    assert not content.added and not content.removed
    (media,) = content.changed
    assert (media.base.name, media.revision.name) == (
        "application/json",
        "application/vnd.shop+json; charset=utf-8",
    )
    assert media.schema is None


def test_media_type_parameters_alone_are_no_change(tmp_path: Path) -> None:
    revision = ORDERS.replace(
        "      requestBody:\n        content:\n          application/json:",
        "      requestBody:\n        content:\n          application/json; charset=utf-8:",
    )
    assert diff_texts(tmp_path, ORDERS, revision).empty


def test_media_type_matched_by_wildcard(tmp_path: Path) -> None:
    revision = ORDERS.replace(
        "          application/json:\n            schema: {$ref",
        "          '*/*':\n            schema: {$ref",
        1,
    )
    op = only_operation(diff_texts(tmp_path, ORDERS, revision))
    assert op.request_body is not None
    (media,) = op.request_body.content.changed
    assert media.revision.name == "*/*"


def test_media_type_removed_and_added(tmp_path: Path) -> None:
    revision = ORDERS.replace(
        "      requestBody:\n        content:\n          application/json:",
        "      requestBody:\n        content:\n          application/xml:",
    )
    op = only_operation(diff_texts(tmp_path, ORDERS, revision))
    assert op.request_body is not None
    assert [m.name for m in op.request_body.content.added] == ["application/xml"]
    assert [m.name for m in op.request_body.content.removed] == ["application/json"]


def test_response_codes_added_removed_and_ranges(tmp_path: Path) -> None:
    revision = ORDERS.replace(
        "        '4XX': {description: client error}\n",
        "        '400': {description: client error}\n        '409': {description: client error}\n",
    )
    revision = revision.replace("        default: {description: error}\n", "")
    revision = revision.replace("        '201':", "        '202': {description: accepted}\n        '201':")
    op = only_operation(diff_texts(tmp_path, ORDERS, revision))
    assert [r.code for r in op.responses.added] == ["202"]
    assert [r.code for r in op.responses.removed] == ["default"]
    ranged = [(r.base.code, r.revision.code) for r in op.responses.changed]
    assert sorted(ranged) == [("4XX", "400"), ("4XX", "409")]


def test_code_matched_to_a_range(tmp_path: Path) -> None:
    revision = ORDERS.replace("        '201':", "        '2XX':")
    op = only_operation(diff_texts(tmp_path, ORDERS, revision))
    assert not op.responses.added and not op.responses.removed
    (response,) = op.responses.changed
    assert (response.base.code, response.revision.code) == ("201", "2XX")
    assert not response.content and not response.headers


def test_response_header_case_and_required(tmp_path: Path) -> None:
    assert diff_texts(tmp_path, ORDERS, ORDERS.replace("Location:", "location:")).empty
    revision = ORDERS.replace("Location: {required: true,", "Location: {")
    op = only_operation(diff_texts(tmp_path / "2", ORDERS, revision))
    (header,) = op.responses.changed[0].headers.changed
    assert [(c.field, c.base, c.revision) for c in header.changes] == [("required", True, False)]


def test_response_header_added_and_description_changed(tmp_path: Path) -> None:
    revision = ORDERS.replace(
        "            Location: {required: true, schema: {type: string}}",
        "            Location: {required: true, schema: {type: string}}\n            ETag: {schema: {type: string}}",
    ).replace("description: created", "description: Created.")
    (response,) = only_operation(diff_texts(tmp_path, ORDERS, revision)).responses.changed
    assert [h.name for h in response.headers.added] == ["ETag"]
    assert [(c.field, c.revision) for c in response.changes] == [("description", "Created.")]
