"""Every finding a diff rule makes in these tests takes its level from the catalogue
(tests/unit/rules/test_levels.py says why and checks the reports)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.unit.rules._levels import recorded_findings


@pytest.fixture(autouse=True)
def _levels_from_the_catalogue() -> Iterator[None]:
    """Each finding made while a test runs has its rule's level, or the level its check's
    judgement (proven, undecided, ...) names, with the evidence in its details."""
    with recorded_findings(check=True):
        yield
