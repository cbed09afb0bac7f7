"""The directory backend: a registry kept as plain files, readable in a code review and in git.

Layout (``contracts/`` by default)::

    contracts/
      .gitignore                   ignores the lock files and unfinished temporary files
      .apigov-migrations.json      the schema migrations applied (apigov.registry.migrations)
      orders-api/
        subject.json               kind, mode, undecided level (when set), the versions (with
                                   digest and file), deprecations
        1.0.0.yaml                 the bundled, self-contained contract of version 1.0.0
        1.0.0.meta.json            when, who, git sha and branch, labels, bump, changes
        1.1.0.yaml
        1.1.0.meta.json
      shop.orders.order-created-value/
        subject.json
        1.0.0.json  1.0.0.meta.json

``subject.json`` is the commit point: a version exists when it is listed there. A publish writes
the contract, then its metadata, then ``subject.json``, each as a temporary file that is written,
flushed to disk (``fsync``) and renamed over its name, with the directory synced after the
renames. A publisher killed at any moment therefore leaves either the old ``subject.json`` (and
at most an unlisted contract or metadata file, replaced by the next publish of that version, or a
temporary file, removed by the next writer) or the new one with everything it lists on disk.

Writers of one subject take an exclusive ``fcntl.flock`` on ``<subject>/.lock`` for the whole
read-check-write, which makes :meth:`DirectoryBackend.put_version` a compare-and-set. The kernel
drops the lock when a writer dies, so a killed publisher never blocks the next one. Readers take
no lock: every file they read is replaced whole by a rename. Local file systems only (``flock``
over NFS is not reliable).

Test hook: with ``APIGOV_REGISTRY_TEST_PAUSE=STEP:FILE`` a writer creates ``FILE`` and sleeps at
``STEP`` (``content-half-written``, ``content-written``, ``meta-written``, ``index-half-written``),
so a test can kill it there deterministically.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO, Final

from apigov.core.atomic import write_bytes_atomic
from apigov.core.errors import (
    BackendUnavailable,
    InputError,
    RegistryError,
    UnknownSubject,
)
from apigov.core.findings import Level
from apigov.registry.base import (
    DEFAULT_UNDECIDED,
    KINDS,
    Deprecation,
    NewVersion,
    PutResult,
    RegistryBackend,
    SemVer,
    StoredVersion,
    SubjectInfo,
    VersionMeta,
    check_put,
    check_subject,
    digest_of,
    parse_undecided,
    parse_version,
    settle_put,
)
from apigov.registry.crash_hook import pause as _pause
from apigov.registry.migrations import ledger
from apigov.schema.modes import Mode

__all__ = ["DirectoryBackend"]

SUBJECT_FILE: Final = "subject.json"
LOCK_FILE: Final = ".lock"
SUBJECT_SCHEMA: Final = "apigov-registry-subject/1"
META_SCHEMA: Final = "apigov-registry-version/1"
_GITIGNORE: Final = "# written by apigov: lock files and unfinished writes\n.lock\n.*.tmp\n"
_MAX_INDEX_BYTES: Final = 16 * 1024 * 1024


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, data: bytes, *, half_step: str | None = None) -> None:
    """Write ``data`` atomically; ``half_step`` names a crash-test pause half-way through."""
    if half_step is None:
        write_bytes_atomic(path, data)
        return

    def write_in_halves(handle: BinaryIO, whole: bytes) -> None:
        handle.write(whole[: len(whole) // 2])
        handle.flush()
        _pause(half_step)
        handle.write(whole[len(whole) // 2 :])

    write_bytes_atomic(path, data, write=write_in_halves)


def _json_bytes(value: object) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


def _suffix(kind: str, content_format: str) -> str:
    if content_format == "json":
        return ".avsc" if kind == "avro" else ".json"
    return ".yaml"


@dataclass(frozen=True, slots=True)
class _Loaded:
    """A subject index as read from disk, and what it says."""

    data: dict[str, object]
    info: SubjectInfo


class DirectoryBackend(RegistryBackend):
    """A :class:`~apigov.registry.base.RegistryBackend` on a local directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._checked = False
        self._migrated = False

    def _readable(self) -> None:
        """Refuse, once per backend, a registry that a newer apigov migrated."""
        if not self._checked:
            ledger.check_known(self.root)
            self._checked = True

    def _writable(self) -> None:
        """Apply the pending migrations (:mod:`apigov.registry.migrations`), once per backend."""
        if not self._migrated:
            ledger.migrate(self.root)
            self._checked = self._migrated = True

    @property
    def location(self) -> str:
        return str(self.root)

    # ------------------------------------------------------------------ reading

    def list_subjects(self) -> Sequence[SubjectInfo]:
        self._readable()
        try:
            entries = list(os.scandir(self.root))
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise BackendUnavailable(
                f"cannot read the registry: {exc.strerror or exc}", source=str(self.root)
            ) from exc
        found: list[SubjectInfo] = []
        for entry in entries:
            name = entry.name
            if name.startswith(".") or not entry.is_dir(follow_symlinks=False):
                continue
            try:
                check_subject(name)
            except InputError:  # a directory that is no subject is not listed
                continue
            loaded = self._read_index(name, missing_ok=True)
            if loaded is not None:
                found.append(loaded.info)
        found.sort(key=lambda info: info.name)
        return found

    def subject(self, name: str) -> SubjectInfo:
        check_subject(name)
        loaded = self._read_index(name, missing_ok=True)
        if loaded is None:
            raise self._unknown(name)
        return loaded.info

    def get_version(self, subject: str, version: SemVer) -> StoredVersion:
        loaded = self._read_index(check_subject(subject), missing_ok=True)
        if loaded is None:
            raise self._unknown(subject)
        info_index = loaded.data
        entry = self._entry(info_index, version)
        if entry is None:
            raise UnknownSubject(
                f"subject {subject!r} has no version {version}",
                source=str(self.root),
                hint=f"'apigov registry versions {subject}' lists them",
            )
        directory = self.root / subject
        file_name = str(entry["file"])
        try:
            content = (directory / file_name).read_bytes()
            meta_data = json.loads((directory / f"{version}.meta.json").read_bytes())
            meta = VersionMeta.from_json(meta_data)
        except (OSError, ValueError) as exc:
            raise RegistryError(
                f"version {version} of {subject!r} is unreadable: {exc}",
                source=str(directory),
                hint="restore the subject's directory from version control",
            ) from exc
        digest = str(entry["digest"])
        if digest_of(content) != digest:
            raise RegistryError(
                f"{subject}@{version}: {directory / file_name} does not match the digest it was "
                f"published with ({digest[:19]}...): a published version never changes",
                source=str(directory),
                hint="restore the file from version control; publish a new version for new content",
            )
        return StoredVersion(
            subject=subject,
            version=version,
            kind=str(info_index["kind"]),
            format=str(meta_data.get("format", "yaml")),
            content=content,
            digest=digest,
            meta=meta,
        )

    # ------------------------------------------------------------------ writing

    def store_version(self, new: NewVersion) -> PutResult:
        subject, version, kind, content = new.subject, new.version, new.kind, new.content
        check_put(new)
        with self._locked(subject, create=True) as directory:
            loaded = self._read_index(subject, missing_ok=True)
            index = loaded.data if loaded is not None else None
            entry = self._entry(index, version) if index is not None else None
            settled = settle_put(
                new,
                latest=loaded.info.latest if loaded is not None else None,
                stored_digest=str(entry["digest"]) if entry is not None else None,
                stored_kind=str(index["kind"]) if index is not None else None,
                source=str(self.root),
            )
            if settled is not None:
                return settled
            file_name = f"{version}{_suffix(kind, new.content_format)}"
            _write_atomic(directory / file_name, content, half_step="content-half-written")
            _pause("content-written")
            meta_json = {
                "apigov": META_SCHEMA,
                "subject": subject,
                "version": str(version),
                "kind": kind,
                "format": new.content_format,
                "file": file_name,
                "digest": new.digest,
                "size": len(content),
                **new.meta.to_json(),
            }
            _write_atomic(directory / f"{version}.meta.json", _json_bytes(meta_json))
            _pause("meta-written")
            if index is None:
                index = {
                    "apigov": SUBJECT_SCHEMA,
                    "subject": subject,
                    "kind": kind,
                    "mode": new.mode.value,
                    "versions": [],
                    "deprecated": {},
                }
            versions = index["versions"]
            assert isinstance(versions, list)
            versions.append({"version": str(version), "digest": new.digest, "file": file_name})
            self._write_index(directory, index, half_step="index-half-written")
            return PutResult.CREATED

    def set_mode(self, subject: str, mode: Mode) -> None:
        self._set(subject, "mode", mode.value)

    def set_undecided(self, subject: str, level: Level) -> None:
        self._set(subject, "undecided", parse_undecided(level.value).value)

    def _set(self, subject: str, key: str, value: str) -> None:
        """Set one setting of the subject's index (``mode``, ``undecided``)."""
        check_subject(subject)
        with self._locked(subject, create=False) as directory:
            loaded = self._read_index(subject, missing_ok=True)
            if loaded is None:
                raise self._unknown(subject)
            index = loaded.data
            index[key] = value
            self._write_index(directory, index)

    def deprecate(self, subject: str, version: SemVer, deprecation: Deprecation | None) -> None:
        check_subject(subject)
        with self._locked(subject, create=False) as directory:
            loaded = self._read_index(subject, missing_ok=True)
            if loaded is None:
                raise self._unknown(subject)
            index = loaded.data
            if self._entry(index, version) is None:
                raise UnknownSubject(f"subject {subject!r} has no version {version}", source=str(self.root))
            marks = index.setdefault("deprecated", {})
            assert isinstance(marks, dict)
            if deprecation is None:
                marks.pop(str(version), None)
            else:
                marks[str(version)] = {"at": deprecation.at, "reason": deprecation.reason}
            self._write_index(directory, index)

    # ------------------------------------------------------------------ helpers

    def _unknown(self, name: str) -> UnknownSubject:
        return UnknownSubject(
            f"unknown subject {name!r} in the registry at {self.root}",
            hint="'apigov registry list' shows the subjects",
        )

    @contextlib.contextmanager
    def _locked(self, subject: str, *, create: bool) -> Iterator[Path]:
        directory = self.root / subject
        if create or self.root.is_dir():
            self._writable()
        try:
            if create:
                fresh = not self.root.exists()
                directory.mkdir(parents=True, exist_ok=True)
                if fresh or not (self.root / ".gitignore").exists():
                    with contextlib.suppress(OSError):
                        _write_atomic(self.root / ".gitignore", _GITIGNORE.encode())
            elif not (directory / SUBJECT_FILE).is_file():
                raise self._unknown(subject)
            fd = os.open(directory / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise BackendUnavailable(
                f"cannot write to the registry: {exc.strerror or exc}", source=str(self.root)
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._sweep(directory)
            yield directory
            _fsync_dir(directory)
        finally:
            os.close(fd)  # closing drops the lock

    @staticmethod
    def _sweep(directory: Path) -> None:
        """Remove temporary files a killed writer left (only lock holders write them)."""
        for entry in os.scandir(directory):
            if entry.name.startswith(".") and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    Path(entry.path).unlink()

    def _read_index(self, subject: str, *, missing_ok: bool) -> _Loaded | None:
        self._readable()
        path = self.root / subject / SUBJECT_FILE
        try:
            with path.open("rb") as handle:
                raw = handle.read(_MAX_INDEX_BYTES + 1)
        except FileNotFoundError:
            if missing_ok:
                return None
            raise self._unknown(subject) from None
        except NotADirectoryError:
            return None
        except OSError as exc:
            raise BackendUnavailable(f"cannot read {path}: {exc.strerror or exc}") from exc
        try:
            if len(raw) > _MAX_INDEX_BYTES:
                raise ValueError("the file is too large")
            index = json.loads(raw)
            info = self._validate_index(subject, index)
        except ValueError as exc:
            raise RegistryError(
                f"{SUBJECT_FILE} of {subject!r} is not a valid subject index: {exc}",
                source=str(path),
                hint="restore it from version control",
            ) from exc
        assert isinstance(index, dict)
        return _Loaded(index, info)

    @staticmethod
    def _validate_index(subject: str, index: object) -> SubjectInfo:
        """Check an index read from disk and build its :class:`SubjectInfo` in one pass."""
        if not isinstance(index, dict) or index.get("apigov") != SUBJECT_SCHEMA:
            raise ValueError(f'expected an object with "apigov": "{SUBJECT_SCHEMA}"')
        if index.get("subject") != subject:
            raise ValueError(f"it names subject {index.get('subject')!r}")
        if index.get("kind") not in KINDS:
            raise ValueError(f"unknown kind {index.get('kind')!r}")
        mode = Mode.parse(str(index.get("mode", "")))
        undecided = index.get("undecided", DEFAULT_UNDECIDED.value)  # absent before migration 30
        if undecided not in ("warning", "breaking"):
            raise ValueError(f"unknown undecided level {undecided!r}")
        versions = index.get("versions")
        if not isinstance(versions, list):
            raise ValueError("versions must be a list")
        parsed: list[SemVer] = []
        for entry in versions:
            if not isinstance(entry, dict):
                raise ValueError("each version must be an object")
            text, digest, file_name = entry.get("version"), entry.get("digest"), entry.get("file")
            if not isinstance(text, str) or not isinstance(digest, str) or not isinstance(file_name, str):
                raise ValueError("each version needs version, digest and file")
            parsed.append(parse_version(text))
            if "/" in file_name or "\\" in file_name or file_name.startswith("."):
                raise ValueError(f"version file {file_name!r} is not a plain file name")
        marks = index.get("deprecated") or {}
        if not isinstance(marks, dict):
            raise ValueError("deprecated must be an object")
        deprecated = {
            str(v): Deprecation(at=str(d.get("at", "")), reason=str(d.get("reason", "")))
            for v, d in marks.items()
            if isinstance(d, dict)
        }
        return SubjectInfo(
            name=subject,
            kind=str(index["kind"]),
            mode=mode,
            versions=tuple(sorted(parsed)),
            deprecated=MappingProxyType(deprecated),
            undecided=Level(undecided),
        )

    def _write_index(
        self, directory: Path, index: Mapping[str, object], *, half_step: str | None = None
    ) -> None:
        _write_atomic(directory / SUBJECT_FILE, _json_bytes(index), half_step=half_step)

    @staticmethod
    def _entry(index: Mapping[str, object], version: SemVer) -> Mapping[str, object] | None:
        versions = index["versions"]
        assert isinstance(versions, list)
        text = str(version)
        for entry in versions:
            if entry["version"] == text:
                return entry  # type: ignore[no-any-return]
        return None
