"""The crash-test hook of the registry backends.

With ``APIGOV_REGISTRY_TEST_PAUSE=STEP:FILE`` a writer creates ``FILE`` and sleeps at ``STEP``,
so a test can kill it there deterministically (each backend's docstring lists its steps).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Final

__all__ = ["PAUSE_ENV", "pause"]

PAUSE_ENV: Final = "APIGOV_REGISTRY_TEST_PAUSE"


def pause(step: str) -> None:
    """Does nothing unless the variable names ``step``."""
    wanted = os.environ.get(PAUSE_ENV)
    if not wanted:
        return
    name, _, marker = wanted.partition(":")
    if name != step or not marker:
        return
    Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(300)
