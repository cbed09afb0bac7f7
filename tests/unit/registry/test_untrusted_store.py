"""What a registry holds is not trusted blindly: a stored file that no longer matches the digest it
was published with is refused on read (never served or judged against), and the changelog escapes
what publishers and specs wrote."""

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


def test_the_changelog_escapes_what_publishers_and_specs_wrote(tmp_path: Path) -> None:
    import io

    from apigov.registry.base import Change
    from apigov.registry.commands import changelog
    from apigov.registry.present import render_changelog

    backend = _published(tmp_path)
    hostile = "<img src=x onerror=alert(1)> [link](javascript:alert(1))"
    second = b'{"type": "object", "properties": {"a": {"type": "string"}}}\n'
    meta = VersionMeta.from_json(
        {"published_at": "2026-11-21T00:00:00Z", "publisher": hostile, "previous": "1.0.0", "bump": "minor"}
    )
    meta = VersionMeta(
        **{**{f: getattr(meta, f) for f in meta.__slots__}, "changes": (Change("x", "info", hostile),)}
    )
    backend.put_version(
        "orders-value",
        SemVer(1, 1, 0),
        kind="jsonschema",
        content_format="json",
        content=second,
        digest=digest_of(second),
        meta=meta,
        expected_latest=SemVer(1, 0, 0),
    )
    out = io.StringIO()
    render_changelog(changelog(str(tmp_path / "contracts"), "orders-value"), "markdown", out)
    text = out.getvalue()
    assert "<img" not in text, text  # no raw HTML
    assert "[link](" not in text.replace("\\[link\\](", ""), text  # no live link
    assert text.count("&lt;img") == 2  # the publisher and the change
