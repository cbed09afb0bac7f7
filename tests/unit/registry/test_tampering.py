"""A published version never changes: a directory registry whose stored file no longer matches
the digest it was published with is refused on read, never served or judged against."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigov.core.errors import RegistryError
from apigov.registry.base import SemVer, VersionMeta, digest_of
from apigov.registry.filesystem import DirectoryBackend

CONTENT = b'{"type": "object"}\n'


def _published(tmp_path: Path) -> DirectoryBackend:
    backend = DirectoryBackend(tmp_path / "contracts")
    backend.put_version(
        "orders-value",
        SemVer(1, 0, 0),
        kind="jsonschema",
        content_format="json",
        content=CONTENT,
        digest=digest_of(CONTENT),
        meta=VersionMeta.from_json({"published_at": "2026-11-21T00:00:00Z", "publisher": "t"}),
        expected_latest=None,
    )
    return backend


def test_an_untouched_version_reads_back(tmp_path: Path) -> None:
    stored = _published(tmp_path).get_version("orders-value", SemVer(1, 0, 0))
    assert stored.content == CONTENT and stored.digest == digest_of(CONTENT)


def test_a_version_edited_by_hand_is_refused(tmp_path: Path) -> None:
    backend = _published(tmp_path)
    (stored_file,) = (tmp_path / "contracts" / "orders-value").glob("1.0.0.json")
    stored_file.write_bytes(b'{"type": "string"}\n')
    with pytest.raises(RegistryError, match="does not match the digest"):
        backend.get_version("orders-value", SemVer(1, 0, 0))
