"""Document-level changes: servers, info (and the semver policy on info.version), tag
definitions, component schemas and extensions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from typing import Final

from apigov.core import jsonptr, naming
from apigov.core._types import JSONValue
from apigov.core.findings import Finding, Level
from apigov.core.shown import quoted, value_change
from apigov.diff.tree import NamedDiff
from apigov.rules._walk import change, first_object
from apigov.rules.context import CheckContext, SideName
from apigov.rules.openapi._rows import NONE, B, I, W, row
from apigov.rules.rule import Area, Rule

#: the ids this module's checks emit, declared in its rows below
API_SERVER_REMOVED: Final = "api-server-removed"
API_SERVER_ADDED: Final = "api-server-added"
API_SERVER_DESCRIPTION_CHANGED: Final = "api-server-description-changed"
API_SERVER_VARIABLE_ENUM_VALUE_REMOVED: Final = "api-server-variable-enum-value-removed"
API_SERVER_VARIABLE_DEFAULT_CHANGED: Final = "api-server-variable-default-changed"
API_SERVER_VARIABLE_CHANGED: Final = "api-server-variable-changed"
API_TITLE_CHANGED: Final = "api-title-changed"
API_DESCRIPTION_CHANGED: Final = "api-description-changed"
API_SUMMARY_CHANGED: Final = "api-summary-changed"
API_TERMS_OF_SERVICE_CHANGED: Final = "api-terms-of-service-changed"
API_CONTACT_CHANGED: Final = "api-contact-changed"
API_LICENSE_CHANGED: Final = "api-license-changed"
API_VERSION_CHANGED: Final = "api-version-changed"
API_VERSION_DECREASED: Final = "api-version-decreased"
API_EXTENSION_CHANGED: Final = "api-extension-changed"
API_TAG_DEFINITION_REMOVED: Final = "api-tag-definition-removed"
API_TAG_DEFINITION_ADDED: Final = "api-tag-definition-added"
API_SCHEMA_REMOVED: Final = "api-schema-removed"
API_SCHEMA_ADDED: Final = "api-schema-added"
ENUM_VALUE_CASE_CHANGED: Final = "enum-value-case-changed"
API_VERSION_NOT_BUMPED: Final = "api-version-not-bumped"
API_MAJOR_VERSION_NOT_BUMPED: Final = "api-major-version-not-bumped"

_SEMVER: Final = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$")


def _server_label(url: str) -> str:
    """``server https://api.example.com``; a server without a ``url`` says so."""
    return f"server {url}" if url else "server without a url"


def _tag(name: str) -> str:
    return f"tag definition {name!r}" if name else "tag definition without a name"


def servers(ctx: CheckContext) -> Iterator[Finding]:
    tree = ctx.tree.servers
    for s in tree.removed:
        yield ctx.finding(
            API_SERVER_REMOVED,
            f"{_server_label(s.name)} removed (clients and gateway routes using it break)",
            side=SideName.BASE,
            pointer=s.pointer,
        )
    for s in tree.added:
        yield ctx.finding(
            API_SERVER_ADDED,
            f"{_server_label(s.name)} added",
            side=SideName.REVISION,
            pointer=s.pointer,
        )
    for sd in tree.changed:
        yield from _server(ctx, sd)


