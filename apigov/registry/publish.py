"""``apigov publish`` as one library call: :func:`publish`.

The file is loaded safely and bundled (external ``$ref`` internalised), so every version is
self-contained, and validated as ``apigov check`` validates it (structure only: lint findings
never block a publish); an invalid contract is an input error. The stored content is the bundle
written out (YAML, or JSON for ``.json`` and ``.avsc`` files) and its digest is the sha256 of
those bytes; whether content is *the same* as a stored version is decided by the canonical digest
(:mod:`apigov.registry.canonical`: key order, YAML or JSON and number spelling do not count). An
earlier version that cannot be read or is not valid (stored by an older apigov, or edited by hand)
is left out of the judgement with a warning, so its subject stays publishable. The policy
(:mod:`apigov.registry.policy`) judges it against the versions the subject's mode names, the
version is chosen (``--bump auto``: the smallest the policy allows), and the backend stores it with
a compare-and-set on the latest version it was judged against. A change apigov cannot decide
counts at the subject's undecided level (``breaking`` unless the subject relaxed it to
``warning``; ``apigov registry set-undecided``). When another publisher came
first, the publish is judged again against the new latest (at most :data:`MAX_ATTEMPTS` times).
"""

from __future__ import annotations

import contextlib
import dataclasses
import random
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Final, Protocol, runtime_checkable

from apigov.config.project import Config
from apigov.core.errors import (
    ApigovError,
    InputError,
    RegistryError,
    StaleLatest,
    UnknownSubject,
    VersionExists,
)
from apigov.documents.bundle import bundle
from apigov.documents.document import Format
from apigov.documents.dump import dump_text
from apigov.documents.kinds import NO_HINT, KindHint, detect_kind
from apigov.documents.limits import DEFAULT_LIMITS
from apigov.documents.load import parse_text
from apigov.documents.refs import RefPolicy, Workspace
from apigov.registry import provenance
from apigov.registry.base import (
    DEFAULT_MODE,
    DEFAULT_UNDECIDED,
    KINDS,
    PutResult,
    RegistryBackend,
    SemVer,
    StoredVersion,
    SubjectInfo,
    VersionMeta,
    check_subject,
    digest_of,
    parse_version,
)
from apigov.registry.canonical import canonical_digest
from apigov.registry.policy import BUMPS, Contract, Judgement, earlier_needed, judge
from apigov.registry.stored import contract_of
from apigov.schema.modes import Mode

__all__ = ["BUMP_CHOICES", "MAX_ATTEMPTS", "PublishOutcome", "PublishRequest", "RemotePublisher", "publish"]

MAX_ATTEMPTS: Final = 64
BUMP_CHOICES: Final = ("auto", *BUMPS)
FIRST_VERSION: Final = SemVer(1, 0, 0)


@dataclass(frozen=True, slots=True)
class PublishRequest:
    file: Path
    subject: str
    version: str | None = None
    """An explicit ``X.Y.Z``; ``None``: chosen by ``bump``."""
    bump: str = "auto"
    """``auto`` (the smallest the policy allows), ``major``, ``minor`` or ``patch``."""
    dry_run: bool = False
    mode: Mode | None = None
    """The mode of a subject this publish creates (``None``: BACKWARD); ignored for an existing one."""
    labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    publisher: str | None = None
    git_sha: str | None = None
    git_branch: str | None = None
    allow_remote_refs: bool = False
    allow_ref_outside: bool = False
    source: str | None = None
    """The file name recorded in the metadata (``None``: ``file``)."""
    kind: str | None = None
    """``--kind``: the kind family ``file`` is read as (``None``: the subject's, else apigov.yaml's,
    else detected)."""


@dataclass(frozen=True, slots=True)
class PublishOutcome:
    """What happened. ``status``: ``published``, ``unchanged`` (this content is already that
    version), ``refused`` (the policy said no: ``reasons`` say why) or ``dry-run`` (would publish)."""

    status: str
    subject: str
    kind: str
    mode: Mode
    version: SemVer | None
    previous: SemVer | None
    digest: str
    required_bump: str | None = None
    reasons: tuple[str, ...] = ()
    judgement: Judgement | None = None
    attempts: int = 1
    canonical_digest: str = ""
    """The digest of the canonical form (:mod:`apigov.registry.canonical`): equal for the same data."""
    warnings: tuple[str, ...] = ()
    """Earlier versions left out of the judgement because they cannot be read or are invalid."""

    @property
    def refused(self) -> bool:
        return self.status == "refused"


