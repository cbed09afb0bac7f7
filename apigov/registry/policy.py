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

Event contracts (AsyncAPI) are compared by :func:`compare_events`, the one function to re-point
when ``apigov diff`` judges AsyncAPI documents itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from apigov.config.project import Config
from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.findings import Level
from apigov.diff.asyncapi import MessageSchemaPair, diff_asyncapi
from apigov.diff.avro import can_read
from apigov.documents.kinds import Kind
from apigov.registry.base import Change, SemVer
from apigov.schema.compat import Status, Verdict, is_subset
from apigov.schema.model import local_resolver
from apigov.schema.modes import Mode

__all__ = ["BUMPS", "Comparison", "Contract", "Judgement", "compare_events", "earlier_needed", "judge"]

BUMPS: Final = ("patch", "minor", "major")
"""Bumps from smallest to largest."""
MAX_CHANGES: Final = 200
"""Changes kept per comparison (metadata and messages stay bounded)."""
_NOT_CONTRACT: Final = frozenset(
    {"api-version-changed", "api-version-decreased", "api-version-not-bumped", "api-major-version-not-bumped"}
)
"""Findings about the document's own ``info.version``: not a change of the contract."""


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


Comparer = Callable[[Contract, Contract, Config], Comparison]


def earlier_needed(mode: Mode, versions: Sequence[SemVer]) -> tuple[SemVer, ...]:
    """The earlier versions :func:`judge` needs: every one for a ``_TRANSITIVE`` mode, else the latest."""
    if not versions:
        return ()
    return tuple(versions) if mode.transitive else (versions[-1],)


def _directions(mode: Mode) -> tuple[str, ...]:
    return tuple(d for d, on in (("backward", mode.backward), ("forward", mode.forward)) if on)


def judge(family: str, mode: Mode, earlier: Sequence[Contract], new: Contract, config: Config) -> Judgement:
    """Judge ``new`` against ``earlier`` (oldest first, as :func:`earlier_needed` chose them)."""
    if not earlier:
        return Judgement(required_bump="major", failures=(), changes=())
    compare = _COMPARERS[family]
    done: dict[tuple[str, str], Comparison] = {}

    def comparison(old: Contract, direction: str) -> Comparison:
        key = (old.label, direction)
        if key not in done:
            found = compare(old, new, config) if direction == "backward" else compare(new, old, config)
            done[key] = Comparison(old.label, direction, found.breaking, found.changes)
        return done[key]

    targets = earlier if mode.transitive else earlier[-1:]
    failures = tuple(c for old in targets for d in _directions(mode) if (c := comparison(old, d)).breaking)
    latest = earlier[-1]
    semver_directions = _directions(mode) or ("backward",)
    backward = comparison(latest, "backward")
    if any(comparison(latest, d).breaking for d in semver_directions):
        bump = "major"
    elif any(c.id not in _NOT_CONTRACT for c in backward.changes):
        bump = "minor"
    else:
        bump = "patch"
    return Judgement(required_bump=bump, failures=failures, changes=backward.changes)


# ---------------------------------------------------------------------- per contract family


def _compare_openapi(old: Contract, new: Contract, config: Config) -> Comparison:
    from apigov import __version__
    from apigov.rules.run import DiffRequest, diff_sources

    report = diff_sources(
        DiffRequest(base=_spec(old.path), revision=_spec(new.path)), config, version=__version__
    )
    changes = tuple(
        Change(
            f.rule_id,
            f.level.value,
            f"{f.operation}: {f.message}" if f.operation else f.message,
        )
        for f in report.findings[:MAX_CHANGES]
    )
    breaking = any(f.level is Level.BREAKING for f in report.findings)
    return Comparison(old.label, "backward", breaking, changes)


def _spec(path: Path) -> str:
    text = str(path)
    return f"./{text}" if text.startswith("git:") else text


def _verdict_changes(verdict: Verdict, what: str) -> tuple[Change, ...]:
    if verdict.compatible:
        return ()
    if not verdict.reasons:
        return (
            Change("schema-not-proven-compatible", "breaking", f"{what}: compatibility could not be proven"),
        )
    return tuple(
        Change(
            r.kind,
            "breaking",
            f"{what} at {r.path or '/'}: {r.detail or r.kind}"
            + (" (could not be proven either way)" if r.status is Status.UNKNOWN else ""),
        )
        for r in verdict.reasons[:MAX_CHANGES]
    )


def _compare_jsonschema(old: Contract, new: Contract, config: Config) -> Comparison:
    """Backward: every instance the old schema accepts, the new one accepts (old ⊆ new)."""
    verdict = is_subset(
        old.data, new.data, resolve_a=local_resolver(old.data), resolve_b=local_resolver(new.data)
    )
    changes = _verdict_changes(verdict, "an instance valid under the old schema is refused")
    if not changes:
        widened = is_subset(
            new.data, old.data, resolve_a=local_resolver(new.data), resolve_b=local_resolver(old.data)
        )
        if not widened.compatible:
            changes = (
                Change("schema-widened", "info", "the new schema accepts instances the old one refused"),
            )
    return Comparison(old.label, "backward", not verdict.compatible, changes)