def _server(ctx: CheckContext, sd: NamedDiff) -> Iterator[Finding]:
    on = partial(
        ctx.finding, side=SideName.REVISION, pointer=sd.revision.pointer, base_pointer=sd.base.pointer
    )
    if change(sd.changes, "description") is not None:
        yield on(
            API_SERVER_DESCRIPTION_CHANGED,
            f"{_server_label(sd.revision.name)} description changed",
        )
    variables = change(sd.changes, "variables")
    if variables is None:
        return
    old = variables.base if isinstance(variables.base, dict) else {}
    new = variables.revision if isinstance(variables.revision, dict) else {}
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name), new.get(name)
        if a == b:
            continue
        if not isinstance(a, dict) or not isinstance(b, dict):
            yield on(
                API_SERVER_VARIABLE_CHANGED,
                f"{_server_label(sd.revision.name)} variable {{{name}}} {'added' if a is None else 'removed'}",
            )
            continue
        ea, eb = a.get("enum"), b.get("enum")
        if isinstance(ea, list) and isinstance(eb, list):
            for value in [v for v in ea if v not in eb]:
                yield on(
                    API_SERVER_VARIABLE_ENUM_VALUE_REMOVED,
                    f"{_server_label(sd.revision.name)} variable {{{name}}} no longer allows {quoted(value)}",
                )
        if a.get("default") != b.get("default"):
            yield on(
                API_SERVER_VARIABLE_DEFAULT_CHANGED,
                value_change(
                    f"{_server_label(sd.revision.name)} variable {{{name}}} default",
                    a.get("default"),
                    b.get("default"),
                    had="default" in a,
                    has="default" in b,
                ),
            )


_INFO: Final = (
    ("title", API_TITLE_CHANGED),
    ("description", API_DESCRIPTION_CHANGED),
    ("summary", API_SUMMARY_CHANGED),
    ("termsOfService", API_TERMS_OF_SERVICE_CHANGED),
    ("contact", API_CONTACT_CHANGED),
    ("license", API_LICENSE_CHANGED),
)


def info(ctx: CheckContext) -> Iterator[Finding]:
    changes = ctx.tree.changes
    for name, rule_id in _INFO:
        c = change(changes, name)
        if c is not None:
            yield ctx.finding(
                rule_id,
                f"info.{name} changed",
                side=SideName.REVISION,
                pointer=c.at.revision or "/info",
                base_pointer=c.at.base,
            )
    version = change(changes, "version")
    if version is not None:
        yield ctx.finding(
            API_VERSION_CHANGED,
            value_change(
                "info.version",
                version.base,
                version.revision,
                had=version.base is not None,  # absent (or null: the document has no version)
                has=version.revision is not None,
            ),
            side=SideName.REVISION,
            pointer=version.at.revision or "/info",
        )
        old, new = _semver(version.base), _semver(version.revision)
        if old is not None and new is not None and new < old:
            yield ctx.finding(
                API_VERSION_DECREASED,
                f"info.version decreased from {version.base} to {version.revision}",
                side=SideName.REVISION,
                pointer=version.at.revision or "/info",
            )
    for c in changes:
        if c.field.startswith("x-"):
            what = "added" if c.base is None else "removed" if c.revision is None else "changed"
            yield ctx.finding(
                API_EXTENSION_CHANGED,
                f"extension {c.field} {what}",
                side=SideName.REVISION if c.revision is not None else SideName.BASE,
                pointer=(c.at.revision if c.revision is not None else c.at.base) or "",
            )


def semver_policy(ctx: CheckContext) -> Iterator[Finding]:
    """api-version-not-bumped / api-major-version-not-bumped: read after every other rule."""
    if not any(f.level is Level.BREAKING for f in ctx.emitted):
        return
    version = change(ctx.tree.changes, "version")
    if version is None:
        raw = _info_version(ctx.revision.data)
        still = "missing" if raw is None else f"still {quoted(raw)}"
        yield ctx.finding(
            API_VERSION_NOT_BUMPED,
            f"breaking changes, but info.version is {still}",
            side=SideName.REVISION,
            pointer="/info/version",
        )
        return
    old, new = _semver(version.base), _semver(version.revision)
    if old is not None and new is not None and new[0] <= old[0] and old[0] > 0:
        yield ctx.finding(
            API_MAJOR_VERSION_NOT_BUMPED,
            f"breaking changes need a new major version; {version.base} -> {version.revision} is not one",
            side=SideName.REVISION,
            pointer=version.at.revision or "/info",
        )


def _info_version(data: JSONValue) -> JSONValue:
    info_node = data.get("info") if isinstance(data, dict) else None
    return info_node.get("version") if isinstance(info_node, dict) else None


