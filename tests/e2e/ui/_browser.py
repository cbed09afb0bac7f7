"""Playwright on Debian's Chromium for the UI's browser tests, and axe-core checks.

Chromium is ``/usr/bin/chromium`` (``.ci/setup/ui.sh`` installs it; ``playwright install`` is
never run) and axe-core comes from ``tests/e2e/ui-node`` (pinned, ``npm ci``). A missing one
skips the test naming it, except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import pytest

ROOT: Final = Path(__file__).resolve().parents[3]
CHROMIUM: Final = Path("/usr/bin/chromium")
AXE: Final = ROOT / "tests" / "e2e" / "ui-node" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS: Final = ROOT / "test-artifacts" / "ui"
FLAGS: Final = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (required under CI=true; run .ci/setup/ui.sh)", pytrace=False)
    pytest.skip(f"{reason}; run .ci/setup/ui.sh")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Chromium (Playwright's sync API), shared by the session."""
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        missing("Chromium is not installed (/usr/bin/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the Python package playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(FLAGS))
        try:
            yield browser
        finally:
            browser.close()


def axe_source() -> str:
    if not AXE.is_file():
        missing("axe-core is not installed in tests/e2e/ui-node")
    return AXE.read_text(encoding="utf-8")


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on ``page`` (``id: nodes``), for an assertion."""
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'][:5])}"
        for v in result["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def screenshot(page: Any, name: str, *, full: bool = True) -> Path:
    """``page`` as ``test-artifacts/ui/NAME.png`` (the whole page, or what the viewport shows)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full)
    return path