@dataclass(frozen=True, slots=True)
class _Content:
    kind: str
    format: str
    text: bytes
    digest: str
    contract: Contract
    canonical: str


@runtime_checkable
class RemotePublisher(Protocol):
    """A backend whose store runs the publish policy itself (the HTTP backend: ``apigov serve``).

    :func:`publish` loads and bundles the file locally (its ``$ref`` are local files), then hands
    the bundled content over instead of judging it here."""

    def publish_content(
        self, request: PublishRequest, content_format: str, content: bytes
    ) -> PublishOutcome: ...


def load_content(
    file: Path,
    *,
    allow_remote_refs: bool,
    allow_ref_outside: bool,
    config: Config,
    hint: KindHint = NO_HINT,
) -> _Content:
    """Load, check and bundle ``file``; the canonical bytes to store and their digest."""
    policy = RefPolicy(
        allow_remote=allow_remote_refs or config.allow_remote_refs,
        allow_outside=allow_ref_outside or config.allow_ref_outside,
    )
    shown = str(file)
    try:
        is_file = file.is_file()
    except (OSError, ValueError) as exc:
        raise InputError("not a usable file name", source=shown) from exc
    if not is_file:
        raise InputError(
            "no such file" if not file.exists() else "not a file", source=shown, hint="name one contract file"
        )
    from apigov.lint.check import invalid_contract, structural_errors

    workspace = Workspace.open(file, source=shown, policy=policy, limits=DEFAULT_LIMITS)
    kind, spec_version = detect_kind(workspace.root.data, file, source=shown, hint=hint)
    workspace.check_all()
    bundled = bundle(workspace, kind)
    errors = structural_errors(workspace, kind, spec_version, bundled)
    if errors:
        raise invalid_contract(kind, errors, source=shown)
    data = bundled.document.data
    fmt: Format = "json" if file.suffix.lower() in (".json", ".avsc") else "yaml"
    text = dump_text(data, fmt).encode("utf-8")
    digest = digest_of(text)
    contract = Contract(label=shown, path=file, data=data, kind=kind)
    return _Content(kind.family, fmt, text, digest, contract, canonical_digest(data))


def _canonical_of(stored: StoredVersion) -> str | None:
    """The canonical digest of a stored version; ``None`` when its content cannot be parsed."""
    try:
        text = stored.content.decode("utf-8")
        fmt: Format = "json" if stored.format == "json" else "yaml"
        return canonical_digest(parse_text(text, fmt, source=f"{stored.subject}@{stored.version}"))
    except (UnicodeDecodeError, ApigovError):
        return None


def _same(stored: StoredVersion, content: _Content) -> bool:
    return stored.digest == content.digest or _canonical_of(stored) == content.canonical


def _in_format(content: _Content, fmt: str) -> _Content:
    """``content`` written as ``fmt`` (``json`` or ``yaml``), with its digest."""
    if fmt == content.format or fmt not in ("json", "yaml"):
        return content
    written: Format = "json" if fmt == "json" else "yaml"
    text = dump_text(content.contract.data, written).encode("utf-8")
    return dataclasses.replace(content, format=written, text=text, digest=digest_of(text))


