"""``apigov diff`` as a library call: two contracts in, a :class:`~apigov.core.findings.Report` out."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType

from apigov.config.project import Config
from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.errors import ConfigError, DocumentError
from apigov.core.findings import DocumentInfo, Finding, Level, Report
from apigov.diff.openapi import diff_bundles
from apigov.diff.shape import first_misshapen
from apigov.documents.bundle import bundle
from apigov.documents.kinds import Kind, detect_kind
from apigov.documents.limits import DEFAULT_LIMITS, Limits
from apigov.documents.refs import RefPolicy, RefSite, Workspace
from apigov.documents.sources import materialise
from apigov.rules import document
from apigov.rules.catalogue import BY_ID, RULES
from apigov.rules.context import CheckContext, DiffOptions, Side
from apigov.rules.events_catalogue import EVENT_BY_ID
from apigov.rules.ignore import IgnoreFile, apply_ignores, load_ignore_file
from apigov.rules.rule import Check

_OPENAPI = frozenset({Kind.SWAGGER_2, Kind.OPENAPI_30, Kind.OPENAPI_31})
_KNOWN_IDS = frozenset(BY_ID) | frozenset(EVENT_BY_ID)
"""Every id ``apigov diff`` may report (ignore files and ``diff.rules`` may name any of them)."""


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


@dataclass(slots=True)
class Loaded:
    side: Side
    info: DocumentInfo
    workspace: Workspace
    spec_version: str


def diff_sources(request: DiffRequest, config: Config, *, version: str = "") -> Report:
    """Compare two contracts (files or ``git:REV:path``) and judge every change."""
    policy = RefPolicy(
        allow_remote=request.allow_remote_refs or config.allow_remote_refs,
        allow_outside=request.allow_ref_outside or config.allow_ref_outside,
    )
    _check_rule_settings(config)
    ignore_path = request.ignore or config.diff_ignore
    ignores = load_ignore_file(ignore_path, known_ids=_KNOWN_IDS) if ignore_path is not None else None
    with ExitStack() as stack:
        sides = []
        for spec in (request.base, request.revision, *request.more):
            source = stack.enter_context(materialise(spec, cwd=request.cwd, limits=request.limits))
            names = source.display_for if source.rev is not None else None
            sides.append(_load(source.path, source.display, policy, request.limits, names))
        options = DiffOptions(
            strict_open_model=config.diff_strict_open_model
            if request.strict_open_model is None
            else request.strict_open_model,
            today=request.today or date.today(),
        )
        if request.more or any(s.side.kind not in _OPENAPI for s in sides):  # event schemas
            from apigov.rules.events import EventVersion, diff_events, parse_mode

            mode = parse_mode(request.mode)
            versions = [EventVersion(s.side, s.info, s.workspace, s.spec_version) for s in sides]
            return diff_events(
                versions, mode=mode, options=options, config=config, ignores=ignores, version=version
            )
        old, new = sides
        _comparable(old, new)
        tree = diff_bundles(old.side.bundled, old.side.kind, new.side.bundled, new.side.kind)
        ctx = CheckContext(tree=tree, base=old.side, revision=new.side, options=options)
        files = tuple(_config_file(spec, config, request.cwd) for spec in (request.base, request.revision))
        kept, suppressed = _run(ctx, config, ignores, files)
    kept.sort(key=_order)
    return Report(
        command="diff",
        findings=tuple(kept),
        documents=(old.info, new.info),
        tool_version=version,
        rule_summaries=MappingProxyType({rule.id: rule.summary for rule in RULES}),
        suppressed=tuple(suppressed),
    )


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


def _load(
    path: Path, display: str, policy: RefPolicy, limits: Limits, names: Callable[[Path], str] | None
) -> Loaded:
    workspace = Workspace.open(path, source=display, policy=policy, limits=limits, names=names)
    kind, spec_version = detect_kind(workspace.root.data, path, source=display)
    dangling: list[RefSite] = []
    workspace.check_all(examples=dangling)
    bundled = bundle(workspace, kind)
    side = Side(bundled, kind, display, tuple(dangling))
    info = _info(workspace.root.data, kind, display)
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


def _config_file(spec: str, config: Config, cwd: Path | None) -> str:
    """A compared document as ``diff.overrides`` ``files`` globs see it (``git:REV:path``: the path)."""
    path = Path(spec.split(":", 2)[2]) if spec.startswith("git:") and spec.count(":") >= 2 else Path(spec)
    return config.relative(path if path.is_absolute() else (cwd or Path.cwd()) / path)


def _run(
    ctx: CheckContext, config: Config, ignores: IgnoreFile | None, files: tuple[str, ...] = ()
) -> tuple[list[Finding], list[Finding]]:
    """Run every check once, in catalogue order; the ignore file applies before the semver
    policy, which judges only the changes that are not accepted."""
    checks: list[Check] = []
    for rule in RULES:
        if rule.check not in checks:
            checks.append(rule.check)
    suppressed: list[Finding] = []
    for check in checks:
        if check is document.semver_policy and ignores is not None:
            kept, suppressed, ctx.notices = apply_ignores(ctx.emitted, ignores, today=ctx.options.today)
            ctx.emitted = list(kept)
        for finding in _configured(check(ctx), config, files):
            ctx.emitted.append(finding)
    return ctx.emitted, suppressed


def _configured(findings: Iterator[Finding], config: Config, files: tuple[str, ...]) -> Iterator[Finding]:
    for finding in findings:
        if finding.rule_id not in BY_ID:
            raise AssertionError(f"rule {finding.rule_id!r} is not in the catalogue")
        setting = config.diff_rule_setting(finding.rule_id, files=files, api_path=finding.details.get("path"))
        if setting == "off":
            continue
        if setting is not None and "level_without_stability" not in finding.details:
            finding = replace(finding, level=Level(setting))  # a draft or alpha operation stays info
        yield finding


def _order(finding: Finding) -> tuple[int, str, int, str]:
    rank = {Level.BREAKING: 0, Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}[finding.level]
    return (0 if finding.operation else 1, finding.operation or "", rank, finding.location.pointer)
