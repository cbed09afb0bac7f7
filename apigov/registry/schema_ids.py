"""Global schema ids: the Confluent API's second view of one registry.

A Kafka message carries a 4-byte schema id; a deserializer in any process, years later, asks the
registry for that id. So an id is given once per distinct content (a version's ``digest``), is
never changed or reused, and survives a copy between backends.

Integer versions need no storage: version ``n`` of a subject is its ``n``-th semver version in
ascending order (versions only grow and are never deleted, so the position is stable).

:class:`SchemaIds` is the small interface; :func:`schema_ids_for` gives the one of a backend:

- directory: one file per id, ``<root>/_confluent/ids/<id>.json`` holding the digest, created
  with ``O_EXCL`` under an exclusive ``flock`` on ``<root>/_confluent/.lock``. Two git branches
  that each assigned id 7 add the same file with different digests: git reports a conflict,
  and ``apigov registry verify`` finds a bad resolution (see :func:`verify_ids`).
- PostgreSQL: the table ``apigov.confluent_ids`` (an identity column, ``digest`` unique, a
  trigger refusing updates and deletes); an ``INSERT ... ON CONFLICT DO NOTHING`` is race-free.

Registry-wide settings of the Confluent API (the default ``compatibility`` and the ``mode``) sit
beside the ids (``_confluent/settings.json``, ``apigov.confluent_settings``).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Final, Protocol, TypeVar

from apigov.core.errors import BackendUnavailable, RegistryError
from apigov.registry.base import RegistryBackend

T = TypeVar("T")

if TYPE_CHECKING:
    from apigov.registry.http import HttpBackend
    from apigov.registry.postgres import PostgresBackend

__all__ = [
    "SETTING_KEYS",
    "DirectorySchemaIds",
    "HttpSchemaIds",
    "PostgresSchemaIds",
    "SchemaIds",
    "schema_ids_for",
]

SETTING_KEYS: Final = ("compatibility", "mode")
_DIGEST_RE: Final = re.compile(r"sha256:[0-9a-f]{64}")
_ID_FILE_RE: Final = re.compile(r"([1-9][0-9]{0,9})\.json")
_MAX_ID: Final = 2**31 - 1
"""A Kafka message holds the id as a signed 32-bit integer."""


class SchemaIds(Protocol):
    """Global ids of distinct schema contents (digests), and the Confluent API's settings."""

    def find(self, digest: str) -> int | None:
        """The id given to ``digest``, if any."""
        ...

    def assign(self, digest: str) -> int:
        """The id of ``digest``, giving it the next free one when it has none (atomic)."""
        ...

    def digest_of(self, schema_id: int) -> str | None:
        """The digest id ``schema_id`` was given to, if any."""
        ...

    def all_ids(self) -> Mapping[int, str]:
        """Every id and its digest."""
        ...

    def put(self, schema_id: int, digest: str) -> None:
        """Record ``schema_id`` for ``digest`` as it is (a copy from another registry); refuses
        an id or a digest already recorded otherwise."""
        ...

    def setting(self, key: str) -> str | None: ...

    def set_setting(self, key: str, value: str) -> None: ...


def _check_digest(digest: str) -> str:
    if not _DIGEST_RE.fullmatch(digest):
        raise RegistryError(f"invalid digest {digest[:80]!r}")
    return digest


def _check_id(schema_id: int) -> int:
    if not 0 < schema_id <= _MAX_ID:
        raise RegistryError(f"schema id {schema_id} is outside 1..{_MAX_ID}")
    return schema_id


def _check_key(key: str) -> str:
    if key not in SETTING_KEYS:
        raise RegistryError(f"unknown setting {key!r}")
    return key


