"""Structural diff of two OpenAPI documents (Swagger 2.0, OpenAPI 3.0 and 3.1, across versions).

Entry point: :func:`diff_openapi` (document data and kind on each side, normally the data of a
``Bundled`` document) or :func:`diff_bundles`. Both sides are first read into the 3.x-shaped
model of :mod:`apigov.diff.normalise`; then things are matched:

- operations by method and path template with parameter names erased (``/pets/{id}`` is
  ``/pets/{petId}``), webhooks by method and name, callbacks by name, expression and method;
- parameters by (in, name), header names ignoring case, a renamed path parameter following
  its position;
- responses by status code, a code covered by a range (``2XX``) matched to that range;
- media types exactly, then by ``+json`` suffix or wildcard, ignoring media-type parameters.

Schemas are not compared: where two are not written the same, a :class:`SchemaPair` is left
for the schema engine.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Final, TypeVar

from apigov.core import jsonptr
from apigov.core._types import JSONObject, JSONValue
from apigov.core.shown import as_text
from apigov.diff.normalise import (
    Api,
    Body,
    Field,
    Header,
    Media,
    Operation,
    Parameter,
    Response,
    Schema,
    Security,
    form_fields,
    path_names,
    read_api,
    requirements,
)
from apigov.diff.sameness import Sameness, unchanged_paths
from apigov.diff.tree import (
    BodyDiff,
    BodySide,
    DiffTree,
    FieldDiff,
    FieldSide,
    HeaderDiff,
    HeaderSide,
    Matches,
    MediaDiff,
    MediaSide,
    NamedDiff,
    NamedSide,
    OperationDiff,
    OperationSide,
    ParameterDiff,
    ParameterSide,
    Pointers,
    Rename,
    Requirement,
    RequirementDiff,
    ResponseDiff,
    ResponseSide,
    SchemaPair,
    SecurityDiff,
    ValueChange,
)
from apigov.documents.bundle import Bundled
from apigov.documents.kinds import Kind

__all__ = ["diff_bundles", "diff_openapi"]

_OPERATION_FIELDS: Final = ("summary", "description", "operationId", "deprecated", "tags")
_PARAMETER_FIELDS: Final = ("description", "deprecated", "allowEmptyValue", "allowReserved")
_DESCRIBED: Final = ("description",)
_INFO_FIELDS: Final = ("title", "version", "description", "termsOfService", "contact", "license", "summary")
_SERVER_FIELDS: Final = ("description", "variables")

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


def diff_openapi(base: JSONValue, base_kind: Kind, revision: JSONValue, revision_kind: Kind) -> DiffTree:
    """What changed from ``base`` to ``revision``; both are OpenAPI or Swagger 2.0 documents
    whose references are internal (bundled). Pointers in the tree point into these data."""
    same = unchanged_paths(base, revision) if base_kind is revision_kind else frozenset()
    old, new = read_api(base, base_kind, same), read_api(revision, revision_kind, same)
    return _Differ(old, new, Sameness(base, revision)).tree()


def diff_bundles(base: Bundled, base_kind: Kind, revision: Bundled, revision_kind: Kind) -> DiffTree:
    """:func:`diff_openapi` of two bundles; ``Bundled.locate`` maps the tree's pointers back."""
    return diff_openapi(base.document.data, base_kind, revision.document.data, revision_kind)


def match(
    base: Iterable[T], revision: Iterable[T], key: Callable[[T], K]
) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """Pair items with equal keys (the first of duplicates wins): (pairs, added, removed)."""
    by_key: dict[K, T] = {}
    for item in revision:
        by_key.setdefault(key(item), item)
    pairs: list[tuple[T, T]] = []
    removed: list[T] = []
    used: set[K] = set()
    for item in base:
        k = key(item)
        if k in by_key and k not in used:
            pairs.append((item, by_key[k]))
            used.add(k)
        else:
            removed.append(item)
    added = [item for k, item in by_key.items() if k not in used]
    return pairs, added, removed


def field_changes(
    base: JSONObject, base_ptr: str, revision: JSONObject, revision_ptr: str, fields: Sequence[str]
) -> list[ValueChange]:
    """Changed values of ``fields`` and of every ``x-`` extension between two objects. A side's
    pointer is the field's where it is written, else the object's."""
    names = list(fields) + sorted(k for k in base.keys() | revision.keys() if k.startswith("x-"))
    changes: list[ValueChange] = []
    for name in names:
        old, new = base.get(name), revision.get(name)
        if old != new:
            at = Pointers(_field_ptr(base, base_ptr, name), _field_ptr(revision, revision_ptr, name))
            changes.append(ValueChange(name, old, new, at))
    return changes


