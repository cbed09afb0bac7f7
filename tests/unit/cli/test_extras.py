"""A command whose optional extra is not installed exits 2 with one line naming the extra."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from apigov.cli.main import run
from apigov.core.extras import MissingExtra, import_extra, missing_extra_of, require


def _uninstall(monkeypatch: pytest.MonkeyPatch, *modules: str) -> None:
    """Make ``modules`` look not installed: find_spec answers None, import raises
    ModuleNotFoundError (``None`` in sys.modules), as when the extra was never installed."""
    for name in list(sys.modules):
        if name.split(".")[0] in modules or name.startswith("apigov.server"):
            monkeypatch.delitem(sys.modules, name)
    for module in modules:
        monkeypatch.setitem(sys.modules, module, None)


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "internal error" not in err
    return lines[0]


def test_serve_without_the_server_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _uninstall(monkeypatch, "starlette", "uvicorn")
    assert run(["serve", "--registry", str(tmp_path), "--port", "0"]) == 2
    line = _one_line(capsys)
    assert line == (
        "apigov: error: apigov serve needs the optional 'server' extra (starlette is not installed); "
        "pip install 'apigov[server]'"
    )


def test_an_http_registry_without_httpx(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _uninstall(monkeypatch, "httpx")
    assert run(["registry", "list", "--registry", "http://127.0.0.1:9"]) == 2
    line = _one_line(capsys)
    assert "an http(s):// registry needs the optional 'server' extra (httpx is not installed)" in line
    assert line.endswith("pip install 'apigov[server]'")


def test_a_postgres_registry_without_psycopg(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _uninstall(monkeypatch, "psycopg")
    monkeypatch.delitem(sys.modules, "apigov.registry.postgres", raising=False)
    assert run(["registry", "list", "--registry", "postgresql://u@127.0.0.1:9/db"]) == 2
    line = _one_line(capsys)
    assert "a postgresql:// registry needs the optional 'postgres' extra (psycopg is not installed)" in line
    assert line.endswith("pip install 'apigov[postgres]'")


def test_require_and_import_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    require("server", "json", "re")  # installed: nothing happens
    assert import_extra("server", "json").__name__ == "json"
    _uninstall(monkeypatch, "jinja2")
    with pytest.raises(MissingExtra, match=r"apigov generate needs the optional 'generate' extra") as caught:
        require("generate", "jinja2", feature="apigov generate")
    assert caught.value.extra == "generate" and "pip install 'apigov[generate]'" in str(caught.value)
    with pytest.raises(MissingExtra, match="jinja2 is not installed"):
        import_extra("generate", "jinja2")


def test_an_import_error_of_a_known_extra_is_named_and_others_are_bugs() -> None:
    known = missing_extra_of(ModuleNotFoundError("No module named 'starlette'", name="starlette.routing"))
    assert known is not None and known.extra == "server"
    assert missing_extra_of(ModuleNotFoundError("No module named 'nope'", name="nope")) is None


def test_the_cli_names_the_extra_of_a_path_that_forgot_to_require_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The safety net in apigov.cli.main: a ModuleNotFoundError of a known extra's module."""
    import apigov.cli.commands.rules as rules_module

    def broken(*args: object, **kwargs: object) -> None:
        raise ModuleNotFoundError("No module named 'jinja2'", name="jinja2")

    monkeypatch.setattr(rules_module.rules_command, "callback", broken)
    assert run(["rules"]) == 2
    assert _one_line(capsys) == (
        "apigov: error: this command needs the optional 'generate' extra (jinja2 is not installed); "
        "pip install 'apigov[generate]'"
    )