def _semver(value: JSONValue) -> tuple[int, int, int] | None:
    if not isinstance(value, str):
        return None
    match = _SEMVER.match(value.strip())
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


def tags(ctx: CheckContext) -> Iterator[Finding]:
    for t in ctx.tree.tags.removed:
        yield ctx.finding(
            API_TAG_DEFINITION_REMOVED,
            f"{_tag(t.name)} removed",
            side=SideName.BASE,
            pointer=t.pointer,
        )
    for t in ctx.tree.tags.added:
        yield ctx.finding(
            API_TAG_DEFINITION_ADDED,
            f"{_tag(t.name)} added",
            side=SideName.REVISION,
            pointer=t.pointer,
        )


_COMPONENTS: Final = ("/components/schemas", "/definitions")


def component_schemas(ctx: CheckContext) -> Iterator[Finding]:
    """api-schema-removed / api-schema-added: named schemas (SDKs generate types from them)."""
    old_at, old = first_object(ctx.base.data, _COMPONENTS)
    new_at, new = first_object(ctx.revision.data, _COMPONENTS)
    added_types = {naming.type_ident(name) for name in set(new) - set(old)}
    for name in sorted(set(old) - set(new)):
        finding = ctx.finding(
            API_SCHEMA_REMOVED,
            f"component schema {name!r} removed",
            side=SideName.BASE,
            pointer=jsonptr.join(old_at, name),
        )
        type_name = naming.type_ident(name)
        if type_name in added_types:  # respelled to the same generated type name
            # generated clients keep the type: the rule's wire level under every tier
            wire = ctx.catalogue[finding.rule_id].level
            finding = replace(
                finding, level=wire, details=finding.details.updated(same_client_name=type_name)
            )
        yield finding
    for name in sorted(set(new) - set(old)):
        yield ctx.finding(
            API_SCHEMA_ADDED,
            f"component schema {name!r} added",
            side=SideName.REVISION,
            pointer=jsonptr.join(new_at, name),
        )


#: keys whose values are instances, not schemas (an ``enum`` inside them is data)
_NOT_SCHEMA: Final = frozenset({"example", "examples", "default", "const", "enum"})


def enum_case_renames(ctx: CheckContext) -> Iterator[Finding]:
    """enum-value-case-changed: an enum value spelled with other letter case at the same place
    of both documents (``active`` -> ``Active``), where generated clients name a literal after it."""
    stack: list[tuple[str, JSONValue, JSONValue]] = [("", ctx.base.data, ctx.revision.data)]
    while stack:
        pointer, old, new = stack.pop()
        if isinstance(old, dict) and isinstance(new, dict):
            old_enum, new_enum = old.get("enum"), new.get("enum")
            if isinstance(old_enum, list) and isinstance(new_enum, list):
                yield from _case_renames(ctx, jsonptr.join(pointer, "enum"), old_enum, new_enum)
            for key in sorted(set(old) & set(new), reverse=True):
                if key not in _NOT_SCHEMA and not key.startswith("x-"):
                    stack.append((jsonptr.join(pointer, key), old[key], new[key]))
        elif isinstance(old, list) and isinstance(new, list):
            for index in reversed(range(min(len(old), len(new)))):
                stack.append((jsonptr.join(pointer, str(index)), old[index], new[index]))


def _case_renames(
    ctx: CheckContext, pointer: str, old: list[JSONValue], new: list[JSONValue]
) -> Iterator[Finding]:
    removed = [v for v in old if isinstance(v, str) and v not in new]
    added = [v for v in new if isinstance(v, str) and v not in old]
    for value in removed:
        twins = [a for a in added if a.casefold() == value.casefold()]
        if len(twins) == 1:
            yield ctx.finding(
                ENUM_VALUE_CASE_CHANGED,
                f"enum value {value!r} is now spelled {twins[0]!r}",
                side=SideName.REVISION,
                pointer=pointer,
                base_pointer=pointer,
            )


