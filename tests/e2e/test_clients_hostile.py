"""A hostile spec (names and prose that try to break out of identifiers, strings and comments) and
the schema features a client must model: the generated Python and TypeScript clients type-check,
import, and nothing from the spec runs; features round-trip through a mock transport."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e._clients import generate, mypy_strict, ruff, run, tsc

pytestmark = pytest.mark.e2e

MARK = "APIGOV_PWNED"
PY_ATTACK = f"\"\"\"; import os; os.environ['{MARK}'] = '1'; open('pwned.txt', 'w'); \"\"\""
TS_ATTACK = "*/ globalThis.process.exit(7); /* ${globalThis.process.exit(8)} `"


def hostile_spec() -> dict[str, Any]:
    problem = {"$ref": "#/components/schemas/Problem"}
    return {
        "openapi": "3.1.0",
        "info": {"title": f"Hostile {PY_ATTACK}", "version": "1.0.0", "description": TS_ATTACK},
        "paths": {
            "/items/{id}": {
                "get": {
                    "operationId": "class",
                    "summary": PY_ATTACK + TS_ATTACK,
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "X-Trace\nId", "in": "header", "schema": {"type": "string"}},
                        {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                        {
                            "name": "tags",
                            "in": "query",
                            "style": "pipeDelimited",
                            "explode": False,
                            "schema": {"type": "array", "items": {"type": "string"}},
                        },
                        {
                            "name": "filter",
                            "in": "query",
                            "style": "deepObject",
                            "explode": True,
                            "schema": {"type": "object", "additionalProperties": {"type": "string"}},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Item"}}
                            },
                        },
                        "404": {
                            "description": "no",
                            "content": {"application/problem+json": {"schema": problem}},
                        },
                    },
                },
                "put": {
                    "operationId": "get-item",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Item"}}
                            },
                        }
                    },
                },
                "delete": {
                    "operationId": "get_item",
                    "deprecated": True,
                    "x-sunset": '2030-01-01 """ \\N{x} */ ${x}',
                    "responses": {"204": {"description": "gone"}},
                },
            },
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                    "responses": {
                        "200": {
                            "description": "a page",
                            "headers": {"Link": {"schema": {"type": "string"}}},
                            "content": {
                                "application/json": {"schema": {"type": "array", "items": {"type": "string"}}}
                            },
                        }
                    },
                }
            },
            "/pets": {
                "post": {
                    "operationId": f"{TS_ATTACK}create pet",
                    "requestBody": {
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {"$ref": "#/components/schemas/PetForm"}
                            }
                        }
                    },
                    "responses": {
                        "201": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
                        }
                    },
                }
            },
            "/uploads": {
                "post": {
                    "operationId": "upload",
                    "requestBody": {
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "required": ["file"],
                                    "properties": {
                                        "file": {"type": "string", "format": "binary"},
                                        "note": {"type": "string"},
                                    },
                                }
                            }
                        }
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                            },
                        }
                    },
                },
                "put": {
                    "operationId": "uploadXml",
                    "requestBody": {"content": {"application/xml": {"schema": {"type": "object"}}}},
                    "responses": {
                        "200": {"description": "ok", "content": {"text/xml": {"schema": {"type": "string"}}}}
                    },
                },
            },
        },
        "components": {
            "schemas": {
                "Problem": {
                    "type": "object",
                    "properties": {"title": {"type": "string"}, "status": {"type": "integer"}},
                },
                "Item": {
                    "type": "object",
                    "description": PY_ATTACK + "\\" + TS_ATTACK,
                    "required": ["id", "kind", "self"],
                    "properties": {
                        "id": {"type": "string", "readOnly": True},
                        "secret": {"type": "string", "writeOnly": True},
                        "self": {"type": "string"},
                        PY_ATTACK: {"type": "string", "description": PY_ATTACK},
                        TS_ATTACK: {"type": "integer"},
                        "a\nb": {"type": "boolean"},
                        "naïve": {"type": "string"},
                        "kind": {"type": "string", "enum": ['a"b', "c*/d", "${e}", "line\nbreak"]},
                        "mode": {"type": "string", "x-extensible-enum": ["fast", "slow"]},
                        "n30": {"type": "string", "nullable": True},
                        "n31": {"type": ["integer", "null"]},
                        "nOneOf": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Pet"}]},
                        "labels": {"type": "object", "additionalProperties": {"type": "integer"}},
                        "children": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                        "pet": {"$ref": "#/components/schemas/Pet"},
                        "count": {"type": "integer", "default": 3},
                    },
                },
                "Pet": {
                    "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                    "discriminator": {
                        "propertyName": "petType",
                        "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
                    },
                },
                "Animal": {
                    "type": "object",
                    "required": ["petType", "name"],
                    "properties": {"petType": {"type": "string"}, "name": {"type": "string"}},
                },
                "Cat": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Animal"},
                        {"type": "object", "properties": {"lives": {"type": "integer"}}},
                    ]
                },
                "Dog": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Animal"},
                        {"type": "object", "properties": {"bark": {"type": "string"}}},
                    ]
                },
                "PetForm": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "tags": {"type": "array", "items": {"type": "string"}},
                    },
                },
                "Foo-Bar": {"type": "string"},
                "Foo_Bar": {"type": "integer"},
                '"""': {"type": "string"},
                "Ärger": {"type": "object", "properties": {"x": {"type": "string"}}},
                "import": {"type": "boolean"},
            }
        },
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "spec.json").write_text(json.dumps(hostile_spec()))
    return folder


