"""``apigov check``: validate and lint contract files.

:func:`check_paths` is the one function the CLI calls. For each file it loads the document
(safely), resolves every ``$ref`` under the reference policy, detects the kind, bundles external
references, runs the structural rules and then, when the structure is valid, the governance
rules; the configuration (``apigov.yaml``) switches rules off, changes their level or scopes
them to files and API paths.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Final

from apigov.config.project import Config
from apigov.core._types import JSONValue
from apigov.core.errors import ConfigError, DocumentError, InputError, UnknownKind, UnsupportedVersion
from apigov.core.findings import DocumentInfo, Finding, Level, Location, Report
from apigov.documents.bundle import Bundled, bundle
from apigov.documents.kinds import Kind, detect_kind
from apigov.documents.limits import DEFAULT_LIMITS, Limits
from apigov.documents.load import JSON_SUFFIXES, YAML_SUFFIXES
from apigov.documents.refs import RefPolicy, Workspace
from apigov.lint.catalogue import BY_ID, RULES
from apigov.lint.context import LintContext
from apigov.lint.rule import LintRule

CONTRACT_SUFFIXES: Final = JSON_SUFFIXES | YAML_SUFFIXES
_SKIP_DIRS: Final = frozenset(
    {"node_modules", ".git", ".venv", "venv", "__pycache__", ".tox", "dist", "build"}
)
_CONFIG_FILES: Final = frozenset({"apigov.yaml", "apigov.yml", ".apigov.yaml"})

#: The id of the finding for a file among several that cannot be read (malformed, a bad
#: ``$ref`` ...): the report lists it with the others, and the command then exits 2.
UNREADABLE: Final = "document-unreadable"
UNREADABLE_SUMMARY: Final = "The file cannot be read as a contract (malformed, a broken $ref, over a limit)."


@dataclass(frozen=True, slots=True)
class CheckOptions:
    allow_remote_refs: bool = False
    allow_ref_outside: bool = False
    limits: Limits = DEFAULT_LIMITS
    max_seconds: float | None = None
    """A budget for the whole check; over it, :func:`check_paths` raises :class:`InputError`."""
    kind: str | None = None
    """``--kind``: the kind family every file is read as (files found in a directory that are
    another kind are skipped)."""


class _OverBudget(BaseException):
    """Raised by the timer inside whatever the check is doing (a BaseException, so no handler
    that turns a validator's crash into a finding can swallow it)."""


@contextlib.contextmanager
def _budget(seconds: float | None) -> Iterator[None]:
    """Stop the block with an :class:`InputError` when it runs longer than ``seconds`` (a real-time
    timer: on the main thread of a POSIX process only; elsewhere there is no budget)."""
    usable = (
        seconds is not None
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable or seconds is None:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _OverBudget

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _OverBudget:
        raise InputError(
            f"budget exceeded: the check took more than --max-seconds {seconds:g}",
            hint="raise --max-seconds, or check fewer or smaller files",
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def discover(paths: Sequence[Path], config: Config) -> list[tuple[Path, bool]]:
    """Files to check, each with ``explicit`` (named by the user, so it must be a contract)."""
    found: list[tuple[Path, bool]] = []
    targets: list[Path] = list(paths)
    explicit_globs: list[Path] = []
    if not targets:
        if not config.contracts:
            raise ConfigError(
                "no contracts given",
                hint="pass files or directories, or list them under 'contracts:' in apigov.yaml",
            )
        for entry in config.contracts:
            if any(ch in entry.path for ch in "*?["):
                matches = sorted(config.root.glob(entry.path))
                if not matches:
                    raise ConfigError(
                        f"contracts pattern {entry.path!r} matches no file", source=config.source
                    )
                explicit_globs.extend(m for m in matches if m.is_file())
            else:
                targets.append(config.root / entry.path)
    for target in targets:
        if target.is_dir():
            for file in sorted(target.rglob("*")):
                if (
                    file.is_file()
                    and file.suffix.lower() in CONTRACT_SUFFIXES
                    and file.name not in _CONFIG_FILES
                    and not any(
                        part in _SKIP_DIRS or part.startswith(".")
                        for part in file.relative_to(target).parts[:-1]
                    )
                ):
                    found.append((file, False))
        else:
            found.append((target, True))
    found.extend((m, False) for m in explicit_globs)
    seen: set[Path] = set()
    unique: list[tuple[Path, bool]] = []
    for path, explicit in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append((path, explicit))
    return unique


def validate_rule_settings(config: Config) -> None:
    """Refuse configuration that names rules apigov does not have."""
    named = set(config.rules)
    for override in config.overrides:
        named |= set(override.rules)
    for rule_id in sorted(named):
        rule = BY_ID.get(rule_id)
        if rule is None:
            raise ConfigError(
                f"unknown rule id {rule_id!r} in the lint configuration",
                source=config.source,
                line=config.rule_lines.get(rule_id),
                hint="'apigov rules' lists every id",
            )
        if rule.structural:
            raise ConfigError(
                f"rule {rule_id!r} is structural: it cannot be switched off or change level",
                source=config.source,
                line=config.rule_lines.get(rule_id),
            )


def check_paths(
    paths: Sequence[Path],
    config: Config,
    options: CheckOptions = CheckOptions(),
    *,
    version: str = "",
) -> Report:
    """Validate and lint every contract under ``paths`` (or the configured contracts)."""
    with _budget(options.max_seconds):
        return _check_paths(paths, config, options, version=version)


def _check_paths(paths: Sequence[Path], config: Config, options: CheckOptions, *, version: str) -> Report:
    validate_rule_settings(config)
    policy = RefPolicy(
        allow_remote=options.allow_remote_refs or config.allow_remote_refs,
        allow_outside=options.allow_ref_outside or config.allow_ref_outside,
    )
    findings: list[Finding] = []
    documents: list[DocumentInfo] = []
    files = discover(paths, config)
    for path, explicit in files:
        try:
            result = check_file(path, config, policy, options.limits, explicit=explicit, kind=options.kind)
        except DocumentError as exc:
            if len(files) == 1 and explicit:
                raise  # one file named: the error is the whole answer
            findings.append(_unreadable(path, exc))
            continue
        if result is None:
            continue
        info, file_findings = result
        documents.append(info)
        findings.extend(file_findings)
    if not documents and not findings:
        raise InputError(
            "no contract found in " + ", ".join(_shown(p) for p in paths) if paths else "no contract found",
            hint="apigov reads OpenAPI, Swagger, AsyncAPI, JSON Schema and Avro files (.yaml, .yml, .json, .avsc)",
        )
    findings.sort(key=Finding.sort_key)
    return Report(
        command="check",
        findings=tuple(findings),
        documents=tuple(documents),
        tool_version=version,
        rule_summaries=MappingProxyType(
            {**{rule.id: rule.summary for rule in RULES}, UNREADABLE: UNREADABLE_SUMMARY}
        ),
    )


def _unreadable(path: Path, exc: DocumentError) -> Finding:
    message = " ".join(exc.message.split())
    if exc.hint:
        message += "; " + " ".join(exc.hint.split())
    return Finding(
        rule_id=UNREADABLE,
        level=Level.ERROR,
        message=message,
        location=Location(file=exc.source or _shown(path), pointer=exc.pointer or "", line=exc.line),
    )


def unreadable_count(report: Report) -> int:
    """How many files of a ``check`` report could not be read (the command exits 2 after it)."""
    return sum(1 for finding in report.findings if finding.rule_id == UNREADABLE)


def check_file(
    path: Path,
    config: Config,
    policy: RefPolicy,
    limits: Limits,
    *,
    explicit: bool = True,
    kind: str | None = None,
) -> tuple[DocumentInfo, list[Finding]] | None:
    """Check one file; ``None`` when a file found in a directory is not a contract."""
    shown = _shown(path)
    workspace = Workspace.open(path, source=shown, policy=policy, limits=limits)
    root = workspace.root
    try:
        found, spec_version = _kind_of(root.data, path, shown, config, kind, explicit=explicit)
    except UnsupportedVersion:
        raise  # it declares a contract kind: an unreadable contract, reported, never skipped
    except UnknownKind:
        if explicit:
            raise
        return None
    if found is None:
        return None
    workspace.check_all()
    bundled = bundle(workspace, found)
    ctx = LintContext(bundled=bundled, kind=found, spec_version=spec_version, workspace=workspace)
    findings = run_rules(ctx, RULES, config)
    info = _info(root.data, found, shown)
    return info, findings


def _kind_of(
    data: JSONValue, path: Path, shown: str, config: Config, family: str | None, *, explicit: bool
) -> tuple[Kind | None, str]:
    """The kind of a checked file: ``--kind`` (``family``), the contract entry's or apigov.yaml's
    ``kind``, else detected. A file found in a directory that is another kind is skipped (``None``)."""
    hint = config.kind_hint(path, family=family)
    if hint.family is None or explicit:
        return detect_kind(data, path, source=shown, hint=hint)
    try:
        detected, version = detect_kind(data, path, source=shown, hint=replace(hint, family=None))
    except UnknownKind:
        return detect_kind(data, path, source=shown, hint=hint)
    if detected.family != hint.family:
        return None, ""
    return detected, version


def run_rules(ctx: LintContext, rules: Iterable[LintRule], config: Config) -> list[Finding]:
    """Run the rules of the document's family; structural errors stop the governance rules."""
    family = ctx.kind.family
    applicable = [rule for rule in rules if family in rule.families]
    findings: list[Finding] = []
    structural_failed = False
    for rule in applicable:
        if not rule.structural and structural_failed:
            break
        base_setting = config.rules.get(rule.id)
        has_overrides = any(rule.id in o.rules for o in config.overrides)
        if base_setting == "off" and not has_overrides:
            continue
        ctx.rule_id = rule.id
        ctx.level = Level(base_setting) if base_setting not in (None, "off") else rule.level
        for finding in rule.check(ctx):
            adjusted = _apply_settings(finding, rule, config) if has_overrides else finding
            if adjusted is not None:
                findings.append(adjusted)
                if rule.structural and adjusted.level is Level.ERROR:
                    structural_failed = True
    return findings


def _apply_settings(finding: Finding, rule: LintRule, config: Config) -> Finding | None:
    setting = config.rule_setting(rule.id, file=Path(finding.location.file), api_path=finding.details.path)
    if setting is None:
        return replace(finding, level=rule.level)
    if setting == "off":
        return None
    return replace(finding, level=Level(setting))


def _info(data: object, kind: Kind, source: str) -> DocumentInfo:
    title: str | None = None
    version: str | None = None
    if isinstance(data, dict):
        info = data.get("info")
        if isinstance(info, dict):
            raw_title, raw_version = info.get("title"), info.get("version")
            title = raw_title if isinstance(raw_title, str) else None
            version = str(raw_version) if isinstance(raw_version, (str, int, float)) else None
        elif kind is Kind.AVRO:
            name = data.get("name")
            namespace = data.get("namespace")
            if isinstance(name, str):
                title = f"{namespace}.{name}" if isinstance(namespace, str) and "." not in name else name
        else:
            raw_title = data.get("title")
            title = raw_title if isinstance(raw_title, str) else None
    return DocumentInfo(source=source, kind=kind.value, title=title, version=version)


def structural_errors(workspace: Workspace, kind: Kind, spec_version: str, bundled: Bundled) -> list[Finding]:
    """The structural errors of a loaded, bundled document: what makes ``apigov check`` call it
    invalid (the governance rules are not run; nothing here can be configured away)."""
    ctx = LintContext(bundled=bundled, kind=kind, spec_version=spec_version, workspace=workspace)
    errors: list[Finding] = []
    for rule in RULES:
        if not rule.structural or kind.family not in rule.families:
            continue
        ctx.rule_id = rule.id
        ctx.level = rule.level
        errors.extend(f for f in rule.check(ctx) if f.level is Level.ERROR)
    return errors


def invalid_contract(kind: Kind, errors: Sequence[Finding], *, source: str) -> InputError:
    """The one-line error for a contract with structural ``errors`` (the first one, and a count)."""
    first = errors[0]
    where = f" at {first.location.pointer}" if first.location.pointer else ""
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return InputError(
        f"not a valid {kind.value} contract: {first.message}{where}{more}",
        source=first.location.file or source,
        line=first.location.line,
        hint=f"'apigov check {source}' lists every problem",
    )
