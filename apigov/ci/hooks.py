"""The pre-commit hooks (``.pre-commit-hooks.yaml``): ``check`` of the contracts being committed,
and ``diff`` of each against its last commit (``git:HEAD:path``).

pre-commit passes the staged files its ``files`` pattern matches. When ``apigov.yaml`` lists
contracts, only those (named, globbed or under a listed directory) are taken; otherwise any
file that is an OpenAPI, AsyncAPI, JSON Schema or Avro document is, and other YAML and JSON
files are passed over (one that cannot be read is an input error, as for ``apigov check``).
A contract HEAD does not have is new: nothing to compare.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from apigov.ci.gate import Base, diff_contracts, repository_top
from apigov.config.project import Config
from apigov.core.errors import InputError, UnknownKind
from apigov.core.findings import Report
from apigov.documents.sources import resolve_revision


def _configured(config: Config) -> set[Path] | None:
    if not config.contracts:
        return None
    from apigov.lint.check import discover

    return {path.resolve() for path, _ in discover([], config)}


def select_contracts(files: Sequence[Path], config: Config) -> list[Path]:
    """The files that are contracts (see the module docstring), in the order given."""
    from apigov.documents.kinds import detect_kind
    from apigov.documents.load import load_file

    configured = _configured(config)
    chosen = []
    for file in files:
        if configured is not None:
            if file.resolve() in configured:
                chosen.append(file)
            continue
        if file.name in ("apigov.yaml", "apigov.yml", ".apigov.yaml") or not file.is_file():
            continue
        document = load_file(file, source=str(file))
        try:
            detect_kind(document.data, file, source=str(file))
        except UnknownKind:
            continue
        chosen.append(file)
    return chosen


def check_files(files: Sequence[Path], config: Config, *, version: str) -> Report | None:
    """``apigov check`` of the contracts among ``files`` (``None``: there is none)."""
    from apigov.lint.check import check_paths

    contracts = select_contracts(files, config)
    if not contracts:
        return None
    return check_paths(contracts, config, version=version)


def _in_repository(path: Path, top: Path) -> str:
    try:
        return path.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        raise InputError(
            f"{path} is outside the repository at {top}", hint="name files of the repository"
        ) from None


@dataclass(frozen=True, slots=True)
class HeadDiffs:
    reports: tuple[Report, ...]
    new: tuple[str, ...]


def diff_files(files: Sequence[Path], config: Config, cwd: Path, *, version: str) -> HeadDiffs:
    """Each contract among ``files`` against itself at HEAD."""
    contracts = select_contracts(files, config)
    top = repository_top(cwd)
    if not contracts:
        return HeadDiffs((), ())
    if top is None:
        raise InputError(f"{cwd} is not in a git repository: nothing to compare the contracts with")
    try:
        commit = resolve_revision("HEAD", cwd=cwd)
    except InputError:
        return HeadDiffs((), tuple(str(c) for c in contracts))  # no commit yet: every contract is new
    inside = [_in_repository(cwd / c, top) for c in contracts]
    diffs = diff_contracts(inside, Base(name="HEAD", commit=commit), top, config, version=version)
    reports = tuple(d.report for d in diffs if d.report is not None)
    return HeadDiffs(reports, tuple(d.path for d in diffs if d.new))
