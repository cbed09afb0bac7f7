"""Paged reads for the web UI: a page of the catalog and a subject's history without contents.

A registry of thousands of subjects with dozens of versions each must not be read whole to
show fifty rows. On PostgreSQL each read is a single query that pages in SQL (the latest
version of each subject by the primary key, backwards; contents only for the page's rows); on
any other backend they fall back to the :class:`~apigov.registry.base.RegistryBackend` methods
(a directory registry is small and local). A search is the UI's (over summaries of the latest
versions, :func:`latest_index` says which): it pages its matches by ``names``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, LiteralString

from apigov.registry.base import RegistryBackend, SemVer, StoredVersion, SubjectInfo, VersionMeta

if TYPE_CHECKING:
    from apigov.registry.postgres import PostgresBackend

__all__ = [
    "CatalogPage",
    "HistoryEntry",
    "catalog_page",
    "history",
    "latest_index",
    "search_words",
    "subjects_of_kind",
]

MAX_WORDS: Final = 8


@dataclass(frozen=True, slots=True)
class CatalogPage:
    total: int
    """How many subjects match (on every page)."""
    rows: tuple[tuple[SubjectInfo, StoredVersion], ...]
    """The page's subjects, by name, each with its latest version."""


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    version: SemVer
    digest: str
    meta: VersionMeta


def search_words(text: str) -> tuple[str, ...]:
    """The words of a search (lower-case, at most :data:`MAX_WORDS`, each at most 100 characters)."""
    return tuple(dict.fromkeys(word[:100] for word in text.lower().split()))[:MAX_WORDS]


def catalog_page(
    backend: RegistryBackend,
    offset: int,
    limit: int,
    latest: Callable[[SubjectInfo], StoredVersion] | None = None,
    names: Sequence[str] | None = None,
) -> CatalogPage:
    """``limit`` subjects by name from ``offset`` on, each with its latest version, and how many
    there are; ``names``: only these subjects. ``latest`` reads a subject's latest version on
    backends paged here (a cache of the caller's; default: the backend)."""
    if type(backend).__name__ == "PostgresBackend":
        return _postgres_page(backend, offset, limit, names)  # type: ignore[arg-type]
    read = latest or (lambda info: backend.get_version(info.name, info.versions[-1]))
    only = set(names) if names is not None else None
    matched = [
        info for info in backend.list_subjects() if info.versions and (only is None or info.name in only)
    ]
    return CatalogPage(len(matched), tuple((info, read(info)) for info in matched[offset : offset + limit]))


def history(backend: RegistryBackend, subject: str, info: SubjectInfo) -> list[HistoryEntry]:
    """Every version of ``subject`` (newest first) with its digest and metadata, not its content."""
    if type(backend).__name__ == "PostgresBackend":
        return _postgres_history(backend, subject)  # type: ignore[arg-type]
    entries = []
    for version in reversed(info.versions):
        stored = backend.get_version(subject, version)
        entries.append(HistoryEntry(version, stored.digest, stored.meta))
    return entries


def latest_index(backend: RegistryBackend) -> list[tuple[str, SemVer, str]]:
    """``(subject, latest version, its digest)`` of every subject, by name: no contents."""
    if type(backend).__name__ == "PostgresBackend":
        run = backend._run  # type: ignore[attr-defined]
        rows = run(
            lambda conn: conn.execute(
                "SELECT s.name, l.major, l.minor, l.patch, l.digest FROM apigov.subjects s CROSS JOIN LATERAL"
                " (SELECT v.major, v.minor, v.patch, v.digest FROM apigov.versions v WHERE v.subject_id = s.id"
                " ORDER BY v.major DESC, v.minor DESC, v.patch DESC LIMIT 1) l ORDER BY s.name"
            ).fetchall()
        )
        return [(str(n), SemVer(int(a), int(b), int(c)), str(d)) for n, a, b, c, d in rows]
    found = []
    for info in backend.list_subjects():
        if info.versions:
            found.append(
                (info.name, info.versions[-1], backend.get_version(info.name, info.versions[-1]).digest)
            )
    return found


