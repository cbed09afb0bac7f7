"""The ``apigov registry`` operations as library calls: one function per sub-command.

Each takes the registry location (see :mod:`apigov.registry.location`) and returns a value that
:mod:`apigov.registry.present` renders; none prints or exits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from apigov.config.project import Config
from apigov.core.errors import InputError
from apigov.core.findings import Report
from apigov.registry.base import (
    Deprecation,
    SemVer,
    StoredVersion,
    SubjectInfo,
    check_subject,
    parse_mode,
    parse_undecided,
)
from apigov.registry.location import open_backend
from apigov.registry.provenance import now
from apigov.registry.refs import parse_ref, ref_opener, resolve_version

__all__ = [
    "Listing",
    "Shown",
    "VersionsView",
    "changelog",
    "deprecate",
    "list_subjects",
    "registry_diff",
    "set_mode",
    "set_undecided",
    "show",
    "versions",
]


@dataclass(frozen=True, slots=True)
class Listing:
    location: str
    subjects: Sequence[SubjectInfo]


@dataclass(frozen=True, slots=True)
class VersionsView:
    """A subject with every version's metadata (ascending)."""

    info: SubjectInfo
    versions: tuple[StoredVersion, ...]


def list_subjects(location: str) -> Listing:
    if "://" not in location and not Path(location).is_dir():
        raise InputError(
            f"no registry at {location}",
            hint="publish a first contract there, or name the registry with --registry or APIGOV_REGISTRY",
        )
    backend = open_backend(location)
    return Listing(backend.location, backend.list_subjects())


def versions(location: str, subject: str) -> VersionsView:
    backend = open_backend(location)
    info = backend.subject(check_subject(subject))
    return VersionsView(info, tuple(backend.get_version(subject, v) for v in info.versions))


def changelog(location: str, subject: str) -> VersionsView:
    """The same data as :func:`versions`; the changes of each version were recorded when it was published."""
    return versions(location, subject)


@dataclass(frozen=True, slots=True)
class Shown:
    """One version and its subject (for the deprecation mark)."""

    stored: StoredVersion
    info: SubjectInfo


def show(location: str, ref: str) -> Shown:
    """``SUBJECT@VERSION``, ``SUBJECT@latest`` or ``SUBJECT`` (the latest)."""
    backend = open_backend(location)
    parsed = parse_ref(ref, allow_bare=True)
    info = backend.subject(parsed.subject)
    return Shown(backend.get_version(parsed.subject, resolve_version(backend, parsed)), info)


def set_mode(location: str, subject: str, mode: str) -> SubjectInfo:
    backend = open_backend(location)
    parsed = parse_mode(mode)
    backend.set_mode(check_subject(subject), parsed)
    return backend.subject(subject)


def set_undecided(location: str, subject: str, level: str) -> SubjectInfo:
    """How the subject's publishes count a change apigov cannot decide: ``breaking`` (refused, the
    default) or ``warning`` (accepted, and reported as undecided)."""
    backend = open_backend(location)
    parsed = parse_undecided(level)
    backend.set_undecided(check_subject(subject), parsed)
    return backend.subject(subject)


def deprecate(location: str, ref: str, *, reason: str = "", undo: bool = False) -> tuple[SubjectInfo, SemVer]:
    """Mark the version ``ref`` names deprecated (or not); the subject after it, and that version
    (``S@latest`` names a real one)."""
    backend = open_backend(location)
    parsed = parse_ref(ref)
    version = resolve_version(backend, parsed)
    backend.deprecate(
        parsed.subject, version, None if undo else Deprecation(at=now(), reason=" ".join(reason.split()))
    )
    return backend.subject(parsed.subject), version


def registry_diff(location: str, base: str, revision: str, config: Config) -> Report:
    """What changed from ``base`` to ``revision`` (two ``SUBJECT@VERSION`` references): exactly
    ``apigov diff BASE REVISION`` on the same references (the same pipeline, levels and
    locations; event schemas under the default ``BACKWARD``, AsyncAPI per message)."""
    from apigov import __version__
    from apigov.rules.run import DiffRequest, diff_sources

    backend = open_backend(location)
    refs = [parse_ref(base), parse_ref(revision)]
    kinds = [backend.get_version(r.subject, resolve_version(backend, r)).kind for r in refs]
    if kinds[0] != kinds[1]:
        raise InputError(f"{base} holds {kinds[0]} and {revision} holds {kinds[1]}; they cannot be compared")
    opener = ref_opener(lambda: backend, files=False)
    return diff_sources(DiffRequest(base=base, revision=revision, opener=opener), config, version=__version__)


def semver_text(version: SemVer | None) -> str:
    return str(version) if version is not None else "-"
