"""``apigov serve``: the registry's APIs as one ASGI app (Starlette on uvicorn).

Layout: :mod:`apigov.server.app` assembles the app (:func:`~apigov.server.app.create_app` over any
:class:`~apigov.registry.base.RegistryBackend` and :class:`~apigov.registry.tokens.TokenStore`);
:mod:`apigov.server._http` is what every router shares (settings, problem documents, bearer
tokens, bounded bodies checked against the contract, backend calls off the event loop);
:mod:`apigov.server.routers` holds one module per API (``health``, ``registry``; later the Pact
Broker API, the Confluent Schema Registry API, test results and the web UI);
:mod:`apigov.server.observe` the JSON logs, metrics and the request middleware;
:mod:`apigov.server.run` starts uvicorn. ``openapi.yaml`` beside this file is the registry API's
contract (OpenAPI 3.1), published into apigov's own ``contracts/`` as ``apigov-registry-api``
and diffed against it in CI.

This package sits above :mod:`apigov.registry` (and may import the contract-test and fuzz
layers); nothing below imports it. It imports starlette and uvicorn, so only ``apigov serve``
and the tests import it.
"""