def value_change(
    name: str, old: JSONValue, new: JSONValue, base: tuple[JSONObject, str], revision: tuple[JSONObject, str]
) -> list[ValueChange]:
    """A one-item list when an effective value (a default applied) changed; ``base`` and
    ``revision`` are the owning objects and their pointers."""
    if old == new:
        return []
    at = Pointers(_field_ptr(base[0], base[1], name), _field_ptr(revision[0], revision[1], name))
    return [ValueChange(name, old, new, at)]


def _field_ptr(node: JSONObject, pointer: str, name: str) -> str:
    return jsonptr.join(pointer, name) if name in node else pointer


class _Differ:
    """Diffs two read documents; holds the schema filter shared by every comparison."""

    def __init__(self, base: Api, revision: Api, sameness: Sameness) -> None:
        self.base = base
        self.revision = revision
        self.sameness = sameness

    def tree(self) -> DiffTree:
        return DiffTree(
            base_kind=self.base.kind.value,
            revision_kind=self.revision.kind.value,
            operations=self.operations(self.base.operations, self.revision.operations),
            webhooks=self.operations(self.base.webhooks, self.revision.webhooks),
            servers=self.named(self.base.servers, self.revision.servers, _server_key),
            tags=self.named(self.base.tags, self.revision.tags, str),
            security=self.root_security(),
            changes=tuple(self.root_changes()),
        )

    # ------------------------------------------------------------------ operations

    def operations(
        self, base: Sequence[Operation], revision: Sequence[Operation]
    ) -> Matches[OperationSide, OperationDiff]:
        pairs, added, removed = match(base, revision, _operation_key)
        changed = [d for d in (self.operation(b, r) for b, r in pairs) if d is not None]
        return Matches(
            tuple(_operation_side(op) for op in added),
            tuple(_operation_side(op) for op in removed),
            tuple(changed),
        )

    def operation(self, base: Operation, revision: Operation) -> OperationDiff | None:
        renames = tuple(
            Rename(old, new)
            for old, new in zip(path_names(base.path), path_names(revision.path), strict=False)
            if old != new
        )
        diff = OperationDiff(
            base=_operation_side(base),
            revision=_operation_side(revision),
            renamed_path_parameters=renames,
            parameters=self.parameters(base.parameters, revision.parameters, renames),
            request_body=self.body(base.body, revision.body),
            responses=self.responses(base.responses, revision.responses),
            security=self.security(base.security, revision.security),
            callbacks=self.operations(base.callbacks, revision.callbacks),
            servers=self.operation_servers(base, revision),
            changes=tuple(self.operation_changes(base, revision)),
        )
        return None if _blank_operation(diff) else diff

    def operation_servers(self, base: Operation, revision: Operation) -> Matches[NamedSide, NamedDiff]:
        """Servers of an operation when either side overrides the root's."""
        if base.servers is None and revision.servers is None:
            return Matches()
        old = self.base.servers if base.servers is None else base.servers
        new = self.revision.servers if revision.servers is None else revision.servers
        return self.named(old, new, _server_key)

    def operation_changes(self, base: Operation, revision: Operation) -> list[ValueChange]:
        old = _with_sorted_tags(base.data)
        new = _with_sorted_tags(revision.data)
        return field_changes(old, base.pointer, new, revision.pointer, _OPERATION_FIELDS)

    # ------------------------------------------------------------------ parameters

    def parameters(
        self, base: Sequence[Parameter], revision: Sequence[Parameter], renames: Sequence[Rename]
    ) -> Matches[ParameterSide, ParameterDiff]:
        renamed = {r.base: r.revision for r in renames}

        def base_key(p: Parameter) -> tuple[str, str]:
            return ("path", renamed.get(p.name, p.name)) if p.location == "path" else p.key

        by_revision = {p.key: p for p in revision}
        pairs: list[tuple[Parameter, Parameter]] = []
        removed: list[Parameter] = []
        for param in base:
            other = by_revision.pop(base_key(param), None)
            if other is None:
                removed.append(param)
            else:
                pairs.append((param, other))
        changed = [d for d in (self.parameter(b, r) for b, r in pairs) if d is not None]
        return Matches(
            tuple(_parameter_side(p) for p in by_revision.values()),
            tuple(_parameter_side(p) for p in removed),
            tuple(changed),
        )

    def parameter(self, base: Parameter, revision: Parameter) -> ParameterDiff | None:
        old, new = (base.data, base.pointer), (revision.data, revision.pointer)
        changes = field_changes(*old, *new, _PARAMETER_FIELDS)
        changes += value_change("required", base.required, revision.required, old, new)
        changes += value_change("style", base.style, revision.style, old, new)
        changes += value_change("explode", base.explode, revision.explode, old, new)
        changes += value_change("content", base.media, revision.media, old, new)
        schema_changes, pair = self.schemas(base.schema, revision.schema, old, new)
        changes += schema_changes
        if not changes and pair is None:
            return None
        return ParameterDiff(_parameter_side(base), _parameter_side(revision), tuple(changes), pair)

    def schemas(
        self,
        base: Schema | None,
        revision: Schema | None,
        base_owner: tuple[JSONObject, str],
        revision_owner: tuple[JSONObject, str],
    ) -> tuple[list[ValueChange], SchemaPair | None]:
        """A schema pair when both sides have a schema not written the same; a ``schema``
        change (values are the pointers) when only one side has one."""
        if base is None or revision is None:
            old = base.pointer if base else None
            new = revision.pointer if revision else None
            return value_change("schema", old, new, base_owner, revision_owner), None
        if self.sameness.same(base, revision):
            return [], None
        return [], SchemaPair(base.pointer, revision.pointer, base.legacy, revision.legacy)

    # ------------------------------------------------------------------ bodies and media

    def body(self, base: Body | None, revision: Body | None) -> BodyDiff | None:
        if base is None and revision is None:
            return None
        if base is None or revision is None:
            return BodyDiff(_body_side(base), _body_side(revision))
        old, new = (base.data, base.pointer), (revision.data, revision.pointer)
        changes = field_changes(*old, *new, _DESCRIBED)
        changes += value_change("required", base.required, revision.required, old, new)
        content = self.content(base.content, revision.content)
        if not changes and not content:
            return None
        return BodyDiff(_body_side(base), _body_side(revision), content, tuple(changes))

    def content(self, base: Sequence[Media], revision: Sequence[Media]) -> Matches[MediaSide, MediaDiff]:
        pairs, added, removed = match_media(base, revision)
        changed: list[MediaDiff] = []
        for old, new in pairs:
            renamed = _media_name(old.name) != _media_name(new.name)  # parameters ignored
            if old.fields is not None or new.fields is not None:  # a Swagger 2.0 form
                fields = self.form(old, new)
                if fields is not None:
                    if fields or renamed:
                        changed.append(MediaDiff(_media_side(old), _media_side(new), None, True, fields))
                    continue
            schema_changes, pair = self.schemas(old.schema, new.schema, ({}, old.pointer), ({}, new.pointer))
            if pair is not None or schema_changes or renamed:
                changed.append(MediaDiff(_media_side(old), _media_side(new), pair))
        return Matches(
            tuple(_media_side(m) for m in added), tuple(_media_side(m) for m in removed), tuple(changed)
        )

    def form(self, base: Media, revision: Media) -> Matches[FieldSide, FieldDiff] | None:
        """The fields of two forms, matched by name; ``None`` when one side is not a form."""
        old = form_fields(self.base.data, base)
        new = form_fields(self.revision.data, revision)
        if old is None or new is None:
            return None
        pairs, added, removed = match(old, new, lambda f: f.name)
        changed: list[FieldDiff] = []
        for a, b in pairs:
            pair = None
            if not self.sameness.same(a.schema, b.schema):
                pair = SchemaPair(a.schema.pointer, b.schema.pointer, a.schema.legacy, b.schema.legacy)
            if pair is not None or a.required != b.required:
                changed.append(FieldDiff(_field_side(a), _field_side(b), pair))
        return Matches(
            tuple(_field_side(f) for f in added), tuple(_field_side(f) for f in removed), tuple(changed)
        )

    # ------------------------------------------------------------------ responses

    def responses(
        self, base: Sequence[Response], revision: Sequence[Response]
    ) -> Matches[ResponseSide, ResponseDiff]:
        pairs, added, removed = match_codes(base, revision)
        changed = [d for d in (self.response(b, r) for b, r in pairs) if d is not None]
        return Matches(
            tuple(ResponseSide(r.code, r.pointer) for r in added),
            tuple(ResponseSide(r.code, r.pointer) for r in removed),
            tuple(changed),
        )

    def response(self, base: Response, revision: Response) -> ResponseDiff | None:
        changes = field_changes(base.data, base.pointer, revision.data, revision.pointer, _DESCRIBED)
        content = self.content(base.content, revision.content)
        headers = self.headers(base.headers, revision.headers)
        if not changes and not content and not headers and base.code == revision.code:
            return None
        return ResponseDiff(
            ResponseSide(base.code, base.pointer),
            ResponseSide(revision.code, revision.pointer),
            content,
            headers,
            tuple(changes),
        )

    def headers(self, base: Sequence[Header], revision: Sequence[Header]) -> Matches[HeaderSide, HeaderDiff]:
        pairs, added, removed = match(base, revision, lambda h: h.name.lower())
        changed: list[HeaderDiff] = []
        for old, new in pairs:
            sides = (old.data, old.pointer), (new.data, new.pointer)
            changes = field_changes(*sides[0], *sides[1], ("description", "deprecated"))
            changes += value_change("required", old.required, new.required, *sides)
            schema_changes, pair = self.schemas(old.schema, new.schema, *sides)
            changes += schema_changes
            if changes or pair is not None:
                changed.append(HeaderDiff(_header_side(old), _header_side(new), tuple(changes), pair))
        return Matches(
            tuple(_header_side(h) for h in added), tuple(_header_side(h) for h in removed), tuple(changed)
        )

    # ------------------------------------------------------------------ security

    def security(self, base: Security, revision: Security) -> SecurityDiff | None:
        if set(base.requirements) == set(revision.requirements):
            return None
        old = [Requirement(r, base.pointer) for r in base.requirements]
        new = [Requirement(r, revision.pointer) for r in revision.requirements]
        exact, added, removed = match(old, new, lambda r: r.schemes)
        del exact
        pairs, added, removed = match(removed, added, lambda r: tuple(name for name, _ in r.schemes))
        changed = tuple(_requirement_diff(b, r) for b, r in pairs)
        return SecurityDiff(
            Pointers(base.pointer, revision.pointer), Matches(tuple(added), tuple(removed), changed)
        )

    def root_security(self) -> SecurityDiff | None:
        def root(api: Api) -> Security:
            if "security" in api.data:
                return Security("/security", _root_requirements(api))
            return Security(None, ())

        return self.security(root(self.base), root(self.revision))

    # ------------------------------------------------------------------ root

    def named(
        self,
        base: Sequence[tuple[str, str]],
        revision: Sequence[tuple[str, str]],
        key: Callable[[str], str],
    ) -> Matches[NamedSide, NamedDiff]:
        pairs, added, removed = match(base, revision, lambda item: key(item[0]))
        changed: list[NamedDiff] = []
        for (old_name, old_ptr), (new_name, new_ptr) in pairs:
            old = _object_at(self.base.data, old_ptr)
            new = _object_at(self.revision.data, new_ptr)
            changes = field_changes(old, old_ptr, new, new_ptr, _SERVER_FIELDS)
            if changes:
                changed.append(
                    NamedDiff(NamedSide(old_name, old_ptr), NamedSide(new_name, new_ptr), tuple(changes))
                )
        return Matches(
            tuple(NamedSide(n, p) for n, p in added),
            tuple(NamedSide(n, p) for n, p in removed),
            tuple(changed),
        )

    def root_changes(self) -> list[ValueChange]:
        old_info = _object_at(self.base.data, "/info")
        new_info = _object_at(self.revision.data, "/info")
        changes = field_changes(old_info, "/info", new_info, "/info", _INFO_FIELDS)
        changes += field_changes(self.base.data, "", self.revision.data, "", ())
        return changes


