"""Migration 16: a token may be limited to named subjects (writes on every API)."""

from __future__ import annotations

from pathlib import Path
from typing import Final, LiteralString

NUMBER: Final = 16
NAME: Final = "tokens limited to named subjects"
POSTGRES: Final[LiteralString] = r"""
ALTER TABLE apigov.tokens ADD COLUMN subjects text[] NOT NULL DEFAULT '{}';
"""


def directory(root: Path) -> None:
    """Nothing to change: the token file's entries gain an optional ``subjects`` list."""
