"""One finding type for every command, and the report that carries findings to a formatter.

A finding's facts beside its message are :class:`Details`: code reads a fact as a typed field
(``details.side``, ``details.base_location``, ``details.undecided`` ...); the reports show the
facts as one ``name: text`` map (:meth:`Details.as_map`), whose keys, values and key order are the
``details`` of the ``diff/1`` and ``check/1`` JSON reports and of SARIF: a public format, so the
serialisation never changes with the type. Each fact keeps the place it was first given (what a
``dict`` does): a producer states facts in the order a reader should see them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from types import MappingProxyType
from typing import Final, Literal, TypedDict, Unpack, cast

from apigov.core._types import JSONObject, JSONValue


class Level(StrEnum):
    """How serious a finding is.

    Lint findings use ``error``; diff findings use ``breaking``. Both rank the same, so one
    ``--fail-on`` threshold works for every command.
    """

    ERROR = "error"
    BREAKING = "breaking"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK: Final[Mapping[Level, int]] = MappingProxyType(
    {Level.ERROR: 3, Level.BREAKING: 3, Level.WARNING: 2, Level.INFO: 1}
)

#: ``--fail-on`` values and the lowest rank that fails the gate (``none`` never fails).
FAIL_ON: Final[Mapping[str, int | None]] = MappingProxyType(
    {"error": 3, "breaking": 3, "warning": 2, "info": 1, "none": None}
)


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding is: a file, a JSON pointer into it, and a 1-based line and column if known."""

    file: str
    pointer: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


#: Which document a diff finding's location is in.
DiffSide = Literal["base", "revision"]


class Notes(TypedDict, total=False):
    """The facts a diff check states about its finding, by the name the reports show them under
    (every fact but the ones saying where: :class:`Facts` adds those).

    A check builds one of these in the order a reader should see the facts and hands it to the
    context that makes the finding.
    """

    method: str
    path: str
    ref_chain: tuple[str, ...]
    instance_path: str
    instance_paths: int
    field_path: str
    field: str
    message_id: str
    counter_example_source: str
    undecided: bool
    undecided_why: str
    unproven: bool
    decidable: str
    engine: str
    avro: str
    wire: str
    reader: str
    open_model: str
    direction: str
    mode_none_level: Level
    message_mode: str
    against: str
    stability: str
    level_without_stability: Level
    base_level_read_as: str
    same_client_name: str
    sunset: str
    draft: str
    idiom: str
    #: ``diff --consumers``: who uses the changed operation (``consumer``, ``version``,
    #: ``environments``, ``interactions``), shown as a JSON list
    consumers: tuple[JSONObject, ...]
    ignore_reason: str
    ignore_expires: dt.date
    ignored_rule: str
    target: str
    expired: dt.date


class Facts(Notes, total=False):
    """Every fact a finding may state: :class:`Notes` and where the finding is on each side."""

    side: DiffSide
    base_pointer: str
    base_location: Location
    revision_pointer: str
    revision_location: Location
    counter_example: JSONValue