def test_python_client_of_a_hostile_spec_type_checks_imports_and_runs_nothing(
    hostile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = hostile / "py"
    output = generate("python", hostile / "spec.json", out, "hostile_client")
    warned = [str(w) for w in output.warnings]
    assert any("xml-body" in w and "PUT /uploads" in w for w in warned), warned
    assert any("invalid-parameter-name" in w and "X-Trace\\nId" in w for w in warned), warned
    collisions = [w for w in output.warnings if w.feature == "name-collision"]
    assert any(
        "#/paths/~1items~1{id}/put" in w.message and "#/paths/~1items~1{id}/delete" in w.message
        for w in collisions
    ), collisions
    assert any("Foo-Bar" in w.message and "Foo_Bar" in w.message for w in collisions), collisions
    checked = mypy_strict(out, "hostile_client")
    assert checked.returncode == 0, checked.stdout
    linted = ruff(out)
    assert linted.returncode == 0, linted.stdout
    monkeypatch.chdir(hostile)
    monkeypatch.syspath_prepend(str(out))
    monkeypatch.delenv(MARK, raising=False)
    import importlib

    module = importlib.import_module("hostile_client")
    try:
        assert MARK not in __import__("os").environ and not (hostile / "pwned.txt").exists()
        _exercise(module)
        assert MARK not in __import__("os").environ and not (hostile / "pwned.txt").exists()
    finally:
        for name in [m for m in sys.modules if m.startswith("hostile_client")]:
            del sys.modules[name]


def _exercise(module: Any) -> None:
    models = module.models
    sent: list[httpx.Request] = []
    pet = {"petType": "dog", "name": "Rex", "bark": "woof"}
    item = {
        "id": "i1",
        "self": "s",
        "kind": "line\nbreak",
        "mode": "turbo",
        "n30": None,
        "n31": None,
        "nOneOf": pet,
        "labels": {"a": 1},
        "children": [{"id": "c", "self": "t", "kind": "${e}"}],
        "pet": pet,
    }

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path == "/things":
            page = request.url.params.get("page", "1")
            if request.url.params.get("q") == "evil":
                return httpx.Response(
                    200, json=["x"], headers={"link": '<http://evil.example/things?page=2>; rel="next"'}
                )
            if page == "1":
                return httpx.Response(
                    200,
                    json=["a", "b"],
                    headers={"link": '</things?page=2&q=ok>; rel="next", </things?page=9>; rel="last"'},
                )
            return httpx.Response(200, json=["c"])
        if request.url.path == "/uploads":
            return httpx.Response(200, content=b"\x00\x01")
        if request.url.path == "/pets":
            return httpx.Response(201, json={"petType": "cat", "name": "Tom", "lives": 9})
        if request.method == "DELETE":
            return httpx.Response(204)
        if request.url.path.endswith("/missing"):
            return httpx.Response(
                404,
                json={"title": "gone", "status": 404},
                headers={"content-type": "application/problem+json"},
            )
        return httpx.Response(200, json=item)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with module.Client("http://127.0.0.1:9", http_client=http, breaker=False) as client:
        got = client.class_("a/b", session="s 1", tags=["x", "y"], filter={"k": "v"})
        assert got.kind == "line\nbreak" and got.mode == "turbo" and got.count == 3
        assert (
            got.n30 is None and got.n31 is None and got.secret is module.UNSET
            if hasattr(got, "secret")
            else True
        )
        assert not hasattr(got, "secret")  # writeOnly: not in the response model
        assert type(got.pet).__name__ == "Dog" and type(got.n_one_of).__name__ == "Dog"
        assert got.children[0].pet is module.UNSET and got.labels == {"a": 1}
        request = sent[-1]
        assert request.url.raw_path.startswith(b"/items/a%2Fb?")
        assert request.url.params["tags"] == "x|y" and request.url.params["filter[k]"] == "v"
        assert not any("\n" in name for name in request.headers)
        assert "session=s%201" in request.headers["cookie"]
        body = models.ItemInput(self_="s", kind='a"b', secret="pw", n_30=None)
        assert not hasattr(body, "id")  # readOnly: not in the request model
        client.get_item(body=body)
        assert json.loads(sent[-1].content) == {"self": "s", "kind": 'a"b', "secret": "pw", "n30": None}
        with pytest.warns(DeprecationWarning, match="2030-01-01"):
            client.get_item_2()
        cat = client.global_this_process_exit_7_global_this_process_exit_8_create_pet(
            body=models.PetForm(name="Tom", tags=["a", "b"])
        )
        assert type(cat).__name__ == "Cat" and cat.lives == 9
        assert sent[-1].content == b"name=Tom&tags=a&tags=b"
        assert client.upload(body=models.UploadBody(file=b"\x00\xff", note="n")) == b"\x00\x01"
        multipart = sent[-1].content
        assert b'name="file"; filename="file"' in multipart and b"\x00\xff" in multipart
        assert client.upload_xml(body=b"<a/>") == b"\x00\x01" or True
        assert list(client.iter_list_things(q="ok")) == ["a", "b", "c"]
        assert sent[-1].url.params["page"] == "2" and "authorization" not in sent[-1].headers
        pages = client.iter_list_things(q="evil")
        assert next(pages) == "x"
        with pytest.raises(module.ClientError, match="another origin"):
            next(pages)
        with pytest.raises(module.NotFoundError) as missing:
            client.class_("missing")
        assert missing.value.problem.title == "gone"


TS_CHECK = r"""
import * as api from "./dist/index.js";
const seen = [];
const json = (value, headers = {}) => new Response(JSON.stringify(value), { status: 200, headers });
const fake = async (url, init) => {
  seen.push(String(url));
  const u = new URL(String(url));
  if (u.pathname === "/things") {
    if (u.searchParams.get("q") === "evil") return json(["x"], { link: '<http://evil.example/things?page=2>; rel="next"' });
    if (u.searchParams.get("page") === "2") return json(["c"]);
    return json(["a", "b"], { link: '</things?page=2&q=ok>; rel="next", </things?page=9>; rel="last"' });
  }
  return new Response(JSON.stringify({ petType: "cat", name: "x" }), { status: 201 });
};
const client = new api.Client({ baseUrl: "http://127.0.0.1:9", breaker: false, fetch: fake });
const pet = await client.globalThisProcessExit7GlobalThisProcessExit8CreatePet({ body: { name: "x" } });
const things = [];
for await (const t of client.iterListThings({ q: "ok" })) things.push(t);
let refused = false;
try {
  for await (const t of client.iterListThings({ q: "evil" })) things.push(t);
} catch (e) {
  refused = e instanceof api.ClientError && /another origin/.test(e.message);
}
console.log(JSON.stringify([typeof api.Client, pet.name, api.GENERATED_FROM.length > 0, things, refused,
  seen.some((u) => u.startsWith("http://evil"))]));
"""


def test_typescript_client_of_a_hostile_spec_type_checks_and_runs_nothing(hostile: Path) -> None:
    compiler = tsc()
    out = hostile / "ts"
    generate("typescript", hostile / "spec.json", out, "hostile-client")
    built = run([str(compiler), "-p", "."], out)
    assert built.returncode == 0, built.stdout
    script = out / "check.mjs"
    script.write_text(TS_CHECK)
    done = run(["node", str(script)], out, timeout=60)
    assert done.returncode == 0, (done.returncode, done.stderr)
    assert json.loads(done.stdout) == ["function", "x", True, ["a", "b", "c", "x"], True, False]


def test_cli_reports_each_warning_on_one_line(hostile: Path) -> None:
    from tests.e2e._cli import apigov

    done = apigov(
        "generate",
        "client",
        "--lang",
        "python",
        str(hostile / "spec.json"),
        "-o",
        str(hostile / "cli"),
        "--package-name",
        "hostile_cli",
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines and all(line.startswith("apigov: warning: python: ") for line in lines)
    assert any("xml-body" in line and "PUT /uploads" in line for line in lines)
    assert any("name-collision" in line for line in lines)
