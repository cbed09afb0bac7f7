"""What is particular to the directory backend: the layout on disk and its recovery."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apigov.core.errors import RegistryError
from apigov.registry.base import SemVer, VersionMeta
from apigov.registry.filesystem import DirectoryBackend


def _put(backend: DirectoryBackend, version: str, content: bytes, expected: SemVer | None) -> None:
    backend.put_version(
        "orders-api",
        SemVer(*map(int, version.split("."))),
        kind="openapi",
        content_format="yaml",
        content=content,
        digest=f"sha256:{len(content)}-{content!r}",
        meta=VersionMeta(published_at="2026-11-21T08:00:00Z", publisher="me"),
        expected_latest=expected,
    )


def test_the_layout_is_plain_files(tmp_path: Path) -> None:
    backend = DirectoryBackend(tmp_path / "contracts")
    _put(backend, "1.0.0", b"openapi: 3.0.3\n", None)
    subject = tmp_path / "contracts" / "orders-api"
    assert sorted(p.name for p in subject.iterdir()) == [
        ".lock",
        "1.0.0.meta.json",
        "1.0.0.yaml",
        "subject.json",
    ]
    assert (subject / "1.0.0.yaml").read_bytes() == b"openapi: 3.0.3\n"
    index = json.loads((subject / "subject.json").read_text())
    assert index["versions"][0]["file"] == "1.0.0.yaml"
    meta = json.loads((subject / "1.0.0.meta.json").read_text())
    assert (meta["version"], meta["publisher"]) == ("1.0.0", "me")
    assert ".lock" in (tmp_path / "contracts" / ".gitignore").read_text()


def test_leftovers_of_a_killed_writer_are_ignored_and_replaced(tmp_path: Path) -> None:
    backend = DirectoryBackend(tmp_path / "contracts")
    _put(backend, "1.0.0", b"one\n", None)
    subject = tmp_path / "contracts" / "orders-api"
    (subject / "1.1.0.yaml").write_bytes(b"half")  # written, never listed in subject.json
    (subject / ".subject.json.999.tmp").write_bytes(b"{")
    assert backend.subject("orders-api").versions == (SemVer(1, 0, 0),)
    _put(backend, "1.1.0", b"two\n", SemVer(1, 0, 0))
    assert (subject / "1.1.0.yaml").read_bytes() == b"two\n"
    assert not (subject / ".subject.json.999.tmp").exists()


def test_directories_that_are_no_subjects_are_not_listed(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    (root / "schemas").mkdir(parents=True)
    (root / "Not-A-Subject").mkdir()
    (root / "file.txt").write_text("x")
    assert list(DirectoryBackend(root).list_subjects()) == []


def test_a_corrupt_index_is_one_clear_error(tmp_path: Path) -> None:
    backend = DirectoryBackend(tmp_path / "contracts")
    _put(backend, "1.0.0", b"one\n", None)
    (tmp_path / "contracts" / "orders-api" / "subject.json").write_text('{"apigov": "x"}')
    with pytest.raises(RegistryError, match="not a valid subject index"):
        backend.subject("orders-api")
