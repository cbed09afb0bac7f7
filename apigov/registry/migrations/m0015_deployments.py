"""Migration 15: environments, and the pacticipant versions deployed or released to them."""

from __future__ import annotations

from pathlib import Path
from typing import Final, LiteralString

NUMBER: Final = 15
NAME: Final = "environments, deployments and releases"
POSTGRES: Final[LiteralString] = r"""
CREATE TABLE apigov.environments (
    name         text PRIMARY KEY CONSTRAINT environment_grammar CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$'),
    display_name text NOT NULL DEFAULT '',
    production   boolean NOT NULL DEFAULT false,
    created_at   text NOT NULL
);
CREATE TABLE apigov.deployments (
    id           bigserial PRIMARY KEY,
    pacticipant  text NOT NULL,
    version      text NOT NULL,
    environment  text NOT NULL REFERENCES apigov.environments (name),
    kind         text NOT NULL CONSTRAINT deployment_kind CHECK (kind IN ('deployment', 'release')),
    instance     text NOT NULL DEFAULT '',
    started_at   text NOT NULL,
    ended_at     text,
    FOREIGN KEY (pacticipant, version) REFERENCES apigov.pacticipant_versions (pacticipant, version)
);
CREATE INDEX deployments_current ON apigov.deployments (environment, pacticipant) WHERE ended_at IS NULL;
"""


def directory(root: Path) -> None:
    """Nothing to change: a directory registry keeps deployments under ``.pacts/``."""