def publish(backend: RegistryBackend, request: PublishRequest, config: Config) -> PublishOutcome:
    """Publish ``request.file`` as a version of ``request.subject`` (see the module docstring).

    Raises :class:`InputError` for bad input (file, subject, version, a kind the subject does not
    hold) and :class:`VersionExists` when the version holds other content; a policy refusal is an
    outcome, not an error.
    """
    subject = check_subject(request.subject)
    explicit = parse_version(request.version) if request.version is not None else None
    if request.bump not in BUMP_CHOICES:
        raise InputError(f"unknown bump {request.bump!r}", hint="use one of " + ", ".join(BUMP_CHOICES))
    hint = config.kind_hint(
        request.file, subject=subject, family=request.kind, fallback=_subject_kind(backend, subject)
    )
    config = dataclasses.replace(config, default_draft=hint.default_draft)  # the earlier versions' too
    content = load_content(
        request.file,
        allow_remote_refs=request.allow_remote_refs,
        allow_ref_outside=request.allow_ref_outside,
        config=config,
        hint=hint,
    )
    if content.kind not in KINDS:  # pragma: no cover - every detected kind has a family
        raise InputError(f"{content.kind} contracts cannot be published", source=str(request.file))
    if request.allow_remote_refs or request.allow_ref_outside:  # the diff of the new file needs them too
        config = dataclasses.replace(
            config,
            allow_remote_refs=config.allow_remote_refs or request.allow_remote_refs,
            allow_ref_outside=config.allow_ref_outside or request.allow_ref_outside,
        )
    if isinstance(backend, RemotePublisher):  # a registry server judges and stores it itself
        return backend.publish_content(request, content.format, content.text)
    meta_base = provenance.collect(
        request.file, publisher=request.publisher, git_sha=request.git_sha, git_branch=request.git_branch
    )
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            info: SubjectInfo | None = backend.subject(subject)
        except UnknownSubject:
            info = None
        outcome = _attempt(backend, request, config, subject, explicit, content, info, meta_base, attempt)
        if outcome is not None:
            return outcome
        time.sleep(random.uniform(0.0, 0.002 * attempt))  # noqa: S311 - jitter, not security
    raise RegistryError(
        f"{subject}: other publishes kept coming first ({MAX_ATTEMPTS} attempts)",
        hint="try again",
    )


def _subject_kind(backend: RegistryBackend, subject: str) -> str | None:
    """The kind family ``subject`` holds (``None``: a new subject, or a registry that cannot say)."""
    try:
        return backend.subject(subject).kind
    except ApigovError:
        return None


def _attempt(
    backend: RegistryBackend,
    request: PublishRequest,
    config: Config,
    subject: str,
    explicit: SemVer | None,
    content: _Content,
    info: SubjectInfo | None,
    meta_base: VersionMeta,
    attempt: int,
) -> PublishOutcome | None:
    """One judge-and-store; ``None`` when the compare-and-set lost and the caller should retry."""
    mode = info.mode if info is not None else (request.mode or DEFAULT_MODE)
    undecided = info.undecided if info is not None else DEFAULT_UNDECIDED  # a first version judges nothing
    latest = info.latest if info is not None else None
    if latest is not None:  # a subject keeps one format: the same data as JSON or YAML is the same
        content = _in_format(content, backend.get_version(subject, latest).format)

    def outcome(status: str, version: SemVer | None, **more: object) -> PublishOutcome:
        return PublishOutcome(
            status=status,
            subject=subject,
            kind=content.kind,
            mode=mode,
            version=version,
            previous=latest,
            digest=content.digest,
            attempts=attempt,
            canonical_digest=content.canonical,
            warnings=tuple(warnings),
            **more,  # type: ignore[arg-type]
        )

    warnings: list[str] = []

    if info is not None and info.kind != content.kind:
        raise InputError(
            f"subject {subject!r} holds {info.kind} contracts; {request.file} is {content.kind}",
            hint="publish it under another subject",
        )
    if info is not None and explicit is not None and explicit in info.versions:
        stored = backend.get_version(subject, explicit)
        if _same(stored, content):
            return dataclasses.replace(outcome("unchanged", explicit), digest=stored.digest)
        raise VersionExists(
            f"{subject}@{explicit} is already published with other content",
            source=request.source or str(request.file),
            hint="versions are immutable: publish a new version",
        )
    if latest is not None and explicit is None:
        stored = backend.get_version(subject, latest)
        if _same(stored, content):
            return dataclasses.replace(outcome("unchanged", latest), digest=stored.digest)
    with _earlier(backend, subject, info, mode, warnings) as (earlier, temp):
        try:
            judgement = judge(content.kind, mode, earlier, content.contract, config, undecided)
        except ApigovError as exc:  # never name the temporary directory the versions were written to
            for shown in (temp, str(Path(temp).resolve())):
                exc.message = exc.message.replace(shown + "/", "")
                if exc.source is not None:
                    exc.source = exc.source.replace(shown + "/", "")
            raise
    reasons: list[str] = []
    for failure in judgement.failures:
        broken = [c for c in failure.changes if c.level == "breaking"]
        reasons.append(
            f"breaks {mode.value} compatibility with {failure.against} ({failure.direction}): "
            f"{len(broken)} breaking change{'s' if len(broken) != 1 else ''}"
        )
    required = judgement.required_bump
    version = _choose(request, explicit, latest, required, reasons)
    if reasons:
        return outcome(
            "refused", version, required_bump=required, reasons=tuple(reasons), judgement=judgement
        )
    assert version is not None
    if request.dry_run:
        return outcome("dry-run", version, required_bump=required, judgement=judgement)
    meta = VersionMeta(
        published_at=meta_base.published_at,
        publisher=meta_base.publisher,
        git_sha=meta_base.git_sha,
        git_branch=meta_base.git_branch,
        labels=MappingProxyType(dict(request.labels)),
        source=request.source or str(request.file),
        previous=str(latest) if latest is not None else None,
        bump=version.bump_from(latest) if latest is not None else "none",
        changes=judgement.changes,
    )
    try:
        result = backend.put_version(
            subject,
            version,
            kind=content.kind,
            content_format=content.format,
            content=content.text,
            digest=content.digest,
            meta=meta,
            expected_latest=latest,
            mode=mode,
        )
    except StaleLatest:
        return None
    except VersionExists:
        if explicit is None:  # another publish took the version chosen here first: judge again
            return None
        raise
    status = "published" if result is PutResult.CREATED else "unchanged"
    return outcome(status, version, required_bump=required, judgement=judgement)


