"""Migration 6: a token may be limited to named pacticipants (the Pact Broker API)."""

from __future__ import annotations

from pathlib import Path
from typing import Final, LiteralString

NUMBER: Final = 6
NAME: Final = "tokens limited to named pacticipants"
POSTGRES: Final[LiteralString] = r"""
ALTER TABLE apigov.tokens ADD COLUMN pacticipants text[] NOT NULL DEFAULT '{}';
"""


def directory(root: Path) -> None:
    """Nothing to change: the token file's entries gain an optional ``pacticipants`` list."""
