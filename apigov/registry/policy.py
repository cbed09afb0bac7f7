"""The publish policy: the subject's compatibility mode and the semver policy, judged with the
existing diff machinery.

**Compatibility mode** (the Confluent names). For each earlier version the mode names (the latest,
or every one for ``_TRANSITIVE``), the new content is compared in the mode's directions:
``backward`` (clients and readers of the new contract keep working with what the old one allowed:
for OpenAPI, ``apigov diff OLD NEW`` finds no breaking change; for JSON Schema old ⊆ new; for Avro
a reader on the new schema reads data written with the old one) and ``forward`` (the same with
old and new swapped: a rollback to the old contract breaks nothing). ``FULL`` asks both, ``NONE``
neither. A publish that breaks the mode is refused, whatever its version.

**Semver policy**, against the latest version: a change that breaks the mode's directions
(``backward`` for ``NONE``) needs a **major** bump; any other change an API or schema reader can
tell (an OpenAPI diff finding, a schema that accepts more or less) a **minor** one; anything else
(descriptions, examples, formatting) a **patch**. The document's own ``info.version`` is not part
of the contract and is not counted.

**Undecided changes** (the engine could not show the change safe or breaking) count at the
subject's undecided level (:attr:`~apigov.registry.base.SubjectInfo.undecided`): ``breaking`` by
default (a registry does not accept what it cannot show to be safe), ``warning`` when the subject
relaxes it (accepted, and kept in the changes as undecided, with the reason in its message);
``apigov diff`` itself reports them as warnings unless told otherwise.

Every kind is compared by ``apigov diff`` itself (:func:`apigov.rules.run.diff_sources`), so a
refusal names the same rule ids, with the same counter-examples, as the command.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from apigov.config.project import Config
from apigov.core._types import JSONValue
from apigov.core.findings import Level
from apigov.documents.kinds import Kind
from apigov.registry.base import DEFAULT_UNDECIDED, Change, SemVer
from apigov.schema.modes import Mode

__all__ = ["BUMPS", "Comparison", "Contract", "Judgement", "earlier_needed", "judge"]

BUMPS: Final = ("patch", "minor", "major")
"""Bumps from smallest to largest."""
MAX_CHANGES: Final = 200
"""Changes kept per comparison (metadata and messages stay bounded)."""
_NOT_CONTRACT: Final = frozenset(
    {
        "api-version-changed",
        "api-version-decreased",
        "api-version-not-bumped",
        "api-major-version-not-bumped",
        "schema-draft-assumed",
    }
)
"""Findings about the document's own ``info.version`` or how it was read: not a change of the contract."""
_DOCUMENTATION: Final = frozenset(
    {
        "api-title-changed",
        "api-terms-of-service-changed",
        "api-contact-changed",
        "api-license-changed",
        "api-extension-changed",
        "api-operation-extension-changed",
        "asyncapi-info-changed",
        "api-example-ref-unresolved",
    }
)
"""Changes of documentation only (with every ``*-description-changed`` / ``*-summary-changed``):
a patch, as the semver policy says."""


def _documentation(rule_id: str) -> bool:
    return rule_id in _DOCUMENTATION or rule_id.endswith(("-description-changed", "-summary-changed"))


@dataclass(frozen=True, slots=True)
class Contract:
    """One side of a comparison: a bundled document, and a file holding it (for ``apigov diff``)."""

    label: str
    """``subject@version`` or the file name, for messages."""
    path: Path
    data: JSONValue
    kind: Kind
    version: SemVer | None = None


@dataclass(frozen=True, slots=True)
class Comparison:
    """An earlier version against the new content in one direction."""

    against: str
    direction: str
    """``backward`` (old contract's users keep working with the new one) or ``forward``."""
    breaking: bool
    changes: tuple[Change, ...]
    """Every change found (``level`` ``breaking`` for those that break this direction)."""


@dataclass(frozen=True, slots=True)
class Judgement:
    required_bump: str
    """``major``, ``minor`` or ``patch`` from the latest version (``major`` for the first)."""
    failures: tuple[Comparison, ...]
    """The comparisons the mode asks for that break: non-empty means refused."""
    changes: tuple[Change, ...]
    """What changed from the latest version (backward), for the metadata and the changelog."""

    @property
    def compatible(self) -> bool:
        return not self.failures


