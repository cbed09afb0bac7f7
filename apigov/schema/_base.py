"""The compatibility engine's shared vocabulary: limits, :class:`Reason`, :class:`Verdict`, the
per-question context and the helpers every part of the comparison uses (see :mod:`apigov.schema.compat`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Final, TypeAlias, cast

from apigov.core._types import JSONValue
from apigov.schema.instances import NONE, accepts_norm
from apigov.schema.instances import _None as NoExample
from apigov.schema.model import MemoResolver, Norm

if TYPE_CHECKING:
    from apigov.schema.compat import Comparator

MAX_DEPTH: Final = 64
MAX_STEPS: Final = 50_000
"""Comparisons of two subschemas one :func:`is_subset` call may make before it answers UNKNOWN."""
MAX_WORK: Final = 150_000
"""Units of work (validations of an instance, disjointness checks, comparison steps) one
:func:`is_subset` call may do before it answers UNKNOWN: a step can be costly (a ``oneOf`` of
5,000 branches checks each against each), so steps alone do not bound the time."""
STEP_WORK: Final = 2
"""Units of work one comparison step costs (a step normalises both schemas and checks every
keyword: several validations' worth)."""
MAX_SESSION_WORK: Final = 300_000
"""Units of work one :class:`Comparator` session (both directions) may do in all; the questions
asked after it is spent answer UNKNOWN at once. Measured on diffs of two large real APIs
(Stripe's, 4 MB each): at most 106,000 in a session, 88,000 in one question."""
MAX_REASONS: Final = 32
"""Reasons one pair of schema objects reports before repeats are cut: past it, each distinct
difference keeps :data:`MAX_REPEATS` instance paths (proven ones first); none is dropped."""
MAX_REPEATS: Final = 1
"""Instance paths kept per difference once a pair has more than :data:`MAX_REASONS` reasons."""
MAX_EXAMPLE_VALUES: Final = 2_000_000
"""Object members one :meth:`Comparator.is_subset` call copies at most to build the
counter-examples it reports; the reasons past it are reported ``UNKNOWN`` with why."""
UNCONFIRMED: Final = "counter-example not confirmed within this schema's budget"
"""Said in the detail of a reason whose counter-example was found but could not be built or
checked within the question's budgets (:data:`MAX_EXAMPLE_VALUES`, :data:`MAX_WORK`): reported
``UNKNOWN``; searching for another counter-example would run out the same way."""
NO_EXAMPLE: Final = NONE
"""The counter-example of a reason that has none."""
WIDER_FORMATS: Final = frozenset({("int32", "int64"), ("float", "double")})
"""``(a, b)`` pairs of formats where every value of format ``a`` is a value of format ``b``."""


REINTERPRETED: Final = frozenset(
    {"content-encoding-changed", "content-media-type-changed", "content-schema-changed"}
)
"""Kinds whose counter-example both schemas may accept, but read differently: a string whose
``contentEncoding`` or ``contentMediaType`` changed, or whose decoded document the old
``contentSchema`` accepts and the new one rejects (checked where the reason is made)."""


class Status(StrEnum):
    SUBSET = "subset"
    NOT_SUBSET = "not-subset"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Reason:
    """One difference: ``kind`` (stable kebab id), ``path`` (pointer into the instance), status."""

    kind: str
    path: str
    status: Status
    counter_example: JSONValue | NoExample = NO_EXAMPLE
    detail: str = ""
    change: int = field(default=0, compare=False, repr=False)
    """The session's number of the difference this reason is one instance path of (0: not yet
    numbered); the engine's own bookkeeping."""


_NEW: Final = object.__new__
_SET_KIND, _SET_PATH, _SET_STATUS, _SET_EXAMPLE, _SET_DETAIL, _SET_CHANGE = (
    Reason.__dict__[name].__set__
    for name in ("kind", "path", "status", "counter_example", "detail", "change")
)


def _reason(
    kind: str, path: str, status: Status, counter_example: JSONValue | NoExample, detail: str, change: int
) -> Reason:
    """``Reason(kind, path, status, counter_example, detail, change)``, built without the frozen
    dataclass's ``__init__`` (a third of the time): the engine's hot paths copy millions of
    reasons to move them to another instance path."""
    reason = _NEW(Reason)
    _SET_KIND(reason, kind)
    _SET_PATH(reason, path)
    _SET_STATUS(reason, status)
    _SET_EXAMPLE(reason, counter_example)
    _SET_DETAIL(reason, detail)
    _SET_CHANGE(reason, change)
    return reason


class _Patched:
    """A counter-example not built yet: ``base`` with property ``name`` set to ``inner`` (itself
    possibly a :class:`_Patched`). Shared by the reasons of one object until they are settled."""

    __slots__ = ("base", "inner", "name")

    def __init__(self, base: dict[str, JSONValue], name: str, inner: JSONValue) -> None:
        self.base, self.name, self.inner = base, name, inner


def _cost(value: object) -> int:
    """Object members :func:`_real` copies to build ``value``."""
    cost = 0
    while isinstance(value, _Patched):
        cost += len(value.base) + 1
        value = value.inner
    return cost


def _real(value: object) -> JSONValue | NoExample:
    """``value`` with every :class:`_Patched` built."""
    if not isinstance(value, _Patched):
        return cast("JSONValue | NoExample", value)
    inner = _real(value.inner)
    assert not isinstance(inner, NoExample)
    return {**value.base, value.name: inner}


@dataclass(frozen=True, slots=True)
class Verdict:
    status: Status
    reasons: tuple[Reason, ...] = ()

    @property
    def compatible(self) -> bool:
        return self.status is Status.SUBSET


_Key: TypeAlias = tuple[int, int, frozenset[str] | None, frozenset[str] | None]
_FREE: Final = 1 << 30
"""The dependency mark of a result that rests on no assumption of a comparison in progress."""
_LIMITS: Final = frozenset({"depth-exceeded"})


class _Exhausted(Exception):
    """The step budget of one :meth:`Comparator.is_subset` call ran out (at ``path``)."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


@dataclass(slots=True)
class _Frame:
    path: str
    index: int
    node_a: JSONValue
    node_b: JSONValue


@dataclass(slots=True)
class _Ctx:
    session: Comparator
    steps: int = 0
    limited: int = 0
    """How often the depth limit was reached; a result computed meanwhile is not final."""
    low: int = _FREE
    """The outermost comparison in progress the current one rests on (its assumption)."""
    in_progress: dict[_Key, _Frame] = field(default_factory=dict)
    cut: int = _FREE
    """The outermost comparison in progress the current one found again at the same path."""
    proven: dict[_Key, int] = field(default_factory=dict)
    """Pairs shown compatible while resting on an assumption (the mark of the outermost one);
    forgotten when an assumption they rest on fails."""
    order: list[_Key] = field(default_factory=list)
    """The keys of :attr:`proven` in the order they were proven."""
    a_siblings: dict[str, tuple[tuple[Norm, ...], int]] = field(default_factory=dict)
    """By path: A's ``oneOf`` branches and the index of the one being compared."""

    @property
    def resolve_a(self) -> MemoResolver:
        return self.session._resolve_a

    @property
    def resolve_b(self) -> MemoResolver:
        return self.session._resolve_b


def _unknown(kind: str, path: str, detail: str = "") -> Reason:
    return Reason(kind, path, Status.UNKNOWN, NO_EXAMPLE, detail)


def _accepts_everything(n: Norm) -> bool:
    """Whether ``n`` is the ``true`` schema (``Norm()`` up to its reference and node)."""
    return (
        n.types is None
        and n.enum is None
        and n.lower is None
        and n.upper is None
        and n.multiple_of is None
        and n.min_length == 0
        and n.max_length is None
        and n.pattern is None
        and n.format is None
        and not n.properties
        and not n.required
        and n.additional is True
        and n.items is True
        and n.min_items == 0
        and n.max_items is None
        and not n.unique_items
        and n.any_of is None
        and n.one_of is None
        and n.all_of is None
        and n.not_ is None
        and not n.never
        and not n.unknown
        and not n.has_extras
    )


def _found(kind: str, path: str, na: Norm, nb: Norm, pool: Iterable[JSONValue], ctx: _Ctx) -> Reason:
    """A difference; its counter-example is the first candidate A accepts and B rejects."""
    for candidate in pool:
        if (
            accepts_norm(na, candidate, ctx.resolve_a) is True
            and accepts_norm(nb, candidate, ctx.resolve_b) is False
        ):
            return Reason(kind, path, Status.NOT_SUBSET, candidate)
    return _unknown(kind, path, "no counter-example found")
