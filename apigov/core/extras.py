"""Optional features live in extras (``pip install 'apigov[server]'``); a command that needs a
missing one stops with exit 2 and one line naming the extra, never an internal error.

Call :func:`require` before the heavy imports of a command or backend::

    require("server", "starlette", "uvicorn", feature="apigov serve")
    from apigov.server.app import create_app  # imports starlette

or :func:`import_extra` to import one module of an extra. The CLI also turns any
``ModuleNotFoundError`` for a module of a known extra into the same line (:func:`missing_extra_of`),
a safety net for a path that forgot to call :func:`require`.

The extra of a module comes from :data:`MODULE_EXTRAS`, else from apigov's installed metadata
(``Requires-Dist: name; extra == "x"``, where the distribution is named like the module).
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from functools import lru_cache
from types import ModuleType
from typing import Final

from apigov.core.errors import InputError

__all__ = ["MODULE_EXTRAS", "MissingExtra", "import_extra", "missing_extra_of", "require"]

MODULE_EXTRAS: Final[dict[str, str]] = {
    "starlette": "server",
    "uvicorn": "server",
    "httpx": "server",
    "psycopg": "postgres",
    "psycopg_binary": "postgres",
    "jinja2": "generate",
    "deepdiff": "diff",
    "grandalf": "server",
}
"""Top-level module -> the extra that installs it (where the distribution's name differs from
the module's, or before the metadata is installed). Add a line when you add an extra."""


class MissingExtra(InputError):
    """A feature needs an optional extra that is not installed (exit code 2)."""

    def __init__(self, extra: str, module: str, feature: str | None = None) -> None:
        what = feature or "this command"
        super().__init__(
            f"{what} needs the optional '{extra}' extra ({module} is not installed)",
            hint=f"pip install 'apigov[{extra}]'",
        )
        self.extra = extra
        self.module = module


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def require(extra: str, *modules: str, feature: str | None = None) -> None:
    """Raise :class:`MissingExtra` unless every top-level ``modules`` can be imported (found
    without importing them, so this costs no start-up time)."""
    for module in modules:
        if not _installed(module):
            raise MissingExtra(extra, module, feature)


def import_extra(extra: str, module: str, *, feature: str | None = None) -> ModuleType:
    """``import module``, or :class:`MissingExtra` naming ``extra`` when it is not installed."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        missing = (exc.name or module).split(".")[0]
        if missing == module.split(".")[0]:
            raise MissingExtra(extra, missing, feature) from None
        raise


_REQUIREMENT: Final = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)[^;]*;.*extra\s*==\s*['\"]([^'\"]+)['\"]")


@lru_cache(maxsize=1)
def _metadata_extras() -> dict[str, str]:
    """Distribution name (as a module name) -> extra, from apigov's installed metadata."""
    from importlib import metadata

    try:
        requirements = metadata.requires("apigov") or []
    except metadata.PackageNotFoundError:
        return {}
    found: dict[str, str] = {}
    for requirement in requirements:
        match = _REQUIREMENT.match(requirement)
        if match and match[2] not in ("all", "dev"):
            found.setdefault(match[1].lower().replace("-", "_").replace(".", "_"), match[2])
    return found


def missing_extra_of(exc: ModuleNotFoundError, feature: str | None = None) -> MissingExtra | None:
    """The :class:`MissingExtra` an import failure means, or ``None`` if its module belongs to no
    extra (then it is a bug, not a missing install)."""
    if not exc.name:
        return None
    module = exc.name.split(".")[0]
    extra = MODULE_EXTRAS.get(module) or _metadata_extras().get(module.lower())
    if extra is None:
        return None
    return MissingExtra(extra, module, feature)
