"""Tokens: shown once, stored as a hash in a 0600 file, scoped, revocable; the CLI around them."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from apigov.cli.main import run
from apigov.core.errors import ConfigError, InputError
from apigov.registry.tokens import (
    PREFIX,
    TOKEN_FILE,
    FileTokenStore,
    create_token,
    grants,
    hash_token,
)


def test_a_token_is_stored_only_as_its_hash_in_a_private_file(tmp_path: Path) -> None:
    store = FileTokenStore.for_registry(tmp_path / "reg")
    made = create_token(store, name="ci", scope="publish", created_at="2026-11-21T08:00:00Z")
    assert made.token.startswith(PREFIX) and len(made.token) == len(PREFIX) + 43
    path = tmp_path / "reg" / TOKEN_FILE
    text = path.read_text()
    assert made.token not in text and made.token[len(PREFIX) :] not in text
    assert hash_token(made.token) in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert f"{TOKEN_FILE}*" in (tmp_path / "reg" / ".gitignore").read_text().splitlines()
    assert ".lock" in (tmp_path / "reg" / ".gitignore").read_text().splitlines()
    found = FileTokenStore.for_registry(tmp_path / "reg").lookup(made.token)
    assert found is not None and (found.name, found.scope) == ("ci", "publish")


def test_unknown_altered_and_revoked_tokens_are_not_found(tmp_path: Path) -> None:
    store = FileTokenStore.for_registry(tmp_path)
    made = create_token(store, name="ci", scope="read", created_at="t")
    other = create_token(store, name="other", scope="admin", created_at="t")
    assert store.lookup(made.token[:-1] + ("A" if made.token[-1] != "A" else "B")) is None
    assert store.lookup("") is None
    assert store.lookup(hash_token(made.token)) is None  # the stored hash is no token
    assert store.revoke("ci") is True
    assert store.revoke("ci") is False
    assert store.lookup(made.token) is None
    assert store.lookup(other.token) is not None
    assert [r.name for r in store.records()] == ["other"]


def test_names_are_unique_and_scopes_known(tmp_path: Path) -> None:
    store = FileTokenStore.for_registry(tmp_path)
    create_token(store, name="ci", scope="read", created_at="t")
    with pytest.raises(InputError, match="exists"):
        create_token(store, name="ci", scope="admin", created_at="t")
    with pytest.raises(InputError, match="scope"):
        create_token(store, name="x", scope="root", created_at="t")
    with pytest.raises(InputError, match="name"):
        create_token(store, name="has space", scope="read", created_at="t")


def test_scopes_are_ordered() -> None:
    assert grants("admin", "publish") and grants("admin", "read") and grants("publish", "read")
    assert not grants("read", "publish") and not grants("publish", "admin") and not grants("nobody", "read")


def test_a_broken_token_file_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / TOKEN_FILE).write_text('{"apigov": "apigov-tokens/1", "tokens": [{"name": 1}]}')
    with pytest.raises(ConfigError, match="token file"):
        FileTokenStore.for_registry(tmp_path).lookup(PREFIX + "x" * 43)


def test_the_store_sees_tokens_added_by_another_process(tmp_path: Path) -> None:
    serving = FileTokenStore.for_registry(tmp_path)
    assert serving.lookup(PREFIX + "x" * 43) is None
    made = create_token(FileTokenStore.for_registry(tmp_path), name="late", scope="read", created_at="t")
    assert serving.lookup(made.token) is not None


def test_token_create_never_makes_an_unnamed_contracts_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("APIGOV_REGISTRY", raising=False)
    monkeypatch.delenv("APIGOV_CONFIG", raising=False)
    assert run(["token", "create", "--scope", "read"]) == 2
    assert "no registry" in capsys.readouterr().err
    assert not (tmp_path / "contracts").exists()
    (tmp_path / "contracts").mkdir()  # one that exists is the registry
    assert run(["token", "create", "--scope", "read"]) == 0
    assert (tmp_path / "contracts" / TOKEN_FILE).is_file()


def test_token_cli_create_list_revoke(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    registry = str(tmp_path / "reg")
    assert run(["token", "create", "--scope", "publish", "--name", "ci", "-r", registry]) == 0
    out, err = capsys.readouterr()
    token = out.strip()
    assert token.startswith(PREFIX) and "shown only now" in err
    assert FileTokenStore.for_registry(tmp_path / "reg").lookup(token) is not None
    assert run(["token", "create", "--scope", "read", "-r", registry, "--format", "json"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert (made["name"], made["scope"]) == ("read-1", "read")
    assert run(["token", "list", "-r", registry]) == 0
    listing = capsys.readouterr().out
    assert "ci" in listing and "read-1" in listing and token not in listing
    assert run(["token", "revoke", "ci", "-r", registry]) == 0
    assert run(["token", "revoke", "ci", "-r", registry]) == 2
    assert "no token named 'ci'" in capsys.readouterr().err
    assert run(["token", "create", "--scope", "read", "-r", "postgresql://x/y"]) == 2


def test_a_backend_can_provide_its_own_token_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from apigov.core.errors import BackendUnavailable
    from apigov.registry import location as location_module
    from apigov.registry.location import open_token_store

    inner = FileTokenStore(tmp_path / "db-tokens.json")

    class Database:
        location = "postgresql://db/apigov"

        def token_store(self) -> FileTokenStore:
            return inner

    monkeypatch.setattr(location_module, "open_backend", lambda location: Database())
    assert open_token_store("postgresql://db/apigov") is inner

    class NoTokens:
        location = "http://registry.test"

    monkeypatch.setattr(location_module, "open_backend", lambda location: NoTokens())
    with pytest.raises(BackendUnavailable, match="keeps no tokens"):
        open_token_store("http://registry.test")


def test_subject_limits_are_kept_in_the_token_file_and_decide_writes(tmp_path: Path) -> None:
    from apigov.registry.tokens import FileTokenStore, create_token, write_refusal

    store = FileTokenStore(tmp_path / "tokens.json")
    made = create_token(store, name="ci", scope="admin", created_at="t", subjects=["orders-api", "orders-api"])
    record = FileTokenStore(tmp_path / "tokens.json").lookup(made.token)
    assert record is not None and record.subjects == ("orders-api",) and record.limited
    assert write_refusal(record, subjects=["orders-api"]) is None
    assert "not for payments-api" in str(write_refusal(record, subjects=["payments-api"]))
    assert write_refusal(record) is not None  # a global write
    assert write_refusal(record, pacticipants=["web"]) is not None
    unlimited = create_token(store, name="free", scope="admin", created_at="t").record
    assert write_refusal(unlimited) is None and write_refusal(None, subjects=["x"]) is None


def test_token_list_shows_the_limits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    registry = tmp_path / "registry"
    registry.mkdir()
    assert run(["token", "create", "--scope", "publish", "--name", "ci", "--subject", "orders-api", "-r", str(registry)]) == 0
    capsys.readouterr()
    assert run(["token", "list", "-r", str(registry), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["tokens"]
    assert rows == [{"name": "ci", "scope": "publish", "created_at": rows[0]["created_at"], "subjects": ["orders-api"]}]
