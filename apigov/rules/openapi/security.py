"""Security requirements (root and per operation) and security schemes.

Requirements are alternatives: a client satisfies one of them. Adding a requirement where there
was none locks clients out; adding an alternative does not. Removing an alternative while others
remain locks out the clients that used it; removing the last one opens the operation.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from apigov.core import jsonptr
from apigov.core._types import JSONObject, JSONValue
from apigov.core.findings import Finding
from apigov.core.shown import value_change
from apigov.diff.tree import OperationSide, Requirement, SecurityDiff
from apigov.rules._walk import Op, changed_operations, first_object, operation_matches
from apigov.rules.context import CheckContext, SideName
from apigov.rules.openapi._rows import NONE, REQ, B, I, row
from apigov.rules.openapi.ids import SENT_BY_API_IDS
from apigov.rules.openapi.operations import relax_unstable
from apigov.rules.rule import Area, Judged, Rule

#: the ids this module's checks emit, declared in its rows below
API_SECURITY_ADDED: Final = "api-security-added"
API_SECURITY_REMOVED: Final = "api-security-removed"
API_SECURITY_SCOPE_ADDED: Final = "api-security-scope-added"
API_SECURITY_SCOPE_REMOVED: Final = "api-security-scope-removed"
API_GLOBAL_SECURITY_ADDED: Final = "api-global-security-added"
API_GLOBAL_SECURITY_REMOVED: Final = "api-global-security-removed"
API_GLOBAL_SECURITY_SCOPE_ADDED: Final = "api-global-security-scope-added"
API_GLOBAL_SECURITY_SCOPE_REMOVED: Final = "api-global-security-scope-removed"
API_SECURITY_COMPONENT_ADDED: Final = "api-security-component-added"
API_SECURITY_COMPONENT_REMOVED: Final = "api-security-component-removed"
API_SECURITY_COMPONENT_TYPE_CHANGED: Final = "api-security-component-type-changed"
API_SECURITY_COMPONENT_HTTP_SCHEME_CHANGED: Final = "api-security-component-http-scheme-changed"
API_SECURITY_COMPONENT_BEARER_FORMAT_CHANGED: Final = "api-security-component-bearer-format-changed"
API_SECURITY_COMPONENT_API_KEY_NAME_CHANGED: Final = "api-security-component-api-key-name-changed"
API_SECURITY_COMPONENT_API_KEY_IN_CHANGED: Final = "api-security-component-api-key-in-changed"
API_SECURITY_COMPONENT_OPENID_URL_CHANGED: Final = "api-security-component-openid-url-changed"
API_SECURITY_COMPONENT_OAUTH_TOKEN_URL_CHANGED: Final = "api-security-component-oauth-token-url-changed"  # noqa: S105 (an id)
API_SECURITY_COMPONENT_OAUTH_URL_CHANGED: Final = "api-security-component-oauth-url-changed"
API_SECURITY_COMPONENT_OAUTH_REFRESH_URL_CHANGED: Final = "api-security-component-oauth-refresh-url-changed"
API_SECURITY_COMPONENT_OAUTH_FLOW_CHANGED: Final = "api-security-component-oauth-flow-changed"
API_SECURITY_COMPONENT_OAUTH_FLOW_REMOVED: Final = "api-security-component-oauth-flow-removed"
API_SECURITY_COMPONENT_OAUTH_FLOW_ADDED: Final = "api-security-component-oauth-flow-added"
API_SECURITY_COMPONENT_OAUTH_SCOPE_REMOVED: Final = "api-security-component-oauth-scope-removed"
API_SECURITY_COMPONENT_OAUTH_SCOPE_ADDED: Final = "api-security-component-oauth-scope-added"


def _label(req: Requirement) -> str:
    if not req.schemes:
        return "anonymous access"
    return " + ".join(
        f"{name}" + (f" [{', '.join(scopes)}]" if scopes else "") for name, scopes in req.schemes
    )


#: (added, removed, scope added, scope removed) of the global security and of an operation's
_GLOBAL: Final = (
    API_GLOBAL_SECURITY_ADDED,
    API_GLOBAL_SECURITY_REMOVED,
    API_GLOBAL_SECURITY_SCOPE_ADDED,
    API_GLOBAL_SECURITY_SCOPE_REMOVED,
)
_OPERATION: Final = (
    API_SECURITY_ADDED,
    API_SECURITY_REMOVED,
    API_SECURITY_SCOPE_ADDED,
    API_SECURITY_SCOPE_REMOVED,
)


def _requirements(
    ctx: CheckContext, sec: SecurityDiff, ids: tuple[str, str, str, str], op: OperationSide | None
) -> Iterator[Finding]:
    added, removed, scope_added, scope_removed = ids
    reqs = sec.requirements
    base_open = _open(ctx, SideName.BASE, sec.at.base)  # the tree lists only what differs
    revision_open = _open(ctx, SideName.REVISION, sec.at.revision)
    pointer = sec.at.revision or (op.pointer if op else "")
    for req in reqs.added:
        breaking = base_open and not revision_open
        text = "now required" if breaking else "added as an alternative"
        yield ctx.finding(
            added,
            f"security {_label(req)} {text}",
            side=SideName.REVISION,
            pointer=req.pointer or pointer,
            operation=op,
            base_pointer=sec.at.base,
            judged=None if breaking else Judged.HARMLESS,  # clients may go on as before
        )
    for req in reqs.removed:
        kept = _covering(ctx, req, sec.at.revision)
        breaking = not revision_open and bool(req.schemes) and kept is None
        text = "removed; clients using it are locked out" if breaking else "removed"
        if kept is not None and not revision_open:
            text += f" (its clients still satisfy {kept})"
        yield ctx.finding(
            removed,
            f"security {_label(req)} {text}",
            side=SideName.BASE,
            pointer=req.pointer or sec.at.base or "",
            operation=op,
            judged=None if breaking else Judged.HARMLESS,  # anonymous access, or still covered
        )
    for rd in reqs.changed:
        at = rd.revision.pointer or pointer
        for scheme, scope in rd.scopes_added:
            yield ctx.finding(
                scope_added,
                f"security {scheme} now needs scope {scope!r}",
                side=SideName.REVISION,
                pointer=at,
                operation=op,
                base_pointer=rd.base.pointer,
            )
        for scheme, scope in rd.scopes_removed:
            yield ctx.finding(
                scope_removed,
                f"security {scheme} no longer needs scope {scope!r}",
                side=SideName.REVISION,
                pointer=at,
                operation=op,
                base_pointer=rd.base.pointer,
            )


def _covering(ctx: CheckContext, req: Requirement, pointer: str | None) -> str | None:
    """A revision alternative that every client of the removed ``req`` satisfies (its schemes
    among ``req``'s, each with no scope ``req`` did not hold: ``{a AND b}`` -> ``{a}``), shown."""
    node = None if pointer is None else ctx.node(SideName.REVISION, pointer)
    held = {name: set(scopes) for name, scopes in req.schemes}
    for alternative in node if isinstance(node, list) else ():
        if not isinstance(alternative, dict) or not alternative:
            continue
        if all(
            name in held and isinstance(scopes, list) and set(map(str, scopes)) <= held[name]
            for name, scopes in alternative.items()
        ):
            return " + ".join(sorted(alternative))
    return None


def _open(ctx: CheckContext, side: SideName, pointer: str | None) -> bool:
    """Whether the effective ``security`` at ``pointer`` lets anonymous clients in: it lists
    no alternative, or an empty one (``{}``)."""
    node = None if pointer is None else ctx.node(side, pointer)
    if not isinstance(node, list) or not node:
        return True
    return any(isinstance(alternative, dict) and not alternative for alternative in node)


def security_requirements(ctx: CheckContext) -> Iterator[Finding]:
    return relax_unstable(ctx, _security_requirements(ctx))


def _security_requirements(ctx: CheckContext) -> Iterator[Finding]:
    if ctx.tree.security is not None:
        yield from _requirements(ctx, ctx.tree.security, _GLOBAL, None)
    ops = [*changed_operations(ctx.tree.operations)]
    ops += [
        Op(d, inverted)
        for matches, inverted in operation_matches(ctx.tree.webhooks, True)
        for d in matches.changed
    ]
    for op in ops:
        if op.diff.security is None:
            continue
        if op.inverted:
            yield from _callback_requirements(ctx, op.diff.security, op.diff.revision)
        else:
            yield from _requirements(ctx, op.diff.security, _OPERATION, op.diff.revision)


def _callback_requirements(ctx: CheckContext, sec: SecurityDiff, op: OperationSide) -> Iterator[Finding]:
    """A callback's or webhook's security says how the API authenticates to the consumer's server, which
    verifies it: credentials no longer sent break it; a new alternative may be used instead of
    the one it verifies; a first requirement harms nobody. Scope changes are not judged."""
    reqs = sec.requirements
    base_open = _open(ctx, SideName.BASE, sec.at.base)
    kind = "callback" if op.group else "webhook"
    note = f"in a {kind} the API authenticates to your server"
    for req in reqs.added:
        alternative = not base_open
        yield ctx.finding(
            SENT_BY_API_IDS[(kind, "security-added")],
            f"{kind} security {_label(req)} added"
            + (" as an alternative: the API may use it instead" if alternative else ""),
            side=SideName.REVISION,
            pointer=req.pointer or sec.at.revision or op.pointer,
            operation=op,
            base_pointer=sec.at.base,
            judged=None if alternative else Judged.HARMLESS,  # a first requirement harms nobody
            direction=note,
        )
    for req in reqs.removed:
        yield ctx.finding(
            SENT_BY_API_IDS[(kind, "security-removed")],
            f"{kind} security {_label(req)} removed"
            + ("; servers verifying it get requests without it" if req.schemes else ""),
            side=SideName.BASE,
            pointer=req.pointer or sec.at.base or op.pointer,
            operation=op,
            judged=None if req.schemes else Judged.HARMLESS,  # anonymous access removed
            direction=note,
        )


_SCHEMES_AT: Final = ("/components/securitySchemes", "/securityDefinitions")
_FIELDS: Final = (
    ("type", API_SECURITY_COMPONENT_TYPE_CHANGED),
    ("scheme", API_SECURITY_COMPONENT_HTTP_SCHEME_CHANGED),
    ("bearerFormat", API_SECURITY_COMPONENT_BEARER_FORMAT_CHANGED),
    ("name", API_SECURITY_COMPONENT_API_KEY_NAME_CHANGED),
    ("in", API_SECURITY_COMPONENT_API_KEY_IN_CHANGED),
    ("openIdConnectUrl", API_SECURITY_COMPONENT_OPENID_URL_CHANGED),
    ("tokenUrl", API_SECURITY_COMPONENT_OAUTH_TOKEN_URL_CHANGED),
    ("authorizationUrl", API_SECURITY_COMPONENT_OAUTH_URL_CHANGED),
    ("flow", API_SECURITY_COMPONENT_OAUTH_FLOW_CHANGED),
)
_FLOW_FIELDS: Final = (
    ("tokenUrl", API_SECURITY_COMPONENT_OAUTH_TOKEN_URL_CHANGED),
    ("authorizationUrl", API_SECURITY_COMPONENT_OAUTH_URL_CHANGED),
    ("refreshUrl", API_SECURITY_COMPONENT_OAUTH_REFRESH_URL_CHANGED),
)


def security_schemes(ctx: CheckContext) -> Iterator[Finding]:
    """api-security-component-*: scheme definitions added, removed or changed."""
    base_at, old = first_object(ctx.base.data, _SCHEMES_AT)
    rev_at, new = first_object(ctx.revision.data, _SCHEMES_AT)
    for name in sorted(set(old) - set(new)):
        yield ctx.finding(
            API_SECURITY_COMPONENT_REMOVED,
            f"security scheme {name!r} removed",
            side=SideName.BASE,
            pointer=jsonptr.join(base_at, name),
        )
    for name in sorted(set(new) - set(old)):
        yield ctx.finding(
            API_SECURITY_COMPONENT_ADDED,
            f"security scheme {name!r} added",
            side=SideName.REVISION,
            pointer=jsonptr.join(rev_at, name),
        )
    for name in sorted(set(old) & set(new)):
        a, b = old[name], new[name]
        if a == b or not isinstance(a, dict) or not isinstance(b, dict):
            continue
        here, there = jsonptr.join(rev_at, name), jsonptr.join(base_at, name)
        retyped = a.get("type") != b.get("type")  # a new type: its other fields are not changes
        for key, rule_id in _FIELDS:
            if retyped and key != "type":
                continue
            if a.get(key) != b.get(key) and (key in a or key in b):
                yield ctx.finding(
                    rule_id,
                    value_change(
                        f"security scheme {name!r}: {key}", a.get(key), b.get(key), had=key in a, has=key in b
                    ),
                    side=SideName.REVISION,
                    pointer=here,
                    base_pointer=there,
                )
        if retyped:
            continue
        flows_a, flows_b = a.get("flows"), b.get("flows")
        if isinstance(flows_a, dict) and isinstance(flows_b, dict):
            yield from _flows(ctx, name, flows_a, flows_b, here, there)
        scopes_a, scopes_b = _scopes(a.get("scopes")), _scopes(b.get("scopes"))  # Swagger 2.0
        yield from _scope_changes(ctx, name, "", scopes_a, scopes_b, here, there)


def _scopes(value: JSONValue) -> set[str]:
    return set(value) if isinstance(value, dict) else set()


def _flows(
    ctx: CheckContext, name: str, flows_a: JSONObject, flows_b: JSONObject, here: str, there: str
) -> Iterator[Finding]:
    for flow in sorted(set(flows_a) - set(flows_b)):
        yield ctx.finding(
            API_SECURITY_COMPONENT_OAUTH_FLOW_REMOVED,
            f"security scheme {name!r}: OAuth flow {flow} removed",
            side=SideName.BASE,
            pointer=jsonptr.join(there, "flows", flow),
        )
    for flow in sorted(set(flows_b) - set(flows_a)):
        yield ctx.finding(
            API_SECURITY_COMPONENT_OAUTH_FLOW_ADDED,
            f"security scheme {name!r}: OAuth flow {flow} added",
            side=SideName.REVISION,
            pointer=jsonptr.join(here, "flows", flow),
        )
    for flow in sorted(set(flows_a) & set(flows_b)):
        fa, fb = flows_a[flow], flows_b[flow]
        if not isinstance(fa, dict) or not isinstance(fb, dict):
            continue
        at = jsonptr.join(here, "flows", flow)
        for key, rule_id in _FLOW_FIELDS:
            if fa.get(key) != fb.get(key):
                yield ctx.finding(
                    rule_id,
                    f"security scheme {name!r}: {flow} {key} changed",
                    side=SideName.REVISION,
                    pointer=at,
                    base_pointer=jsonptr.join(there, "flows", flow),
                )
        yield from _scope_changes(
            ctx,
            name,
            f"{flow} ",
            _scopes(fa.get("scopes")),
            _scopes(fb.get("scopes")),
            at,
            jsonptr.join(there, "flows", flow),
        )


def _scope_changes(
    ctx: CheckContext, name: str, flow: str, old: set[str], new: set[str], here: str, there: str
) -> Iterator[Finding]:
    for scope in sorted(old - new):
        yield ctx.finding(
            API_SECURITY_COMPONENT_OAUTH_SCOPE_REMOVED,
            f"security scheme {name!r}: {flow}scope {scope!r} removed",
            side=SideName.REVISION,
            pointer=here,
            base_pointer=there,
        )
    for scope in sorted(new - old):
        yield ctx.finding(
            API_SECURITY_COMPONENT_OAUTH_SCOPE_ADDED,
            f"security scheme {name!r}: {flow}scope {scope!r} added",
            side=SideName.REVISION,
            pointer=here,
            base_pointer=there,
        )


#: the catalogue rows of security requirements and schemes
RULES: Final[tuple[Rule, ...]] = (
    row(
        API_SECURITY_ADDED,
        B,
        Area.SECURITY,
        REQ,
        security_requirements,
        "An operation now requires security where it required none (adding an alternative is info).",
        "Clients without credentials are rejected with 401.",
        "base: get: {}\nrevision: get: {security: [{apiKey: []}]}",
        "Announce it and give clients time to get credentials.",
        (API_GLOBAL_SECURITY_ADDED,),
    ),
    row(
        API_SECURITY_REMOVED,
        B,
        Area.SECURITY,
        REQ,
        security_requirements,
        "A security alternative of an operation was removed while others remain (info when the operation became open).",
        "Clients authenticating that way are locked out, unless a remaining alternative asks only for "
        "credentials they already present: `{a AND b}` relaxed to `{a}` is info (every new alternative "
        "is checked against the removed one, scopes included).",
        "base: security: [{apiKey: []}, {oauth: []}]\nrevision: security: [{oauth: []}]",
        "Keep accepting the old scheme during a migration period.",
    ),
    row(
        API_SECURITY_SCOPE_ADDED,
        B,
        Area.SECURITY,
        REQ,
        security_requirements,
        "An operation's security requirement needs a new scope.",
        "Existing tokens lack the scope: 403.",
        "base: security: [{oauth: [read]}]\nrevision: security: [{oauth: [read, write]}]",
        "Require new scopes only on new operations.",
    ),
    row(
        API_SECURITY_SCOPE_REMOVED,
        I,
        Area.SECURITY,
        REQ,
        security_requirements,
        "An operation needs fewer scopes.",
        "Nothing breaks.",
        "base: [{oauth: [read, write]}]\nrevision: [{oauth: [read]}]",
        "Nothing to do.",
    ),
    row(
        API_GLOBAL_SECURITY_ADDED,
        B,
        Area.SECURITY,
        REQ,
        security_requirements,
        "The API now requires security where it required none.",
        "Clients without credentials are rejected.",
        "base: (no security)\nrevision: security: [{apiKey: []}]",
        "Announce it and give clients time.",
        (API_SECURITY_ADDED,),
    ),
    row(
        API_GLOBAL_SECURITY_REMOVED,
        B,
        Area.SECURITY,
        REQ,
        security_requirements,
        "A global security alternative was removed while others remain (info when the API became open).",
        "Clients authenticating that way are locked out, unless a remaining alternative asks only for "
        "credentials they already present (`{a AND b}` relaxed to `{a}`: info).",
        "base: security: [{a: []}, {b: []}]\nrevision: security: [{b: []}]",
        "Keep accepting the old scheme for a while.",
    ),
    row(
        API_GLOBAL_SECURITY_SCOPE_ADDED,
        B,
        Area.SECURITY,
        REQ,
        security_requirements,
        "The global security requirement needs a new scope.",
        "Existing tokens lack the scope.",
        "base: [{oauth: [read]}]\nrevision: [{oauth: [read, admin]}]",
        "Do not add scopes to existing operations.",
    ),
    row(
        API_GLOBAL_SECURITY_SCOPE_REMOVED,
        I,
        Area.SECURITY,
        REQ,
        security_requirements,
        "The global security requirement needs fewer scopes.",
        "Nothing breaks.",
        "base: [{oauth: [read, write]}]\nrevision: [{oauth: [read]}]",
        "Nothing to do.",
    ),
    row(
        API_SECURITY_COMPONENT_ADDED,
        I,
        Area.SECURITY,
        NONE,
        security_schemes,
        "A security scheme was defined.",
        "Nothing breaks.",
        "revision: securitySchemes: {apiKey: ...}",
        "Nothing to do.",
    ),
    row(
        API_SECURITY_COMPONENT_REMOVED,
        I,
        Area.SECURITY,
        NONE,
        security_schemes,
        "A security scheme definition was removed.",
        "Operations that used it report their own change.",
        "base: securitySchemes: {apiKey: ...}\nrevision: {}",
        "Nothing to do.",
    ),
    row(
        API_SECURITY_COMPONENT_TYPE_CHANGED,
        B,
        Area.SECURITY,
        NONE,
        security_schemes,
        "A security scheme's type changed.",
        "Clients authenticate the old way. The other fields of a scheme whose type changed are not "
        "reported one by one.",
        "base: {type: apiKey}\nrevision: {type: http, scheme: bearer}",
        "Add a new scheme as an alternative.",
    ),
    row(
        API_SECURITY_COMPONENT_HTTP_SCHEME_CHANGED,
        B,
        Area.SECURITY,
        NONE,
        security_schemes,
        "An HTTP security scheme changed (e.g. basic to bearer).",
        "Clients send the old kind of Authorization header.",
        "base: {scheme: basic}\nrevision: {scheme: bearer}",
        "Add a new scheme as an alternative.",
    ),
    row(
        API_SECURITY_COMPONENT_BEARER_FORMAT_CHANGED,
        I,
        Area.SECURITY,
        NONE,
        security_schemes,
        "A bearer format hint changed.",
        "Only documentation.",
        "base: {bearerFormat: JWT}\nrevision: {bearerFormat: opaque}",
        "Nothing to do.",
    ),
    row(
        API_SECURITY_COMPONENT_API_KEY_NAME_CHANGED,
        B,
        Area.SECURITY,
        NONE,
        security_schemes,
        "An API key's header, query or cookie name changed.",
        "Clients send the key under the old name.",
        "base: {name: X-Api-Key}\nrevision: {name: X-Key}",
        "Accept both names.",
    ),
    row(
        API_SECURITY_COMPONENT_API_KEY_IN_CHANGED,
        B,
        Area.SECURITY,
        NONE,
        security_schemes,
        "An API key moved (header, query, cookie).",
        "Clients send it in the old place.",
        "base: {in: header}\nrevision: {in: query}",
        "Accept both places.",
    ),
    row(
        API_SECURITY_COMPONENT_OPENID_URL_CHANGED,
        B,
        Area.SECURITY,
        NONE,
        security_schemes,
        "The OpenID Connect discovery URL changed.",
        "Clients discover the old provider.",
        "base: {openIdConnectUrl: https://a}\nrevision: {openIdConnectUrl: https://b}",
        "Keep the URL.",
    ),
    row(
        API_SECURITY_COMPONENT_OAUTH_TOKEN_URL_CHANGED,
        B,
        Area.SECURITY,
        NONE,
        security_schemes,
        "An OAuth token URL changed.",
        "Clients fetch tokens from the old URL.",
        "base: {tokenUrl: https://a/token}\nrevision: {tokenUrl: https://b/token}",
        "Keep the old URL working.",
    ),
    row(
        API_SECURITY_COMPONENT_OAUTH_URL_CHANGED,
        B,
        Area.SECURITY,
        NONE,
        security_schemes,
        "An OAuth authorization URL changed.",
        "Clients send users to the old URL.",
        "base: {authorizationUrl: https://a}\nrevision: {authorizationUrl: https://b}",
        "Keep the old URL working.",
    ),
    row(
        API_SECURITY_COMPONENT_OAUTH_REFRESH_URL_CHANGED,
        I,
        Area.SECURITY,
        NONE,
        security_schemes,
        "An OAuth refresh URL changed.",
        "Clients refreshing at the old URL may fail.",
        "base: {refreshUrl: https://a}\nrevision: {refreshUrl: https://b}",
        "Keep the old URL working.",
    ),
    row(
        API_SECURITY_COMPONENT_OAUTH_FLOW_CHANGED,
        B,
        Area.SECURITY,
        NONE,
        security_schemes,
        "A Swagger 2.0 OAuth flow changed.",
        "Clients use the old grant.",
        "base: {flow: implicit}\nrevision: {flow: accessCode}",
        "Add a new scheme.",
    ),
    row(
        API_SECURITY_COMPONENT_OAUTH_FLOW_REMOVED,
        B,
        Area.SECURITY,
        NONE,
        security_schemes,
        "An OAuth flow was removed.",
        "Clients using that grant cannot get tokens.",
        "base: flows: {implicit: ..., clientCredentials: ...}\nrevision: flows: {clientCredentials: ...}",
        "Keep the flow.",
    ),
    row(
        API_SECURITY_COMPONENT_OAUTH_FLOW_ADDED,
        I,
        Area.SECURITY,
        NONE,
        security_schemes,
        "An OAuth flow was added.",
        "Nothing breaks.",
        "revision: flows: {clientCredentials: ...}",
        "Nothing to do.",
    ),
    row(
        API_SECURITY_COMPONENT_OAUTH_SCOPE_REMOVED,
        B,
        Area.SECURITY,
        NONE,
        security_schemes,
        "An OAuth scope definition was removed.",
        "Clients requesting it are refused tokens.",
        "base: scopes: {read: ..., write: ...}\nrevision: scopes: {read: ...}",
        "Keep the scope.",
    ),
    row(
        API_SECURITY_COMPONENT_OAUTH_SCOPE_ADDED,
        I,
        Area.SECURITY,
        NONE,
        security_schemes,
        "An OAuth scope was defined.",
        "Nothing breaks.",
        "revision: scopes: {admin: ...}",
        "Nothing to do.",
    ),
)
