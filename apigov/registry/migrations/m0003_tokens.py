"""Migration 3: tokens of apigov serve."""

from __future__ import annotations

from pathlib import Path
from typing import Final, LiteralString

NUMBER: Final = 3
NAME: Final = "tokens of apigov serve"
POSTGRES: Final[LiteralString] = r"""
CREATE TABLE apigov.tokens (
    name        text PRIMARY KEY
                CONSTRAINT token_name_grammar CHECK (length(name) BETWEEN 1 AND 100 AND name !~ '\s'),
    scope       text NOT NULL CONSTRAINT token_scope_known CHECK (scope IN ('read', 'publish', 'admin')),
    digest      text NOT NULL UNIQUE
                CONSTRAINT token_digest_format CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
    created_at  text NOT NULL
);
"""


def directory(root: Path) -> None:
    """Nothing to change in a directory registry (its layout already holds this)."""
