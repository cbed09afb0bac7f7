"""Migration 7: a counter every pact change bumps, so servers can keep the pact state in memory."""

from __future__ import annotations

from pathlib import Path
from typing import Final, LiteralString

NUMBER: Final = 7
NAME: Final = "pact state generation"
POSTGRES: Final[LiteralString] = r"""
CREATE TABLE apigov.pact_generation (
    only_row    boolean PRIMARY KEY DEFAULT true CONSTRAINT one_row CHECK (only_row),
    generation  bigint NOT NULL
);
INSERT INTO apigov.pact_generation (generation) VALUES (0);
"""


def directory(root: Path) -> None:
    """Nothing to change: a directory store compares its state file's stamp instead."""
