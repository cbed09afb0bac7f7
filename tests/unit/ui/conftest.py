"""The shop registry (as the demo publishes it, with pacts and fuzz runs) and a hostile one,
each built once per session, served in-process by the real app (Starlette's TestClient)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from apigov.config.project import Config
from apigov.registry.filesystem import DirectoryBackend
from apigov.registry.tokens import FileTokenStore, create_token
from apigov.server.app import ServerSettings, create_app
from tests.e2e.ui._hostile import load_hostile
from tests.e2e.ui._shop import SHOP, load_shop


@pytest.fixture(scope="session")
def shop_registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shop") / "registry"
    load_shop(DirectoryBackend(root))
    return root


@pytest.fixture(scope="session")
def hostile_registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("hostile")
    load_hostile(DirectoryBackend(work / "registry"), work)
    return work / "registry"


def client_of(root: Path, *, anonymous: bool = True, ui: bool = True, **limits: float) -> TestClient:
    tokens = FileTokenStore(root.parent / "tokens.json")
    settings = ServerSettings(anonymous_read=anonymous, ui=ui, **limits)  # type: ignore[arg-type]
    app = create_app(DirectoryBackend(root), tokens, settings, Config(root=SHOP))
    return TestClient(app, follow_redirects=False)


@pytest.fixture(scope="session")
def shop(shop_registry: Path) -> Iterator[TestClient]:
    with client_of(shop_registry) as client:
        yield client


@pytest.fixture
def read_token(shop_registry: Path) -> str:
    import uuid

    store = FileTokenStore(shop_registry.parent / "tokens.json")
    return create_token(
        store, name=f"ui-{uuid.uuid4().hex[:8]}", scope="read", created_at="2026-12-05T00:00:00Z"
    ).token
