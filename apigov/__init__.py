"""apigov: contract-first API governance.

Validate and lint OpenAPI, AsyncAPI, JSON Schema and Avro contracts (``apigov check``), bundle
multi-file specs (``apigov bundle``) and explain the rule catalogue (``apigov rules``).
The public Python API is the names below; everything else is internal.
"""

from __future__ import annotations

__version__ = "0.1.0"

from apigov.core.errors import (
    ApigovError,
    BackendUnavailable,
    ConfigError,
    DocumentError,
    InputError,
    InvalidYAML,
    LimitExceeded,
    RegistryError,
    UnknownKind,
    UnknownSubject,
    UnresolvedRef,
    VersionExists,
)
from apigov.core.findings import DocumentInfo, Finding, Level, Location, Report

__all__ = [  # noqa: RUF022 - grouped by kind, as STYLE.md asks
    # errors
    "ApigovError",
    "BackendUnavailable",
    "ConfigError",
    "DocumentError",
    "InputError",
    "InvalidYAML",
    "LimitExceeded",
    "RegistryError",
    "UnknownKind",
    "UnknownSubject",
    "UnresolvedRef",
    "VersionExists",
    # findings
    "DocumentInfo",
    "Finding",
    "Level",
    "Location",
    "Report",
    # metadata
    "__version__",
]
