"""The one gateway model every target renders: routes, upstreams and policies.

:func:`build_model` reads the HTTP contracts (OpenAPI 3.x, Swagger 2.0) and the validated
``gateway:`` settings once. Every path and name taken from a spec is checked here against what
can be routed (RFC 3986 path characters, token header names); targets then escape what they
emit for their own syntax (:func:`Route.regex` writes every character that is not a letter,
digit, ``_``, ``-`` or ``/`` as ``\\xHH``, so a route regex is plain ASCII in every target).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import format_datetime
from typing import Final
from urllib.parse import urlsplit

from apigov.core.errors import InputError
from generators.base import Contract, JSONValue
from generators.gateway.settings import Cors, GatewaySettings, Policy, ServiceSettings, extension_policy

METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
IDEMPOTENT: Final = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
# RFC 3986 pchar without percent-encoding: unreserved, sub-delims, ':' and '@'
_PCHAR: Final = re.compile(r"^[A-Za-z0-9._~!$&'()*+,;=:@-]*\Z")
_PARAM_NAME: Final = re.compile(r"^[A-Za-z0-9_.-]{1,64}\Z")
_HEADER: Final = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}\Z")
_QUERY_NAME: Final = re.compile(r"^[A-Za-z0-9_.-]{1,64}\Z")
_SAFE_REGEX_CHAR: Final = re.compile(r"[A-Za-z0-9_/-]")
_URL: Final = re.compile(
    r"^https?://[A-Za-z0-9.-]{1,253}(?::\d{1,5})?(?:/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?\Z"
)
_DATE: Final = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$"
)
_TEMPLATE: Final = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True, slots=True)
class Piece:
    """A literal run of a path segment, or one path parameter (``kind``: any, integer, uuid,
    pattern: its schema's ``pattern`` when it is in the subset :func:`route_pattern` rewrites)."""

    text: str
    param: bool = False
    kind: str = "any"
    pattern: str | None = field(default=None, compare=False)  # rewritten, ASCII-only, never matches '/'
    sample: str = field(default="p1", compare=False)  # a value the piece matches (for tests and docs)

    def regex(self, alone: bool) -> str:
        if not self.param:
            return "".join(c if _SAFE_REGEX_CHAR.match(c) else f"\\x{ord(c):02x}" for c in self.text)
        if self.kind == "pattern" and self.pattern is not None and alone:
            return self.pattern
        if self.kind == "integer":
            return "-?[0-9]+"
        if self.kind == "uuid":
            return "[0-9A-Fa-f-]{36}"
        return "[^/]+" if alone else "[^/]+?"


Segment = tuple[Piece, ...]


@dataclass(frozen=True, slots=True)
class Credential:
    """One credential a security scheme asks for; ``where`` is header, query or cookie."""

    scheme: str = field(compare=False)
    where: str
    name: str  # header names lower-case
    prefix: str = ""  # required value prefix ("Bearer ", "Basic ")


Requirement = tuple[Credential, ...]  # all of them together (AND)


@dataclass(frozen=True, slots=True)
class Lifecycle:
    deprecation: str  # the RFC 9745 header value, "@<epoch seconds>"
    sunset: str | None = None  # an RFC 8594 HTTP-date
    successor: str | None = None  # a path or URL

    def headers(self) -> tuple[tuple[str, str], ...]:
        found = [("Deprecation", self.deprecation)]
        if self.sunset:
            found.append(("Sunset", self.sunset))
        if self.successor:
            found.append(("Link", f'<{self.successor}>; rel="successor-version"'))
        return tuple(found)


@dataclass(frozen=True, slots=True)
class RequestBody:
    """An operation's ``requestBody`` as the spec wrote it, with the document its ``$ref`` point into."""

    media_types: tuple[str, ...]
    schemas: Mapping[str, JSONValue]  # by media type (the spec's schema node, unresolved)
    document: Mapping[str, JSONValue]
    required: bool = False


@dataclass(frozen=True, slots=True)
class Operation:
    method: str  # upper case
    operation_id: str
    label: str  # "GET /orders/{orderId}" with the full (base path) template
    auth: tuple[Requirement, ...]  # any one of them (OR); () = public
    policy: Policy
    lifecycle: Lifecycle | None = None
    bearer_schemes: tuple[str, ...] = ()  # every scheme of its security answered by a Bearer token
    body: RequestBody | None = field(default=None, compare=False)

    @property
    def retries(self) -> int:
        """Retry attempts, only ever for idempotent methods."""
        if self.policy.retries is None or self.method not in IDEMPOTENT:
            return 0
        return self.policy.retries.attempts


@dataclass(frozen=True, slots=True)
class Route:
    service: str
    template: str
    segments: tuple[Segment, ...]
    operations: tuple[Operation, ...]
    index: int = 0
    fragment: bool = False  # the spec wrote the path with a '#fragment' (not part of a request)

    @property
    def literal(self) -> bool:
        return all(len(s) == 1 and not s[0].param for s in self.segments)

    @property
    def path(self) -> str:
        """The literal path (only for literal routes)."""
        return "/" + "/".join(s[0].text for s in self.segments) if self.segments else "/"

    def regex(self) -> str:
        """An anchored regex in the common subset of PCRE, RE2 and Go: ASCII letters, digits and escapes."""
        body = "".join("/" + "".join(p.regex(len(s) == 1) for p in s) for s in self.segments)
        return f"^{body or '/'}$"

    @property
    def methods(self) -> tuple[str, ...]:
        return tuple(o.method for o in self.operations)

    @property
    def cors(self) -> Cors | None:
        """The CORS policy a preflight (OPTIONS) on this path answers with: the first
        operation's that has one."""
        return next((op.policy.cors for op in self.operations if op.policy.cors is not None), None)

    @property
    def allow(self) -> str:
        return ", ".join(self.methods)

    def sort_key(self) -> tuple[tuple[int, str], ...]:
        key: list[tuple[int, str]] = []
        for segment in self.segments:
            rank = (
                0
                if len(segment) == 1 and not segment[0].param
                else 1
                if any(not p.param for p in segment)
                else 2
            )
            key.append((rank, "".join(p.text for p in segment if not p.param)))
        # last: the normalised template, so that no two routes tie (output independent of input order)
        return (
            *key,
            (9, ""),
            (10, "/".join("".join("{}" if p.param else p.text for p in s) for s in self.segments)),
        )


@dataclass(frozen=True, slots=True)
class Service:
    settings: ServiceSettings
    contract: str
    policy: Policy = field(default_factory=Policy)  # the service's policy over the document's and defaults

    @property
    def name(self) -> str:
        return self.settings.name


@dataclass(frozen=True, slots=True)
class Overlap:
    first: str
    second: str


@dataclass(frozen=True, slots=True)
class GatewayModel:
    settings: GatewaySettings
    services: tuple[Service, ...]
    routes: tuple[Route, ...]  # in precedence order: literal before templated, longer before shorter
    overlaps: tuple[Overlap, ...] = field(default=())
    notes: tuple[tuple[str, str, str], ...] = ()  # (feature, subject, message): said as warnings

    def operations(self) -> list[tuple[Route, Operation]]:
        return [(r, o) for r in self.routes for o in r.operations]


def build_model(contracts: Sequence[Contract], settings: GatewaySettings) -> GatewayModel:
    """Routes of every HTTP contract, bound to its service in ``settings``."""
    services: list[Service] = []
    routes: dict[tuple[str, ...], Route] = {}
    used: set[str] = set()
    notes: list[tuple[str, str, str]] = []
    for contract in contracts:
        if not contract.kind.startswith(("openapi", "swagger")):
            continue
        service = _service_for(contract, settings)
        if service.name in used:
            raise InputError(
                f"two contracts are bound to the gateway service {service.name!r}", source=contract.name
            )
        used.add(service.name)
        service_policy = service.policy.over(extension_policy(contract.document, "#")).over(settings.defaults)
        services.append(Service(service, contract.name, service_policy))
        for route in _routes(contract, service, settings, notes):
            key = _normal(route.segments)
            existing = routes.get(key)
            if existing is None:
                routes[key] = route
                continue
            if existing.service != route.service:
                raise InputError(
                    f"{route.template} of service {route.service!r} collides with {existing.template} "
                    f"of service {existing.service!r}",
                    source=contract.name,
                    hint="two services cannot own the same path; give one a different server base path",
                )
            clash = set(existing.methods) & set(route.methods)
            if clash and (route.fragment or existing.fragment):
                for op in route.operations:
                    if op.method in clash:
                        notes.append(
                            (
                                "path-fragment",
                                op.label,
                                f"{op.operation_id} differs from another {op.method} {existing.template} only by "
                                "a '#fragment', which requests do not carry: the gateway routes both alike",
                            )
                        )
                kept = tuple(op for op in route.operations if op.method not in clash)
                route = Route(route.service, route.template, route.segments, kept, fragment=route.fragment)
                clash = set()
            if clash:
                raise InputError(
                    f"{sorted(clash)[0]} {route.template} collides with {existing.template} after normalisation",
                    source=contract.name,
                )
            merged = tuple(
                sorted(
                    (*existing.operations, *route.operations), key=lambda o: METHODS.index(o.method.lower())
                )
            )
            routes[key] = Route(existing.service, existing.template, existing.segments, merged)
    ordered = sorted(routes.values(), key=Route.sort_key)
    numbered = tuple(
        Route(r.service, r.template, r.segments, r.operations, i, r.fragment) for i, r in enumerate(ordered)
    )
    if not services:
        raise InputError(
            "no HTTP contract (OpenAPI or Swagger) among the contracts given",
            hint="a gateway routes HTTP APIs",
        )
    ordered_services = tuple(sorted(services, key=lambda s: s.name))
    return GatewayModel(settings, ordered_services, numbered, _overlaps(numbered), tuple(notes))


def _service_for(contract: Contract, settings: GatewaySettings) -> ServiceSettings:
    names = {contract.name, contract.name.removeprefix("./")}
    if contract.subject:
        names.add(contract.subject)
    for service in settings.services:
        if service.contract in names:
            return service
    raise InputError(
        f"no gateway service is bound to this contract (subject {contract.subject or 'unknown'})",
        source=contract.name,
        hint="add it under gateway.services in apigov.yaml with its upstreams and 'contract: <subject or path>'",
    )


def _routes(
    contract: Contract, service: ServiceSettings, settings: GatewaySettings, notes: list[tuple[str, str, str]]
) -> list[Route]:
    doc = contract.document
    source = contract.name
    base = _base_path(doc, source)
    schemes = _security_schemes(doc, source)
    top_security = doc.get("security")
    doc_policy = extension_policy(doc, "#")
    found: dict[str, str] = {}
    routes: list[Route] = []
    paths = doc.get("paths") or {}
    if not isinstance(paths, dict):
        raise InputError("paths must be a mapping", source=source, pointer="#/paths")
    seen_ops: set[str] = set()
    for template, item in paths.items():
        pointer = f"#/paths/{_pointer(template)}"
        if not isinstance(item, dict):
            raise InputError("a path item must be a mapping", source=source, pointer=pointer)
        routed, fragment, _ = template.partition("#")
        full = (base.rstrip("/") + routed) if routed != "/" or not base else base
        segments = _segments(full, item, source, pointer, doc)
        path_policy = extension_policy(item, pointer)
        operations: list[Operation] = []
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            where = f"{pointer}/{method}"
            op_id = op.get("operationId")
            op_id = op_id if isinstance(op_id, str) and op_id else f"{method} {template}"
            if op_id in found:
                raise InputError(f"operationId {op_id!r} is used twice", source=source, pointer=where)
            found[op_id] = where
            policy = (
                service.operations.get(op_id, Policy())
                .over(extension_policy(op, where))
                .over(path_policy)
                .over(service.policy)
                .over(doc_policy)
                .over(settings.defaults)
            )
            security = op.get("security", top_security)
            operations.append(
                Operation(
                    method=method.upper(),
                    operation_id=op_id,
                    label=f"{method.upper()} {full}",
                    auth=(auth := _auth(security, schemes, source, where)),
                    bearer_schemes=_bearer_schemes(security, schemes) if auth else (),
                    policy=policy,
                    lifecycle=_lifecycle(op, source, where),
                    body=_request_body(doc, op),
                )
            )
            seen_ops.add(op_id)
        if operations:
            routes.append(Route(service.name, full, segments, tuple(operations), fragment=bool(fragment)))
    for op_id in service.operations:
        if op_id not in seen_ops:
            raise InputError(
                f"gateway settings: service {service.name!r} configures unknown operation {op_id!r}",
                pointer=f"{service.pointer}/operations/{_pointer(op_id)}",
                hint=f"operationIds of {source}: " + ", ".join(sorted(seen_ops)[:8]),
            )
    return routes


def _base_path(doc: Mapping[str, JSONValue], source: str) -> str:
    if "swagger" in doc:
        base = doc.get("basePath", "")
        return base if isinstance(base, str) else ""
    servers = doc.get("servers")
    if not isinstance(servers, list) or not servers or not isinstance(servers[0], dict):
        return ""
    url = servers[0].get("url")
    if not isinstance(url, str):
        return ""
    variables = servers[0].get("variables")
    if isinstance(variables, dict):
        for name, var in variables.items():
            if isinstance(var, dict) and isinstance(var.get("default"), str):
                url = url.replace("{" + name + "}", str(var["default"]))
    try:
        path = urlsplit(url).path if "://" in url else url
    except ValueError as exc:
        raise InputError(
            f"server url {url[:80]!r} is not a URL", source=source, pointer="#/servers/0/url"
        ) from exc
    return path.rstrip("/")


def _segments(
    full: str, item: Mapping[str, JSONValue], source: str, pointer: str, doc: Mapping[str, JSONValue]
) -> tuple[Segment, ...]:
    if not full.startswith("/"):
        raise InputError("a path must start with '/'", source=source, pointer=pointer)
    kinds = _param_kinds(item, doc)
    segments: list[Segment] = []
    raws = full[1:].split("/") if full != "/" else []
    for position, raw in enumerate(raws):
        if not raw and position < len(raws) - 1:
            raise InputError("a path has an empty segment ('//')", source=source, pointer=pointer)
        pieces: list[Piece] = []
        at = 0
        for match in _TEMPLATE.finditer(raw):
            literal = raw[at : match.start()]
            if literal:
                pieces.append(_literal(literal, source, pointer))
            name = match.group(1)
            if not _PARAM_NAME.match(name):
                raise InputError(
                    f"path parameter name {name[:40]!r} cannot be routed (letters, digits, _ . - only)",
                    source=source,
                    pointer=pointer,
                )
            if pieces and pieces[-1].param:
                raise InputError(
                    "two path parameters without a literal between them cannot be routed",
                    source=source,
                    pointer=pointer,
                )
            pieces.append(kinds.get(name, Piece(name, param=True)))
            at = match.end()
        if raw[at:]:
            pieces.append(_literal(raw[at:], source, pointer))
        segments.append(tuple(pieces))
    return tuple(segments)


def _literal(text: str, source: str, pointer: str) -> Piece:
    if not _PCHAR.match(text):
        bad = next(c for c in text if not _PCHAR.match(c))
        raise InputError(
            f"path character {bad!r} cannot be routed (only RFC 3986 path characters are)",
            source=source,
            pointer=pointer,
        )
    return Piece(text)


def _request_body(doc: Mapping[str, JSONValue], op: Mapping[str, JSONValue]) -> RequestBody | None:
    body = _local(doc, op.get("requestBody"))
    if not isinstance(body, dict):
        return None
    content = body.get("content")
    if not isinstance(content, dict) or not content:
        return None
    return RequestBody(
        media_types=tuple(str(m) for m in content),
        schemas={str(m): entry.get("schema") for m, entry in content.items() if isinstance(entry, dict)},
        document=doc,
        required=body.get("required") is True,
    )


def _local(doc: Mapping[str, JSONValue], node: JSONValue) -> JSONValue:
    """``node`` with same-document ``$ref`` followed (at most 10 hops; anything else as it is)."""
    for _ in range(10):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return node
        target: JSONValue = dict(doc)
        for part in ref[2:].split("/"):
            key = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or key not in target:
                return node
            target = target[key]
        node = target
    return node


def _param_kinds(item: Mapping[str, JSONValue], doc: Mapping[str, JSONValue]) -> dict[str, Piece]:
    kinds: dict[str, Piece] = {}
    params: list[JSONValue] = []
    for holder in (item, *(v for k, v in item.items() if k in METHODS and isinstance(v, dict))):
        raw = holder.get("parameters") if isinstance(holder, dict) else None
        if isinstance(raw, list):
            params.extend(raw)
    for raw in params:
        param = _local(doc, raw)
        if not isinstance(param, dict) or param.get("in") != "path" or not isinstance(param.get("name"), str):
            continue
        schema = _local(doc, param.get("schema", param))
        name = param["name"]
        assert isinstance(name, str)
        piece = Piece(name, param=True)
        if isinstance(schema, dict):
            rewritten = route_pattern(schema.get("pattern"))
            if schema.get("type") == "integer":
                piece = Piece(name, param=True, kind="integer", sample="42")
            elif schema.get("type") == "string" and schema.get("format") == "uuid":
                piece = Piece(name, param=True, kind="uuid", sample="0" * 8 + "-0000-0000-0000-" + "0" * 12)
            elif rewritten is not None:
                piece = Piece(name, param=True, kind="pattern", pattern=rewritten[0], sample=rewritten[1])
        known = kinds.get(name)
        if known is not None and (known.kind, known.pattern) != (piece.kind, piece.pattern):
            piece = Piece(name, param=True)  # operations disagree: match what either accepts
        kinds[name] = piece
    return kinds


_PATTERN_ATOM: Final = re.compile(r"\\[d.\-_]|\[(?:\\d|[A-Za-z0-9](?:-[A-Za-z0-9])?|[-_])+\]|[A-Za-z0-9_-]")
_PATTERN_COUNT: Final = re.compile(r"\{(\d{1,3})(,(\d{1,3})?)?\}|[+*?]")


def route_pattern(pattern: object) -> tuple[str, str] | None:
    """A path parameter's ``pattern`` rewritten for routing, with a sample value it matches, when
    it is an anchored sequence of literals (letters, digits, ``_ - .``), ``\\d`` and character
    classes of those, each with an optional quantifier; else ``None`` (routed as ``[^/]+``).
    The rewrite is ASCII-only and can never match ``/``, whatever the pattern said."""
    if (
        not isinstance(pattern, str)
        or len(pattern) > 200
        or not pattern.startswith("^")
        or not pattern.endswith("$")
    ):
        return None
    body, at = pattern[1:-1], 0
    out: list[str] = []
    sample: list[str] = []
    while at < len(body):
        atom = _PATTERN_ATOM.match(body, at)
        if atom is None:
            return None
        at = atom.end()
        text = atom.group()
        if text == "\\d":
            regex, example = "[0-9]", "0"
        elif text.startswith("\\"):
            regex, example = f"\\x{ord(text[1]):02x}", text[1]
        elif text.startswith("["):
            items = re.findall(r"\\d|[A-Za-z0-9]-[A-Za-z0-9]|[A-Za-z0-9_-]", text[1:-1])
            if any(len(i) == 3 and i[0] > i[2] for i in items):
                return None
            regex = (
                "["
                + "".join(
                    "0-9" if i == "\\d" else i if len(i) == 3 or i.isalnum() else f"\\x{ord(i):02x}"
                    for i in items
                )
                + "]"
            )
            example = "0" if items[0] == "\\d" else items[0][0]
        else:
            regex, example = (text if text.isalnum() or text == "_" else f"\\x{ord(text):02x}"), text
        count = _PATTERN_COUNT.match(body, at)
        low = 1
        if count is not None:
            at = count.end()
            quantifier = count.group()
            if quantifier in "+*?":
                low = 0 if quantifier in "*?" else 1
            else:
                low = int(count.group(1))
                high = count.group(3)
                if high is not None and int(high) < low:
                    return None
            regex += quantifier
        out.append(regex)
        sample.append(example * low)
    if not "".join(sample):
        return None  # a pattern that accepts the empty string: routed as [^/]+
    return "".join(out), "".join(sample)


def _security_schemes(doc: Mapping[str, JSONValue], source: str) -> dict[str, tuple[Credential, ...] | None]:
    """Each scheme's credential, or ``None`` for a scheme a gateway cannot check (mutualTLS)."""
    raw: JSONValue = doc.get("securityDefinitions") if "swagger" in doc else None
    if raw is None:
        components = doc.get("components")
        raw = components.get("securitySchemes") if isinstance(components, dict) else None
    found: dict[str, tuple[Credential, ...] | None] = {}
    if not isinstance(raw, dict):
        return found
    for name, scheme in raw.items():
        if not isinstance(scheme, dict):
            continue
        kind = scheme.get("type")
        where = f"#/components/securitySchemes/{_pointer(name)}"
        if kind == "apiKey":
            location, key = scheme.get("in"), scheme.get("name")
            if location not in ("header", "query", "cookie") or not isinstance(key, str):
                raise InputError("an apiKey scheme needs 'in' and 'name'", source=source, pointer=where)
            pattern = _HEADER if location == "header" else _QUERY_NAME
            if not pattern.match(key):
                raise InputError(
                    f"apiKey name {key[:40]!r} cannot be checked safely", source=source, pointer=where
                )
            found[name] = (Credential(name, location, key.lower() if location == "header" else key),)
        elif (kind == "http" and str(scheme.get("scheme", "")).lower() == "basic") or kind == "basic":
            found[name] = (Credential(name, "header", "authorization", "Basic "),)
        elif kind in ("http", "oauth2", "openIdConnect"):
            found[name] = (Credential(name, "header", "authorization", "Bearer "),)
        else:
            found[name] = None
    return found


def _auth(
    security: JSONValue, schemes: Mapping[str, tuple[Credential, ...] | None], source: str, pointer: str
) -> tuple[Requirement, ...]:
    if not isinstance(security, list) or not security:
        return ()
    alternatives: list[Requirement] = []
    for requirement in security:
        if not isinstance(requirement, dict):
            raise InputError(
                "a security requirement must be a mapping", source=source, pointer=f"{pointer}/security"
            )
        if not requirement:
            return ()  # {} among the alternatives: anonymous access is allowed
        creds: list[Credential] = []
        for name in sorted(requirement):
            if name not in schemes:
                raise InputError(
                    f"security scheme {name[:40]!r} is not defined",
                    source=source,
                    pointer=f"{pointer}/security",
                )
            scheme = schemes[name]
            if scheme is None:
                creds = []
                break  # a requirement the gateway cannot check: left to the service
            creds.extend(scheme)
        if not creds:
            return ()
        unique = tuple(sorted(set(creds), key=lambda c: (c.where, c.name, c.prefix)))
        if unique not in alternatives:
            alternatives.append(unique)
    return tuple(alternatives)


def _bearer_schemes(
    security: JSONValue, schemes: Mapping[str, tuple[Credential, ...] | None]
) -> tuple[str, ...]:
    names: set[str] = set()
    for requirement in security if isinstance(security, list) else []:
        for name in requirement if isinstance(requirement, dict) else {}:
            creds = schemes.get(name)
            if creds and any(c.prefix == "Bearer " for c in creds):
                names.add(name)
    return tuple(sorted(names))


def _lifecycle(op: Mapping[str, JSONValue], source: str, pointer: str) -> Lifecycle | None:
    sunset = op.get("x-sunset")
    if op.get("deprecated") is not True and sunset is None:
        return None
    since = op.get("x-deprecated-at")
    deprecation = (
        "@0" if since is None else f"@{int(_date(since, source, f'{pointer}/x-deprecated-at').timestamp())}"
    )
    successor = op.get("x-successor")
    if successor is not None and (
        not isinstance(successor, str)
        or not (
            _URL.match(successor) or (successor.startswith("/") and _PCHAR.match(successor.replace("/", "")))
        )
    ):
        raise InputError(
            "x-successor must be an http(s) URL or an absolute path",
            source=source,
            pointer=f"{pointer}/x-successor",
        )
    return Lifecycle(
        deprecation=deprecation,
        sunset=format_datetime(_date(sunset, source, f"{pointer}/x-sunset"), usegmt=True)
        if sunset is not None
        else None,
        successor=successor if isinstance(successor, str) else None,
    )


def _date(value: JSONValue, source: str, pointer: str) -> dt.datetime:
    text = value if isinstance(value, str) else None
    if text is None or _DATE.match(text) is None:
        raise InputError(
            "must be a date (YYYY-MM-DD) or an RFC 3339 date-time", source=source, pointer=pointer
        )
    try:
        parsed = dt.datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"not a valid date: {exc}", source=source, pointer=pointer) from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _normal(segments: tuple[Segment, ...]) -> tuple[str, ...]:
    return tuple("".join("{}" if p.param else p.text for p in s) for s in segments)


def _overlaps(routes: Sequence[Route]) -> tuple[Overlap, ...]:
    """Templates of different services that can match one path (precedence decides; said as a warning)."""
    by_length: dict[int, list[Route]] = {}
    for route in routes:
        by_length.setdefault(len(route.segments), []).append(route)
    found: list[Overlap] = []
    for group in by_length.values():
        services = {r.service for r in group}
        if len(services) < 2:
            continue
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if first.service != second.service and all(
                    _segments_meet(a, b) for a, b in zip(first.segments, second.segments, strict=True)
                ):
                    found.append(Overlap(first.template, second.template))
    return tuple(found)


def _segments_meet(a: Segment, b: Segment) -> bool:
    if all(not p.param for p in a) and all(not p.param for p in b):
        return a == b
    return True  # a parameter meets anything; two mixed segments are assumed to meet


def _pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")
