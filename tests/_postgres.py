"""A real PostgreSQL for the tests: ``postgres_server`` (once per session) and ``postgres_url``
(a fresh, empty database per test).

``APIGOV_TEST_POSTGRES_URL`` names a server to use (a superuser or a user allowed to create
databases). Otherwise a throwaway server is started from the local binaries (``initdb`` +
``postgres`` on a free loopback port, ``fsync=off``; as the ``postgres`` user when running as
root, since both refuse root) and stopped at the end of the session; it is a child of the test
process that the kernel stops when that process dies, so even a killed test run leaves no
server behind. Without the binaries the tests are skipped, except under ``CI=true``, where that
is a failure.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ENV_URL = "APIGOV_TEST_POSTGRES_URL"
_PR_SET_PDEATHSIG = 1
_counter = itertools.count()


@dataclass(frozen=True)
class PostgresServer:
    """A server the tests may create databases on. ``url`` points at its maintenance database."""

    url: str
    throwaway: bool

    def database_url(self, name: str) -> str:
        parts = urlsplit(self.url)
        return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _missing(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"PostgreSQL is required under CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


def find_binary(name: str) -> str | None:
    """``name`` from PATH, else from Debian's versioned directories (newest first)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_major_of, reverse=True)
    return candidates[0] if candidates else None


def _major_of(path: str) -> int:
    try:
        return int(Path(path).parts[-3])
    except ValueError:
        return 0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(argv: list[str]) -> list[str]:
    """Run ``argv`` as ``postgres`` when we are root (initdb and postgres refuse root)."""
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--", *argv]


def _die_with_parent() -> None:
    """In the server's process before exec: stop (immediately) when the test process dies, even by
    SIGKILL, so an interrupted run leaves no server behind. Set after the change of user, which
    would clear it."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGQUIT)


def _start_postgres(postgres: str, data: Path, base: Path, port: int) -> subprocess.Popen[bytes] | None:
    """The server on ``port``, ready for connections; ``None`` when the port was taken."""
    import psycopg

    user: dict[str, object] = {}
    if os.geteuid() == 0:
        server_user = pwd.getpwnam("postgres")
        user = {"user": server_user.pw_uid, "group": server_user.pw_gid, "extra_groups": []}
    log = base / f"log.{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                postgres,
                "-D",
                str(data),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-k",
                str(base),
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=200",
            ],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            **user,
        )
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text(errors="replace")
            if "could not bind" in text or "already in use" in text:
                return None
            raise RuntimeError(f"postgres exited with {process.returncode}:\n{text[-2000:]}")
        try:
            with psycopg.connect(url, connect_timeout=2):
                return process
        except psycopg.OperationalError:
            time.sleep(0.05)
    _stop(process)
    raise RuntimeError(
        f"postgres did not accept connections within 60 s:\n{log.read_text(errors='replace')[-2000:]}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGQUIT)  # immediate shutdown: the files are thrown away
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


@contextlib.contextmanager
def throwaway_server() -> Iterator[str]:
    """Start a private server (a child of this process that dies with it); yield its URL; stop it
    and remove its files."""
    initdb = find_binary("initdb")
    postgres = str(Path(initdb).resolve().parent / "postgres") if initdb else None
    if initdb is None or postgres is None or not Path(postgres).is_file():
        _missing("no PostgreSQL binaries (initdb, postgres): install the Debian package postgresql")
        raise AssertionError("unreachable")
    if os.geteuid() == 0:
        try:
            server_user = pwd.getpwnam("postgres")
        except KeyError:
            _missing("running as root and there is no 'postgres' user to run the server as")
            raise AssertionError("unreachable") from None
    base = Path(tempfile.mkdtemp(prefix="apigov-pg-"))
    data = base / "data"
    try:
        if os.geteuid() == 0:
            os.chown(base, server_user.pw_uid, server_user.pw_gid)
        subprocess.run(
            _as_server_user(
                [initdb, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "-D", str(data)]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        for _ in range(5):  # the port may be taken between choosing and binding it
            port = _free_port()
            process = _start_postgres(postgres, data, base, port)
            if process is not None:
                break
        else:
            raise RuntimeError("no free port for postgres after 5 tries")
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            _stop(process)
    finally:
        shutil.rmtree(base, ignore_errors=True)


_stack = contextlib.ExitStack()
_server: PostgresServer | None = None
_created: list[str] = []
_failed: list[BaseException] = []


def server() -> PostgresServer:
    """The session's server, started on first use (skips or fails the test when there is none)."""
    global _server
    if _failed:
        raise _failed[0]
    if _server is None:
        url = os.environ.get(ENV_URL, "").strip()
        if url:
            _server = PostgresServer(url, throwaway=False)
        else:
            try:
                _server = PostgresServer(_stack.enter_context(throwaway_server()), throwaway=True)
            except BaseException as exc:  # a skip, or a server that would not start: once is enough
                _failed.append(exc)
                raise
    return _server


def fresh_database() -> str:
    """The URL of a new, empty database on the session's server (dropped at the end of the session)."""
    pg = server()
    name = f"apigov_test_{os.getpid()}_{next(_counter)}"
    pg.admin(f'CREATE DATABASE "{name}" TEMPLATE template0')
    _created.append(name)
    return pg.database_url(name)


def stop() -> None:
    """Drop the databases made on a server given by URL; stop a throwaway server. For ``pytest_sessionfinish``."""
    global _server
    try:
        if _server is not None and not _server.throwaway:
            for name in _created:
                with contextlib.suppress(Exception):
                    _server.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        _created.clear()
        _failed.clear()
        _server = None
        _stack.close()


@pytest.fixture(scope="session")
def postgres_server() -> PostgresServer:
    return server()


@pytest.fixture
def postgres_url() -> str:
    """The URL of a fresh, empty database."""
    return fresh_database()


if __name__ == "__main__":  # for the test that kills a test process: start a server, print its URL, wait
    with throwaway_server() as started:
        print(started, flush=True)
        time.sleep(600)
