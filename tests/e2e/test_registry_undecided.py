"""A subject's undecided level through a real ``apigov serve`` (directory and PostgreSQL) and the
CLI: set with the admin scope like the mode, shown by ``registry list``, applied to every publish
through the server; a change accepted under ``warning`` still says it is undecided and why.
The PostgreSQL run is in ``make test-slow`` (the fast stage has PostgreSQL in the backend suite,
the upgrade test and the Confluent test)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e._cli import apigov, assert_input_error
from tests.e2e._server import REGISTRIES, Server, make_token, running_servers
from tests.unit.registry._http_support import check_response

pytestmark = pytest.mark.e2e

WHY = "apigov cannot decide whether new readers are affected"


def _codes(pattern: str) -> str:
    return json.dumps({"type": "object", "properties": {"code": {"type": "string", "pattern": pattern}}})


@pytest.fixture(
    params=[
        "directory",  # PostgreSQL: the backend suite and the migration test (unit), Confluent (e2e)
        pytest.param("postgresql", marks=pytest.mark.slow),
    ]
)
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Server, str]]:
    location = REGISTRIES[request.param](tmp_path)
    with running_servers(location, tmp_path) as servers:
        yield servers[0], location


def test_the_undecided_level_through_a_real_server(served: tuple[Server, str], tmp_path: Path) -> None:
    server, location = served
    admin = make_token(location, "admin", "platform")
    publisher = make_token(location, "publish", "ci")
    for name, pattern in (("v1.json", "^a+$"), ("v2.json", "^(a|b)+$")):
        (tmp_path / name).write_text(_codes(pattern))
    as_ci = {"APIGOV_TOKEN": publisher, "APIGOV_REGISTRY": server.url}
    as_admin = {"APIGOV_TOKEN": admin, "APIGOV_REGISTRY": server.url}

    first = apigov("publish", str(tmp_path / "v1.json"), "-s", "codes-value", env=as_ci)
    assert first.returncode == 0, first.stderr
    refused = apigov("publish", str(tmp_path / "v2.json"), "-s", "codes-value", env=as_ci)
    assert refused.returncode == 1, refused.stderr
    assert WHY in refused.stdout and "not decided: counted as breaking" in refused.stdout

    # the same scope as the mode: a publisher may not relax its own gate
    small = apigov("registry", "set-undecided", "codes-value", "warning", env=as_ci)
    assert_input_error(small, "scope admin")
    assert_input_error(
        apigov("registry", "set-undecided", "nope-value", "warning", env=as_admin), "nope-value"
    )
    relaxed = apigov("registry", "set-undecided", "codes-value", "warning", "-f", "json", env=as_admin)
    assert relaxed.returncode == 0, relaxed.stderr
    assert json.loads(relaxed.stdout)["undecided"] == "warning"
    listing = apigov("registry", "list", env=as_ci)
    assert listing.stdout.splitlines()[1].split()[:4] == ["codes-value", "jsonschema", "BACKWARD", "warning"]

    accepted = apigov("publish", str(tmp_path / "v2.json"), "-s", "codes-value", "-f", "json", env=as_ci)
    assert accepted.returncode == 0, accepted.stderr
    outcome = json.loads(accepted.stdout)
    assert (outcome["status"], outcome["version"]) == ("published", "1.1.0")
    [change] = outcome["changes"]
    assert (change["level"], change["undecided"]) == ("warning", True) and WHY in change["message"]
    changelog = apigov("registry", "changelog", "codes-value", "-f", "json", env=as_ci)
    recorded = json.loads(changelog.stdout)["entries"][0]["changes"]
    assert recorded == [{k: v for k, v in change.items() if k != "example"}]

    # the API itself: the subject says it, a bad level is a 400, the answer follows openapi.yaml
    got = httpx.get(f"{server.url}/v1/subjects/codes-value", headers={"Authorization": f"Bearer {publisher}"})
    assert got.json()["undecided"] == "warning"
    check_response(got)
    for body, status in (({"undecided": "info"}, 400), ({"undecided": "breaking"}, 200)):
        put = httpx.put(
            f"{server.url}/v1/subjects/codes-value/undecided",
            json=body,
            headers={"Authorization": f"Bearer {admin}"},
        )
        assert put.status_code == status, put.text
        check_response(put)
    assert put.json()["undecided"] == "breaking"
    (tmp_path / "v3.json").write_text(_codes("^(a|b|c)+$"))
    again = apigov("publish", str(tmp_path / "v3.json"), "-s", "codes-value", env=as_ci)
    assert again.returncode == 1 and "not decided: counted as breaking" in again.stdout