# ---------------------------------------------------------------------- matching


def match_media(
    base: Sequence[Media], revision: Sequence[Media]
) -> tuple[list[tuple[Media, Media]], list[Media], list[Media]]:
    """Pair media types: same name, then same type ignoring parameters, then a ``+json``
    suffix or a wildcard (``application/*``, ``*/*``) on either side."""
    pairs, added, removed = match(base, revision, lambda m: _media_full(m.name))
    more, added, removed = match(removed, added, lambda m: _media_name(m.name))
    pairs += more
    for test in (_same_suffix, _covers):
        still: list[Media] = []
        for old in removed:
            new = next((m for m in added if test(_media_name(old.name), _media_name(m.name))), None)
            if new is None:
                still.append(old)
            else:
                pairs.append((old, new))
                added.remove(new)
        removed = still
    return pairs, added, removed


def match_codes(
    base: Sequence[Response], revision: Sequence[Response]
) -> tuple[list[tuple[Response, Response]], list[Response], list[Response]]:
    """Pair responses by code; a code left over is matched to the range covering it on the
    other side (a range may take several codes)."""
    pairs, added, removed = match(base, revision, lambda r: r.code)
    base_ranges = {r.code: r for r in base if _is_range(r.code)}
    revision_ranges = {r.code: r for r in revision if _is_range(r.code)}
    still_removed: list[Response] = []
    for old in removed:
        covering = revision_ranges.get(_range_of(old.code))
        if covering is None or old.code == covering.code:
            still_removed.append(old)
        else:
            pairs.append((old, covering))
    still_added: list[Response] = []
    for new in added:
        covering = base_ranges.get(_range_of(new.code))
        if covering is None or new.code == covering.code:
            still_added.append(new)
        else:
            pairs.append((covering, new))
    matched_ranges = {id(old) for old, _ in pairs} | {id(new) for _, new in pairs}
    return (
        pairs,
        [r for r in still_added if id(r) not in matched_ranges],
        [r for r in still_removed if id(r) not in matched_ranges],
    )


