"""The DiffTree: plain frozen values saying what changed between two OpenAPI documents.

No levels and no prose: the rules read this tree and decide. Every node carries the JSON
pointers of what it describes in the base and in the revision bundle (``None`` on the side
where it does not exist); ``Bundled.locate`` turns them into file and line. Schemas are not
compared here: a :class:`SchemaPair` names two schemas that are not written the same, for the
schema engine to judge in the right direction.

Shape::

    DiffTree
      operations / webhooks: Matches[OperationSide, OperationDiff]
        OperationDiff
          renamed_path_parameters: (Rename, ...)
          parameters: Matches[ParameterSide, ParameterDiff]
          request_body: BodyDiff | None      (added / removed / changed)
          responses: Matches[ResponseSide, ResponseDiff]
            ResponseDiff: content: Matches[MediaSide, MediaDiff], headers: Matches[HeaderSide, HeaderDiff]
            MediaDiff: schema: SchemaPair | None, fields: Matches[FieldSide, FieldDiff] (2.0 forms)
          security: SecurityDiff | None
          callbacks: Matches[OperationSide, OperationDiff]
          servers: Matches[NamedSide, NamedDiff]   where the operation or its path overrides the root's
          changes: (ValueChange, ...)         deprecated, x-sunset, tags, descriptions, x- ...
      servers, tags: Matches[NamedSide, NamedDiff]
      security: SecurityDiff | None          root-level requirements
      changes: (ValueChange, ...)            info, root x- extensions
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from apigov.core._types import JSONValue


@dataclass(frozen=True, slots=True)
class Pointers:
    """Where a node is in the base and in the revision; ``None`` where it is absent."""

    base: str | None
    revision: str | None


@dataclass(frozen=True, slots=True)
class ValueChange:
    """One field whose value differs. A side's pointer is ``None`` where the field is absent
    (its value is then ``None`` too); ``field`` names the key (``required``, ``x-sunset``...)."""

    field: str
    base: JSONValue
    revision: JSONValue
    at: Pointers


@dataclass(frozen=True, slots=True)
class SchemaPair:
    """Two schemas that are not written the same. ``legacy`` marks a Swagger 2.0 parameter or
    header object, which is its own schema (only its schema keywords count)."""

    base: str
    revision: str
    base_legacy: bool = False
    revision_legacy: bool = False


@dataclass(frozen=True, slots=True)
class Rename:
    """A path parameter named differently at the same position of a matched path template."""

    base: str
    revision: str


SideT = TypeVar("SideT")
DiffT = TypeVar("DiffT")


@dataclass(frozen=True, slots=True)
class Matches(Generic[SideT, DiffT]):
    """Things matched between both sides: only in the revision, only in the base, or in both
    and changed (things in both and unchanged are not listed)."""

    added: tuple[SideT, ...] = ()
    removed: tuple[SideT, ...] = ()
    changed: tuple[DiffT, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


# ---------------------------------------------------------------------- operations


@dataclass(frozen=True, slots=True)
class OperationSide:
    """An operation on one side. ``path`` is the path template (the webhook name for webhooks,
    the runtime expression for callbacks); ``group`` is the callback name."""

    method: str
    path: str
    pointer: str
    operation_id: str | None
    deprecated: bool
    group: str = ""


@dataclass(frozen=True, slots=True)
class ParameterSide:
    location: str
    name: str
    pointer: str
    required: bool
    deprecated: bool
    style: str
    explode: bool
    schema: str | None


@dataclass(frozen=True, slots=True)
class ParameterDiff:
    base: ParameterSide
    revision: ParameterSide
    changes: tuple[ValueChange, ...] = ()
    schema: SchemaPair | None = None


@dataclass(frozen=True, slots=True)
class MediaSide:
    """A media type on one side: ``name`` as written, ``schema`` its pointer (``None`` for none
    or for a Swagger 2.0 form, whose fields are parameters)."""

    name: str
    pointer: str
    schema: str | None


@dataclass(frozen=True, slots=True)
class FieldSide:
    """A form field on one side (a 2.0 ``formData`` parameter or a property of a 3.x form schema)."""

    name: str
    pointer: str
    required: bool


@dataclass(frozen=True, slots=True)
class FieldDiff:
    base: FieldSide
    revision: FieldSide
    schema: SchemaPair | None = None


@dataclass(frozen=True, slots=True)
class MediaDiff:
    """A media type on both sides; ``base.name`` and ``revision.name`` differ when matched by a
    ``+json`` suffix or a wildcard. Where either side is a Swagger 2.0 form, the two are compared
    field by field (``form`` is true, ``fields`` what differs) instead of as one schema."""

    base: MediaSide
    revision: MediaSide
    schema: SchemaPair | None = None
    form: bool = False
    fields: Matches[FieldSide, FieldDiff] = Matches()


@dataclass(frozen=True, slots=True)
class BodySide:
    pointer: str
    required: bool


@dataclass(frozen=True, slots=True)
class BodyDiff:
    """A request body: added (``base`` is ``None``), removed (``revision`` is ``None``) or changed."""

    base: BodySide | None
    revision: BodySide | None
    content: Matches[MediaSide, MediaDiff] = Matches()
    changes: tuple[ValueChange, ...] = ()


@dataclass(frozen=True, slots=True)
class HeaderSide:
    name: str
    pointer: str
    required: bool
    deprecated: bool
    schema: str | None


@dataclass(frozen=True, slots=True)
class HeaderDiff:
    base: HeaderSide
    revision: HeaderSide
    changes: tuple[ValueChange, ...] = ()
    schema: SchemaPair | None = None


@dataclass(frozen=True, slots=True)
class ResponseSide:
    """A response on one side: ``code`` is a status code, a range such as ``2XX``, or ``default``."""

    code: str
    pointer: str


@dataclass(frozen=True, slots=True)
class ResponseDiff:
    """A response on both sides; the codes differ when a code was matched to a range."""

    base: ResponseSide
    revision: ResponseSide
    content: Matches[MediaSide, MediaDiff] = Matches()
    headers: Matches[HeaderSide, HeaderDiff] = Matches()
    changes: tuple[ValueChange, ...] = ()


@dataclass(frozen=True, slots=True)
class Requirement:
    """One security requirement (alternatives are separate requirements): scheme -> scopes."""

    schemes: tuple[tuple[str, tuple[str, ...]], ...]
    pointer: str | None


@dataclass(frozen=True, slots=True)
class RequirementDiff:
    """A requirement with the same schemes on both sides but other scopes."""

    base: Requirement
    revision: Requirement
    scopes_added: tuple[tuple[str, str], ...]
    scopes_removed: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class SecurityDiff:
    """Effective security requirements that differ (operation-level, else root-level)."""

    at: Pointers
    requirements: Matches[Requirement, RequirementDiff]


@dataclass(frozen=True, slots=True)
class OperationDiff:
    base: OperationSide
    revision: OperationSide
    renamed_path_parameters: tuple[Rename, ...] = ()
    parameters: Matches[ParameterSide, ParameterDiff] = Matches()
    request_body: BodyDiff | None = None
    responses: Matches[ResponseSide, ResponseDiff] = Matches()
    security: SecurityDiff | None = None
    callbacks: Matches[OperationSide, OperationDiff] = Matches()
    servers: Matches[NamedSide, NamedDiff] = Matches()
    changes: tuple[ValueChange, ...] = ()


# ---------------------------------------------------------------------- root


@dataclass(frozen=True, slots=True)
class NamedSide:
    """A server (by URL) or a tag (by name) on one side."""

    name: str
    pointer: str


@dataclass(frozen=True, slots=True)
class NamedDiff:
    base: NamedSide
    revision: NamedSide
    changes: tuple[ValueChange, ...] = ()


@dataclass(frozen=True, slots=True)
class DiffTree:
    base_kind: str
    revision_kind: str
    operations: Matches[OperationSide, OperationDiff] = Matches()
    webhooks: Matches[OperationSide, OperationDiff] = Matches()
    servers: Matches[NamedSide, NamedDiff] = Matches()
    tags: Matches[NamedSide, NamedDiff] = Matches()
    security: SecurityDiff | None = None
    changes: tuple[ValueChange, ...] = ()

    @property
    def empty(self) -> bool:
        """True when nothing differs."""
        return not (
            self.operations or self.webhooks or self.servers or self.tags or self.security or self.changes
        )
