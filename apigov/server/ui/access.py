"""Who may read the UI, and the headers every UI response carries.

The UI honours the API's tokens and scopes: a page needs scope ``read``, given by the
``Authorization`` header as on the API, or by the session cookie. The cookie is set by the
sign-in form (a POST: the token is never in a URL, so never in a log or a browser history) and
holds the token itself, ``HttpOnly`` (no script reads it), ``SameSite=Strict`` (no other site's
page sends it), ``Path=/ui`` (no API request carries it) and ``Secure`` when the page came over
HTTPS (or ``apigov serve --public-url`` is an ``https`` URL: a TLS proxy in front). Only the UI's read routes look at it: the API reads the ``Authorization`` header alone,
so the cookie can never authorise a write, and there is nothing for another site to forge.
With ``--anonymous-read`` the pages need no token at all.

Every UI response has a Content-Security-Policy that allows no script at all (the UI has none),
styles and images from the server only, forms posting only to the server, and no framing.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import Response

from apigov.registry.tokens import TokenRecord, grants
from apigov.server._http import Problem, Shared

__all__ = ["COOKIE", "HEADERS", "reader_of", "set_session", "token_from_form"]

COOKIE: Final = "apigov_ui"
PREFIX: Final = "/ui"
HEADERS: Final = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # (no-referrer would make a form post send Origin: null)
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
_MAX_FORM: Final = 4096


class SignInNeeded(Exception):
    """The page needs a token the request does not carry (or one that is not valid)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def reader_of(shared: Shared, request: Request) -> TokenRecord | None:
    """The token the request reads with (``None``: anonymous reads are allowed); raises
    :class:`SignInNeeded` when it may not read."""
    if "authorization" in request.headers:
        try:
            return await shared.authorize(request, "read")
        except Problem as problem:
            raise SignInNeeded(problem.detail) from None
    token = request.cookies.get(COOKIE, "")
    if not token:
        if shared.settings.anonymous_read:
            shared.limit_rate(f"anonymous:{client_host(request)}")  # the API's bucket for this address
            return None
        raise SignInNeeded("this registry needs a token to read")
    record = await _lookup(shared, token)
    if record is None:
        raise SignInNeeded("the token of this session is unknown or revoked; sign in again")
    if not grants(record.scope, "read"):
        raise SignInNeeded(f"the token has scope {record.scope}, not read")
    request.scope["apigov.token"] = record.name
    shared.limit_rate(f"token:{record.name}")  # the same bucket as the token's API requests
    return record


def client_host(request: Request) -> str:
    """The client's address, the key of anonymous rate limits (``?`` when unknown)."""
    return request.client.host if request.client else "?"


async def _lookup(shared: Shared, token: str) -> TokenRecord | None:
    token = token.strip()
    if not token or len(token) > 200:
        return None
    peek = shared.peek_token
    record = peek(token) if peek is not None else None
    if record is None:
        try:
            record = await shared.call(shared.tokens.lookup, token)
        except Problem:
            return None
    return record


async def token_from_form(shared: Shared, request: Request) -> tuple[str, TokenRecord | None]:
    """The token of the sign-in form's body (urlencoded, at most 4 KiB) and its record."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > _MAX_FORM:
            return "", None
    fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=10)
    token = (fields.get("token") or [""])[0].strip()
    record = await _lookup(shared, token)
    return token, record


def set_session(response: Response, secure: bool, token: str | None) -> None:
    """Set (``token``) or clear (``None``) the session cookie (``Secure`` when ``secure``)."""
    if token is None:
        response.delete_cookie(COOKIE, path=PREFIX, secure=secure, httponly=True, samesite="strict")
        return
    response.set_cookie(COOKIE, token, path=PREFIX, secure=secure, httponly=True, samesite="strict")