class DirectorySchemaIds:
    """:class:`SchemaIds` of a directory registry (see the module docstring)."""

    def __init__(self, root: Path, *, prepare: bool = True) -> None:
        self.root = root
        self.folder = root / "_confluent"
        self.ids_dir = self.folder / "ids"
        self._lock = threading.Lock()
        self._by_id: dict[int, str] = {}
        self._by_digest: dict[str, int] = {}
        self._seen_mtime: int | None = None
        self._prepare = prepare

    # ----------------------------------------------------------------- reading

    def _refresh(self, *, force: bool = False) -> None:
        try:
            mtime = self.ids_dir.stat().st_mtime_ns
        except FileNotFoundError:
            return
        except OSError as exc:
            raise BackendUnavailable(f"cannot read the schema ids: {exc.strerror or exc}") from exc
        if not force and mtime == self._seen_mtime:
            return
        by_id, by_digest = self._scan()
        with self._lock:
            self._by_id, self._by_digest, self._seen_mtime = by_id, by_digest, mtime

    def _scan(self) -> tuple[dict[int, str], dict[str, int]]:
        by_id: dict[int, str] = {}
        by_digest: dict[str, int] = {}
        for schema_id, digest in self.read_files():
            if digest is None:
                continue
            by_id[schema_id] = digest
            if digest not in by_digest or schema_id < by_digest[digest]:
                by_digest[digest] = schema_id
        return by_id, by_digest

    def read_files(self) -> Iterator[tuple[int, str | None]]:
        """Every id file: its id and the digest it holds (``None`` when unreadable)."""
        try:
            entries = list(os.scandir(self.ids_dir))
        except FileNotFoundError:
            return
        for entry in entries:
            match = _ID_FILE_RE.fullmatch(entry.name)
            if match is None:
                continue
            yield int(match[1]), self._read_one(Path(entry.path), int(match[1]))

    @staticmethod
    def _read_one(path: Path, schema_id: int) -> str | None:
        try:
            data = json.loads(path.read_bytes()[: 64 * 1024])
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("id") != schema_id:
            return None
        digest = data.get("digest")
        return digest if isinstance(digest, str) and _DIGEST_RE.fullmatch(digest) else None

    def find(self, digest: str) -> int | None:
        return self._cached(lambda: self._by_digest.get(digest))

    def digest_of(self, schema_id: int) -> str | None:
        return self._cached(lambda: self._by_id.get(schema_id))

    def _cached(self, look: Callable[[], T | None]) -> T | None:
        """``look()`` in the cache, else again after reading what other processes added."""
        with self._lock:
            found = look()
        if found is not None:
            return found
        self._refresh()
        with self._lock:
            return look()

    def all_ids(self) -> Mapping[int, str]:
        self._refresh(force=True)
        with self._lock:
            return dict(self._by_id)

    # ----------------------------------------------------------------- writing

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        if self._prepare:
            from apigov.registry.migrations import ledger

            ledger.migrate(self.root)
            self._prepare = False  # once per handle, as DirectoryBackend does
        try:
            self.ids_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.folder / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise BackendUnavailable(f"cannot write the schema ids: {exc.strerror or exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _create(self, schema_id: int, digest: str) -> None:
        """Write the id file whole (temporary file, fsync, then a hard link that fails if it exists)."""
        path = self.ids_dir / f"{schema_id}.json"
        data = (json.dumps({"id": schema_id, "digest": digest}) + "\n").encode()
        temp = self.ids_dir / f".{schema_id}.{os.getpid()}.{threading.get_ident()}.tmp"
        try:
            with temp.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.link(temp, path)  # atomic, and refuses an existing id
        except FileExistsError:
            raise RegistryError(f"schema id {schema_id} is already taken") from None
        except OSError as exc:
            raise BackendUnavailable(f"cannot write the schema ids: {exc.strerror or exc}") from exc
        finally:
            with contextlib.suppress(OSError):
                temp.unlink()

    def assign(self, digest: str) -> int:
        _check_digest(digest)
        found = self.find(digest)
        if found is not None:
            return found
        with self._locked():
            self._refresh(force=True)
            with self._lock:
                found = self._by_digest.get(digest)
                following = max(self._by_id, default=0) + 1
            if found is not None:
                return found
            self._create(_check_id(following), digest)
            with self._lock:
                self._by_id[following] = digest
                self._by_digest[digest] = following
            return following

    def put(self, schema_id: int, digest: str) -> None:
        _check_id(schema_id)
        _check_digest(digest)
        with self._locked():
            self._refresh(force=True)
            with self._lock:
                held, other = self._by_id.get(schema_id), self._by_digest.get(digest)
            if held == digest:
                return
            if held is not None:
                raise RegistryError(f"schema id {schema_id} already names another schema ({held})")
            if other is not None:
                raise RegistryError(f"{digest} already has schema id {other}, not {schema_id}")
            self._create(schema_id, digest)
            self._refresh(force=True)

    def setting(self, key: str) -> str | None:
        _check_key(key)
        try:
            data = json.loads((self.folder / "settings.json").read_bytes()[: 64 * 1024])
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise RegistryError(f"unreadable _confluent/settings.json: {exc}") from None
        value = data.get(key) if isinstance(data, dict) else None
        return value if isinstance(value, str) else None

    def set_setting(self, key: str, value: str) -> None:
        _check_key(key)
        with self._locked():
            path = self.folder / "settings.json"
            try:
                data = json.loads(path.read_bytes())
            except (OSError, ValueError):
                data = {}
            if not isinstance(data, dict):
                data = {}
            data[key] = value
            temp = path.with_name(f".settings.{os.getpid()}.tmp")
            temp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
            temp.replace(path)


class PostgresSchemaIds:
    """:class:`SchemaIds` in ``apigov.confluent_ids`` and ``apigov.confluent_settings``."""

    def __init__(self, backend: PostgresBackend) -> None:
        self._backend = backend
        self._lock = threading.Lock()
        self._by_id: dict[int, str] = {}
        self._by_digest: dict[str, int] = {}

    def _remember(self, schema_id: int, digest: str) -> None:
        with self._lock:
            self._by_id[schema_id] = digest
            self._by_digest[digest] = schema_id

    def find(self, digest: str) -> int | None:
        with self._lock:
            if digest in self._by_digest:
                return self._by_digest[digest]
        row = self._backend._run(
            lambda conn: conn.execute(
                "SELECT id FROM apigov.confluent_ids WHERE digest = %s", (digest,)
            ).fetchone()
        )
        if row is None:
            return None
        self._remember(int(row[0]), digest)
        return int(row[0])

    def assign(self, digest: str) -> int:
        _check_digest(digest)
        found = self.find(digest)
        if found is not None:
            return found

        def write(conn: object) -> int:
            cursor = conn.execute(  # type: ignore[attr-defined]
                "INSERT INTO apigov.confluent_ids (digest) VALUES (%s) ON CONFLICT (digest) DO NOTHING "
                "RETURNING id",
                (digest,),
            )
            row = cursor.fetchone()
            if row is None:
                row = conn.execute(  # type: ignore[attr-defined]
                    "SELECT id FROM apigov.confluent_ids WHERE digest = %s", (digest,)
                ).fetchone()
            return int(row[0])

        schema_id = self._backend._run(write)
        self._remember(schema_id, digest)
        return schema_id

    def digest_of(self, schema_id: int) -> str | None:
        with self._lock:
            if schema_id in self._by_id:
                return self._by_id[schema_id]
        if not 0 < schema_id <= _MAX_ID:
            return None
        row = self._backend._run(
            lambda conn: conn.execute(
                "SELECT digest FROM apigov.confluent_ids WHERE id = %s", (schema_id,)
            ).fetchone()
        )
        if row is None:
            return None
        self._remember(schema_id, str(row[0]))
        return str(row[0])

    def all_ids(self) -> Mapping[int, str]:
        rows = self._backend._run(
            lambda conn: conn.execute("SELECT id, digest FROM apigov.confluent_ids ORDER BY id").fetchall()
        )
        return {int(i): str(d) for i, d in rows}

    def put(self, schema_id: int, digest: str) -> None:
        _check_id(schema_id)
        _check_digest(digest)

        def write(conn: object) -> None:
            held = conn.execute(  # type: ignore[attr-defined]
                "SELECT digest FROM apigov.confluent_ids WHERE id = %s", (schema_id,)
            ).fetchone()
            if held is not None:
                if held[0] != digest:
                    raise RegistryError(f"schema id {schema_id} already names another schema ({held[0]})")
                return
            other = conn.execute(  # type: ignore[attr-defined]
                "SELECT id FROM apigov.confluent_ids WHERE digest = %s", (digest,)
            ).fetchone()
            if other is not None:
                raise RegistryError(f"{digest} already has schema id {other[0]}, not {schema_id}")
            conn.execute(  # type: ignore[attr-defined]
                "INSERT INTO apigov.confluent_ids (id, digest) VALUES (%s, %s)", (schema_id, digest)
            )
            # the identity continues above every copied id, so a new schema never takes one
            conn.execute(  # type: ignore[attr-defined]
                "SELECT setval(pg_get_serial_sequence('apigov.confluent_ids', 'id'), "
                "(SELECT max(id) FROM apigov.confluent_ids))"
            )

        self._backend._run(write)

    def setting(self, key: str) -> str | None:
        _check_key(key)
        row = self._backend._run(
            lambda conn: conn.execute(
                "SELECT value FROM apigov.confluent_settings WHERE key = %s", (key,)
            ).fetchone()
        )
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        _check_key(key)
        self._backend._run(
            lambda conn: conn.execute(
                "INSERT INTO apigov.confluent_settings (key, value) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                (key, value),
            )
        )


class HttpSchemaIds:
    """The ids of a registry behind ``apigov serve``, read through ``GET {prefix}/apigov/ids``
    (an apigov extension of the Confluent API; ``prefix`` is the server's
    ``--confluent-prefix``). Read-only: the server gives ids as schemas are registered there."""

    def __init__(self, backend: HttpBackend, prefix: str = "/confluent") -> None:
        self._backend = backend
        self._prefix = prefix.rstrip("/")
        self._known: dict[int, str] | None = None

    def all_ids(self) -> Mapping[int, str]:
        _, data = self._backend._request("GET", f"{self._prefix}/apigov/ids")
        rows = data.get("ids") if isinstance(data, dict) else None
        if not isinstance(rows, list):
            raise RegistryError(f"registry {self._backend.location}: unexpected answer listing schema ids")
        found: dict[int, str] = {}
        for row in rows:
            schema_id, digest = (row.get("id"), row.get("digest")) if isinstance(row, dict) else (None, None)
            if (
                not isinstance(schema_id, int)
                or not isinstance(digest, str)
                or not _DIGEST_RE.fullmatch(digest)
            ):
                raise RegistryError(f"registry {self._backend.location}: unexpected schema id entry")
            found[schema_id] = digest
        self._known = found
        return dict(found)

    def find(self, digest: str) -> int | None:
        known = self._known if self._known is not None else self.all_ids()
        return next((i for i, d in known.items() if d == digest), None)

    def digest_of(self, schema_id: int) -> str | None:
        known = self._known if self._known is not None else self.all_ids()
        return known.get(schema_id)

    def _read_only(self) -> RegistryError:
        return RegistryError(
            f"the registry at {self._backend.location} gives schema ids itself",
            hint="register schemas through its Confluent API, or copy into its store directly",
        )

    def assign(self, digest: str) -> int:
        raise self._read_only()

    def put(self, schema_id: int, digest: str) -> None:
        raise self._read_only()

    def setting(self, key: str) -> str | None:
        _check_key(key)
        path = "/config" if key == "compatibility" else "/mode"
        _, data = self._backend._request("GET", self._prefix + path)
        value = (
            data.get("compatibilityLevel" if key == "compatibility" else "mode")
            if isinstance(data, dict)
            else None
        )
        return value if isinstance(value, str) else None

    def set_setting(self, key: str, value: str) -> None:
        raise self._read_only()


def schema_ids_for(backend: RegistryBackend) -> SchemaIds:
    """The :class:`SchemaIds` of ``backend`` (directory, PostgreSQL, or read-only over HTTP)."""
    from apigov.registry.filesystem import DirectoryBackend

    if isinstance(backend, DirectoryBackend):
        return DirectorySchemaIds(backend.root)
    try:
        from apigov.registry.postgres import PostgresBackend
    except ImportError:  # pragma: no cover - psycopg is an optional dependency
        PostgresBackend = None  # type: ignore[assignment,misc]
    if PostgresBackend is not None and isinstance(backend, PostgresBackend):
        return PostgresSchemaIds(backend)
    if type(backend).__name__ == "HttpBackend" and hasattr(backend, "_request"):  # no httpx import here
        return HttpSchemaIds(backend)  # type: ignore[arg-type]
    raise RegistryError(
        f"the registry at {backend.location} keeps no schema ids",
        hint="serve the Confluent API from a directory or PostgreSQL registry",
    )