def _choose(
    request: PublishRequest, explicit: SemVer | None, latest: SemVer | None, required: str, reasons: list[str]
) -> SemVer | None:
    """The version to publish; a semver refusal is added to ``reasons``."""
    if latest is None:
        return explicit or FIRST_VERSION
    if explicit is not None:
        if explicit <= latest:
            reasons.append(f"version {explicit} is not above the latest version {latest}")
            return explicit
        given = explicit.bump_from(latest)
        if BUMPS.index(given) < BUMPS.index(required):
            reasons.append(
                f"semver: the changes since {latest} need a {required} bump, and {latest} -> {explicit} "
                f"is a {given} bump; publish {latest.bump(required)} or higher"
            )
        return explicit
    if request.bump == "auto":
        return latest.bump(required)
    if BUMPS.index(request.bump) < BUMPS.index(required):
        reasons.append(
            f"semver: the changes since {latest} need a {required} bump, not {request.bump}; "
            f"publish with --bump {required} (or --bump auto)"
        )
    return latest.bump(request.bump)


@contextlib.contextmanager
def _earlier(
    backend: RegistryBackend, subject: str, info: SubjectInfo | None, mode: Mode, warnings: list[str]
) -> Iterator[tuple[list[Contract], str]]:
    """The earlier versions the mode names, as contracts in a temporary directory (and its path);
    one that cannot be read or is not valid is left out, with a warning in ``warnings``."""
    if info is None:
        yield [], ""
        return
    with tempfile.TemporaryDirectory(prefix="apigov-registry-") as temp:
        contracts: list[Contract] = []
        for version in earlier_needed(mode, info.versions):
            problem = _stored_problem(backend, subject, version, Path(temp), contracts)
            if problem is not None:
                warnings.append(
                    f"{subject}@{version} in the registry {problem}; it is left out of the compatibility check"
                )
        yield contracts, temp


def _stored_problem(
    backend: RegistryBackend, subject: str, version: SemVer, directory: Path, contracts: list[Contract]
) -> str | None:
    """Append the stored version to ``contracts`` when it is a valid contract, else say why not."""
    from apigov.lint.check import structural_errors

    label = f"{subject}@{version}"
    try:
        contract = contract_of(backend.get_version(subject, version), directory)
        workspace = Workspace.open(contract.path, source=label, limits=DEFAULT_LIMITS)
        hint = KindHint(fallback=contract.kind.family)
        kind, spec_version = detect_kind(workspace.root.data, contract.path, source=label, hint=hint)
        workspace.check_all()
        errors = structural_errors(workspace, kind, spec_version, bundle(workspace, kind))
    except ApigovError as exc:
        return "cannot be read: " + exc.message.replace(str(directory.resolve()) + "/", "")
    if errors:
        first = errors[0]
        where = f" at {first.location.pointer}" if first.location.pointer else ""
        return f"is not a valid contract ({first.message}{where})"
    contracts.append(contract)
    return None
