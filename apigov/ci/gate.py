"""The gate: ``check`` of the contracts, and ``diff`` of each against the pull request's base.

The base is a revision (``--base-ref``, else the pull request's base commit, else
``GITHUB_BASE_REF``, else the commit a push moved the branch from); the diff compares each
contract as it is in the working tree with the same path at the point where the branch left
the base (``git merge-base BASE HEAD``, so changes made on the base branch meanwhile are not
blamed on the pull request). A contract the base does not have is new: nothing to compare.

Paths in every report are relative to the repository's top directory, as code scanning and
annotations expect, whatever directory the command runs in.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from apigov.config.project import Config
from apigov.core.errors import ConfigError, InputError
from apigov.core.findings import FAIL_ON, Finding, Level, Report
from apigov.documents.git import git_or_none
from apigov.documents.sources import GIT_PREFIX, PathNotInRevision, is_git_ref, resolve_revision

#: Shown in reports: ``git:<12 hex>:path``.
SHORT_SHA: Final = 12


@dataclass(frozen=True, slots=True)
class Base:
    """What the contracts are compared with: ``commit`` (the merge base) and how it was named."""

    name: str
    commit: str

    @property
    def short(self) -> str:
        return self.commit[:SHORT_SHA]


@dataclass(frozen=True, slots=True)
class ContractDiff:
    """One contract's diff; ``report`` is ``None`` for a contract the base does not have, or
    (``unchanged``) one whose directory holds the same files as at the base: not diffed."""

    path: str
    report: Report | None
    unchanged: bool = False

    @property
    def new(self) -> bool:
        return self.report is None and not self.unchanged


@dataclass(frozen=True, slots=True)
class DeployAnswer:
    """can-i-deploy's answer for the pacticipant versions ``asked`` going to ``environment``
    (made by the command from :func:`apigov.contract.matrix.can_i_deploy`)."""

    environment: str
    asked: tuple[tuple[str, str], ...]
    deployable: bool
    reasons: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GateResult:
    check: Report
    diffs: tuple[ContractDiff, ...]
    base: Base | None
    check_fail_on: str
    diff_fail_on: str
    #: can-i-deploy's answer, when an environment was asked about
    deploy: DeployAnswer | None = None
    #: the diffs name the registered consumers each breaking change affects
    consumers: bool = False

    @property
    def diff_reports(self) -> list[Report]:
        return [d.report for d in self.diffs if d.report is not None]

    @property
    def check_failed(self) -> bool:
        return self.check.fails(self.check_fail_on)

    @property
    def diff_failed(self) -> bool:
        return any(report.fails(self.diff_fail_on) for report in self.diff_reports)

    @property
    def deploy_failed(self) -> bool:
        return self.deploy is not None and not self.deploy.deployable

    @property
    def failed(self) -> bool:
        return self.check_failed or self.diff_failed or self.deploy_failed

    @property
    def breaking(self) -> int:
        return sum(_count(r, Level.BREAKING) for r in self.diff_reports)

    def diff_count(self, level: Level) -> int:
        return sum(_count(r, level) for r in self.diff_reports)

    def check_count(self, level: Level) -> int:
        return _count(self.check, level)


def _count(report: Report, level: Level) -> int:
    return sum(1 for finding in report.findings if finding.level is level)


def check_threshold(fail_on: str | None, config: Config) -> str:
    """``--fail-on`` as ``check`` reads it (``breaking`` ranks as ``error``)."""
    if fail_on is None:
        return config.fail_on
    return "error" if fail_on == "breaking" else fail_on


def diff_threshold(fail_on: str | None, config: Config) -> str:
    """``--fail-on`` as ``diff`` reads it (``error`` ranks as ``breaking``)."""
    if fail_on is None:
        return config.diff_fail_on
    return "breaking" if fail_on == "error" else fail_on


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str] | None:
    done = git_or_none(args, cwd)
    if done is None:
        return None
    return subprocess.CompletedProcess(
        done.args, done.returncode, os.fsdecode(done.stdout), os.fsdecode(done.stderr)
    )


def repository_top(cwd: Path) -> Path | None:
    """The top directory of the git repository around ``cwd`` (``None``: not in one, or no git)."""
    done = _git(["rev-parse", "--show-toplevel"], cwd)
    if done is None or done.returncode != 0 or not done.stdout.strip():
        return None
    return Path(done.stdout.strip())


def find_base(choice: BaseChoice, cwd: Path) -> Base:
    """The revision resolved, then the point where HEAD left it (the merge base)."""
    try:
        commit = resolve_revision(choice.rev, cwd=cwd, source=choice.how)
    except InputError as exc:
        raise InputError(
            f"{exc.message} (fetch the whole history: actions/checkout with fetch-depth: 0)",
            source=choice.how,
        ) from exc
    done = _git(["merge-base", commit, "HEAD"], cwd)
    if done is None or done.returncode != 0 or not done.stdout.strip():
        raise InputError(
            f"cannot find where HEAD left the base revision {choice.rev}",
            source=choice.how,
            hint="fetch the whole history (actions/checkout with fetch-depth: 0)",
        )
    return Base(name=choice.name, commit=done.stdout.strip())


def relative_to_top(report: Report, cwd: Path, top: Path) -> Report:
    """``report`` with local file names relative to ``top`` instead of ``cwd`` (git refs stay)."""

    def name(file: str) -> str:
        if is_git_ref(file) or "://" in file:
            return file
        try:
            return (cwd / file).resolve().relative_to(top.resolve()).as_posix()
        except (OSError, ValueError):
            return file

    def move(finding: Finding) -> Finding:
        location = dataclasses.replace(finding.location, file=name(finding.location.file))
        return dataclasses.replace(finding, location=location)

    return dataclasses.replace(
        report,
        findings=tuple(move(f) for f in report.findings),
        suppressed=tuple(move(f) for f in report.suppressed),
        documents=tuple(dataclasses.replace(d, source=name(d.source)) for d in report.documents),
    )


def diff_contracts(
    paths: Sequence[str], base: Base, top: Path, config: Config, *, version: str
) -> tuple[ContractDiff, ...]:
    """Each contract (a path relative to ``top``) against itself at ``base``."""
    from apigov.rules.openapi_modes import diff_with_mode
    from apigov.rules.run import DiffRequest

    results = []
    may_reach_out = config.allow_ref_outside or config.allow_remote_refs
    for path in paths:
        if not may_reach_out and _same_directory(path, base, top):
            results.append(ContractDiff(path=path, report=None, unchanged=True))
            continue
        request = DiffRequest(base=f"{GIT_PREFIX}{base.short}:{path}", revision=path, cwd=top)
        try:
            report = diff_with_mode(request, config, version=version)
        except PathNotInRevision:
            results.append(ContractDiff(path=path, report=None))
            continue
        results.append(ContractDiff(path=path, report=report))
    return tuple(results)


def _in_repository(source: str) -> bool:
    """A checked document's name (relative to the top after :func:`relative_to_top`) is a file
    of the repository: not a git ref, a URL, or a path outside (those have no base to compare)."""
    if is_git_ref(source) or "://" in source or Path(source).is_absolute():
        return False
    return not (source == ".." or source.startswith("../"))


def _same_directory(path: str, base: Base, top: Path) -> bool:
    """True when the contract's directory (all its ``$ref`` may reach, without
    ``--allow-ref-outside``) is as at ``base``: no tracked file differs, no untracked one is new."""
    directory = posixpath.dirname(path)
    spec = [f":(literal,top){directory}"] if directory else []
    changed = _git(["diff", "--quiet", base.commit, "--", *spec], top)
    if changed is None or changed.returncode != 0:
        return False
    untracked = _git(["ls-files", "--others", "--exclude-standard", "--", *spec], top)
    return untracked is not None and untracked.returncode == 0 and not untracked.stdout.strip()


def known_threshold(fail_on: str) -> str:
    """``fail_on`` checked against the ``--fail-on`` values."""
    if fail_on not in FAIL_ON:
        raise InputError(f"unknown --fail-on {fail_on!r}", hint="one of " + ", ".join(FAIL_ON))
    return fail_on


@dataclass(frozen=True, slots=True)
class BaseChoice:
    """The revision to compare with, where it came from (for messages) and its name in reports."""

    rev: str
    how: str
    name: str


def choose_base(
    explicit: str | None,
    pr_base: tuple[str | None, str | None],
    base_ref: str | None,
    push_before: str | None,
    cwd: Path,
) -> BaseChoice | None:
    """``--base-ref``, the pull request's base commit (``pr_base``: its sha and branch name),
    ``GITHUB_BASE_REF`` (``origin/NAME`` when the checkout has it), the commit a push started
    from; ``None`` when there is nothing to compare with."""
    if explicit:
        return BaseChoice(explicit, "--base-ref", explicit)
    sha, branch = pr_base
    if sha:
        return BaseChoice(sha, "the pull request's base commit", branch or sha)
    if base_ref:
        remote = f"origin/{base_ref}"
        done = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", remote + "^{commit}"], cwd)
        if not base_ref.startswith("-") and done is not None and done.returncode == 0:
            return BaseChoice(remote, "GITHUB_BASE_REF", base_ref)
        return BaseChoice(base_ref, "GITHUB_BASE_REF", base_ref)
    if push_before:
        return BaseChoice(
            push_before, "the event's base commit (push before, merge_group base_sha)", push_before
        )
    return None


def run_gate(
    paths: Sequence[Path],
    config: Config,
    cwd: Path,
    base: BaseChoice | None,
    *,
    fail_on: str | None,
    version: str,
    workspace: Path | None = None,
) -> GateResult:
    """Check the contracts and diff each against ``base``; an unusable input raises (exit 2).
    Paths are made relative to the repository's top (``workspace`` when git has none)."""
    from apigov.lint.check import check_paths

    if not paths and not config.contracts:
        raise ConfigError(
            "no contracts to check",
            hint="give them (the action's contracts input, --contracts or APIGOV_CI_CONTRACTS) "
            "or list them under 'contracts:' in apigov.yaml",
        )
    top = repository_top(cwd)
    check = check_paths(list(paths), config, version=version)
    root = top or workspace
    if root is not None:
        check = relative_to_top(check, cwd, root)
    found: Base | None = None
    diffs: tuple[ContractDiff, ...] = ()
    if base is not None:
        if top is None:
            raise InputError(
                f"{cwd} is not in a git repository (or git is missing): cannot compare with the base",
                hint="check out the repository (actions/checkout with fetch-depth: 0)",
            )
        found = find_base(base, cwd)
        local = [d.source for d in check.documents if _in_repository(d.source)]
        diffs = diff_contracts(local, found, top, config, version=version)
    return GateResult(
        check=check,
        diffs=diffs,
        base=found,
        check_fail_on=known_threshold(check_threshold(fail_on, config)),
        diff_fail_on=known_threshold(diff_threshold(fail_on, config)),
    )
