"""``apigov serve``: the registry's REST API as an ASGI app (Starlette on uvicorn).

Entry points: :func:`apigov.server.app.create_app` (the app over any
:class:`~apigov.registry.base.RegistryBackend` and :class:`~apigov.registry.tokens.TokenStore`),
:func:`apigov.server.app.serve` (uvicorn), and ``openapi.yaml`` beside this file: the
API's contract (OpenAPI 3.1), published into apigov's own ``contracts/`` as the subject
``apigov-registry-api`` and diffed against it in CI.

The server keeps no state of its own between requests (tokens and versions live in the backend;
the caches hold only immutable versions), so several replicas can serve one PostgreSQL registry
behind a load balancer.

Imports starlette and uvicorn, so only ``apigov serve`` and the tests import this package; the
rest of apigov never does.
"""