Comparer = Callable[[Contract, Contract, Config, str, Level], Comparison]
"""``(old, new, config, direction, undecided)``: the changes from ``old`` to ``new`` judged in
``direction``, an undecided one counted at ``undecided``."""


def earlier_needed(mode: Mode, versions: Sequence[SemVer]) -> tuple[SemVer, ...]:
    """The earlier versions :func:`judge` needs: every one for a ``_TRANSITIVE`` mode, else the latest."""
    if not versions:
        return ()
    return tuple(versions) if mode.transitive else (versions[-1],)


def _directions(mode: Mode) -> tuple[str, ...]:
    return tuple(d for d, on in (("backward", mode.backward), ("forward", mode.forward)) if on)


def judge(
    family: str,
    mode: Mode,
    earlier: Sequence[Contract],
    new: Contract,
    config: Config,
    undecided: Level = DEFAULT_UNDECIDED,
) -> Judgement:
    """Judge ``new`` against ``earlier`` (oldest first, as :func:`earlier_needed` chose them),
    counting a change apigov cannot decide at ``undecided`` (the subject's level)."""
    if not earlier:
        return Judgement(required_bump="major", failures=(), changes=())
    compare = _COMPARERS[family]
    done: dict[tuple[str, str], Comparison] = {}

    def comparison(old: Contract, direction: str) -> Comparison:
        key = (old.label, direction)
        if key not in done:
            found = compare(old, new, config, direction, undecided)
            done[key] = Comparison(old.label, direction, found.breaking, found.changes)
        return done[key]

    targets = earlier if mode.transitive else earlier[-1:]
    failures = tuple(c for old in targets for d in _directions(mode) if (c := comparison(old, d)).breaking)
    latest = earlier[-1]
    semver_directions = _directions(mode) or ("backward",)
    backward = comparison(latest, "backward")
    if any(comparison(latest, d).breaking for d in semver_directions):
        bump = "major"
    elif any(c.id not in _NOT_CONTRACT and not _documentation(c.id) for c in backward.changes):
        bump = "minor"
    else:
        bump = "patch"
    return Judgement(required_bump=bump, failures=failures, changes=backward.changes)


# ---------------------------------------------------------------------- per contract family


def _compare(old: Contract, new: Contract, config: Config, mode: str | None, undecided: Level) -> Comparison:
    """``apigov diff OLD NEW`` (the same rule ids, levels and counter-examples as the command):
    the change breaks when a finding is ``breaking``. JSON Schema and Avro are judged under
    ``mode`` (the direction asked); AsyncAPI documents per message, in the direction its
    operations give it."""
    from apigov import __version__
    from apigov.report._diff import example_excerpt, headline, is_undecided
    from apigov.rules.run import DiffRequest, diff_sources

    request = DiffRequest(
        base=_spec(old.path), revision=_spec(new.path), mode=mode, undecided=undecided.value
    )
    report = diff_sources(request, config, version=__version__)
    changes = tuple(
        Change(f.rule_id, f.level.value, headline(f), example_excerpt(f), undecided=is_undecided(f))
        for f in report.findings[:MAX_CHANGES]
    )
    breaking = any(f.level is Level.BREAKING for f in report.findings)
    return Comparison(old.label, "backward", breaking, changes)


def _spec(path: Path) -> str:
    text = str(path)
    return f"./{text}" if text.startswith("git:") else text


def _swapped(old: Contract, new: Contract, config: Config, direction: str, undecided: Level) -> Comparison:
    """OpenAPI and AsyncAPI: ``forward`` is the diff of the sides swapped (a rollback), as
    ``apigov diff --mode forward`` tells it for OpenAPI."""
    if direction == "backward":
        return _compare(old, new, config, None, undecided)
    return _compare(new, old, config, None, undecided)


def _in_mode(old: Contract, new: Contract, config: Config, direction: str, undecided: Level) -> Comparison:
    """JSON Schema and Avro: ``apigov diff OLD NEW --mode <direction>``, so that a refusal names
    the change as ``apigov diff --mode full`` does (``avro-enum-symbol-added``, not the
    ``-removed`` of the sides swapped)."""
    return _compare(old, new, config, Mode.parse(direction).value, undecided)


_COMPARERS: Final[dict[str, Comparer]] = {
    "openapi": _swapped,
    "jsonschema": _in_mode,
    "avro": _in_mode,
    "asyncapi": _swapped,
}
