"""Limits that keep hostile documents from exhausting time, memory or the C stack."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    """Upper bounds applied while loading one document.

    ``max_bytes``: file size. ``max_depth``: nesting of objects/arrays. ``max_nodes``: values
    after YAML aliases are expanded (the billion-laughs guard). ``max_alias_nodes``: values reached
    through YAML aliases (every walker pays for them again). ``max_files``: files one
    workspace may load through ``$ref``.
    """

    max_bytes: int = 64 * 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 10_000_000
    max_alias_nodes: int = 200_000
    max_files: int = 2_000
    remote_timeout: float = 10.0

    @classmethod
    def from_env(cls) -> Limits:
        defaults = cls()
        return cls(
            max_bytes=_env_int("APIGOV_MAX_DOCUMENT_BYTES", defaults.max_bytes),
            max_depth=_env_int("APIGOV_MAX_DEPTH", defaults.max_depth),
            max_nodes=_env_int("APIGOV_MAX_NODES", defaults.max_nodes),
            max_alias_nodes=_env_int("APIGOV_MAX_ALIAS_NODES", defaults.max_alias_nodes),
        )


DEFAULT_LIMITS = Limits.from_env()
