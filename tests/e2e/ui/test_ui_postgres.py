"""The UI's paged reads on PostgreSQL (apigov/registry/pages.py) answer exactly what the
generic reads over the same registry answer, and the pages render from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from apigov.config.project import Config
from apigov.registry.base import RegistryBackend, SemVer, StoredVersion, SubjectInfo
from apigov.registry.pages import catalog_page, history, latest_index
from apigov.registry.postgres import PostgresBackend
from apigov.registry.tokens import FileTokenStore
from apigov.server.app import ServerSettings, create_app
from tests.e2e.ui._shop import SHOP, load_shop

pytestmark = [pytest.mark.e2e]


class _Generic:
    """The backend seen only through the RegistryBackend Protocol (the generic path of pages.py)."""

    def __init__(self, backend: RegistryBackend) -> None:
        self._backend = backend

    def list_subjects(self) -> list[SubjectInfo]:
        return list(self._backend.list_subjects())

    def get_version(self, subject: str, version: SemVer) -> StoredVersion:
        return self._backend.get_version(subject, version)

    def subject(self, name: str) -> SubjectInfo:
        return self._backend.subject(name)


def _rows(page: object) -> list[tuple[str, str, str, str]]:
    return [
        (info.name, str(info.latest), stored.digest, str(stored.version))
        for info, stored in page.rows  # type: ignore[attr-defined]
    ]


def test_paged_reads_in_sql_match_the_generic_reads(postgres_url: str, tmp_path: Path) -> None:
    backend = PostgresBackend(postgres_url)
    try:
        load_shop(backend)
        generic = _Generic(backend)
        for names in (None, ["orders-api", "shop-events", "no-such-subject"], []):
            for offset, limit in ((0, 50), (0, 3), (3, 3), (6, 3), (30, 5)):
                sql = catalog_page(backend, offset, limit, names=names)
                plain = catalog_page(generic, offset, limit, names=names)  # type: ignore[arg-type]
                assert (sql.total, _rows(sql)) == (plain.total, _rows(plain)), (names, offset, limit)
        assert catalog_page(backend, 0, 50).total == 8
        assert catalog_page(backend, 0, 50, names=["orders-api", "nope"]).total == 1
        assert latest_index(backend) == latest_index(generic)  # type: ignore[arg-type]
        info = backend.subject("orders-api")
        entries = history(backend, "orders-api", info)
        assert [str(e.version) for e in entries] == ["2.0.0", "1.0.0"]
        assert [(e.digest, e.meta) for e in entries] == [
            (e.digest, e.meta)
            for e in history(generic, "orders-api", info)  # type: ignore[arg-type]
        ]
        app = create_app(
            backend,
            FileTokenStore(tmp_path / "t.json"),
            ServerSettings(anonymous_read=True),
            Config(root=SHOP),
        )
        with TestClient(app) as client:
            for url in (
                "/ui/",
                "/ui/?q=orders",
                "/ui/subjects/orders-api",
                "/ui/subjects/orders-api/diff/1.0.0/2.0.0",
                "/ui/graph",
                "/ui/deploy",
            ):
                assert client.get(url).status_code == 200, url
            assert (
                "checkout-web@2.3.1 (production)"
                in client.get("/ui/subjects/orders-api/diff/1.0.0/2.0.0").text
            )
    finally:
        backend.close()
