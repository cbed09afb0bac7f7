"""Migration 5: pacts (consumer-driven contracts) and the pacticipant versions that publish them."""

from __future__ import annotations

from pathlib import Path
from typing import Final, LiteralString

NUMBER: Final = 5
NAME: Final = "pacts and pacticipant versions"
POSTGRES: Final[LiteralString] = r"""
CREATE TABLE apigov.pact_contents (
    digest      text PRIMARY KEY CONSTRAINT pact_digest_format CHECK (digest ~ '^[0-9a-f]{64}$'),
    content     bytea NOT NULL,
    CONSTRAINT pact_digest_matches CHECK (digest = encode(sha256(content), 'hex'))
);
CREATE TABLE apigov.pacticipant_versions (
    seq         bigserial UNIQUE,
    pacticipant text NOT NULL CONSTRAINT pacticipant_grammar CHECK (pacticipant ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$'),
    version     text NOT NULL CONSTRAINT pacticipant_version_grammar CHECK (version ~ '^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$'),
    branches    text[] NOT NULL DEFAULT '{}',
    tags        text[] NOT NULL DEFAULT '{}',
    build_url   text NOT NULL DEFAULT '',
    created_at  text NOT NULL,
    PRIMARY KEY (pacticipant, version)
);
CREATE TABLE apigov.pact_publications (
    seq              bigserial UNIQUE,
    consumer         text NOT NULL,
    provider         text NOT NULL CONSTRAINT provider_grammar CHECK (provider ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$'),
    consumer_version text NOT NULL,
    digest           text NOT NULL REFERENCES apigov.pact_contents (digest),
    published_at     text NOT NULL,
    PRIMARY KEY (consumer, provider, consumer_version),
    FOREIGN KEY (consumer, consumer_version) REFERENCES apigov.pacticipant_versions (pacticipant, version)
);
CREATE INDEX pact_publications_provider ON apigov.pact_publications (provider);
CREATE FUNCTION apigov.pact_publication_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a published pact never changes' USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER pact_publications_immutable BEFORE UPDATE OR DELETE ON apigov.pact_publications
    FOR EACH ROW EXECUTE FUNCTION apigov.pact_publication_immutable();
"""


def directory(root: Path) -> None:
    """Nothing to change: a directory registry keeps pacts under ``.pacts/``, written on first use."""
