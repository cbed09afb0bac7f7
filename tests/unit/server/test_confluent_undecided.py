"""The Confluent API judges an undecided change the way ``apigov publish`` does: by the subject's
undecided level alone, whatever apigov.yaml's ``diff.undecided`` says (that is the CLI's), and a
change ``diff.rules`` turned into ``info`` is no doubt at all."""

from __future__ import annotations

import json
from pathlib import Path

from starlette.testclient import TestClient

from apigov.config.project import load_config
from apigov.core.findings import Level
from apigov.registry.filesystem import DirectoryBackend
from apigov.registry.tokens import FileTokenStore, create_token
from apigov.server.app import ServerSettings, create_app

_SUBJECT = "codes-value"


def _schema(pattern: str) -> dict[str, str]:
    schema = {"type": "object", "properties": {"code": {"type": "string", "pattern": pattern}}}
    return {"schema": json.dumps(schema), "schemaType": "JSON"}


def _served(tmp_path: Path, config_text: str) -> tuple[TestClient, DirectoryBackend, tuple[str, str]]:
    (tmp_path / "apigov.yaml").write_text(config_text)
    backend = DirectoryBackend(tmp_path / "contracts")
    tokens = FileTokenStore(tmp_path / "tokens.json")
    token = create_token(tokens, name="admin", scope="admin", created_at="2026-12-06T00:00:00Z").token
    app = create_app(backend, tokens, ServerSettings(rate_limit=0), load_config(tmp_path / "apigov.yaml"))
    return TestClient(app), backend, ("x", token)


def _register(client: TestClient, auth: tuple[str, str], pattern: str) -> int:
    return client.post(
        f"/confluent/subjects/{_SUBJECT}/versions", json=_schema(pattern), auth=auth
    ).status_code


def _check(client: TestClient, auth: tuple[str, str], pattern: str) -> dict[str, object]:
    url = f"/confluent/compatibility/subjects/{_SUBJECT}/versions/latest?verbose=true"
    answer = client.post(url, json=_schema(pattern), auth=auth)
    assert answer.status_code == 200, answer.text
    result: dict[str, object] = answer.json()
    return result


def test_an_undecided_change_a_rule_setting_made_info_is_registered(tmp_path: Path) -> None:
    client, _, auth = _served(tmp_path, "diff:\n  rules:\n    schema-pattern-changed: info\n")
    with client:
        assert _register(client, auth, "^a+$") == 200
        assert _check(client, auth, "^(a|b)+$")["is_compatible"] is True
        assert _register(client, auth, "^(a|b)+$") == 200  # as apigov publish accepts it


def test_the_subject_level_decides_not_the_cli_setting(tmp_path: Path) -> None:
    client, backend, auth = _served(tmp_path, "diff:\n  undecided: breaking\n")
    with client:
        assert _register(client, auth, "^a+$") == 200
        refused = _check(client, auth, "^(a|b)+$")  # the subject's default: breaking
        assert refused["is_compatible"] is False
        assert any(str(m).startswith("apigov cannot decide: ") for m in refused["messages"])  # type: ignore[attr-defined]
        backend.set_undecided(_SUBJECT, Level.WARNING)
        relaxed = _check(client, auth, "^(a|b)+$")
        assert relaxed["is_compatible"] is True
        assert any(str(m).startswith("apigov cannot decide: ") for m in relaxed["messages"])  # type: ignore[attr-defined]
        assert _register(client, auth, "^(a|b)+$") == 200  # the check and the registration agree
