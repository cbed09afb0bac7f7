"""Migration 1: subjects and versions."""

from __future__ import annotations

from pathlib import Path
from typing import Final, LiteralString

NUMBER: Final = 1
NAME: Final = "subjects and versions"
POSTGRES: Final[LiteralString] = r"""
CREATE TABLE apigov.subjects (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE
                CONSTRAINT subject_name_grammar
                CHECK (name ~ '^[a-z0-9][a-z0-9._-]*$' AND length(name) <= 200),
    kind        text NOT NULL
                CONSTRAINT subject_kind_known
                CHECK (kind IN ('openapi', 'asyncapi', 'jsonschema', 'avro')),
    mode        text NOT NULL
                CONSTRAINT subject_mode_known
                CHECK (mode IN ('BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE',
                                'FULL', 'FULL_TRANSITIVE', 'NONE')),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE apigov.versions (
    subject_id          bigint NOT NULL REFERENCES apigov.subjects (id) ON DELETE CASCADE,
    major               integer NOT NULL CHECK (major >= 0),
    minor               integer NOT NULL CHECK (minor >= 0),
    patch               integer NOT NULL CHECK (patch >= 0),
    format              text NOT NULL CONSTRAINT version_format_known CHECK (format IN ('yaml', 'json')),
    content             bytea NOT NULL,
    digest              text NOT NULL
                        CONSTRAINT version_digest_format CHECK (digest ~ '^sha256:[0-9a-f]{64}$')
                        CONSTRAINT version_digest_matches
                        CHECK (digest = 'sha256:' || encode(sha256(content), 'hex')),
    meta                jsonb NOT NULL CONSTRAINT version_meta_object CHECK (jsonb_typeof(meta) = 'object'),
    deprecated_at       text,
    deprecation_reason  text,
    stored_at           timestamptz NOT NULL DEFAULT now(),
    seq                 bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    PRIMARY KEY (subject_id, major, minor, patch),
    CONSTRAINT version_deprecation_whole CHECK ((deprecated_at IS NULL) = (deprecation_reason IS NULL))
);
"""


def directory(root: Path) -> None:
    """Nothing to change in a directory registry (its layout already holds this)."""
