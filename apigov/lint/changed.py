"""``apigov check --changed-since REV``: report only the findings a change brought in.

:func:`check_changed_since` checks the contracts as :func:`~apigov.lint.check.check_paths` does,
then loads each checked contract as it was at the git revision ``REV`` (the same path, through
:func:`~apigov.documents.sources.materialise`), lints that too, and drops every finding of the
working tree that was already there. A contract that did not exist at ``REV`` (or could not be
loaded there) has only new findings.

Identity of a finding across the two versions. Line numbers shift with every unrelated edit, so
they play no part; OpenAPI, AsyncAPI and JSON Schema pointers are mostly name-keyed
(``/paths/~1pets/get``, ``/components/schemas/Pet``), so the pointer does. A finding is the
same as one at ``REV`` when it has the same rule id, the same file (relative to the contract's
directory) and the same pointer. Array indexes in pointers shift when an item is inserted
before them, so a second pass compares pointers with every index replaced by ``*``. Each
finding at ``REV`` excuses at most one finding of the working tree (a multiset), so a second
violation of the same rule at the same place still shows; within one place, findings whose
message is also unchanged are matched first, so the one shown is the one that is new. The
trade-off: fixing one violation and adding another of the same rule at the same (index-free)
place in one change hides the new one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Final

from apigov.config.project import Config
from apigov.core.errors import DocumentError
from apigov.core.findings import Finding, Report
from apigov.documents.refs import RefPolicy
from apigov.documents.sources import PathNotInRevision, Source, materialise, resolve_revision
from apigov.lint.check import CheckOptions, check_file, check_paths

_INDEX_RE: Final = re.compile(r"(?<=/)\d+(?=/|$)")


@dataclass(frozen=True, slots=True)
class ChangedReport:
    """The report of new findings, and how many findings already present at ``base`` it leaves out."""

    report: Report
    preexisting: int
    base: str


def check_changed_since(
    paths: Sequence[Path],
    config: Config,
    base: str,
    options: CheckOptions | None = None,
    *,
    version: str = "",
) -> ChangedReport:
    """Check ``paths`` (or the configured contracts) and keep only findings not present at ``base``.

    Raises :class:`~apigov.core.errors.InputError` when ``base`` is not a revision of the git
    repository around the current directory (or there is none), besides what ``check_paths``
    raises. Paths are relative to the current directory, as in ``check_paths``.
    """
    here = Path.cwd()
    options = options if options is not None else CheckOptions()
    resolve_revision(base, cwd=here, source=f"--changed-since {base}")
    report = check_paths(paths, config, options, version=version)
    policy = RefPolicy(
        allow_remote=options.allow_remote_refs or config.allow_remote_refs,
        allow_outside=options.allow_ref_outside or config.allow_ref_outside,
    )
    earlier: list[tuple[str, Finding]] = []
    for info in report.documents:
        earlier.extend(_base_findings(Path(info.source), base, config, policy, options, here))
    current = [(_file_key(here / f.location.file), f) for f in report.findings]
    new = _new_findings(current, earlier)
    return ChangedReport(
        report=replace(report, findings=tuple(new)), preexisting=len(report.findings) - len(new), base=base
    )


def _base_findings(
    document: Path, base: str, config: Config, policy: RefPolicy, options: CheckOptions, cwd: Path
) -> list[tuple[str, Finding]]:
    """The findings of ``document`` as it was at ``base``, each with the working-tree file it is in."""
    absolute = Path(os.path.normpath(cwd / document))
    relative = Path(os.path.relpath(absolute, cwd)).as_posix()
    spec = f"git:{base}:{relative if relative.startswith('../') else './' + relative}"
    try:
        with materialise(spec, cwd=cwd, limits=options.limits) as source:
            try:
                result = check_file(
                    source.path,
                    _config_at(config, source, absolute.parent),
                    policy,
                    options.limits,
                    kind=options.kind,
                )
            except DocumentError:
                return []  # unusable at base: everything found now is new
            if result is None:
                return []
            root = Path(os.path.realpath(source.root))
            found: list[tuple[str, Finding]] = []
            for finding in result[1]:
                inside = Path(os.path.realpath(cwd / finding.location.file))
                try:
                    moved = absolute.parent / inside.relative_to(root)
                except ValueError:
                    moved = inside
                found.append((_file_key(moved), finding))
            return found
    except PathNotInRevision:
        return []


def _config_at(config: Config, source: Source, spec_dir: Path) -> Config:
    """The configuration with its root moved into the exported tree, so file-scoped overrides
    name the same files at ``base`` as in the working tree."""
    repo_top = Path(os.path.realpath(spec_dir))
    tree_top = source.root
    for _ in PurePosixPath(source.repo_dir or "").parts:
        repo_top, tree_top = repo_top.parent, tree_top.parent
    try:
        inside = Path(os.path.realpath(config.root)).relative_to(repo_top)
    except ValueError:
        return config
    return replace(config, root=tree_top / inside)


def _file_key(path: Path) -> str:
    return os.path.normpath(os.path.realpath(path))


def _same_place(file: str, finding: Finding) -> tuple[str, ...]:
    return (finding.rule_id, file, finding.location.pointer)


def _same_place_and_message(file: str, finding: Finding) -> tuple[str, ...]:
    return (*_same_place(file, finding), finding.message)


def _index_free(file: str, finding: Finding) -> tuple[str, ...]:
    return (finding.rule_id, file, _INDEX_RE.sub("*", finding.location.pointer))


def _index_free_and_message(file: str, finding: Finding) -> tuple[str, ...]:
    return (*_index_free(file, finding), finding.message)


_PASSES: Final[tuple[Callable[[str, Finding], tuple[str, ...]], ...]] = (
    _same_place_and_message,
    _same_place,
    _index_free_and_message,
    _index_free,
)


def _new_findings(
    current: Sequence[tuple[str, Finding]], earlier: Sequence[tuple[str, Finding]]
) -> list[Finding]:
    """The findings of ``current`` that no finding of ``earlier`` accounts for (see the module
    docstring), in their order."""
    unmatched = list(range(len(current)))
    available = list(range(len(earlier)))
    for key in _PASSES:
        pool: dict[tuple[str, ...], list[int]] = {}
        for index in available:
            pool.setdefault(key(*earlier[index]), []).append(index)
        used: set[int] = set()
        still: list[int] = []
        for index in unmatched:
            candidates = pool.get(key(*current[index]))
            if candidates:
                used.add(candidates.pop(0))
            else:
                still.append(index)
        unmatched = still
        available = [index for index in available if index not in used]
    return [current[index][1] for index in unmatched]
