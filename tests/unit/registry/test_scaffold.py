"""``apigov init``'s library: finding contracts (bounded), proposing subjects, planning and writing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apigov.config.project import load_config
from apigov.core.errors import InputError
from apigov.documents.kinds import Kind
from apigov.registry.scaffold import (
    DEFAULT_ACTION,
    WORKFLOW_PATH,
    check_action,
    plan,
    scan,
    subject_name,
    write,
)

OPENAPI = "openapi: 3.0.3\ninfo: {title: %s, version: '1'}\npaths: {}\n"
ASYNCAPI = "asyncapi: 3.0.0\ninfo: {title: Shop Events, version: '1'}\n"
SWAGGER = '{"swagger": "2.0", "info": {"title": "Legacy", "version": "1"}, "paths": {}}'
AVRO = '{"type": "record", "name": "OrderPlaced", "namespace": "shop", "fields": []}'
SCHEMA = '{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Customer", "type": "object"}'


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def found(root: Path) -> dict[str, tuple[Kind, str]]:
    return {f.path: (f.kind, f.subject) for f in scan(root).found}


@pytest.mark.parametrize(
    ("title", "path", "expected"),
    [
        ("Orders API", "api/openapi.yaml", "orders-api"),
        ("OrderPlaced", "events/x.avsc", "order-placed"),
        (None, "events/order-created.avsc", "order-created"),
        (None, "schemas/customer.schema.json", "customer"),
        (None, "orders/v2/openapi.yaml", "orders"),
        ("API", "billing/openapi.yaml", "billing"),
        ("  ", "openapi.yaml", "contract"),
        ("../../etc/passwd\n# injected: true", "a.yaml", "etc-passwd-injected-true"),
        ("Ünïcode Søk API", "a.yaml", "n-code-s-k-api"),
        ("con", "x/con.yaml", "contract"),  # a reserved Windows name is never a subject
        ("x" * 300, "a.yaml", "x" * 60),
    ],
)
def test_subject_names_are_kebab_case(title: str | None, path: str, expected: str) -> None:
    assert subject_name(title, path) == expected


def test_scan_finds_every_kind_and_skips_what_is_not_the_projects(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "api/openapi.yaml": OPENAPI % "Orders API",
            "api/v2/openapi.yaml": OPENAPI % "Orders API",  # same title: a unique subject
            "legacy/swagger.json": SWAGGER,
            "events/asyncapi.yaml": ASYNCAPI,
            "events/order-placed.avsc": AVRO,
            "schemas/customer.json": SCHEMA,
            "schemas/address.yaml": "type: object\nproperties: {street: {type: string}}\n",
            "package.json": '{"name": "x", "type": "module"}',  # has "type", is no schema
            "config/settings.json": '{"type": "object", "properties": {}}',  # not declared a schema
            "docs/notes.yaml": "hello: world\n",
            "broken.yaml": "openapi: [unclosed\n",
            "apigov.yml": "contracts: []\n",
            ".git/x/openapi.yaml": OPENAPI % "Git",
            ".venv/lib/openapi.yaml": OPENAPI % "Venv",
            "node_modules/pkg/openapi.yaml": OPENAPI % "Node",
            "build/openapi.yaml": OPENAPI % "Build",
            "contracts/orders-api/subject.json": "{}",  # a registry: its versions are copies
            "contracts/orders-api/1.0.0.yaml": OPENAPI % "Orders API",
        },
    )
    assert found(root) == {
        "api/openapi.yaml": (Kind.OPENAPI_30, "orders-api"),
        "api/v2/openapi.yaml": (Kind.OPENAPI_30, "orders-api-2"),
        "events/asyncapi.yaml": (Kind.ASYNCAPI_3, "shop-events"),
        "events/order-placed.avsc": (Kind.AVRO, "order-placed"),
        "legacy/swagger.json": (Kind.SWAGGER_2, "legacy"),
        "schemas/address.yaml": (Kind.JSONSCHEMA_7, "address"),
        "schemas/customer.json": (Kind.JSONSCHEMA_2020, "customer"),
    }


def test_scan_is_bounded_and_says_where_it_stopped(tmp_path: Path) -> None:
    root = tree(tmp_path, {f"d{i // 100}/f{i}.txt": "" for i in range(1500)})
    tree(root, {"zz/openapi.yaml": OPENAPI % "Late"})
    result = scan(root, max_entries=500)
    assert result.truncated and result.limit == "500 directory entries"
    assert result.entries == 500 and not result.found
    many = tree(tmp_path / "many", {f"s{i}.yaml": OPENAPI % f"S{i}" for i in range(30)})
    result = scan(many, max_candidates=10)
    assert result.truncated and result.limit == "10 YAML and JSON files"
    assert (result.parsed, len(result.found)) == (10, 10)
    assert not scan(tmp_path / "many").truncated


def test_the_search_stops_after_so_many_bytes_and_big_files_are_peeked_at(tmp_path: Path) -> None:
    padding = "x-padding:\n" + "".join(f"  k{i}: {'v' * 90}\n" for i in range(12_000))  # ~1.2 MB
    root = tree(
        tmp_path,
        {
            "big/openapi.yaml": (OPENAPI % "Big") + padding,  # the kind comes first: parsed, found
            "big/late.yaml": padding + (OPENAPI % "Late"),  # not in the first bytes: passed over
        },
    )
    assert [f.path for f in scan(root).found] == ["big/openapi.yaml"]
    result = scan(root, max_total_bytes=1_500_000)
    assert result.truncated and result.limit == "1 MiB of YAML and JSON"
    assert result.parsed == 1


def test_paths_that_cannot_go_into_apigov_yaml_are_left_out_and_named(tmp_path: Path) -> None:
    root = tree(tmp_path, {"a*b.yaml": OPENAPI % "Star", "bad\nname.yaml": OPENAPI % "Newline"})
    result = scan(root)
    assert result.found == ()
    assert sorted(result.skipped) == ["a*b.yaml", "bad\\nname.yaml"]


def test_the_planned_config_loads_and_lists_the_contracts(tmp_path: Path) -> None:
    root = tree(tmp_path, {"api/openapi.yaml": OPENAPI % "'Quoted: # API'", "s p a c e.avsc": AVRO})
    scaffold = plan(scan(root))
    assert scaffold.existing == ()
    write(scaffold)
    config = load_config(root / "apigov.yaml")
    assert [(c.path, c.subject) for c in config.contracts] == [
        ("api/openapi.yaml", "quoted-api"),
        ("s p a c e.avsc", "order-placed"),
    ]
    assert config.registry == "contracts"
    assert (root / "contracts" / ".gitignore").read_text().splitlines()[1:] == [".lock", ".*.tmp"]
    assert "uses: " + DEFAULT_ACTION in (root / WORKFLOW_PATH).read_text()
    assert "Quoted" not in (root / "apigov.yaml").read_text()  # spec text stays out of the config


def test_nothing_found_still_makes_a_loadable_config(tmp_path: Path) -> None:
    write(plan(scan(tmp_path), workflow=False))
    assert load_config(tmp_path / "apigov.yaml").contracts == ()
    assert not (tmp_path / ".github").exists()


@pytest.mark.parametrize(
    "existing", ["apigov.yaml", "apigov.yml", ".apigov.yaml", WORKFLOW_PATH, "contracts"]
)
def test_an_existing_target_means_nothing_is_written(tmp_path: Path, existing: str) -> None:
    tree(tmp_path, {"api/openapi.yaml": OPENAPI % "A", existing: "mine\n"})
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    scaffold = plan(scan(tmp_path))
    assert existing in scaffold.existing
    with pytest.raises(InputError, match="already exists") as caught:
        write(scaffold)
    assert "\n" not in str(caught.value)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before
    assert (tmp_path / existing).read_text() == "mine\n"


def test_an_existing_registry_directory_is_kept(tmp_path: Path) -> None:
    tree(tmp_path, {"contracts/orders-api/subject.json": "{}"})
    scaffold = plan(scan(tmp_path))
    assert scaffold.existing == () and "contracts" not in scaffold.directories
    assert [name for name, _ in scaffold.files] == ["apigov.yaml", WORKFLOW_PATH]


def test_a_file_appearing_before_write_is_not_replaced_and_nothing_stays(tmp_path: Path) -> None:
    scaffold = plan(scan(tmp_path))
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / WORKFLOW_PATH).write_text("theirs\n")
    with pytest.raises(InputError, match="appeared while apigov init ran"):
        write(scaffold)
    assert (tmp_path / WORKFLOW_PATH).read_text() == "theirs\n"
    assert sorted(p.name for p in tmp_path.rglob("*")) == [".github", "apigov.yml", "workflows"]


def test_a_failing_write_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / ".github").write_text("a file where a directory must go\n")
    with pytest.raises(InputError, match="no file written"):
        write(plan(scan(tmp_path)))
    assert sorted(p.name for p in tmp_path.iterdir()) == [".github"]


@pytest.mark.parametrize(
    "action",
    ["apigov/apigov@main\nrun: curl evil", "apigov/apigov", "a b/c@d", "apigov/apigov@x # y", "-x/y@z"],
)
def test_the_action_is_owner_repo_at_ref_and_nothing_else(action: str) -> None:
    with pytest.raises(InputError, match="is not OWNER/REPO@REF"):
        check_action(action)


def test_registry_must_stay_inside_the_project(tmp_path: Path) -> None:
    for registry in ("../elsewhere", "/abs/registry", "a*b"):
        with pytest.raises(InputError, match="inside the project"):
            plan(scan(tmp_path), registry=registry)
    scaffold = plan(scan(tmp_path), registry="api/registry", action="me/apigov@" + "a" * 40)
    write(scaffold)
    assert load_config(tmp_path / "apigov.yaml").registry == "api/registry"
    assert (tmp_path / "api" / "registry" / ".gitignore").is_file()
    workflow = (tmp_path / WORKFLOW_PATH).read_text()
    assert "uses: me/apigov@" + "a" * 40 + "\n" in workflow
    assert json.dumps("placeholder") not in workflow