def _is_range(code: str) -> bool:
    return len(code) == 3 and code[0].isdigit() and code[1:] == "XX"


def _range_of(code: str) -> str:
    return code[0] + "XX" if len(code) == 3 and code.isdigit() else ""


def _media_full(name: str) -> str:
    return "".join(name.split()).lower()


def _media_name(name: str) -> str:
    return name.split(";", 1)[0].strip().lower()


def _same_suffix(old: str, new: str) -> bool:
    return _json_family(old) and _json_family(new)


def _json_family(name: str) -> bool:
    return name == "application/json" or name.endswith("+json")


def _covers(old: str, new: str) -> bool:
    return _wildcard_covers(old, new) or _wildcard_covers(new, old)


def _wildcard_covers(pattern: str, name: str) -> bool:
    if pattern == "*/*":
        return True
    top, _, sub = pattern.partition("/")
    return sub == "*" and name.partition("/")[0] == top


# ---------------------------------------------------------------------- sides


def _operation_key(op: Operation) -> tuple[str, str, str]:
    return op.group, op.method, op.template


def _operation_side(op: Operation) -> OperationSide:
    op_id = op.data.get("operationId")
    return OperationSide(
        method=op.method,
        path=op.path,
        pointer=op.pointer,
        operation_id=op_id if isinstance(op_id, str) else None,
        deprecated=op.data.get("deprecated") is True,
        group=op.group,
    )


