"""``apigov diff`` for event schemas: JSON Schema, Avro and AsyncAPI versions under a compatibility mode.

:func:`diff_events` takes every version given (oldest first; the last is the one under review)
and a :class:`~apigov.schema.modes.Mode`. The non-transitive modes compare the last version with
the one before it only (as a schema registry compares with the latest); the ``_TRANSITIVE``
forms with every earlier version. ``BACKWARD``: readers on the new version read data written
with an earlier one; ``FORWARD``: readers on an earlier version read data written with the new
one; ``FULL``: both; ``NONE``: no gate, every change is listed as ``info``.

A change in a direction the mode asks for is ``breaking`` when proven by a counter-example,
``warning`` when apigov cannot decide; in the other direction it is ``info``. AsyncAPI
documents are judged per message when no mode is given: a message the application sends must
stay readable by its consumers (FORWARD), one it receives readable by the application (BACKWARD),
one it does both with (or that no operation names) both (FULL); an explicit ``--mode`` applies
to every message.

Every version is validated first (the JSON Schema draft's meta-schema, the Avro specification,
the AsyncAPI schema): an invalid one, or versions of different kinds, raise
:class:`~apigov.core.errors.InputError`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Final

from apigov.core.errors import InputError
from apigov.core.findings import Details, DocumentInfo, Finding, Report
from apigov.documents.drafts import uses_older_idioms
from apigov.documents.kinds import Kind
from apigov.documents.refs import Workspace
from apigov.rules.catalogue import RULES
from apigov.rules.context import DiffOptions, Side
from apigov.rules.events.asyncapi import asyncapi_changes
from apigov.rules.events.avro import avro_changes
from apigov.rules.events.catalogue import DRAFT_ASSUMED, EVENT_BY_ID, EVENT_RULES
from apigov.rules.events.compare import Pair, SchemaPlace, directions, schema_changes
from apigov.rules.policy import Policy
from apigov.schema.drafts import for_engine
from apigov.schema.modes import Mode

#: every id ``apigov diff`` may report, OpenAPI and event rules together
ALL_IDS: Final[Mapping[str, str]] = MappingProxyType(
    {**{r.id: r.summary for r in RULES}, **{r.id: r.summary for r in EVENT_RULES}}
)
EVENT_FAMILIES: Final = frozenset({"jsonschema", "avro", "asyncapi"})
DEFAULT_MODE: Final = Mode.BACKWARD


@dataclass(slots=True)
class EventVersion:
    """One version as loaded: its bundle and kind (``side``), what the report says about it, the
    workspace it was loaded from and the specification version it declares."""

    side: Side
    info: DocumentInfo
    workspace: Workspace
    spec_version: str


def parse_mode(text: str | None) -> Mode | None:
    """``backward``, ``FULL_TRANSITIVE``, ``forward-transitive``...; ``None`` stays ``None``."""
    if text is None:
        return None
    try:
        return Mode.parse(text)
    except ValueError:
        names = ", ".join(m.value for m in Mode)
        raise InputError(f"unknown compatibility mode {text!r}", hint=f"use one of {names}") from None


def comparable(versions: Sequence[EventVersion]) -> str:
    """The family all versions share; :class:`InputError` when they cannot be compared."""
    first = versions[0]
    family = first.side.kind.family
    for other in versions[1:]:
        if other.side.kind.family != family:
            raise InputError(
                f"{other.side.source}: cannot compare {other.side.kind.value} with "
                f"{first.side.kind.value} ({first.side.source})",
                hint="give versions of one kind: OpenAPI, AsyncAPI, JSON Schema or Avro",
            )
    if family not in EVENT_FAMILIES:
        raise InputError(
            f"{versions[-1].side.source}: more than two versions are compared only for event schemas "
            "(AsyncAPI, JSON Schema, Avro)",
            hint="give OpenAPI documents two at a time",
        )
    return family


def validate(version: EventVersion) -> None:
    """Refuse a version that is not valid for its kind (one line: the first structural error)."""
    from apigov.lint.context import LintContext
    from apigov.lint.structure.asyncapi import asyncapi_structure_invalid
    from apigov.lint.structure.avro import avro_structure_invalid
    from apigov.lint.structure.jsonschema import jsonschema_structure_invalid

    family = version.side.kind.family
    check = {
        "jsonschema": jsonschema_structure_invalid,
        "avro": avro_structure_invalid,
        "asyncapi": asyncapi_structure_invalid,
    }[family]
    ctx = LintContext(
        bundled=version.side.bundled,
        kind=version.side.kind,
        spec_version=version.spec_version,
        workspace=version.workspace,
    )
    errors = list(check(ctx))
    if errors:
        first = errors[0]
        where = str(first.location)
        pointer = first.location.pointer or "/"
        more = f" ({len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InputError(
            f"{where}: not a valid {_kind_name(version.side.kind)}: {first.message} at {pointer}{more}",
            hint="run 'apigov check' on it",
        )


def _kind_name(kind: Kind) -> str:
    if kind.family == "jsonschema":
        return f"JSON Schema ({kind.value.split('-', 1)[1]})"
    if kind is Kind.AVRO:
        return "Avro schema"
    return f"AsyncAPI document ({kind.value})"


def diff_events(
    versions: Sequence[EventVersion],
    *,
    mode: Mode | None,
    options: DiffOptions,
    policy: Policy,
    version: str = "",
) -> Report:
    """Judge the last of ``versions`` against the earlier ones under ``mode`` (see the module)."""
    family = comparable(versions)
    for one in versions:
        validate(one)
    if family == "jsonschema":
        versions = [_engine_reading(one) for one in versions]
    effective = mode if mode is not None else (None if family == "asyncapi" else DEFAULT_MODE)
    last = len(versions) - 1
    transitive = effective is not None and effective.transitive
    earlier = range(last) if transitive else (last - 1,)
    findings: list[Finding] = [note for one in versions[-2:] for note in _draft_notes(one)]
    seen: set[tuple[str, str, str, str]] = set()
    for index in earlier:
        old, new = versions[index], versions[last]
        against = None if index == last - 1 else old.info.source
        pair = Pair(
            old=old.side,
            new=new.side,
            mode=effective,
            options=options,
            catalogue=EVENT_BY_ID,
            against=against,
        )
        for finding in compare_pair(pair, family):
            key = (finding.rule_id, finding.location.file, finding.location.pointer, finding.message)
            if key in seen:
                continue
            seen.add(key)
            findings.append(finding)
    kept, suppressed, notices = policy.ignored(list(policy.configured(findings, keep_info=True)))
    return Report(
        command="diff",
        findings=tuple(policy.ordered([*kept, *notices], by_file=True)),
        documents=(_described(versions[last - 1]), _described(versions[last])),
        tool_version=version,
        rule_summaries=ALL_IDS,
        suppressed=tuple(suppressed),
        mode=effective.value if effective is not None else "PER_MESSAGE",
    )


def _engine_reading(version: EventVersion) -> EventVersion:
    """A JSON Schema of an older draft as the engine reads it (:mod:`apigov.schema.drafts`)."""
    draft = version.side.kind.value.split("-", 1)[1]
    data = version.side.data
    read = for_engine(data, draft)
    if read is data:
        return version
    bundled = replace(version.side.bundled, document=replace(version.side.bundled.document, data=read))
    side = Side(bundled, version.side.kind, version.side.source, version.side.dangling_examples)
    return replace(version, side=side)


def _draft_notes(version: EventVersion) -> Iterator[Finding]:
    """``schema-draft-assumed``: a JSON Schema without ``$schema`` whose keywords make sense only
    in drafts before 2020-12 says which draft it was read as."""
    data = version.workspace.root.data
    if version.side.kind.family != "jsonschema" or not isinstance(data, dict) or "$schema" in data:
        return
    idiom = uses_older_idioms(data)
    if idiom is None:
        return
    draft = version.side.kind.value.split("-", 1)[1]
    shown = draft if draft.startswith("draft") else f"draft {draft}"
    yield Finding(
        rule_id=DRAFT_ASSUMED,
        level=EVENT_BY_ID[DRAFT_ASSUMED].level,
        message=f"no $schema: read as {shown}, as it uses {idiom} (set $schema, or "
        "jsonschema.default-draft in apigov.yaml)",
        location=version.side.location(""),
        details=Details.of(draft=draft, idiom=idiom),
    )


def compare_pair(pair: Pair, family: str) -> Iterator[Finding]:
    """Every finding between two versions of one kind."""
    if family == "asyncapi":
        yield from asyncapi_changes(pair)
    elif family == "avro":
        yield from avro_changes(pair, "", "", directions(pair.mode))
    else:
        place = SchemaPlace(old_pointer="", new_pointer="", prefix="schema", label="schema")
        yield from schema_changes(pair, place, directions(pair.mode))


def _described(version: EventVersion) -> DocumentInfo:
    """A JSON Schema's ``title`` and an Avro schema's ``name`` stand for an API's ``info.title``."""
    data = version.side.data
    if version.info.title is not None or not isinstance(data, dict):
        return version.info
    key = "name" if version.side.kind is Kind.AVRO else "title"
    title = data.get(key)
    return replace(version.info, title=title) if isinstance(title, str) else version.info
