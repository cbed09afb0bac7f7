"""The registry's model and the one interface every backend implements.

Model:

- a **subject** is one contract (``orders-api``, ``shop.orders.order-created-value``) with a
  contract ``kind`` family (``openapi``, ``asyncapi``, ``jsonschema``, ``avro``), a compatibility
  :class:`~apigov.schema.modes.Mode`, the level of a change apigov cannot decide (``undecided``:
  ``breaking``, refused, unless the subject relaxes it to ``warning``) and per-version
  deprecation marks;
- a **version** is an immutable semver ``X.Y.Z`` holding the bundled, self-contained content, its
  sha256 ``digest`` and :class:`VersionMeta` (published at, publisher, git sha and branch,
  labels, the bump and the changes found against the version before it).

:class:`RegistryBackend` is what the directory, PostgreSQL and HTTP backends implement. Every
operation that changes the registry is **atomic at the backend**: :meth:`RegistryBackend.put_version`
is a compare-and-set on the subject's latest version (one transaction in PostgreSQL, one request
over HTTP, a per-subject lock in the directory backend), so two publishers never both win, and the
policy that judged a publish against version N is never applied on top of a version N+1 it did
not see. The publish logic above (:mod:`apigov.registry.publish`) retries on :class:`~apigov.core.errors.StaleLatest`.

Names are untrusted input: :func:`check_subject` and :func:`parse_version` refuse anything outside
their grammar before any backend sees it, so a subject can be a directory name, a SQL value or a
URL path segment as it is.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Final, Protocol

from apigov.core.errors import InputError, RegistryError, StaleLatest, VersionExists
from apigov.core.findings import Level
from apigov.schema.modes import Mode

__all__ = [
    "DEFAULT_MODE",
    "DEFAULT_UNDECIDED",
    "KINDS",
    "MAX_SUBJECT_LENGTH",
    "UNDECIDED_LEVELS",
    "Change",
    "Deprecation",
    "NewVersion",
    "PutResult",
    "RegistryBackend",
    "SemVer",
    "StaleLatest",
    "StoredVersion",
    "SubjectInfo",
    "VersionMeta",
    "check_put",
    "check_subject",
    "digest_of",
    "parse_mode",
    "parse_undecided",
    "parse_version",
    "settle_put",
]

MAX_SUBJECT_LENGTH: Final = 200
"""Longest subject name (fits a file name with a suffix, a URL segment and an index key)."""
_SUBJECT_RE: Final = re.compile(r"[a-z0-9][a-z0-9._-]*")
_VERSION_RE: Final = re.compile(r"(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})")
_RESERVED: Final = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
)
"""Names Windows will not give a file or directory, with or without an extension."""
KINDS: Final = ("openapi", "asyncapi", "jsonschema", "avro")
"""Contract kind families a subject can hold (:attr:`apigov.documents.kinds.Kind.family`)."""
DEFAULT_MODE: Final = Mode.BACKWARD
"""The mode of a new subject (Confluent's default)."""
DEFAULT_UNDECIDED: Final = Level.BREAKING
"""How a publish or registration counts a change apigov cannot decide, for a subject that does not
say otherwise: a registry does not accept what it cannot show to be safe (``apigov diff``'s own
default is ``warning``)."""
UNDECIDED_LEVELS: Final = (Level.WARNING, Level.BREAKING)
"""The levels a subject may count an undecided change at (``warning``: accepted, and reported)."""


def digest_of(content: bytes) -> str:
    """The digest a version is stored with: ``sha256:<hex>`` of its bytes."""
    return "sha256:" + hashlib.sha256(content).hexdigest()


def check_subject(name: str) -> str:
    """``name`` when it is a valid subject name, else a one-line :class:`InputError`.

    Lower-case letters, digits, ``-``, ``.`` and ``_``, starting with a letter or digit (so never
    ``.``, ``..`` or a hidden file), at most :data:`MAX_SUBJECT_LENGTH` characters.
    """
    shown = name if len(name) <= 60 else name[:57] + "..."
    if not name:
        raise InputError("empty subject name", hint="name a subject such as orders-api")
    if len(name) > MAX_SUBJECT_LENGTH:
        raise InputError(
            f"subject name {shown!r} is longer than {MAX_SUBJECT_LENGTH} characters",
            hint="use a shorter name",
        )
    if name.split(".", 1)[0] in _RESERVED:
        raise InputError(
            f"subject name {shown!r} is a reserved device name on Windows",
            hint="a registry is a directory in git: choose a name every checkout can hold",
        )
    if not _SUBJECT_RE.fullmatch(name):
        raise InputError(
            f"invalid subject name {shown!r}",
            hint="use lower-case letters, digits, '-', '.' and '_', starting with a letter or digit",
        )
    return name


@dataclass(frozen=True, slots=True, order=True)
class SemVer:
    """A release version ``MAJOR.MINOR.PATCH`` (no pre-release or build parts)."""

    major: int
    minor: int
    patch: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    def bump(self, part: str) -> SemVer:
        """The next version for ``part`` (``major``, ``minor`` or ``patch``)."""
        if part == "major":
            return SemVer(self.major + 1, 0, 0)
        if part == "minor":
            return SemVer(self.major, self.minor + 1, 0)
        if part == "patch":
            return SemVer(self.major, self.minor, self.patch + 1)
        raise ValueError(f"unknown bump {part!r}")

    def bump_from(self, previous: SemVer) -> str:
        """Which part grew from ``previous`` to this version: ``major``, ``minor``, ``patch``
        (or ``none`` when this version is not above ``previous``)."""
        if self <= previous:
            return "none"
        if self.major != previous.major:
            return "major"
        if self.minor != previous.minor:
            return "minor"
        return "patch"


@functools.lru_cache(maxsize=4096)
def parse_version(text: str) -> SemVer:
    """A :class:`SemVer` from ``X.Y.Z`` (decimal, no leading zeros), else a one-line :class:`InputError`.

    Cached: a registry listing reads the same few version strings for many subjects.
    """
    match = _VERSION_RE.fullmatch(text)
    if match is None:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise InputError(f"invalid version {shown!r}", hint="write MAJOR.MINOR.PATCH, for example 1.2.0")
    return SemVer(int(match[1]), int(match[2]), int(match[3]))


def parse_mode(text: str) -> Mode:
    """A compatibility :class:`Mode` from its name (any case, ``-`` or ``_``)."""
    try:
        return Mode.parse(text)
    except ValueError:
        raise InputError(
            f"unknown compatibility mode {text[:40]!r}",
            hint="use one of " + ", ".join(m.value for m in Mode),
        ) from None


def parse_undecided(text: str) -> Level:
    """A subject's undecided level from its name: ``warning`` or ``breaking`` (any case)."""
    for level in UNDECIDED_LEVELS:
        if text.strip().lower() == level.value:
            return level
    raise InputError(
        f"unknown undecided level {text[:40]!r}",
        hint="use " + " or ".join(level.value for level in UNDECIDED_LEVELS),
    )


@dataclass(frozen=True, slots=True)
class Change:
    """One change found against the previous version (kept in the metadata for the changelog)."""

    id: str
    level: str
    message: str
    example: str | None = None
    """A breaking change's counter-example, cut to about 120 characters around the value that
    breaks (refusals show it; the metadata does not keep it)."""
    undecided: bool = False
    """apigov could not decide whether the change breaks (its message says why); counted at the
    subject's undecided level (:attr:`SubjectInfo.undecided`)."""

    def to_json(self) -> dict[str, object]:
        """As the metadata keeps it (``undecided`` only when true, so older readers see the same)."""
        data: dict[str, object] = {"id": self.id, "level": self.level, "message": self.message}
        if self.undecided:
            data["undecided"] = True
        return data


@dataclass(frozen=True, slots=True)
class VersionMeta:
    """What is recorded with a version; everything but ``labels`` is set by apigov."""

    published_at: str
    """UTC, ISO 8601 with seconds (``2026-11-21T08:30:00Z``)."""
    publisher: str
    git_sha: str | None = None
    git_branch: str | None = None
    labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    source: str | None = None
    """The file it was published from, as the publisher named it."""
    previous: str | None = None
    """The latest version when this one was published (``None`` for the first)."""
    bump: str = "none"
    """``major``, ``minor``, ``patch`` from ``previous`` (``none`` for the first version)."""
    changes: tuple[Change, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "published_at": self.published_at,
            "publisher": self.publisher,
            "git_sha": self.git_sha,
            "git_branch": self.git_branch,
            "labels": dict(self.labels),
            "source": self.source,
            "previous": self.previous,
            "bump": self.bump,
            "changes": [c.to_json() for c in self.changes],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> VersionMeta:
        """Read what :meth:`to_json` wrote; raises ``ValueError`` on anything else."""

        def text(key: str, *, optional: bool = True) -> str | None:
            value = data.get(key)
            if value is None and optional:
                return None
            if not isinstance(value, str):
                raise ValueError(f"{key} must be a string")
            return value

        labels = data.get("labels") or {}
        if not isinstance(labels, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in labels.items()
        ):
            raise ValueError("labels must map strings to strings")
        raw_changes = data.get("changes") or []
        if not isinstance(raw_changes, list):
            raise ValueError("changes must be a list")
        changes = []
        for item in raw_changes:
            if not isinstance(item, dict):
                raise ValueError("each change must be an object")
            changes.append(
                Change(
                    str(item.get("id", "")),
                    str(item.get("level", "")),
                    str(item.get("message", "")),
                    undecided=item.get("undecided") is True,
                )
            )
        return cls(
            published_at=text("published_at", optional=False) or "",
            publisher=text("publisher", optional=False) or "",
            git_sha=text("git_sha"),
            git_branch=text("git_branch"),
            labels=MappingProxyType(dict(labels)),
            source=text("source"),
            previous=text("previous"),
            bump=text("bump") or "none",
            changes=tuple(changes),
        )


@dataclass(frozen=True, slots=True)
class Deprecation:
    at: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SubjectInfo:
    """A subject as ``registry list`` shows it."""

    name: str
    kind: str
    mode: Mode
    versions: tuple[SemVer, ...]
    """Ascending; never empty for a subject that exists."""
    deprecated: Mapping[str, Deprecation] = field(default_factory=lambda: MappingProxyType({}))
    """Version text -> its deprecation."""
    undecided: Level = DEFAULT_UNDECIDED
    """The level a publish or registration counts a change apigov cannot decide at: ``breaking``
    (refused) or ``warning`` (accepted; the change is recorded and reported as undecided)."""

    @property
    def latest(self) -> SemVer | None:
        return self.versions[-1] if self.versions else None


@dataclass(frozen=True, slots=True)
class StoredVersion:
    """One published version: the bundled content (UTF-8 text) and what was recorded with it."""

    subject: str
    version: SemVer
    kind: str
    format: str
    """``yaml`` or ``json`` (Avro schemas are JSON)."""
    content: bytes
    digest: str
    """``sha256:<hex>`` of ``content``."""
    meta: VersionMeta


class PutResult(StrEnum):
    CREATED = "created"
    UNCHANGED = "unchanged"
    """The version already holds exactly this content: nothing was written."""


@dataclass(frozen=True, slots=True)
class NewVersion:
    """The arguments of one :meth:`RegistryBackend.put_version`, as a backend's ``store_version`` gets them."""

    subject: str
    version: SemVer
    kind: str
    content_format: str
    content: bytes
    digest: str
    meta: VersionMeta
    expected_latest: SemVer | None
    mode: Mode


def check_put(new: NewVersion) -> None:
    """The arguments of :meth:`RegistryBackend.put_version` every backend refuses before storing."""
    check_subject(new.subject)
    if new.kind not in KINDS:
        raise RegistryError(f"unknown contract kind {new.kind!r}")
    if new.content_format not in ("yaml", "json"):
        raise RegistryError(f"unknown content format {new.content_format!r}")


def settle_put(
    new: NewVersion,
    *,
    latest: SemVer | None,
    stored_digest: str | None,
    stored_kind: str | None,
    source: str,
) -> PutResult | None:
    """The compare-and-set of :meth:`RegistryBackend.put_version`, decided from what a backend read
    under its lock or in its transaction: :attr:`PutResult.UNCHANGED`, ``None`` (store it), or the
    error. One decision for every backend, so they refuse the same things in the same order."""
    subject, version, kind, expected_latest = new.subject, new.version, new.kind, new.expected_latest
    if stored_digest is not None and stored_digest == new.digest:
        return PutResult.UNCHANGED
    if latest != expected_latest:
        raise StaleLatest(
            f"{subject}: the latest version is {latest or 'none'}, not {expected_latest or 'none'}",
            hint="another publish came first; judge against the new latest and retry",
        )
    if stored_digest is not None:
        raise VersionExists(
            f"{subject}@{version} is already published with other content",
            source=source,
            hint="versions are immutable: publish a new version",
        )
    if stored_kind is not None and stored_kind != kind:
        raise RegistryError(
            f"subject {subject!r} holds {stored_kind} contracts, not {kind}",
            hint="publish it under another subject",
        )
    if latest is not None and version <= latest:
        raise RegistryError(
            f"{subject}@{version} is not above the latest version {latest}",
            hint="versions of a subject only grow",
        )
    return None


class RegistryBackend(Protocol):
    """Where subjects and versions live. Implementations: ``filesystem.DirectoryBackend`` (this
    package), ``postgres.PostgresBackend`` and HTTP (to come). Reads return snapshots; writes are atomic.

    Errors: :class:`~apigov.core.errors.UnknownSubject` for a subject or version that does not
    exist; :class:`~apigov.core.errors.VersionExists` for a version that holds other content;
    :class:`~apigov.core.errors.StaleLatest` when a compare-and-set loses; :class:`~apigov.core.errors.BackendUnavailable`
    when the store cannot be reached; :class:`~apigov.core.errors.RegistryError` for anything else.
    """

    @property
    def location(self) -> str:
        """Where the registry is, for messages (a directory, a URL without credentials)."""
        ...

    def list_subjects(self) -> Sequence[SubjectInfo]:
        """Every subject, sorted by name."""
        ...

    def subject(self, name: str) -> SubjectInfo:
        """One subject (raises ``UnknownSubject``)."""
        ...

    def get_version(self, subject: str, version: SemVer) -> StoredVersion:
        """One version's content and metadata (raises ``UnknownSubject`` for a missing subject or version)."""
        ...

    def put_version(
        self,
        subject: str,
        version: SemVer,
        *,
        kind: str,
        content_format: str,
        content: bytes,
        digest: str,
        meta: VersionMeta,
        expected_latest: SemVer | None,
        mode: Mode = DEFAULT_MODE,
    ) -> PutResult:
        """Store ``version`` atomically, as one compare-and-set:

        - ``version`` already stored with the same ``digest``: :attr:`PutResult.UNCHANGED`
          (whatever ``expected_latest`` is);
        - the subject's latest version is not ``expected_latest`` (``None``: the subject must not
          exist yet): ``StaleLatest``, nothing written (checked before the next point, so two
          publishers that chose the same next version are told to judge again, not refused);
        - ``version`` already stored with another digest: ``VersionExists``;
        - the subject exists with another ``kind``: ``RegistryError``;
        - ``version`` not above the latest: ``RegistryError``;
        - otherwise the version is stored (the subject created with ``kind`` and ``mode`` when it
          is the first) and :attr:`PutResult.CREATED` returned. Either all of it is visible
          afterwards or none of it.
        """
        new = NewVersion(subject, version, kind, content_format, content, digest, meta, expected_latest, mode)
        return self.store_version(new)

    def store_version(self, new: NewVersion) -> PutResult:
        """:meth:`put_version` as each backend implements it (backends subclass this protocol)."""
        ...

    def set_mode(self, subject: str, mode: Mode) -> None:
        """Change a subject's compatibility mode (raises ``UnknownSubject``)."""
        ...

    def set_undecided(self, subject: str, level: Level) -> None:
        """Change the level a subject's publishes count an undecided change at (one of
        :data:`UNDECIDED_LEVELS`; raises ``UnknownSubject``)."""
        ...

    def deprecate(self, subject: str, version: SemVer, deprecation: Deprecation | None) -> None:
        """Mark a version deprecated, or with ``None`` not deprecated (raises ``UnknownSubject``)."""
        ...
