"""The registry's web UI, served by ``apigov serve`` under ``/ui`` (``--no-ui`` turns it off).

Read-only and server-rendered: Jinja2 templates (autoescaped: every piece of contract text is
untrusted) and one stylesheet, all inside this package (no CDN; it works offline), no
JavaScript at all, and a strict Content-Security-Policy on every response. The routes are in
:mod:`apigov.server.routers.ui`; this package holds what they render:

- :mod:`~apigov.server.ui.access`: who may read (the API's tokens and scopes; a token entered in
  the sign-in form is kept in an HttpOnly, SameSite=Strict cookie that only the UI honours) and
  the security headers;
- :mod:`~apigov.server.ui.reader`: the registry reads the pages need, with bounded caches of
  immutable versions and a paged catalog (in SQL on PostgreSQL);
- :mod:`~apigov.server.ui.summary` and :mod:`~apigov.server.ui.outline`: a version's catalog
  facts (title, owner, tags, lifecycle) and its readable outline (operations, channels, fields);
- :mod:`~apigov.server.ui.changes`: the diff between two versions, from ``apigov diff``'s
  pipeline, with the consumers the pacts say are affected;
- :mod:`~apigov.server.ui.graph`: who calls whom (pacts) and who sends or receives which event
  (AsyncAPI), laid out by grandalf (pure Python) into an SVG;
- :mod:`~apigov.server.ui.deploy`: the can-i-deploy matrix per environment and recent fuzz runs;
- :mod:`~apigov.server.ui.pages`: the Jinja2 environment.

It imports jinja2 and grandalf (the ``ui`` extra) and starlette; nothing below the server
imports it.
"""
