"""Registry references on the command line: ``SUBJECT@VERSION`` and ``SUBJECT@latest``.

A command argument that names an existing file is that file, whatever it looks like. Otherwise
an argument without ``/`` and with ``@`` is a registry reference: the subject and version are
checked (one-line errors), the version is read from the registry and written to a temporary file
that exists while the ``with`` block of :func:`resolved_sources` runs. Name a file that looks like
a reference as ``./orders-api@1.0.0.yaml``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from apigov.core.errors import InputError, UnknownSubject
from apigov.core.findings import Report
from apigov.registry.base import RegistryBackend, SemVer, check_subject, parse_version
from apigov.registry.stored import write_version

__all__ = ["LATEST", "RegistryRef", "is_ref", "parse_ref", "relabel", "resolve_version", "resolved_sources"]

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


@contextlib.contextmanager
def resolved_sources(
    specs: Sequence[str], backend: Callable[[], RegistryBackend], *, cwd: Path | None = None
) -> Iterator[tuple[list[str], dict[str, str]]]:
    """``specs`` with each registry reference replaced by a temporary file holding that version,
    and the map from those files back to the references as typed (for :func:`relabel`).
    ``backend`` is called only when there is a reference."""
    refs = {spec: parse_ref(spec) for spec in specs if is_ref(spec, cwd=cwd)}
    if not refs:
        yield list(specs), {}
        return
    store = backend()
    with tempfile.TemporaryDirectory(prefix="apigov-ref-") as temp:
        replaced: dict[str, str] = {}
        labels: dict[str, str] = {}
        for index, (spec, ref) in enumerate(refs.items()):
            directory = Path(temp) / str(index)
            directory.mkdir()
            stored = store.get_version(ref.subject, resolve_version(store, ref))
            path = str(write_version(stored, directory))
            replaced[spec] = path
            labels[path] = spec
        yield [replaced.get(spec, spec) for spec in specs], labels


def relabel(report: Report, labels: Mapping[str, str]) -> Report:
    """``report`` with the temporary files of :func:`resolved_sources` named as the user typed them."""
    if not labels:
        return report
    documents = tuple(dataclasses.replace(d, source=labels.get(d.source, d.source)) for d in report.documents)
    findings = tuple(
        dataclasses.replace(f, location=dataclasses.replace(f.location, file=labels[f.location.file]))
        if f.location.file in labels
        else f
        for f in report.findings
    )
    suppressed = tuple(
        dataclasses.replace(f, location=dataclasses.replace(f.location, file=labels[f.location.file]))
        if f.location.file in labels
        else f
        for f in report.suppressed
    )
    return dataclasses.replace(report, documents=documents, findings=findings, suppressed=suppressed)