#: the catalogue rows of servers, info, tags and component schemas
RULES: Final[tuple[Rule, ...]] = (
    row(
        API_SERVER_REMOVED,
        B,
        Area.SERVERS,
        NONE,
        servers,
        "A server URL was removed.",
        "Clients and gateway routes configured with it break.",
        "base: servers: [{url: https://api.a}]\nrevision: servers: [{url: https://api.b}]",
        "Keep the old URL serving, or redirect it.",
    ),
    row(
        API_SERVER_ADDED,
        I,
        Area.SERVERS,
        NONE,
        servers,
        "A server URL was added.",
        "Nothing breaks.",
        "revision: servers: [{url: https://eu.api}]",
        "Nothing to do.",
    ),
    row(
        API_SERVER_DESCRIPTION_CHANGED,
        I,
        Area.SERVERS,
        NONE,
        servers,
        "A server's description changed.",
        "Nothing breaks.",
        "base: {description: a}\nrevision: {description: b}",
        "Nothing to do.",
    ),
    row(
        API_SERVER_VARIABLE_ENUM_VALUE_REMOVED,
        B,
        Area.SERVERS,
        NONE,
        servers,
        "A server variable no longer allows a value.",
        "Clients configured with that value get an invalid base URL.",
        "base: variables: {region: {enum: [eu, us]}}\nrevision: variables: {region: {enum: [eu]}}",
        "Keep the value.",
    ),
    row(
        API_SERVER_VARIABLE_DEFAULT_CHANGED,
        W,
        Area.SERVERS,
        NONE,
        servers,
        "A server variable's default changed.",
        "Clients using the default now reach another server.",
        "base: {default: eu}\nrevision: {default: us}",
        "Keep defaults.",
    ),
    row(
        API_SERVER_VARIABLE_CHANGED,
        W,
        Area.SERVERS,
        NONE,
        servers,
        "A server variable was added or removed.",
        "Clients filling in the template may build another URL.",
        "base: variables: {}\nrevision: variables: {region: ...}",
        "Check the URL template.",
    ),
    row(
        API_TITLE_CHANGED,
        I,
        Area.INFO,
        NONE,
        info,
        "info.title changed.",
        "Nothing breaks.",
        "base: {title: a}\nrevision: {title: b}",
        "Nothing to do.",
    ),
    row(
        API_DESCRIPTION_CHANGED,
        I,
        Area.INFO,
        NONE,
        info,
        "info.description changed.",
        "Nothing breaks.",
        "base: {description: a}\nrevision: {description: b}",
        "Nothing to do.",
    ),
    row(
        API_SUMMARY_CHANGED,
        I,
        Area.INFO,
        NONE,
        info,
        "info.summary changed.",
        "Nothing breaks.",
        "base: {summary: a}\nrevision: {summary: b}",
        "Nothing to do.",
    ),
    row(
        API_TERMS_OF_SERVICE_CHANGED,
        I,
        Area.INFO,
        NONE,
        info,
        "info.termsOfService changed.",
        "Nothing breaks on the wire.",
        "base: {termsOfService: https://a}\nrevision: {termsOfService: https://b}",
        "Nothing to do.",
    ),
    row(
        API_CONTACT_CHANGED,
        I,
        Area.INFO,
        NONE,
        info,
        "info.contact changed.",
        "Nothing breaks.",
        "base: {contact: {name: a}}\nrevision: {contact: {name: b}}",
        "Nothing to do.",
    ),
    row(
        API_LICENSE_CHANGED,
        I,
        Area.INFO,
        NONE,
        info,
        "info.license changed.",
        "Nothing breaks on the wire; check what users may do.",
        "base: {license: {name: MIT}}\nrevision: {license: {name: Apache-2.0}}",
        "Nothing to do.",
    ),
    row(
        API_VERSION_CHANGED,
        I,
        Area.INFO,
        NONE,
        info,
        "info.version changed.",
        "Nothing breaks.",
        "base: {version: 1.0.0}\nrevision: {version: 1.1.0}",
        "Nothing to do.",
    ),
    row(
        API_VERSION_DECREASED,
        W,
        Area.INFO,
        NONE,
        info,
        "info.version went down.",
        "Version order is how clients and registries tell releases apart.",
        "base: {version: 1.2.0}\nrevision: {version: 1.1.0}",
        "Versions only go up.",
    ),
    row(
        API_EXTENSION_CHANGED,
        I,
        Area.INFO,
        NONE,
        info,
        "A root-level `x-` extension was added, removed or changed.",
        "Nothing breaks for clients; tools reading it may behave differently.",
        "base: x-audience: public\nrevision: x-audience: partner",
        "Nothing to do.",
    ),
    row(
        API_TAG_DEFINITION_REMOVED,
        I,
        Area.INFO,
        NONE,
        tags,
        "A tag definition was removed.",
        "Nothing breaks on the wire.",
        "base: tags: [{name: pets}]\nrevision: tags: []",
        "Nothing to do.",
    ),
    row(
        API_TAG_DEFINITION_ADDED,
        I,
        Area.INFO,
        NONE,
        tags,
        "A tag definition was added.",
        "Nothing breaks.",
        "revision: tags: [{name: pets}]",
        "Nothing to do.",
    ),
    row(
        API_SCHEMA_REMOVED,
        I,
        Area.SCHEMAS,
        NONE,
        component_schemas,
        "A component schema was removed (also: renamed, or inlined where it was used).",
        "Nothing breaks on the wire by itself (uses report their own changes). SDKs generated from "
        "it lose a type their users import, so it is `breaking` under `--tier sdk` (not when a "
        "schema added at the same time gets the same type name, `pet` -> `Pet`).",
        "base: components: {schemas: {LegacyPet: ...}}\nrevision: components: {schemas: {}}",
        "Keep the schema under its name (a `$ref` to the new one) until clients moved.",
        sdk=B,
    ),
    row(
        API_SCHEMA_ADDED,
        I,
        Area.SCHEMAS,
        NONE,
        component_schemas,
        "A component schema was added.",
        "Nothing breaks.",
        "revision: components: {schemas: {Pet: ...}}",
        "Nothing to do.",
    ),
    row(
        ENUM_VALUE_CASE_CHANGED,
        I,
        Area.SCHEMAS,
        NONE,
        enum_case_renames,
        "An enum value is now spelled with other letter case.",
        "The value rules judge the wire change (a value removed and one added). Generated clients "
        "type the enum as literals (`Literal['active']`, `'active'`), so code comparing with or "
        "passing the old spelling stops type-checking: `breaking` under `--tier sdk`.",
        "base:     {type: string, enum: [active, closed]}\nrevision: {type: string, enum: [Active, closed]}",
        "Keep the spelling; add the new value next to the old one and deprecate the old one.",
        ("request-property-enum-value-removed", "response-property-enum-value-added"),
        sdk=B,
    ),
)


#: the semver policy's rows (read after every other rule)
SEMVER_RULES: Final[tuple[Rule, ...]] = (
    row(
        API_VERSION_NOT_BUMPED,
        W,
        Area.INFO,
        NONE,
        semver_policy,
        "There are breaking changes but info.version did not change.",
        "Clients and registries cannot tell the incompatible release apart.",
        "base: {version: 1.2.0}\nrevision: {version: 1.2.0}   # plus a breaking change",
        "Bump the major version.",
    ),
    row(
        API_MAJOR_VERSION_NOT_BUMPED,
        W,
        Area.INFO,
        NONE,
        semver_policy,
        "There are breaking changes but the major version of info.version did not go up.",
        "Semantic versioning promises compatibility within a major version.",
        "base: {version: 1.2.0}\nrevision: {version: 1.3.0}   # plus a breaking change",
        "Bump the major version.",
    ),
)
