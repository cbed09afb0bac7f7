"""Bundle a root document and the files it references into one self-contained document.

External references are internalised: a target that is a named component (or any target used
as a schema) is copied into the root's component section (``components/<section>`` for OpenAPI
3 and AsyncAPI, ``definitions``/``parameters``/``responses`` for Swagger 2.0, ``$defs`` or
``definitions`` for JSON Schema) and the ``$ref`` rewritten to point there; anything else is
inlined. A reference to a value that is not an object (a markdown string, a list of tags, a
number) is resolved as JSON Reference says, by putting the value in its place; such places are
recorded (:attr:`Bundled.value_refs`) so a lint rule can say the position is not standard
OpenAPI. References inside the root stay as they are. Every copied piece remembers where it came
from, so findings on the bundle still name the original file and line.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.errors import UnresolvedRef
from apigov.documents.document import Document
from apigov.documents.kinds import Kind, detect_kind
from apigov.documents.limits import DEFAULT_LIMITS, Limits
from apigov.documents.refs import DEFAULT_POLICY, RefPolicy, Target, Workspace, iter_ref_sites

_SCHEMA_TOKENS: Final = frozenset(
    {
        "schema",
        "schemas",
        "properties",
        "items",
        "additionalProperties",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "payload",
        "$defs",
        "definitions",
        "patternProperties",
        "prefixItems",
        "contains",
        "if",
        "then",
        "else",
        "dependentSchemas",
        "propertyNames",
        "unevaluatedProperties",
        "unevaluatedItems",
        "additionalItems",
    }
)
_NAME_RE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(slots=True)
class Bundled:
    """A bundled document plus the map from its pointers back to the original files."""

    document: Document
    origins: list[tuple[str, Document, str]] = field(default_factory=list)
    value_refs: list[tuple[str, str]] = field(default_factory=list)
    """``(pointer in the bundle, the $ref's text)`` of every external ``$ref`` whose target is not
    an object and now stands in its place."""

    def locate(self, pointer: str) -> tuple[Document, str]:
        """The original document and pointer of a node of the bundle."""
        best: tuple[str, Document, str] | None = None
        for prefix, document, original in self.origins:
            inside = pointer == prefix or pointer.startswith(prefix + "/")
            if inside and (best is None or len(prefix) > len(best[0])):
                best = (prefix, document, original)
        if best is None:
            return self.document, pointer
        return best[1], best[2] + pointer[len(best[0]) :]


def component_sections(kind: Kind | None) -> dict[str, str]:
    """Where each kind keeps named components: section name (as in OpenAPI 3) -> container pointer."""
    if kind is Kind.SWAGGER_2:
        return {"schemas": "/definitions", "parameters": "/parameters", "responses": "/responses"}
    if kind in (Kind.JSONSCHEMA_4, Kind.JSONSCHEMA_6, Kind.JSONSCHEMA_7):
        return {"schemas": "/definitions"}
    if kind is not None and kind.family == "jsonschema":
        return {"schemas": "/$defs"}
    if kind is not None and kind.family in ("openapi", "asyncapi"):
        return {
            name: "/components/" + name
            for name in (
                "schemas",
                "responses",
                "parameters",
                "examples",
                "requestBodies",
                "headers",
                "securitySchemes",
                "links",
                "callbacks",
                "pathItems",
                "messages",
                "channels",
                "operations",
                "servers",
                "serverVariables",
                "correlationIds",
                "messageTraits",
                "operationTraits",
                "replies",
                "replyAddresses",
                "tags",
                "externalDocs",
            )
        }
    return {}


_SECTION_ALIASES: Final = {"definitions": "schemas", "$defs": "schemas"}


def bundle(workspace: Workspace, kind: Kind | None) -> Bundled:
    """Return the root document with every external reference internalised."""
    root = workspace.root
    if workspace.checked and len(workspace.documents) == 1:
        return Bundled(root)  # every reference leads into the root: nothing to internalise, no copy
    if all(not site.ref.partition("#")[0] for site in iter_ref_sites(root)):
        return Bundled(root)
    data = copy.deepcopy(root.data)
    result = Bundled(
        Document(
            source=root.source,
            path=root.path,
            data=data,
            text=root.text,
            format=root.format,
            byte_view=root.byte_view,
            yaml_index=root.yaml_index,
        )
    )
    sections = component_sections(kind)
    placed: dict[tuple[str, str], str] = {}
    inlining: set[tuple[str, str]] = set()

    def place(site_doc: Document, holder: dict[str, JSONValue], holder_ptr: str, ref: str) -> None:
        target = workspace.resolve(site_doc, ref, at=holder_ptr)
        if target.document is root:
            if site_doc is not root:  # copied content pointing back into the root document
                holder["$ref"] = jsonptr.to_fragment(target.pointer)
            return  # a reference inside the root to the root (e.g. by $id) already works: keep it
        mark = (workspace.key(target.document), target.pointer)
        if mark in placed and placed[mark] != holder_ptr:
            holder["$ref"] = jsonptr.to_fragment(placed[mark])
            return
        if mark in placed:
            # the reference *is* a named component (`Order: {$ref: other.yaml#/Order}`): fill it in
            fill(holder, holder_ptr, target, ref, site_doc, keep=())
            return
        section = _section_of(target.pointer, holder_ptr, sections)
        if not isinstance(target.value, dict):
            section = None  # a string, a list or a number is put in place, never named
        if _foreign_schema(kind, target.document):
            section = None  # an Avro payload is not an AsyncAPI schema: it stays where it is used
        if section is None:
            if mark in inlining:
                raise UnresolvedRef(
                    f"$ref {ref!r} forms a cycle that cannot be inlined",
                    source=site_doc.source,
                    pointer=holder_ptr,
                    hint="move the recursive part into a named component",
                )
            inlining.add(mark)
            # a Reference Object's summary/description win over the target's (OpenAPI 3.1)
            fill(holder, holder_ptr, target, ref, site_doc, keep=("summary", "description"))
            inlining.discard(mark)
            return
        container_ptr = sections[section]
        container = _ensure(data, container_ptr)
        name = _name_for(target.document, target.pointer)
        unique = name
        counter = 2
        while unique in container:
            unique = f"{name}_{counter}"
            counter += 1
        new_ptr = container_ptr + "/" + jsonptr.escape(unique)
        placed[mark] = new_ptr
        content = copy.deepcopy(target.value)
        container[unique] = content
        result.origins.append((new_ptr, target.document, target.pointer))
        holder["$ref"] = jsonptr.to_fragment(new_ptr)
        if isinstance(content, dict):
            rewrite(target.document, content, new_ptr, target.pointer)

    def fill(
        holder: dict[str, JSONValue],
        holder_ptr: str,
        target: Target,
        ref: str,
        site_doc: Document,
        keep: tuple[str, ...],
    ) -> None:
        """Replace the reference object ``holder`` by a copy of what it points to."""
        content = copy.deepcopy(target.value)
        if not isinstance(content, dict):  # JSON Reference: the value takes the $ref's place
            parent_ptr, _, last = holder_ptr.rpartition("/")
            parent = jsonptr.resolve(data, parent_ptr) if holder_ptr else None
            if isinstance(parent, dict):
                parent[jsonptr.unescape(last)] = content
            elif isinstance(parent, list):
                parent[int(last)] = content
            else:  # the whole document is a $ref to a value: nothing to put it in
                raise UnresolvedRef(
                    f"$ref {ref!r} points to a value that is not an object",
                    source=site_doc.source,
                    pointer=holder_ptr,
                )
            result.origins.append((holder_ptr, target.document, target.pointer))
            result.value_refs.append((holder_ptr, ref))
            if isinstance(content, list):
                rewrite(target.document, content, holder_ptr, target.pointer)
            return
        kept = {key: value for key, value in holder.items() if key in keep}
        holder.clear()
        holder.update(content)
        holder.update(kept)
        result.origins.append((holder_ptr, target.document, target.pointer))
        rewrite(target.document, holder, holder_ptr, target.pointer)

    def rewrite(origin: Document, value: JSONValue, at: str, origin_ptr: str) -> None:
        """Rewrite references inside content copied from ``origin`` (now at ``at``)."""
        sites = list(iter_ref_sites(origin, origin_ptr, value))
        for site in sites:
            relative = site.pointer[len(origin_ptr) :]
            holder = jsonptr.resolve(value, relative)
            if not isinstance(holder, dict):
                continue
            place(origin, holder, at + relative, site.ref)

    containers = set(sections.values())
    sites = list(iter_ref_sites(root, "", data))
    for site in sites:  # a named component that is a reference keeps its name for its target
        if site.pointer.rsplit("/", 1)[0] in containers and site.ref.partition("#")[0]:
            target = workspace.resolve(root, site.ref, at=site.pointer)
            if target.document is not root:
                placed.setdefault((workspace.key(target.document), target.pointer), site.pointer)
    for site in sites:
        uri = site.ref.partition("#")[0]
        if not uri:
            continue
        holder = jsonptr.resolve(data, site.pointer)
        if isinstance(holder, dict):
            place(root, holder, site.pointer, site.ref)
    return result


def bundle_file(
    path: Path,
    *,
    source: str,
    policy: RefPolicy = DEFAULT_POLICY,
    limits: Limits = DEFAULT_LIMITS,
) -> Bundled:
    """Load ``path``, check every reference under ``policy`` and bundle it (``apigov bundle``)."""
    workspace = Workspace.open(path, source=source, policy=policy, limits=limits)
    kind, _ = detect_kind(workspace.root.data, path, source=source)
    workspace.check_all()
    return bundle(workspace, kind)


def _foreign_schema(kind: Kind | None, document: Document) -> bool:
    return (
        kind is not None
        and kind.family == "asyncapi"
        and document.path is not None
        and (document.path.suffix.lower() == ".avsc")
    )


def _section_of(target_ptr: str, site_ptr: str, sections: dict[str, str]) -> str | None:
    tokens = jsonptr.split(target_ptr)
    if len(tokens) == 3 and tokens[0] == "components" and tokens[1] in sections:
        return tokens[1]
    if len(tokens) == 2:
        section = _SECTION_ALIASES.get(tokens[0], tokens[0])
        if section in sections:
            return section
    site_tokens = set(jsonptr.split(site_ptr))
    if site_tokens & _SCHEMA_TOKENS and "schemas" in sections:
        return "schemas"
    return None


def _name_for(document: Document, pointer: str) -> str:
    tokens = jsonptr.split(pointer)
    if tokens:
        base = tokens[-1]
    else:
        stem = document.path.name if document.path is not None else document.source.rsplit("/", 1)[-1]
        base = stem.split(".", 1)[0]
    return _NAME_RE.sub("_", base) or "Component"


def _ensure(data: JSONValue, pointer: str) -> dict[str, JSONValue]:
    node = data
    for token in jsonptr.split(pointer):
        assert isinstance(node, dict)
        child = node.get(token)
        if not isinstance(child, dict):
            child = {}
            node[token] = child
        node = child
    assert isinstance(node, dict)
    return node
