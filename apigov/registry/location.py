"""Where the registry is, and the backend for it.

The location comes from ``--registry``, else ``APIGOV_REGISTRY``, else ``registry:`` in
``apigov.yaml`` (relative to that file), else ``./contracts``. A directory path selects the
directory backend; ``postgresql://`` and ``http(s)://`` URLs select the backends that serve a
shared registry. :func:`publish_location` is stricter: a publish creates the registry's
directory, so it uses ``./contracts`` unnamed only when that directory already exists.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from apigov.config.project import Config
from apigov.core.errors import BackendUnavailable, ConfigError
from apigov.core.extras import MissingExtra, require
from apigov.registry.base import RegistryBackend
from apigov.registry.filesystem import DirectoryBackend
from apigov.registry.tokens import FileTokenStore, TokenStore, token_store_of

__all__ = [
    "DEFAULT_LOCATION",
    "ENV_VAR",
    "existing_directory",
    "open_backend",
    "open_token_store",
    "publish_location",
    "registry_location",
]

ENV_VAR: Final = "APIGOV_REGISTRY"
DEFAULT_LOCATION: Final = "contracts"
_REMOTE: Final = ("postgresql://", "postgres://")
_HTTP: Final = ("http://", "https://")


def registry_location(option: str | None, config: Config) -> str:
    """The registry location for a command (see the module docstring)."""
    if option:
        return option
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return from_env
    if config.registry:
        if "://" in config.registry:
            return config.registry
        return str(config.root / config.registry)
    return DEFAULT_LOCATION


def publish_location(option: str | None, config: Config, *, purpose: str = "to publish to") -> str:
    """The registry a publish (or ``token create``) writes to: as :func:`registry_location`,
    except that the default ``./contracts``, named nowhere, must already exist; a write never
    creates it unasked. ``purpose`` completes "no registry ..." in the error."""
    location = registry_location(option, config)
    if option or os.environ.get(ENV_VAR, "").strip() or config.registry:
        return location
    if not Path(location).is_dir():
        raise ConfigError(
            f"no registry {purpose}: none named, and ./{DEFAULT_LOCATION} does not exist",
            hint=f"pass --registry DIR (created if missing), set {ENV_VAR}, or add "
            f"'registry: {DEFAULT_LOCATION}' to apigov.yaml ('apigov init' writes one)",
        )
    return location


def existing_directory(location: str, *, create: bool) -> None:
    """A directory ``location`` must exist (``apigov serve``: a typo must not serve an empty
    registry); with ``create`` it is made. URLs are left to their backends."""
    if "://" in location:
        return
    path = Path(location)
    if path.is_dir():
        return
    if path.exists():
        raise ConfigError(f"registry location {location!r} is not a directory")
    if not create:
        raise ConfigError(
            f"registry directory {location} does not exist",
            hint="check --registry, APIGOV_REGISTRY or 'registry:' in apigov.yaml, or pass --create "
            "to start an empty registry there",
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create the registry directory {location}: {exc.strerror or exc}") from exc


def open_backend(location: str) -> RegistryBackend:
    """The backend for ``location``."""
    lowered = location.lower()
    if lowered.startswith(("postgresql://", "postgres://")):
        require("postgres", "psycopg", feature="a postgresql:// registry")
        try:
            from apigov.registry.postgres import PostgresBackend
        except ImportError as exc:  # psycopg is there but cannot load (no libpq, no binary wheel)
            raise MissingExtra(
                "postgres", f"a working {exc.name or 'psycopg'}", "a postgresql:// registry"
            ) from None
        return PostgresBackend(location)
    if lowered.startswith(_HTTP):
        require("server", "httpx", feature="an http(s):// registry")
        from apigov.registry.http import HttpBackend

        return HttpBackend(location)
    if lowered.startswith(_REMOTE):
        scheme = lowered.split("://", 1)[0]
        raise BackendUnavailable(
            f"the {scheme} registry backend is not available in this version of apigov",
            hint="use a directory registry (--registry DIR)",
        )
    if "://" in location:
        raise ConfigError(
            f"unknown registry location {location[:80]!r}",
            hint="name a directory, a postgresql:// or an http(s):// URL",
        )
    path = Path(location)
    if path.exists() and not path.is_dir():
        raise ConfigError(f"registry location {location!r} is not a directory")
    return DirectoryBackend(path)


def open_token_store(location: str) -> TokenStore:
    """The token store of the registry at ``location`` (see :func:`~apigov.registry.tokens.token_store_of`)."""
    if "://" not in location:
        return FileTokenStore.for_registry(Path(location))
    return token_store_of(open_backend(location))