def _text(name: str, value: object) -> str:
    """A fact as the reports show it (the ``diff/1`` text of each type)."""
    if name == "counter_example":
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if name == "consumers" and isinstance(value, tuple):
        return json.dumps(list(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Level):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return " -> ".join(str(part) for part in value)
    return str(value)


#: A text :meth:`Details.from_map` cannot read as its fact's type.
_UNREAD: Final = object()
#: ``file:LINE`` or ``file:LINE:COLUMN``: a location as :class:`Location` shows it.
_AT: Final = re.compile(r"(.*?):([0-9]+)(?::([0-9]+))?")


def _parsed(name: str, text: str) -> object:
    """The fact ``name`` read from its text (``_UNREAD`` when it is not of the fact's type)."""
    try:
        if name == "counter_example":
            return cast(JSONValue, json.loads(text))
        if name == "consumers":
            usages = json.loads(text)
            if isinstance(usages, list) and all(isinstance(usage, dict) for usage in usages):
                return tuple(usages)
            return _UNREAD
        kind = _KINDS.get(name, str)
        if kind is bool:
            return {"true": True, "false": False}.get(text, _UNREAD)
        if kind is Level:
            return Level(text)
        if kind is dt.date:
            return dt.date.fromisoformat(text)
        if kind is int:
            return int(text)
        if kind is tuple:
            return tuple(text.split(" -> "))
        if kind is Location:
            found = _AT.fullmatch(text)
            if found is None:
                return Location(text)
            line, column = found.group(2), found.group(3)
            return Location(found.group(1), line=int(line), column=None if column is None else int(column))
        if name == "side":
            return text if text in ("base", "revision") else _UNREAD
    except (ValueError, RecursionError):
        return _UNREAD
    return text


@dataclass(frozen=True, slots=True)
class Details(Mapping[str, str]):
    """A finding's facts: one typed field per fact (``None`` when the finding does not state it),
    ``extra`` for a lint or contract finding's own facts, and the order the facts were stated in.

    Build with :meth:`of`; change with :meth:`updated` and :meth:`without` (the order is kept as a
    ``dict`` keeps it: a restated fact stays where it was, a new one goes last).
    """

    method: str | None = None
    path: str | None = None
    side: DiffSide | None = None
    base_pointer: str | None = None
    base_location: Location | None = None
    revision_pointer: str | None = None
    revision_location: Location | None = None
    ref_chain: tuple[str, ...] | None = None
    instance_path: str | None = None
    instance_paths: int | None = None
    field_path: str | None = None
    field: str | None = None
    message_id: str | None = None
    #: ``None`` is also the JSON ``null``: :meth:`has` tells whether there is a counter-example
    counter_example: JSONValue = None
    counter_example_source: str | None = None
    undecided: bool = False
    undecided_why: str | None = None
    unproven: bool = False
    decidable: str | None = None
    engine: str | None = None
    avro: str | None = None
    wire: str | None = None
    reader: str | None = None
    open_model: str | None = None
    #: ``backward``/``forward`` (a compatibility direction), or for a body or a response the
    #: sentence saying who sends it
    direction: str | None = None
    mode_none_level: Level | None = None
    message_mode: str | None = None
    against: str | None = None
    stability: str | None = None
    level_without_stability: Level | None = None
    base_level_read_as: str | None = None
    same_client_name: str | None = None
    sunset: str | None = None
    draft: str | None = None
    idiom: str | None = None
    consumers: tuple[JSONObject, ...] | None = None
    ignore_reason: str | None = None
    ignore_expires: dt.date | None = None
    ignored_rule: str | None = None
    target: str | None = None
    expired: dt.date | None = None
    #: a lint or contract-test finding's own facts (free text, read by no code), by name
    extra: tuple[tuple[str, str], ...] = ()
    #: the stated facts' names, in the order they were stated (``extra`` ones included)
    order: tuple[str, ...] = ()

    @classmethod
    def of(cls, extra: Mapping[str, str] | None = None, **facts: Unpack[Facts]) -> Details:
        """Details stating ``extra`` (a lint or contract finding's own facts, first) then ``facts``,
        each in the order given."""
        own = dict(extra or {})
        typed_as_extra = [name for name in own if name in _NAMES]
        if typed_as_extra:
            raise ValueError(f"facts with a type given as free text: {', '.join(typed_as_extra)}")
        return cls._made(facts, tuple(own.items()), (*own, *facts))

    @classmethod
    def from_map(cls, shown: Mapping[str, str]) -> Details:
        """The details a ``name: text`` map shows (as :meth:`as_map` gives it: a test's or another
        tool's findings): a fact with a type is read back as that type when its text is exactly
        what the type shows; any other text (a counter-example that is not JSON ...) is kept as
        text, in ``extra``, so the reports show it unchanged."""
        typed: dict[str, object] = {}
        extra: list[tuple[str, str]] = []
        for name, text in shown.items():
            value = _parsed(name, text) if name in _NAMES else _UNREAD
            if value is _UNREAD or _text(name, value) != text:
                extra.append((name, text))
            else:
                typed[name] = value
        return cls._made(typed, tuple(extra), tuple(shown))

    @classmethod
    def _made(
        cls, typed: Mapping[str, object], extra: tuple[tuple[str, str], ...], order: tuple[str, ...]
    ) -> Details:
        return cls(**typed, extra=extra, order=order)  # type: ignore[arg-type]

    def has(self, name: str) -> bool:
        """Whether the finding states the fact ``name`` (``counter_example`` may be ``null``)."""
        return name in self.order

    def facts(self) -> Facts:
        """The typed facts stated, in order (``extra`` left out)."""
        shown_as_text = {name for name, _ in self.extra}
        stated = {name: getattr(self, name) for name in self.order if name in _NAMES}
        return cast(Facts, {name: value for name, value in stated.items() if name not in shown_as_text})

    def updated(self, **facts: Unpack[Facts]) -> Details:
        """These details with ``facts`` stated (a restated fact keeps its place, a new one goes last)."""
        return self._rebuilt({**self.facts(), **facts})

    def without(self, *names: str) -> Details:
        """These details without the facts ``names``."""
        return self._rebuilt({k: v for k, v in self.facts().items() if k not in names}, names)

    def _rebuilt(self, typed: Mapping[str, object], dropped: tuple[str, ...] = ()) -> Details:
        extra = tuple((k, v) for k, v in self.extra if k not in typed and k not in dropped)
        kept = {name for name, _ in extra}
        order = [name for name in self.order if name in kept or name in typed]
        order += [name for name in typed if name not in order]
        return self._made(typed, extra, tuple(order))

    def text(self, name: str) -> str | None:
        """The fact ``name`` as the reports show it; ``None`` when it is not stated."""
        if name not in self.order:
            return None
        for key, text in self.extra:
            if key == name:
                return text
        return _text(name, getattr(self, name))

    def as_map(self) -> dict[str, str]:
        """The facts as the reports show them: ``name: text``, in the order stated."""
        extra = dict(self.extra)
        return {
            name: extra[name] if name in extra else _text(name, getattr(self, name)) for name in self.order
        }

    # the read-only ``name: text`` view (the map the reports show), for a reader that wants text

    def __getitem__(self, name: str) -> str:
        text = self.text(name)
        if text is None:
            raise KeyError(name)
        return text

    def __iter__(self) -> Iterator[str]:
        return iter(self.order)

    def __len__(self) -> int:
        return len(self.order)

    def __contains__(self, name: object) -> bool:
        return name in self.order


#: The typed facts' names (every field but ``extra`` and ``order``).
_NAMES: Final = frozenset(f.name for f in fields(Details)) - {"extra", "order"}

#: The facts whose type is not ``str`` (``counter_example`` is any JSON value), by type.
_KINDS: Final[Mapping[str, type]] = MappingProxyType(
    {
        "undecided": bool,
        "unproven": bool,
        "mode_none_level": Level,
        "level_without_stability": Level,
        "ignore_expires": dt.date,
        "expired": dt.date,
        "instance_paths": int,
        "ref_chain": tuple,
        "base_location": Location,
        "revision_location": Location,
    }
)

#: No facts.
NO_DETAILS: Final = Details()


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a rule or a validator has to say about a contract."""

    rule_id: str
    level: Level
    message: str
    location: Location
    operation: str | None = None
    #: a plain ``name: text`` map given here (a test's, another tool's) is read into
    #: :class:`Details` (:meth:`Details.from_map`)
    details: Details = NO_DETAILS

    def __post_init__(self) -> None:
        if not isinstance(self.details, Details):
            # the type says Details; a caller outside the type checker may give a map
            object.__setattr__(self, "details", Details.from_map(self.details))  # type: ignore[unreachable]

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.location.file, self.location.line or 0, self.location.pointer, self.rule_id)


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What a report says about one document it looked at."""

    source: str
    kind: str
    title: str | None = None
    version: str | None = None
    #: a registry reference: the exact version it was read as (``orders-api@1.4.0`` for
    #: ``orders-api@latest``); ``None`` for a file
    resolved: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """The result of a command: findings plus what was looked at.

    ``command`` names the producing command (``check``, ``diff`` ...); formatters use it to pick
    headings and the JSON envelope (``{"apigov": "check/1", ...}``).
    """

    command: str
    findings: tuple[Finding, ...]
    documents: tuple[DocumentInfo, ...] = ()
    tool_version: str = ""
    #: the one-line summary of every rule that ran, by id (formatters that describe rules use it)
    rule_summaries: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: findings an ignore-file entry matched (``details`` carry ``ignore_reason`` and maybe
    #: ``ignore_expires``); formatters mention them, but they count in neither ``summary()`` nor ``fails()``
    suppressed: tuple[Finding, ...] = ()
    #: ``diff`` of event schemas: the compatibility mode judged (``BACKWARD`` ...), else ``None``
    mode: str | None = None
    #: ``diff``: the compatibility tier (``wire``/``sdk``) when one was chosen (``--tier`` or
    #: ``diff.tier``), else ``None`` (the wire tier, unnamed)
    tier: str | None = None

    def summary(self) -> dict[str, int]:
        """The number of findings (not suppressed ones) at each level."""
        counts = {level.value: 0 for level in Level}
        for finding in self.findings:
            counts[finding.level.value] += 1
        return counts

    def fails(self, fail_on: str) -> bool:
        """True when any finding (not a suppressed one) is at or above the ``--fail-on`` threshold."""
        threshold = FAIL_ON[fail_on]
        if threshold is None:
            return False
        return any(f.level.rank >= threshold for f in self.findings)