def _parameter_side(p: Parameter) -> ParameterSide:
    return ParameterSide(
        location=p.location,
        name=p.name,
        pointer=p.pointer,
        required=p.required,
        deprecated=p.data.get("deprecated") is True,
        style=p.style,
        explode=p.explode,
        schema=p.schema.pointer if p.schema else None,
    )


def _body_side(body: Body | None) -> BodySide | None:
    return None if body is None else BodySide(body.pointer, body.required)


def _field_side(f: Field) -> FieldSide:
    return FieldSide(f.name, f.pointer, f.required)


def _media_side(media: Media) -> MediaSide:
    return MediaSide(media.name, media.pointer, media.schema.pointer if media.schema else None)


def _header_side(h: Header) -> HeaderSide:
    deprecated = h.data.get("deprecated") is True
    return HeaderSide(h.name, h.pointer, h.required, deprecated, h.schema.pointer if h.schema else None)


def _requirement_diff(base: Requirement, revision: Requirement) -> RequirementDiff:
    old = {(name, scope) for name, scopes in base.schemes for scope in scopes}
    new = {(name, scope) for name, scopes in revision.schemes for scope in scopes}
    return RequirementDiff(base, revision, tuple(sorted(new - old)), tuple(sorted(old - new)))


def _root_requirements(api: Api) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]:
    return requirements(api.data.get("security"))


def _blank_operation(diff: OperationDiff) -> bool:
    return not (
        diff.renamed_path_parameters
        or diff.parameters
        or diff.request_body
        or diff.responses
        or diff.security
        or diff.callbacks
        or diff.servers
        or diff.changes
    )


def _with_sorted_tags(op: JSONObject) -> JSONObject:
    tags = op.get("tags")
    if not isinstance(tags, list):
        return op
    ordered: list[JSONValue] = [as_text(t) for t in sorted(as_text(t) for t in tags)]
    return {**op, "tags": ordered}


def _server_key(url: str) -> str:
    return url.rstrip("/")


def _object_at(data: JSONObject, pointer: str) -> JSONObject:
    try:
        node = jsonptr.resolve(data, pointer)
    except (jsonptr.PointerError, ValueError):
        return {}
    return node if isinstance(node, dict) else {}