def _compare_avro(old: Contract, new: Contract, config: Config) -> Comparison:
    """Backward: a reader on the new schema reads every datum written with the old one."""
    issues = can_read(new.data, old.data)
    bad = [i for i in issues if not i.compatible]
    changes = [
        Change(i.kind, "breaking", f"{i.field_path or i.path or '/'}: {i.detail}") for i in bad[:MAX_CHANGES]
    ]
    if not bad and _without_docs(old.data) != _without_docs(new.data):
        changes.append(Change("avro-schema-changed", "info", "the schema changed in a way readers resolve"))
    return Comparison(old.label, "backward", bool(bad), tuple(changes))


def _without_docs(value: JSONValue) -> JSONValue:
    """An Avro schema without its ``doc`` strings (documents are depth-limited when loaded)."""
    if isinstance(value, dict):
        return {k: _without_docs(v) for k, v in value.items() if k != "doc"}
    if isinstance(value, list):
        return [_without_docs(v) for v in value]
    return value


def compare_events(old: Contract, new: Contract, config: Config) -> Comparison:
    """An AsyncAPI document against an earlier one, backward: existing producers and consumers
    keep working. Removed channels, operations and messages break; each message's payload and
    headers are checked in the mode its operations need (what the application sends: new ⊆ old;
    what it receives: old ⊆ new); anything added or otherwise changed is a change.

    The one place to re-point when ``apigov diff`` judges AsyncAPI documents.
    """
    tree = diff_asyncapi(old.data, old.kind, new.data, new.kind)
    changes: list[Change] = []
    for channel in tree.channels.removed:
        changes.append(
            Change("channel-removed", "breaking", f"channel {channel.address or channel.id} removed")
        )
    for channel in tree.channels.added:
        changes.append(Change("channel-added", "info", f"channel {channel.address or channel.id} added"))
    for op in tree.operations.removed:
        changes.append(Change("operation-removed", "breaking", f"operation {op.id} ({op.action}) removed"))
    for op in tree.operations.added:
        changes.append(Change("operation-added", "info", f"operation {op.id} ({op.action}) added"))
    for channel_diff in tree.channels.changed:
        name = channel_diff.revision.address or channel_diff.revision.id
        for message in channel_diff.messages.removed:
            changes.append(Change("message-removed", "breaking", f"{name}: message {message.id} removed"))
        for message in channel_diff.messages.added:
            changes.append(Change("message-added", "info", f"{name}: message {message.id} added"))
        for message_diff in channel_diff.messages.changed:
            for part, pair in (("payload", message_diff.payload), ("headers", message_diff.headers)):
                if pair is not None:
                    changes.extend(
                        _message_pair(old, new, pair, f"{name}: message {message_diff.revision.id} {part}")
                    )
            if message_diff.changes:
                changes.append(
                    Change("message-changed", "info", f"{name}: message {message_diff.revision.id} changed")
                )
        if channel_diff.changes or channel_diff.parameters:
            changes.append(Change("channel-changed", "info", f"channel {name} changed"))
    for op_diff in tree.operations.changed:
        if op_diff.messages_removed:
            changes.append(
                Change(
                    "operation-message-removed",
                    "breaking",
                    f"operation {op_diff.revision.id} no longer carries "
                    + ", ".join(op_diff.messages_removed),
                )
            )
        if op_diff.messages_added or op_diff.changes:
            changes.append(Change("operation-changed", "info", f"operation {op_diff.revision.id} changed"))
    if tree.servers or tree.changes:
        changes.append(Change("document-changed", "info", "servers or document fields changed"))
    breaking = any(c.level == "breaking" for c in changes)
    return Comparison(old.label, "backward", breaking, tuple(changes[:MAX_CHANGES]))


def _message_pair(old: Contract, new: Contract, pair: MessageSchemaPair, what: str) -> list[Change]:
    formats = {pair.base.format, pair.revision.format}
    if not formats <= {"asyncapi", "json-schema"}:
        if formats == {"avro"}:
            old_schema = jsonptr.resolve(old.data, pair.base.pointer)
            new_schema = jsonptr.resolve(new.data, pair.revision.pointer)
            found: list[Change] = []
            if pair.mode.backward:
                found += [
                    Change(i.kind, "breaking", f"{what}: {i.detail}")
                    for i in can_read(new_schema, old_schema)
                    if not i.compatible
                ]
            if pair.mode.forward:
                found += [
                    Change(i.kind, "breaking", f"{what}: {i.detail}")
                    for i in can_read(old_schema, new_schema)
                    if not i.compatible
                ]
            return found or [Change("message-schema-changed", "info", f"{what} changed")]
        return [
            Change(
                "message-schema-changed",
                "info",
                f"{what} changed (format {'/'.join(sorted(formats))} not compared)",
            )
        ]
    old_schema = jsonptr.resolve(old.data, pair.base.pointer)
    new_schema = jsonptr.resolve(new.data, pair.revision.pointer)
    old_resolve, new_resolve = local_resolver(old.data), local_resolver(new.data)
    found = []
    if pair.mode.backward:
        verdict = is_subset(old_schema, new_schema, resolve_a=old_resolve, resolve_b=new_resolve)
        found += _verdict_changes(verdict, f"{what}: a message valid before is refused")
    if pair.mode.forward:
        verdict = is_subset(new_schema, old_schema, resolve_a=new_resolve, resolve_b=old_resolve)
        found += _verdict_changes(verdict, f"{what}: a message now sent is not valid for existing readers")
    return found or [Change("message-schema-changed", "info", f"{what} changed")]


_COMPARERS: Final[dict[str, Comparer]] = {
    "openapi": _compare_openapi,
    "jsonschema": _compare_jsonschema,
    "avro": _compare_avro,
    "asyncapi": compare_events,
}
