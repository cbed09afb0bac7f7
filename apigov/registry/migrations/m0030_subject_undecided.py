"""Migration 30: a subject's level for changes apigov cannot decide (``breaking`` unless relaxed)."""

from __future__ import annotations

from pathlib import Path
from typing import Final, LiteralString

NUMBER: Final = 30
NAME: Final = "subject undecided level"
POSTGRES: Final[LiteralString] = r"""
ALTER TABLE apigov.subjects ADD COLUMN undecided text NOT NULL DEFAULT 'breaking'
    CONSTRAINT subject_undecided_known CHECK (undecided IN ('warning', 'breaking'));
"""


def directory(root: Path) -> None:
    """Nothing to change: ``subject.json`` gains an optional ``undecided`` key (absent: ``breaking``)."""
