"""Typed client generators (Python, TypeScript) over one language-neutral API model.

:mod:`generators.client.model` reads a contract (OpenAPI 3.0/3.1, Swagger 2.0) into
operations, parameters, bodies, responses and named types; :mod:`apigov.core.naming`
turns untrusted spec names into identifiers. Each language renders that model with its own
Jinja2 templates (``python/``, ``typescript/``). Imports only ``generators.base`` and
``apigov.core``; jinja2 is imported inside ``generate()``.
"""
