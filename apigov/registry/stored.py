"""Stored versions as files and contracts: what the policy, ``registry diff`` and registry refs read."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from apigov.core.errors import DocumentError, RegistryError
from apigov.documents.kinds import KindHint, detect_kind
from apigov.documents.load import load_file
from apigov.registry.base import RegistryBackend, SemVer, StoredVersion, check_subject

if TYPE_CHECKING:
    from apigov.registry.policy import Contract

__all__ = ["contract_of", "stored_contracts", "suffix_of", "write_version"]


def suffix_of(stored: StoredVersion) -> str:
    if stored.format == "json":
        return ".avsc" if stored.kind == "avro" else ".json"
    return ".yaml"


def write_version(stored: StoredVersion, directory: Path) -> Path:
    """Write a stored version to ``directory/<subject>@<version><suffix>`` and return its path."""
    path = directory / f"{check_subject(stored.subject)}@{stored.version}{suffix_of(stored)}"
    path.write_bytes(stored.content)
    return path


def contract_of(stored: StoredVersion, directory: Path) -> Contract:
    """A stored version as a :class:`Contract` (its file written into ``directory``)."""
    from apigov.registry.policy import Contract

    path = write_version(stored, directory)
    label = f"{stored.subject}@{stored.version}"
    try:
        document = load_file(path, source=label)
        kind, _ = detect_kind(document.data, path, source=label, hint=KindHint(fallback=stored.kind))
    except DocumentError as exc:
        raise RegistryError(
            f"{label} in the registry is not a readable contract: {exc}",
            hint="restore the subject from version control",
        ) from exc
    return Contract(label=label, path=path, data=document.data, kind=kind, version=stored.version)


def stored_contracts(
    backend: RegistryBackend, subject: str, versions: Sequence[SemVer], directory: Path
) -> list[Contract]:
    """The given versions of ``subject`` as contracts, in the order given."""
    return [contract_of(backend.get_version(subject, version), directory) for version in versions]
