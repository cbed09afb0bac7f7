"""``apigov diff`` as a library call: two contracts in, a :class:`~apigov.core.findings.Report` out.

The one pipeline of ``diff``, ``changelog``, ``publish``, ``registry diff`` and the server:
every spec becomes a :class:`~apigov.documents.sources.Source` that carries its display name from
the start (files, ``git:REV:path``, and registry references through the registry layer's
opener), the engine is chosen by kind (OpenAPI checks here, event schemas in
:mod:`apigov.rules.event_pipeline`), and the configuration (``diff.rules``, ``diff.overrides``), the
ignore file and the ordering are applied by one :class:`Policy`, whatever the engine.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Final

from apigov.config.project import Config
from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.errors import ConfigError, DocumentError
from apigov.core.findings import DocumentInfo, Finding, Level, Report
from apigov.diff.openapi import diff_bundles
from apigov.diff.shape import first_misshapen
from apigov.documents.bundle import bundle
from apigov.documents.kinds import NO_HINT, Kind, KindHint, detect_kind
from apigov.documents.limits import DEFAULT_LIMITS, Limits
from apigov.documents.refs import RefPolicy, RefSite, Workspace
from apigov.documents.sources import Source, SourceOpener, materialise, repository_path
from apigov.rules.catalogue import BY_ID, RULES
from apigov.rules.context import CheckContext, DiffOptions, Side
from apigov.rules.ignore import load_ignore_file
from apigov.rules.openapi import document
from apigov.rules.policy import KNOWN_IDS as _KNOWN_IDS
from apigov.rules.policy import Policy
from apigov.rules.rule import Check, Tier

_OPENAPI = frozenset({Kind.SWAGGER_2, Kind.OPENAPI_30, Kind.OPENAPI_31})


@dataclass(frozen=True, slots=True)
class DiffRequest:
    base: str
    revision: str
    ignore: Path | None = None
    allow_remote_refs: bool = False
    allow_ref_outside: bool = False
    strict_open_model: bool | None = None
    today: date | None = None
    limits: Limits = DEFAULT_LIMITS
    cwd: Path | None = None
    mode: str | None = None
    """The compatibility mode for event schemas (``None``: BACKWARD, per message for AsyncAPI)."""
    more: tuple[str, ...] = ()
    """Later versions after ``revision`` (event schemas only; the last one is judged)."""
    undecided: str | None = None
    """The level of an undecided change (``warning``/``breaking``; ``None``: ``diff.undecided``
    of apigov.yaml, else ``warning``)."""
    tier: str | None = None
    """The compatibility tier (``wire``/``sdk``; ``None``: ``diff.tier`` of apigov.yaml, else
    ``wire``, which the report then does not name)."""
    kind: str | None = None
    """The kind family every spec is read as (``--kind``; ``None``: detected, else apigov.yaml's)."""
    opener: SourceOpener | None = None
    """How a spec becomes a source (default: files and ``git:REV:path``; the registry layer's
    :func:`~apigov.registry.refs.ref_opener` adds ``SUBJECT@VERSION``)."""


@dataclass(slots=True)
class Loaded:
    side: Side
    info: DocumentInfo
    workspace: Workspace
    spec_version: str


def diff_sources(request: DiffRequest, config: Config, *, version: str = "") -> Report:
    """Compare two contracts (or more event schema versions) and judge every change."""
    with _young_collections():
        return _diff_sources(request, config, version)


_GC_LOCK: Final = threading.Lock()
_gc_users = 0
_gc_saved: tuple[int, int, int] = (0, 0, 0)


@contextmanager
def _young_collections() -> Iterator[None]:
    """No full garbage collection while diffs run (young ones go on as usual).

    A diff keeps two parsed documents and the engine's memory alive (millions of objects, none
    of them garbage until the diff ends); every full collection walks them all: on Stripe
    v77 -> v102, 13 full collections took a third of the diff's CPU time. Young collections
    still free the short-lived cycles, so the peak memory is unchanged. The thresholds are the
    process's: the first of concurrent diffs sets them, the last one restores them."""
    global _gc_users, _gc_saved
    with _GC_LOCK:
        if _gc_users == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(_gc_saved[0], _gc_saved[1], 1 << 30)
        _gc_users += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc_users -= 1
            if _gc_users == 0:
                gc.set_threshold(*_gc_saved)


def _diff_sources(request: DiffRequest, config: Config, version: str) -> Report:
    ref_policy = RefPolicy(
        allow_remote=request.allow_remote_refs or config.allow_remote_refs,
        allow_outside=request.allow_ref_outside or config.allow_ref_outside,
    )
    _check_rule_settings(config)
    ignore_path = request.ignore or config.diff_ignore
    ignores = load_ignore_file(ignore_path, known_ids=_KNOWN_IDS) if ignore_path is not None else None
    opener = request.opener or _file_opener(request)
    with ExitStack() as stack:
        sources: list[Source] = []
        sides = []
        for spec in (request.base, request.revision, *request.more):
            source = stack.enter_context(opener(spec))
            sources.append(source)
            hint = config.kind_hint(
                _config_file(source, config, request.cwd),
                subject=source.subject,
                family=request.kind,
                fallback=source.kind or ("jsonschema" if request.mode is not None or request.more else None),
            )
            sides.append(_load(source, ref_policy, request.limits, hint))
        options = DiffOptions(
            strict_open_model=config.diff_strict_open_model
            if request.strict_open_model is None
            else request.strict_open_model,
            today=request.today or date.today(),
        )
        files = tuple(_config_file(source, config, request.cwd) for source in sources[-2:])
        undecided = Level(request.undecided or config.diff_undecided or Level.WARNING.value)
        chosen_tier = request.tier or config.diff_tier
        policy = Policy(
            config=config,
            ignores=ignores,
            today=options.today,
            files=files,
            undecided=undecided,
            tier=Tier(chosen_tier or Tier.WIRE.value),
        )
        if request.more or any(s.side.kind not in _OPENAPI for s in sides):  # event schemas
            from apigov.rules.event_pipeline import EventVersion, diff_events, parse_mode

            mode = parse_mode(request.mode)
            versions = [EventVersion(s.side, s.info, s.workspace, s.spec_version) for s in sides]
            report = diff_events(versions, mode=mode, options=options, policy=policy, version=version)
            return replace(report, tier=chosen_tier)
        old, new = sides
        _comparable(old, new)
        tree = diff_bundles(old.side.bundled, old.side.kind, new.side.bundled, new.side.kind)
        ctx = CheckContext(
            tree=tree, base=old.side, revision=new.side, catalogue=BY_ID, tier=policy.tier, options=options
        )
        kept, suppressed = _run(ctx, policy)
    return Report(
        command="diff",
        findings=tuple(policy.ordered(kept)),
        documents=(old.info, new.info),
        tool_version=version,
        rule_summaries=MappingProxyType({rule.id: rule.summary for rule in RULES}),
        suppressed=tuple(suppressed),
        tier=chosen_tier,
    )


def _file_opener(request: DiffRequest) -> SourceOpener:
    def open_file(spec: str) -> AbstractContextManager[Source]:
        return materialise(spec, cwd=request.cwd, limits=request.limits)

    return open_file


def _check_rule_settings(config: Config) -> None:
    overridden = [rule_id for override in config.diff_overrides for rule_id in override.rules]
    for rule_id in (*config.diff_rules, *overridden):
        if rule_id not in _KNOWN_IDS:
            line = config.rule_lines.get(rule_id)
            raise ConfigError(
                f"diff.{'rules' if rule_id in config.diff_rules else 'overrides'}: unknown rule id {rule_id!r}",
                source=config.source,
                line=line,
                hint="'apigov rules --command diff' lists every id",
            )


def _load(source: Source, policy: RefPolicy, limits: Limits, hint: KindHint = NO_HINT) -> Loaded:
    path, display = source.path, source.display
    names = source.display_for if source.renamed else None
    workspace = Workspace.open(path, source=display, policy=policy, limits=limits, names=names)
    kind, spec_version = detect_kind(workspace.root.data, path, source=display, hint=hint)
    dangling: list[RefSite] = []
    workspace.check_all(examples=dangling)
    bundled = bundle(workspace, kind)
    side = Side(bundled, kind, display, tuple(dangling))
    info = replace(_info(workspace.root.data, kind, display), resolved=source.resolved)
    return Loaded(side, info, workspace, spec_version)


def _info(data: JSONValue, kind: Kind, source: str) -> DocumentInfo:
    info = data.get("info") if isinstance(data, dict) else None
    title = info.get("title") if isinstance(info, dict) else None
    version = info.get("version") if isinstance(info, dict) else None
    return DocumentInfo(
        source=source,
        kind=kind.value,
        title=title if isinstance(title, str) else None,
        version=str(version)
        if isinstance(version, (str, int, float)) and not isinstance(version, bool)
        else None,
    )


def _comparable(old: Loaded, new: Loaded) -> None:
    """Both sides hold what the diff reads in the shape it reads it (see :mod:`apigov.diff.shape`)."""
    for loaded in (old, new):
        problem = first_misshapen(loaded.side.data)
        if problem is not None:
            pointer, kind = problem
            where = loaded.side.location(pointer)
            field = ".".join(jsonptr.split(pointer)) or "the document"
            raise DocumentError(
                f"{field} must be {kind}",
                source=where.file,
                line=where.line,
                pointer=pointer,
                hint="run apigov check on it",
            )


def _config_file(source: Source, config: Config, cwd: Path | None) -> str:
    """A compared document as ``diff.overrides`` ``files`` globs see it (``git:REV:path``: the
    path; a registry version: its reference)."""
    if source.stored:
        return source.display
    if source.rev is not None:
        return config.relative((cwd or Path.cwd()) / repository_path(source.display))
    return config.relative(source.path)


def _run(ctx: CheckContext, policy: Policy) -> tuple[list[Finding], list[Finding]]:
    """Run every check once, in catalogue order; the ignore file applies before the semver
    policy, which judges only the changes that are not accepted."""
    checks: list[Check] = []
    for rule in RULES:
        if rule.check is not None and rule.check not in checks:
            checks.append(rule.check)
    suppressed: list[Finding] = []
    for check in checks:
        if check is document.semver_policy and policy.ignores is not None:
            kept, suppressed, ctx.notices = policy.ignored(ctx.emitted)
            ctx.emitted = list(kept)
        ctx.emitted.extend(policy.configured(check(ctx)))
    return ctx.emitted, suppressed