def subjects_of_kind(backend: RegistryBackend, kind: str) -> list[str]:
    """The names of the subjects holding ``kind`` contracts (``asyncapi`` ...), sorted."""
    if type(backend).__name__ == "PostgresBackend":
        run = backend._run  # type: ignore[attr-defined]
        rows = run(
            lambda conn: conn.execute(
                "SELECT name FROM apigov.subjects WHERE kind = %s ORDER BY name", (kind,)
            ).fetchall()
        )
        return [str(row[0]) for row in rows]
    return [info.name for info in backend.list_subjects() if info.kind == kind]


# --------------------------------------------------------------------------- PostgreSQL

_LATEST: Final = """
SELECT v.major, v.minor, v.patch, v.format, v.content, v.digest, v.meta FROM apigov.versions v
WHERE v.subject_id = m.id ORDER BY v.major DESC, v.minor DESC, v.patch DESC LIMIT 1
"""


def _postgres_page(
    backend: PostgresBackend, offset: int, limit: int, names: Sequence[str] | None
) -> CatalogPage:
    from apigov.registry.postgres import _LIST_COLUMNS, _LIST_SQL

    params: list[object] = []
    # every subject has a version (its row is written with its first one): no check per subject
    where: LiteralString = ""
    if names is not None:
        where = " WHERE s.name = ANY(%s)"
        params.append(list(names))
    # S608: every part is a constant of this module (LiteralString); the names are parameters
    inner: LiteralString = (
        "SELECT s.id, count(*) OVER () AS total FROM apigov.subjects s"  # noqa: S608
        + where
        + " ORDER BY s.name LIMIT %s OFFSET %s"
    )
    query: LiteralString = (
        "SELECT m.total, page.*, lv.* FROM ("  # noqa: S608
        + inner
        + ") m CROSS JOIN LATERAL ("
        + _LIST_SQL
        + " WHERE s.id = m.id) page CROSS JOIN LATERAL ("
        + _LATEST
        + ") lv ORDER BY page.name"
    )
    count: LiteralString = "SELECT count(*) FROM apigov.subjects s" + where  # noqa: S608

    def read(conn: object) -> CatalogPage:
        rows = conn.execute(query, (*params, limit, offset)).fetchall()  # type: ignore[attr-defined]
        found = rows[0][0] if rows else conn.execute(count, params).fetchone()[0]  # type: ignore[attr-defined]
        total = int(found)
        seen: dict[str, SemVer] = {}
        page = []
        for row in rows:
            end = 1 + _LIST_COLUMNS
            info = backend._info(row[1:end], seen)
            major, minor, patch, content_format, content, digest, meta = row[end : end + 7]
            version = SemVer(int(major), int(minor), int(patch))
            page.append((info, _stored(info.name, info.kind, version, content_format, content, digest, meta)))
        return CatalogPage(total, tuple(page))

    return backend._run(read)


def _stored(
    subject: str, kind: str, version: SemVer, content_format: str, content: bytes, digest: str, meta: object
) -> StoredVersion:
    from apigov.core.errors import RegistryError

    try:
        if not isinstance(meta, dict):
            raise ValueError("the metadata is not an object")
        parsed = VersionMeta.from_json(meta)
    except ValueError as exc:
        raise RegistryError(f"the metadata of {subject}@{version} is unreadable: {exc}") from exc
    return StoredVersion(subject, version, kind, str(content_format), bytes(content), str(digest), parsed)


def _postgres_history(backend: PostgresBackend, subject: str) -> list[HistoryEntry]:
    from apigov.core.errors import RegistryError

    def read(conn: object) -> list[HistoryEntry]:
        rows = conn.execute(  # type: ignore[attr-defined]
            "SELECT v.major, v.minor, v.patch, v.digest, v.meta FROM apigov.versions v"
            " JOIN apigov.subjects s ON s.id = v.subject_id WHERE s.name = %s"
            " ORDER BY v.major DESC, v.minor DESC, v.patch DESC",
            (subject,),
        ).fetchall()
        entries = []
        for major, minor, patch, digest, meta in rows:
            try:
                parsed = VersionMeta.from_json(meta if isinstance(meta, dict) else {})
            except ValueError as exc:
                raise RegistryError(
                    f"the metadata of {subject}@{major}.{minor}.{patch} is unreadable: {exc}"
                ) from exc
            entries.append(HistoryEntry(SemVer(int(major), int(minor), int(patch)), str(digest), parsed))
        return entries

    return backend._run(read)
