"""Migration 10: verification results of pacts (per pact content and provider version)."""

from __future__ import annotations

from pathlib import Path
from typing import Final, LiteralString

NUMBER: Final = 10
NAME: Final = "pact verification results"
POSTGRES: Final[LiteralString] = r"""
CREATE TABLE apigov.pact_verifications (
    id               bigserial PRIMARY KEY,
    digest           text NOT NULL REFERENCES apigov.pact_contents (digest),
    consumer         text NOT NULL,
    provider         text NOT NULL,
    provider_version text NOT NULL,
    success          boolean NOT NULL,
    failures         jsonb NOT NULL DEFAULT '[]' CONSTRAINT failures_list CHECK (jsonb_typeof(failures) = 'array'),
    verifier         text NOT NULL DEFAULT '',
    build_url        text NOT NULL DEFAULT '',
    verified_at      text NOT NULL,
    FOREIGN KEY (provider, provider_version) REFERENCES apigov.pacticipant_versions (pacticipant, version)
);
CREATE INDEX pact_verifications_pair ON apigov.pact_verifications (digest, provider, provider_version);
"""


def directory(root: Path) -> None:
    """Nothing to change: a directory registry keeps verification results under ``.pacts/``."""
