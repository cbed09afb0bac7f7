"""Governance rules on OpenAPI paths, parameters and servers.

Part of :mod:`apigov.lint.rules_openapi`, which assembles the OpenAPI rule table.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Final
from urllib.parse import urlsplit

from apigov.core import jsonptr
from apigov.core.findings import Finding, Level
from apigov.documents.kinds import Kind
from apigov.lint._doc import rule_factory
from apigov.lint._openapi_model import (
    TEMPLATE_RE,
    as_dict,
    as_list,
    operations,
    parameters,
)
from apigov.lint.context import LintContext
from apigov.lint.rule import LintRule

_VERBS: Final = frozenset(
    {"get", "create", "update", "delete", "remove", "fetch", "list", "put", "post", "patch"}
)
_LOCAL_HOSTS: Final = frozenset({"localhost", "127.0.0.1", "[::1]", "::1", "0.0.0.0"})  # noqa: S104

# ----------------------------------------------------------------------------- paths and parameters


def _literal_segments(path: str) -> list[str]:
    return [s for s in path.strip("/").split("/") if s and not TEMPLATE_RE.search(s)]


def path_trailing_slash(ctx: LintContext) -> Iterator[Finding]:
    for path in as_dict(as_dict(ctx.data).get("paths")):
        if len(path) > 1 and path.endswith("/"):
            yield ctx.finding(f"path {path!r} ends with a slash", jsonptr.join("/paths", path))


def _style(segment: str) -> str:
    if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", segment):
        return "kebab-case" if "-" in segment else "lower"
    if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", segment):
        return "snake_case"
    if re.fullmatch(r"[a-z][a-zA-Z0-9]*", segment):
        return "camelCase"
    return "other"


def path_casing_inconsistent(ctx: LintContext) -> Iterator[Finding]:
    paths = list(as_dict(as_dict(ctx.data).get("paths")))
    styles = Counter(
        _style(seg)
        for path in paths
        for seg in _literal_segments(path)
        if _style(seg) not in ("lower", "other")
    )
    dominant = "kebab-case"
    if styles:
        top = styles.most_common()
        if top[0][1] > styles.get("kebab-case", 0):
            dominant = top[0][0]
    for path in paths:
        for segment in _literal_segments(path):
            style = _style(segment)
            if style in ("lower", dominant):
                continue
            if segment.startswith(".") or (
                segment.startswith("v") and segment[1:].replace(".", "").isdigit()
            ):
                continue
            yield ctx.finding(
                f"path segment {segment!r} of {path!r} is {style}; this API's paths use {dominant}",
                jsonptr.join("/paths", path),
                expected=dominant,
            )
            break


def path_verb_in_segment(ctx: LintContext) -> Iterator[Finding]:
    for path in as_dict(as_dict(ctx.data).get("paths")):
        for segment in _literal_segments(path):
            first = re.split(r"[-_]|(?=[A-Z])", segment)[0].lower()
            if first in _VERBS:
                yield ctx.finding(
                    f"path {path!r} names an action ({segment!r}); let the HTTP method say it",
                    jsonptr.join("/paths", path),
                )
                break


def path_ambiguous(ctx: LintContext) -> Iterator[Finding]:
    seen: dict[str, str] = {}
    for path in as_dict(as_dict(ctx.data).get("paths")):
        normalised = TEMPLATE_RE.sub("{}", path.rstrip("/") or "/")
        if normalised in seen:
            yield ctx.finding(
                f"path {path!r} is the same template as {seen[normalised]!r} (parameter names differ only)",
                jsonptr.join("/paths", path),
            )
        else:
            seen[normalised] = path


def parameter_description_missing(ctx: LintContext) -> Iterator[Finding]:
    reported: set[str] = set()
    for op in operations(ctx):
        for param, pointer in parameters(ctx, op):
            if param.get("in") == "body" or param.get("description"):
                continue
            key = f"{param.get('in')}:{param.get('name')}:{pointer if 'parameters' in pointer else ''}"
            if key in reported:
                continue
            reported.add(key)
            yield ctx.finding(
                f"{param.get('in')} parameter {param.get('name')!r} of {op.label} has no description",
                pointer,
                operation=op.label,
            )


# ----------------------------------------------------------------------------- servers


def server_missing(ctx: LintContext) -> Iterator[Finding]:
    data = as_dict(ctx.data)
    if ctx.kind is Kind.SWAGGER_2:
        if not data.get("host"):
            yield ctx.finding("no host is declared: clients cannot know where the API lives", "")
    elif not as_list(data.get("servers")):
        yield ctx.finding("no servers are declared: clients cannot know where the API lives", "")


def server_url_not_https(ctx: LintContext) -> Iterator[Finding]:
    data = as_dict(ctx.data)
    if ctx.kind is Kind.SWAGGER_2:
        schemes = as_list(data.get("schemes"))
        host = str(data.get("host", "")).split(":")[0]
        if "http" in schemes and host not in _LOCAL_HOSTS:
            yield ctx.finding("schemes include plain http", f"/schemes/{schemes.index('http')}")
        return
    for index, server in enumerate(as_list(data.get("servers"))):
        url = as_dict(server).get("url")
        if not isinstance(url, str):
            continue
        try:
            parts = urlsplit(url)
            hostname = parts.hostname or ""
            _ = parts.port
        except ValueError as exc:
            yield ctx.finding(f"server url {url!r} is not a valid URL ({exc})", f"/servers/{index}/url")
            continue
        if parts.scheme == "http" and hostname not in _LOCAL_HOSTS:
            yield ctx.finding(f"server {url!r} is not https", f"/servers/{index}/url")


# ----------------------------------------------------------------------------- the table


_rule: Final = rule_factory("openapi")


RULES: Final[tuple[LintRule, ...]] = (
    _rule(
        "path-trailing-slash",
        Level.WARNING,
        "Paths do not end with a slash.",
        path_trailing_slash,
        checks="No key of `paths` other than `/` ends with `/`.",
        why="`/orders/` and `/orders` are different URLs: gateways and clients disagree on which one exists.",
        example="paths:\n  /orders/: {}",
        fix="Remove the trailing slash.",
    ),
    _rule(
        "path-casing-inconsistent",
        Level.WARNING,
        "Path segments share one casing style (kebab-case by default).",
        path_casing_inconsistent,
        checks="Literal path segments (not `{parameters}`) use the style most of the API uses: kebab-case, "
        "snake_case or camelCase (kebab-case wins ties). One finding per path at most.",
        why="Mixed casing makes URLs hard to guess and is a sign of paths designed in isolation.",
        example="paths:\n  /order-items: {}\n  /shippingLabels: {}",
        fix="Rename the segment to the API's style (adding the new path first and deprecating the old one).",
    ),
    _rule(
        "path-verb-in-segment",
        Level.INFO,
        "Paths name resources, not actions.",
        path_verb_in_segment,
        checks="No literal path segment starts with an HTTP-like verb (get, create, update, delete, list ...).",
        why="The method already says the action; verbs in paths lead to RPC-style APIs that gateways and "
        "caches cannot reason about.",
        example="paths:\n  /getOrders: {}",
        fix="Use a noun (`/orders`) and the right method.",
    ),
    _rule(
        "path-ambiguous",
        Level.ERROR,
        "No two paths differ only in parameter names.",
        path_ambiguous,
        checks="After replacing every `{parameter}` by a placeholder, all path templates are distinct.",
        why="`/pets/{id}` and `/pets/{petId}` match the same URLs; OpenAPI declares such paths identical and "
        "routers pick one at random.",
        example="paths:\n  /pets/{id}: {}\n  /pets/{petId}: {}",
        fix="Merge the two path items.",
    ),
    _rule(
        "parameter-description-missing",
        Level.INFO,
        "Parameters have a description.",
        parameter_description_missing,
        checks="Every query, path, header and cookie parameter has a `description`.",
        why="Parameter names alone rarely say the unit, format or effect.",
        example="parameters:\n  - {name: limit, in: query, schema: {type: integer}}",
        fix="Describe the parameter, including defaults and limits.",
    ),
    _rule(
        "server-missing",
        Level.WARNING,
        "The API says where it is served.",
        server_missing,
        checks="OpenAPI 3 documents have `servers`; Swagger 2.0 documents have `host`.",
        why="Without a server, generated clients and gateway configs have no base URL.",
        example="openapi: 3.0.3\ninfo: {title: Orders, version: 1.0.0}\npaths: {}",
        fix="Add `servers: [{url: https://api.example.com/v1}]`.",
    ),
    _rule(
        "server-url-not-https",
        Level.WARNING,
        "Servers use https (except localhost).",
        server_url_not_https,
        checks="Server URLs (3.x) use https, and Swagger 2.0 `schemes` do not include http, unless the host "
        "is localhost or a loopback address.",
        why="Plain http exposes tokens and data to anyone on the path.",
        example="servers:\n  - url: http://api.example.com",
        fix="Serve and document the API over https.",
    ),
)
