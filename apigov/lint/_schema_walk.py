"""Helpers shared by the JSON Schema and AsyncAPI checks: bounded walks, local ``$ref``, validation.

Every walk here uses an explicit stack (documents may be 400 levels deep), and nothing here
touches the network: ``jsonschema`` and ``referencing`` are imported inside the functions that
use them (``apigov --version`` must stay fast), and their registries only hold the bundled
document and the meta-schemas shipped with ``jsonschema-specifications``.

Meta-schema validation is *shallow*: each subschema is validated on its own, with its child
subschemas replaced by ``{}``. jsonschema validates recursively (a 2020-12 schema nested 150
levels deep already exhausts Python's stack); validating one level at a time keeps the depth
constant and still reports every error at its exact pointer.
"""

from __future__ import annotations

import functools
import importlib
import json
import re
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.documents.kinds import Kind
from apigov.lint._regex import compiles, search

#: Keywords whose value is one subschema.
SCHEMA_SINGLES: Final = frozenset(
    {
        "additionalProperties", "additionalItems", "items", "contains", "propertyNames", "if", "then",
        "else", "not", "unevaluatedItems", "unevaluatedProperties", "contentSchema",
    }
)  # fmt: skip
#: Keywords whose value is a list of subschemas.
SCHEMA_LISTS: Final = frozenset({"allOf", "anyOf", "oneOf", "prefixItems", "items"})
#: Keywords whose value maps names to subschemas (``dependencies`` values may also be name lists).
SCHEMA_MAPS: Final = frozenset(
    {"properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "dependencies"}
)
#: Keywords whose value is data, never a schema.
DATA_KEYWORDS: Final = frozenset({"enum", "const", "default", "examples", "example"})
#: Longest message kept from a validator (they quote whole instances).
MAX_MESSAGE: Final = 300
#: URI under which the bundled document is registered for ``$ref`` resolution.
DOCUMENT_URI: Final = "urn:apigov:document"
_MAX_HOPS: Final = 64


def tidy(message: str) -> str:
    """One line, at most :data:`MAX_MESSAGE` characters."""
    text = " ".join(message.split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def is_ref(value: JSONValue) -> bool:
    return isinstance(value, dict) and isinstance(value.get("$ref"), str)


# ---------------------------------------------------------------------------------------- walks


def child_schemas(schema: dict[str, JSONValue], pointer: str) -> list[tuple[str, dict[str, JSONValue]]]:
    """The object subschemas directly under ``schema`` (boolean schemas have nothing to check)."""
    children: list[tuple[str, dict[str, JSONValue]]] = []
    for key, value in schema.items():
        if key in SCHEMA_SINGLES and isinstance(value, dict):
            children.append((jsonptr.join(pointer, key), value))
        elif key in SCHEMA_LISTS and isinstance(value, list):
            children.extend(
                (jsonptr.join(pointer, key, index), item)
                for index, item in enumerate(value)
                if isinstance(item, dict)
            )
        elif key in SCHEMA_MAPS and isinstance(value, dict):
            children.extend(
                (jsonptr.join(pointer, key, name), item)
                for name, item in value.items()
                if isinstance(item, dict)
            )
    return children


def iter_subschemas(schema: JSONValue, pointer: str = "") -> Iterator[tuple[str, dict[str, JSONValue]]]:
    """Every object subschema of ``schema`` (itself included), in document order, ``$ref`` not followed."""
    stack: list[tuple[str, JSONValue]] = [(pointer, schema)]
    while stack:
        current, node = stack.pop()
        if not isinstance(node, dict):
            continue
        yield current, node
        stack.extend(reversed(child_schemas(node, current)))


def _shallow(schema: dict[str, JSONValue]) -> dict[str, JSONValue]:
    """``schema`` with every object subschema directly under it replaced by ``{}``."""
    copy: dict[str, JSONValue] = {}
    for key, value in schema.items():
        if key in SCHEMA_SINGLES and isinstance(value, dict):
            copy[key] = {}
        elif key in SCHEMA_LISTS and isinstance(value, list):
            copy[key] = [{} if isinstance(item, dict) else item for item in value]
        elif key in SCHEMA_MAPS and isinstance(value, dict):
            copy[key] = {name: {} if isinstance(item, dict) else item for name, item in value.items()}
        else:
            copy[key] = value
    return copy


# ------------------------------------------------------------------------------------ references


def local_pointer(ref: str) -> str | None:
    """The JSON pointer a same-document ``$ref`` (``#/a/b``, ``#``) names; ``None`` for others."""
    if not ref.startswith("#"):
        return None
    fragment = urllib.parse.unquote(ref[1:])
    if fragment and not fragment.startswith("/"):
        return None
    return fragment


def lookup(document: JSONValue, pointer: str) -> JSONValue | None:
    """The value at ``pointer``; ``None`` when there is none (or it is JSON ``null``)."""
    try:
        return jsonptr.resolve(document, pointer)
    except (jsonptr.PointerError, ValueError):
        return None


def follow(document: JSONValue, pointer: str, value: JSONValue) -> tuple[str, JSONValue]:
    """Follow same-document ``$ref`` from ``value`` (at ``pointer``) to the node they end at.

    Stops at the last reference that cannot be followed (not local, or pointing to nothing),
    so callers see ``is_ref(result)`` when the chain is broken; cycles stop after 64 hops.
    """
    hops = 0
    while is_ref(value) and hops < _MAX_HOPS:
        assert isinstance(value, dict)
        ref = value["$ref"]
        assert isinstance(ref, str)
        target = local_pointer(ref)
        if target is None:
            break
        try:
            value = jsonptr.resolve(document, target)
        except (jsonptr.PointerError, ValueError):
            break
        pointer = target
        hops += 1
    return pointer, value


def iter_refs(document: JSONValue, name_maps: frozenset[str] = SCHEMA_MAPS) -> Iterator[tuple[str, str]]:
    """``(pointer of the holding object, reference)`` of every ``$ref`` that is structure, not data.

    Values of :data:`DATA_KEYWORDS` and ``x-`` extensions are data. Under a key of
    ``name_maps`` the keys are user-chosen names, so a property called ``default`` is still
    walked and one called ``$ref`` is not a reference.
    """
    stack: list[tuple[str, JSONValue, bool]] = [("", document, False)]
    while stack:
        pointer, node, names = stack.pop()
        if isinstance(node, list):
            stack.extend((jsonptr.join(pointer, i), child, False) for i, child in enumerate(node))
        elif isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not names:
                yield pointer, ref
            for key, child in node.items():
                if not isinstance(child, (dict, list)):
                    continue
                if not names and (key in DATA_KEYWORDS or key.startswith("x-")):
                    continue
                stack.append((jsonptr.join(pointer, key), child, not names and key in name_maps))


def _exists(document: JSONValue, pointer: str) -> bool:
    try:
        jsonptr.resolve(document, pointer)
    except (jsonptr.PointerError, ValueError):
        return False
    return True


def _resource_base(document: JSONValue, pointer: str, id_keyword: str) -> str:
    """The pointer of the innermost schema resource (an object with a non-fragment id) above ``pointer``."""
    base = ""
    node = document
    current = ""
    for token in jsonptr.split(pointer):
        if isinstance(node, dict):
            node = node.get(token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            break
        current = jsonptr.join(current, token)
        resource_id = node.get(id_keyword) if isinstance(node, dict) else None
        if isinstance(resource_id, str) and not resource_id.startswith("#"):
            base = current
    return base


def _anchors(document: JSONValue, id_keyword: str | None) -> set[str]:
    """Plain-name fragments the document defines (``$anchor``, ``$dynamicAnchor``, ``$id: "#name"``)."""
    found: set[str] = set()
    stack: list[JSONValue] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key in ("$anchor", "$dynamicAnchor"):
                if isinstance(node.get(key), str):
                    found.add(str(node[key]))
            fragment_id = node.get(id_keyword) if id_keyword else None
            if isinstance(fragment_id, str) and fragment_id.startswith("#"):
                found.add(fragment_id[1:])
            stack.extend(v for k, v in node.items() if k not in DATA_KEYWORDS and isinstance(v, (dict, list)))
    return found


def broken_local_refs(
    document: JSONValue, sites: Iterable[tuple[str, str]], id_keyword: str | None = None
) -> Iterator[tuple[str, str]]:
    """``(pointer, message)`` for every same-document ``$ref`` among ``sites`` that names nothing.

    ``sites`` are ``(pointer of the object holding $ref, the reference)``. With ``id_keyword``
    (JSON Schema), a pointer may also resolve inside the embedded resource that holds the
    reference; a plain-name fragment must be an anchor defined in the document.
    """
    anchors: set[str] | None = None
    for pointer, ref in sites:
        if not ref.startswith("#"):
            continue
        fragment = urllib.parse.unquote(ref[1:])
        if fragment and not fragment.startswith("/"):
            anchors = _anchors(document, id_keyword) if anchors is None else anchors
            if fragment not in anchors:
                yield ref_pointer(pointer), f"$ref {ref!r}: no anchor named {fragment!r} in this document"
            continue
        if _exists(document, fragment):
            continue
        base = _resource_base(document, pointer, id_keyword) if id_keyword else ""
        if not base or not _exists(document, base + fragment):
            yield ref_pointer(pointer), f"$ref {ref!r} points to nothing in this document"


def ref_pointer(pointer: str) -> str:
    """Where a finding about the ``$ref`` held by the object at ``pointer`` points."""
    return jsonptr.join(pointer, "$ref")


# ------------------------------------------------------------------------------------------ types


def matches_type(value: JSONValue, type_name: str, kind: Kind) -> bool | None:
    """Whether ``value`` is of JSON Schema type ``type_name``; ``None`` for an unknown type name.

    Draft 4 counts ``1.0`` as a number only; later drafts also count it as an integer.
    """
    if type_name == "null":
        return value is None
    if type_name == "boolean":
        return isinstance(value, bool)
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "array":
        return isinstance(value, list)
    if type_name == "object":
        return isinstance(value, dict)
    if type_name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if type_name == "integer":
        if isinstance(value, bool):
            return False
        if isinstance(value, float):
            return kind is not Kind.JSONSCHEMA_4 and value.is_integer()
        return isinstance(value, int)
    return None


def declared_types(schema: dict[str, JSONValue]) -> list[str]:
    """The type names of a ``type`` keyword (a string or a list of strings)."""
    declared = schema.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [item for item in declared if isinstance(item, str)]
    return []


def pattern_matches(pattern: str, name: str) -> bool:
    """Whether a ``patternProperties`` key matches ``name`` (an invalid pattern matches nothing)."""
    found = search(pattern, name)
    if found is None:  # RE2 cannot run it: a valid pattern may match (no false alarm), an invalid one cannot
        return compiles(pattern)
    return found


# ------------------------------------------------------------------------------------ validation


def validator_class(kind: Kind) -> Any:
    """The RE2-safe ``jsonschema`` validator class of a JSON Schema kind (2020-12 for the others)."""
    import jsonschema

    from apigov.lint._regex import safe_validator_class

    draft = {
        Kind.JSONSCHEMA_4: jsonschema.Draft4Validator,
        Kind.JSONSCHEMA_6: jsonschema.Draft6Validator,
        Kind.JSONSCHEMA_7: jsonschema.Draft7Validator,
        Kind.JSONSCHEMA_2019: jsonschema.Draft201909Validator,
    }.get(kind, jsonschema.Draft202012Validator)
    return safe_validator_class(draft)


def _specification(kind: Kind) -> Any:
    from referencing import jsonschema as specs

    return {
        Kind.JSONSCHEMA_4: specs.DRAFT4,
        Kind.JSONSCHEMA_6: specs.DRAFT6,
        Kind.JSONSCHEMA_7: specs.DRAFT7,
        Kind.JSONSCHEMA_2019: specs.DRAFT201909,
    }.get(kind, specs.DRAFT202012)


def _shipped_registry() -> Any:
    """The official meta-schemas (jsonschema-specifications); it retrieves nothing."""
    # imported by name: the package has no type information and no mypy override
    return importlib.import_module("jsonschema_specifications").REGISTRY


@functools.cache
def _meta_validator(kind: Kind) -> Any:
    cls = validator_class(kind)
    return cls(cls.META_SCHEMA, registry=_shipped_registry())


def most_specific(error: Any) -> Any:
    """For ``oneOf``/``anyOf`` failures, the sub-error that explains the most."""
    from jsonschema.exceptions import best_match

    seen = 0
    while getattr(error, "context", None) and seen < 16:
        # in `oneOf: [Reference, X]` the Reference branch only says "'$ref' is a required property":
        # the object was meant to be an X, so X's errors explain it
        meant = [e for e in error.context if e.validator != "required" or "$ref" not in e.validator_value]
        deeper = best_match(meant or error.context)
        if deeper is None:
            break
        error = deeper
        seen += 1
    return error


def metaschema_errors(schema: JSONValue, pointer: str, kind: Kind) -> Iterator[tuple[str, str]]:
    """``(pointer, message)`` for every way ``schema`` breaks the meta-schema of ``kind``'s draft.

    Formats are not asserted (``pattern`` is ECMA 262, which Python's ``re`` does not read).
    Identical subschemas (``{"type": "string"}`` ...) are validated once.
    """
    validator = _meta_validator(kind)
    known: dict[str, list[tuple[tuple[str | int, ...], str]]] = {}
    seen: set[tuple[str, str]] = set()
    parts = iter_subschemas(schema, pointer) if isinstance(schema, dict) else iter([(pointer, schema)])
    for at, node in parts:
        instance = _shallow(node) if isinstance(node, dict) else node
        key = _fingerprint(instance)
        errors = known.get(key) if key is not None else None
        if errors is None:
            errors = [_relative_error(error) for error in validator.iter_errors(instance)]
            if key is not None:
                known[key] = errors
        for path, message in errors:
            found = (jsonptr.join(at, *path), message)
            if found not in seen:
                seen.add(found)
                yield found


def _fingerprint(instance: JSONValue) -> str | None:
    try:
        return json.dumps(instance, sort_keys=True)
    except (TypeError, ValueError, RecursionError):
        return None


def _relative_error(error: Any) -> tuple[tuple[str | int, ...], str]:
    """Where in the validated instance an error is, and its message."""
    specific = most_specific(error)
    path = tuple(getattr(specific, "absolute_path", ()) or ())
    return path, tidy(str(getattr(specific, "message", specific)))


#: What jsonschema raises on a schema it cannot use (it assumes a valid one), an invalid
#: regular expression, or nesting deeper than the interpreter's stack.
_VALIDATION_FAILURES: Final = (
    re.error,
    RecursionError,
    ArithmeticError,
    LookupError,
    TypeError,
    ValueError,
    AttributeError,
)


@dataclass(frozen=True, slots=True)
class InstanceError:
    """Why a value does not validate: where in the value, and the validator's message."""

    pointer: str
    message: str


class InstanceValidator:
    """Validates values against subschemas of one document; its local ``$ref`` resolve in it.

    The registry holds the document (under :data:`DOCUMENT_URI` and its root ``$id``) and the
    shipped meta-schemas; it retrieves nothing, so an unknown reference makes the value
    unverifiable instead of reaching for the network.
    """

    def __init__(self, document: JSONValue, kind: Kind) -> None:
        resource = _specification(kind).create_resource(document)
        uris = [DOCUMENT_URI]
        if isinstance(document, dict):
            for key in ("$id", "id"):
                root_id = document.get(key)
                if isinstance(root_id, str) and root_id.rstrip("#") and not root_id.startswith("#"):
                    uris.append(root_id.rstrip("#"))
        self._registry = _shipped_registry().with_resources((uri, resource) for uri in uris)
        self._cls = validator_class(kind)

    def error(self, schema_pointer: str, instance: JSONValue, at: str) -> InstanceError | None:
        """The most relevant error of ``instance`` (found at ``at``) against the subschema at
        ``schema_pointer``; ``None`` when it is valid or cannot be checked (an unresolvable
        reference, an invalid regular expression, nesting too deep for the validator)."""
        from jsonschema.exceptions import UnknownType, best_match
        from referencing.exceptions import Unresolvable

        reference = DOCUMENT_URI + "#" + urllib.parse.quote(schema_pointer, safe="/~")
        validator = self._cls({"$ref": reference}, registry=self._registry)
        try:
            best = best_match(validator.iter_errors(instance))
        except (*_VALIDATION_FAILURES, Unresolvable, UnknownType):
            return None
        if best is None:
            return None
        path, message = _relative_error(best)
        return InstanceError(jsonptr.join(at, *path), message)
