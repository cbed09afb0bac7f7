"""$ref resolution under the safety policy, and bundling."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from apigov.core.errors import UnresolvedRef
from apigov.documents.bundle import bundle
from apigov.documents.kinds import Kind
from apigov.documents.refs import RefPolicy, Workspace, iter_ref_sites

SPEC_HEAD = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / next(iter(files))


@pytest.fixture
def multi_file(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        {
            "api/openapi.yaml": SPEC_HEAD
            + "paths:\n  /orders:\n    $ref: './paths/orders.yaml'\n"
            + "components:\n  schemas:\n    Local: {type: string}\n",
            "api/paths/orders.yaml": "get:\n  responses:\n    '200':\n      description: ok\n"
            "      content:\n        application/json:\n"
            "          schema: {$ref: '../schemas/order.yaml#/Order'}\n",
            "api/schemas/order.yaml": "Order:\n  type: object\n  properties:\n"
            "    lines: {type: array, items: {$ref: '#/Line'}}\n    parent: {$ref: '#/Order'}\n"
            "Line:\n  type: object\n  properties:\n    sku: {$ref: 'common.json#/definitions/Sku'}\n",
            "api/schemas/common.json": '{"definitions": {"Sku": {"type": "string", "pattern": "^[A-Z]+$"}}}',
        },
    )


def test_resolves_relative_files_recursively(multi_file: Path) -> None:
    workspace = Workspace.open(multi_file)
    assert workspace.check_all() == 5
    assert len(workspace.documents) == 4


def test_bundle_is_self_contained_and_points_back_to_sources(multi_file: Path) -> None:
    workspace = Workspace.open(multi_file)
    workspace.check_all()
    result = bundle(workspace, Kind.OPENAPI_30)
    data = result.document.data
    assert isinstance(data, dict)
    schemas = data["components"]["schemas"]  # type: ignore[index,call-overload]
    assert set(schemas) == {"Local", "Order", "Line", "Sku"}
    assert schemas["Order"]["properties"]["parent"] == {"$ref": "#/components/schemas/Order"}
    assert schemas["Line"]["properties"]["sku"] == {"$ref": "#/components/schemas/Sku"}
    response = data["paths"]["/orders"]["get"]["responses"]["200"]  # type: ignore[index,call-overload]
    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Order"}
    assert all(not site.ref.partition("#")[0] for site in iter_ref_sites(result.document))
    document, pointer = result.locate("/components/schemas/Line/properties/sku")
    assert document.path == (multi_file.parent / "schemas" / "order.yaml").resolve()
    assert pointer == "/Line/properties/sku"
    assert document.line(pointer) == 9
    from openapi_spec_validator import validate

    validate(data)  # the bundle is a valid single document


def test_refs_inside_examples_and_extensions_are_data(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            "a.yaml": SPEC_HEAD
            + "paths: {}\ncomponents:\n  examples:\n    Scim:\n      value: {$ref: 'https://example.com/x'}\n"
            + "  schemas:\n    S:\n      type: object\n      example: {$ref: '/etc/passwd'}\n"
            + "      x-meta: {$ref: 'nowhere.yaml'}\n      default: {$ref: '#/nope'}\n"
            + "      properties:\n        example: {$ref: '#/components/schemas/T'}\n"
            + "    T: {type: string}\n"
        },
    )
    workspace = Workspace.open(path)
    assert workspace.check_all() == 1  # only the property named `example`


@pytest.mark.parametrize(
    ("files", "words"),
    [
        ({"a.yaml": SPEC_HEAD + "paths:\n  /x: {$ref: 'missing.yaml'}\n"}, "does not exist"),
        ({"a.yaml": SPEC_HEAD + "paths:\n  /x: {$ref: '#/nope/nothing'}\n"}, "points to nothing"),
        (
            {"a.yaml": SPEC_HEAD + "paths:\n  /x: {$ref: 'b.yaml#/missing'}\n", "b.yaml": "a: 1\n"},
            "points to nothing",
        ),
        (
            {"a.yaml": SPEC_HEAD + "paths:\n  /x: {$ref: '#/paths/~1y'}\n  /y: {$ref: '#/paths/~1x'}\n"},
            "circular",
        ),
        ({"a.yaml": SPEC_HEAD + "paths:\n  /x: {$ref: '#/paths/~1x'}\n"}, "circular"),
        (
            {
                "a.yaml": SPEC_HEAD + "paths:\n  /x: {$ref: 'b.yaml'}\n",
                "b.yaml": "$ref: 'a.yaml#/paths/~1x'\n",
            },
            "circular",
        ),
        ({"a.yaml": SPEC_HEAD + "paths:\n  /x: {$ref: '/etc/passwd'}\n"}, "reaches outside"),
        ({"a.yaml": SPEC_HEAD + "paths:\n  /x: {$ref: '../../../../../../etc/passwd'}\n"}, "reaches outside"),
        ({"a.yaml": SPEC_HEAD + "paths:\n  /x: {$ref: 'file:///etc/passwd'}\n"}, "reaches outside"),
        ({"a.yaml": SPEC_HEAD + "paths:\n  /x: {$ref: 'ftp://example.com/x.yaml'}\n"}, "refused"),
        ({"a.yaml": SPEC_HEAD + "paths:\n  /x: {$ref: '#anchor'}\n"}, "no anchor"),
    ],
)
def test_bad_references_are_refused_with_a_line(tmp_path: Path, files: dict[str, str], words: str) -> None:
    workspace = Workspace.open(write(tmp_path, files), source="a.yaml")
    with pytest.raises(UnresolvedRef) as caught:
        workspace.check_all()
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)
    assert caught.value.line is not None


def test_outside_reference_allowed_when_asked(tmp_path: Path) -> None:
    write(tmp_path, {"shared/s.yaml": "S: {type: string}\n"})
    spec = write(
        tmp_path / "api",
        {"a.yaml": SPEC_HEAD + "paths: {}\ncomponents:\n  schemas:\n    X: {$ref: '../shared/s.yaml#/S'}\n"},
    )
    with pytest.raises(UnresolvedRef):
        Workspace.open(spec).check_all()
    assert Workspace.open(spec, policy=RefPolicy(allow_outside=True)).check_all() == 1


def test_symlink_escaping_the_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text("S: {type: string}\n")
    spec = write(
        tmp_path / "api",
        {"a.yaml": SPEC_HEAD + "paths: {}\ncomponents:\n  schemas:\n    X: {$ref: 'link.yaml#/S'}\n"},
    )
    (tmp_path / "api" / "link.yaml").symlink_to(tmp_path / "secret.yaml")
    with pytest.raises(UnresolvedRef, match="outside"):
        Workspace.open(spec).check_all()


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        body = b"S: {type: string}\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Counter.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_remote_reference_is_refused_without_any_request(tmp_path: Path, server: str) -> None:
    spec = write(
        tmp_path,
        {
            "a.yaml": SPEC_HEAD + f"paths: {{}}\ncomponents:\n  schemas:\n"
            f"    X: {{$ref: '{server}/s.yaml#/S'}}\n"
        },
    )
    with pytest.raises(UnresolvedRef, match="--allow-remote-refs"):
        Workspace.open(spec).check_all()
    assert _Counter.hits == []
    workspace = Workspace.open(spec, policy=RefPolicy(allow_remote=True))
    assert workspace.check_all() == 1
    assert _Counter.hits == ["/s.yaml"]
    bundled = bundle(workspace, Kind.OPENAPI_30).document.data
    assert bundled["components"]["schemas"]["X"] == {"type": "string"}  # type: ignore[index,call-overload]


def test_json_schema_ids_and_anchors_resolve_locally(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        {
            "s.json": '{"$schema": "https://json-schema.org/draft/2020-12/schema",'
            '"$id": "https://example.com/order.json", "type": "object",'
            '"properties": {"a": {"$ref": "https://example.com/order.json#/$defs/A"},'
            '"b": {"$ref": "#bee"}},'
            '"$defs": {"A": {"type": "string"}, "B": {"$anchor": "bee", "type": "integer"}}}'
        },
    )
    assert Workspace.open(spec).check_all() == 2


def test_named_component_references_keep_their_names_and_overrides(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        {
            "a.yaml": "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /o:\n    get:\n      responses:\n"
            "        '404': {$ref: 'common.yaml#/NotFound', description: Order not found}\n"
            "        '200':\n          description: ok\n          content:\n            application/json:\n"
            "              schema: {$ref: 'common.yaml#/Page'}\n"
            "components:\n  schemas:\n    Order: {$ref: 'common.yaml#/Order'}\n",
            "common.yaml": "NotFound: {description: generic not found}\n"
            "Page: {type: object, properties: {items: {type: array, items: {$ref: '#/Order'}}}}\n"
            "Order: {type: object, properties: {id: {type: string}}}\n",
        },
    )
    workspace = Workspace.open(spec)
    workspace.check_all()
    data = bundle(workspace, Kind.OPENAPI_31).document.data
    schemas = data["components"]["schemas"]  # type: ignore[index,call-overload]
    assert schemas["Order"] == {"type": "object", "properties": {"id": {"type": "string"}}}
    assert schemas["Page"]["properties"]["items"]["items"] == {"$ref": "#/components/schemas/Order"}
    not_found = data["paths"]["/o"]["get"]["responses"]["404"]  # type: ignore[index,call-overload]
    assert not_found == {"description": "Order not found"}
    from openapi_spec_validator import validate

    validate(data)


def test_fragments_are_percent_encoded_and_decoded() -> None:
    from apigov.core import jsonptr

    pointer = jsonptr.join("/paths", "/files/a b%", "get")
    assert jsonptr.to_fragment(pointer) == "#/paths/~1files~1a%20b%25/get"
    assert jsonptr.from_fragment(jsonptr.to_fragment(pointer)[1:]) == pointer


def test_symlinked_root_cannot_widen_the_allowed_directory(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "a.yaml").write_text(SPEC_HEAD + "paths: {}\n")
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "a.yaml").symlink_to(tmp_path / "elsewhere" / "a.yaml")
    with pytest.raises(UnresolvedRef, match="symlink to a file outside the project root"):
        Workspace.open(tmp_path / "repo" / "a.yaml")
    assert Workspace.open(tmp_path / "repo" / "a.yaml", policy=RefPolicy(allow_outside=True)).check_all() == 0


def test_compound_json_schema_refs_resolve_against_embedded_ids(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        {
            "s.json": '{"$schema": "https://json-schema.org/draft/2020-12/schema",'
            '"$id": "https://example.com/schemas/order", "type": "object",'
            '"properties": {"a": {"$ref": "customer"}, "b": {"$ref": "https://example.com/schemas/customer"},'
            '"c": {"allOf": [{"$ref": "address#/$defs/zip"}]}},'
            '"$defs": {"customer": {"$id": "customer", "type": "object"},'
            '"address": {"$id": "https://example.com/schemas/address", "$defs": {"zip": {"type": "string"}}}}}'
        },
    )
    workspace = Workspace.open(spec)
    assert workspace.check_all() == 3
    target = workspace.follow(workspace.root, "/properties/c/allOf/0", {"$ref": "address#/$defs/zip"})
    assert target.pointer == "/$defs/address/$defs/zip"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("plain.json", "$id"),
        ("escaped-letter.json", "$\\u0069d"),
        ("escaped-dollar.json", "\\u0024id"),
        ("escaped.yaml", "\\x24id"),
    ],
)
def test_embedded_ids_are_found_however_the_key_is_spelled(tmp_path: Path, name: str, key: str) -> None:
    """The walk for ``$id`` is skipped when the text cannot spell one; escapes can."""
    body = (
        f'{{"$schema": "https://json-schema.org/draft/2020-12/schema", "{key}": "https://example.com/o",'
        f'"properties": {{"a": {{"$ref": "customer"}}}}, "$defs": {{"c": {{"{key}": "customer", "type": "object"}}}}}}'
    )
    assert ("$id" in body) == (name == "plain.json")
    workspace = Workspace.open(write(tmp_path, {name: body}))
    assert workspace.check_all() == 1
    assert workspace.follow(workspace.root, "/properties/a", {"$ref": "customer"}).pointer == "/$defs/c"
