"""The RegistryBackend contract, run against every backend in ``conftest.BACKENDS``."""

from __future__ import annotations

import hashlib

import pytest

from apigov.core.errors import InputError, RegistryError, StaleLatest, UnknownSubject, VersionExists
from apigov.core.findings import Level
from apigov.registry.base import Deprecation, PutResult, RegistryBackend, SemVer, VersionMeta
from apigov.schema.modes import Mode

V1, V2, V3 = SemVer(1, 0, 0), SemVer(1, 1, 0), SemVer(2, 0, 0)


def _meta(**extra: str) -> VersionMeta:
    return VersionMeta(published_at="2026-11-21T08:00:00Z", publisher="tester", labels=extra)


def _put(
    backend: RegistryBackend,
    version: SemVer,
    content: bytes,
    *,
    expected: SemVer | None,
    subject: str = "orders-api",
    kind: str = "openapi",
) -> PutResult:
    return backend.put_version(
        subject,
        version,
        kind=kind,
        content_format="yaml",
        content=content,
        digest="sha256:" + hashlib.sha256(content).hexdigest(),
        meta=_meta(team="orders"),
        expected_latest=expected,
    )


def test_an_empty_registry_has_no_subjects(backend: RegistryBackend) -> None:
    assert list(backend.list_subjects()) == []
    with pytest.raises(UnknownSubject, match="orders-api"):
        backend.subject("orders-api")
    with pytest.raises(UnknownSubject):
        backend.get_version("orders-api", V1)


def test_publish_read_back_and_list(backend: RegistryBackend) -> None:
    assert _put(backend, V1, b"one: 1\n", expected=None) is PutResult.CREATED
    assert _put(backend, V2, b"two: 2\n", expected=V1) is PutResult.CREATED
    assert _put(backend, V1, b"x: 1\n", expected=None, subject="a-first") is PutResult.CREATED
    info = backend.subject("orders-api")
    assert (info.kind, info.mode, info.versions, info.latest) == ("openapi", Mode.BACKWARD, (V1, V2), V2)
    assert [s.name for s in backend.list_subjects()] == ["a-first", "orders-api"]
    stored = backend.get_version("orders-api", V1)
    assert stored.content == b"one: 1\n"
    assert stored.digest == "sha256:" + hashlib.sha256(b"one: 1\n").hexdigest()
    assert stored.meta.publisher == "tester"
    assert dict(stored.meta.labels) == {"team": "orders"}
    assert (stored.kind, stored.format) == ("openapi", "yaml")
    with pytest.raises(UnknownSubject, match=r"no version 9\.0\.0"):
        backend.get_version("orders-api", SemVer(9, 0, 0))


def test_republishing_the_same_content_is_a_no_op_and_other_content_is_refused(
    backend: RegistryBackend,
) -> None:
    _put(backend, V1, b"one: 1\n", expected=None)
    _put(backend, V2, b"two: 2\n", expected=V1)
    assert _put(backend, V1, b"one: 1\n", expected=V2) is PutResult.UNCHANGED
    assert _put(backend, V1, b"one: 1\n", expected=None) is PutResult.UNCHANGED
    with pytest.raises(VersionExists, match=r"orders-api@1\.0\.0"):
        _put(backend, V1, b"changed: 1\n", expected=V2)
    assert backend.get_version("orders-api", V1).content == b"one: 1\n"


def test_put_is_a_compare_and_set_on_the_latest_version(backend: RegistryBackend) -> None:
    _put(backend, V1, b"one: 1\n", expected=None)
    with pytest.raises(StaleLatest):
        _put(backend, V2, b"two: 2\n", expected=None)  # judged as if the subject were new
    with pytest.raises(StaleLatest):
        _put(backend, V3, b"three: 3\n", expected=SemVer(0, 9, 0))
    assert backend.subject("orders-api").versions == (V1,)
    _put(backend, V3, b"three: 3\n", expected=V1)
    with pytest.raises(RegistryError, match="not above"):
        _put(backend, V2, b"two: 2\n", expected=V3)
    assert backend.subject("orders-api").versions == (V1, V3)


def test_a_subject_keeps_its_kind(backend: RegistryBackend) -> None:
    _put(backend, V1, b"one: 1\n", expected=None)
    with pytest.raises(RegistryError, match="holds openapi"):
        _put(backend, V2, b"{}", expected=V1, kind="avro")


def test_mode_and_deprecation(backend: RegistryBackend) -> None:
    _put(backend, V1, b"one: 1\n", expected=None)
    backend.set_mode("orders-api", Mode.FULL_TRANSITIVE)
    backend.deprecate("orders-api", V1, Deprecation(at="2026-11-21T09:00:00Z", reason="use 2.x"))
    info = backend.subject("orders-api")
    assert info.mode is Mode.FULL_TRANSITIVE
    assert info.deprecated["1.0.0"].reason == "use 2.x"
    backend.deprecate("orders-api", V1, None)
    assert "1.0.0" not in backend.subject("orders-api").deprecated
    with pytest.raises(UnknownSubject):
        backend.set_mode("payments-api", Mode.NONE)
    with pytest.raises(UnknownSubject):
        backend.deprecate("orders-api", V3, None)


def test_undecided_level(backend: RegistryBackend) -> None:
    _put(backend, V1, b"one: 1\n", expected=None)
    _put(backend, V1, b"x: 1\n", expected=None, subject="payments-api")
    assert backend.subject("orders-api").undecided is Level.BREAKING  # every subject's default
    backend.set_undecided("orders-api", Level.WARNING)
    backend.set_mode("orders-api", Mode.FULL)  # one setting leaves the other as it was
    info = backend.subject("orders-api")
    assert (info.undecided, info.mode) == (Level.WARNING, Mode.FULL)
    listed = {s.name: s.undecided for s in backend.list_subjects()}
    assert listed == {"orders-api": Level.WARNING, "payments-api": Level.BREAKING}
    _put(backend, V2, b"two: 2\n", expected=V1)  # a publish keeps it
    assert backend.subject("orders-api").undecided is Level.WARNING
    backend.set_undecided("orders-api", Level.BREAKING)
    assert backend.subject("orders-api").undecided is Level.BREAKING
    with pytest.raises(UnknownSubject):
        backend.set_undecided("nope-api", Level.WARNING)
    with pytest.raises(InputError, match="unknown undecided level"):
        backend.set_undecided("orders-api", Level.INFO)
    assert backend.subject("orders-api").undecided is Level.BREAKING


@pytest.mark.parametrize("name", ["../../etc", "", "Orders", "a/b", ".lock", "x" * 201])
def test_invalid_subject_names_never_reach_the_store(backend: RegistryBackend, name: str) -> None:
    with pytest.raises(InputError):
        _put(backend, V1, b"one: 1\n", expected=None, subject=name)
    with pytest.raises(InputError):
        backend.subject(name)
    with pytest.raises(InputError):
        backend.get_version(name, V1)
    assert list(backend.list_subjects()) == []
