"""Registry references on the command line: ``SUBJECT@VERSION`` and ``SUBJECT@latest``.

A command argument that names an existing file is that file, whatever it looks like. Otherwise
an argument without ``/`` and with ``@`` is a registry reference: the subject and version are
checked (one-line errors), the version is read from the registry and written to a temporary file
that exists while the ``with`` block of a :func:`ref_opener` source runs, named as typed. Name a file that looks like
a reference as ``./orders-api@1.0.0.yaml``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from apigov.core.errors import InputError, UnknownSubject
from apigov.documents.limits import DEFAULT_LIMITS, Limits
from apigov.documents.sources import Source, SourceOpener, materialise
from apigov.registry.base import RegistryBackend, SemVer, check_subject, parse_version
from apigov.registry.stored import write_version

__all__ = ["LATEST", "RegistryRef", "is_ref", "parse_ref", "ref_opener", "resolve_version"]

LATEST = "latest"


@dataclasses.dataclass(frozen=True, slots=True)
class RegistryRef:
    subject: str
    version: SemVer | None
    """``None``: the latest version."""

    def __str__(self) -> str:
        return f"{self.subject}@{self.version or LATEST}"


def is_ref(spec: str, *, cwd: Path | None = None) -> bool:
    """Whether ``spec`` is read as a registry reference (an existing file always wins)."""
    if "@" not in spec or "/" in spec or "\\" in spec or spec.startswith("git:"):
        return False
    path = Path(spec) if cwd is None else cwd / spec
    try:
        return not path.exists()
    except (OSError, ValueError):
        return True


def parse_ref(spec: str, *, allow_bare: bool = False) -> RegistryRef:
    """``SUBJECT@VERSION`` or ``SUBJECT@latest`` (with ``allow_bare``, ``SUBJECT`` means latest)."""
    name, sep, version = spec.partition("@")
    if not sep:
        if allow_bare:
            return RegistryRef(check_subject(name), None)
        raise InputError(
            f"invalid registry reference {spec[:60]!r}", hint="write SUBJECT@VERSION or SUBJECT@latest"
        )
    check_subject(name)
    if version == LATEST:
        return RegistryRef(name, None)
    if not version:
        raise InputError(
            f"invalid registry reference {spec[:60]!r}: no version after '@'",
            hint="write SUBJECT@VERSION or SUBJECT@latest",
        )
    return RegistryRef(name, parse_version(version))


def resolve_version(backend: RegistryBackend, ref: RegistryRef) -> SemVer:
    """The version a reference names (``latest`` looked up)."""
    if ref.version is not None:
        return ref.version
    latest = backend.subject(ref.subject).latest
    if latest is None:  # pragma: no cover - a listed subject has a version
        raise UnknownSubject(f"subject {ref.subject!r} has no versions")
    return latest


def ref_opener(
    backend: Callable[[], RegistryBackend],
    *,
    cwd: Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
    files: bool = True,
) -> SourceOpener:
    """A :data:`~apigov.documents.sources.SourceOpener` that reads registry references from the
    registry ``backend`` returns (called once, at the first reference) and anything else as
    :func:`~apigov.documents.sources.materialise` does. A version is written to a temporary
    directory that exists while the ``with`` block runs, and carries the reference as typed as
    its name from the start: no report ever names the temporary file. Without ``files`` every spec
    is a reference (``apigov registry diff``), even where a file of that name exists."""
    opened: list[RegistryBackend] = []

    @contextlib.contextmanager
    def open_source(spec: str) -> Iterator[Source]:
        if files and not is_ref(spec, cwd=cwd):
            with materialise(spec, cwd=cwd, limits=limits) as source:
                yield source
            return
        ref = parse_ref(spec)
        if not opened:
            opened.append(backend())
        store = opened[0]
        version = resolve_version(store, ref)
        stored = store.get_version(ref.subject, version)
        with tempfile.TemporaryDirectory(prefix="apigov-ref-") as temp:
            path = write_version(stored, Path(temp))
            yield Source(
                path=path,
                display=spec,
                root=Path(temp),
                stored=True,
                subject=ref.subject,
                kind=stored.kind,
                resolved=f"{ref.subject}@{version}",
            )

    return open_source
