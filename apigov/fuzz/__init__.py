"""Running contracts against live traffic: ``apigov fuzz`` (Schemathesis 4) and ``apigov mock``.

Entry points: :func:`apigov.fuzz.run.fuzz` (a :class:`~apigov.fuzz.model.FuzzResult` for a contract
and a base URL; Schemathesis runs in a child process, :mod:`apigov.fuzz._worker`, so that the whole
run is bounded by ``--max-time`` whatever the server or the contract do),
:mod:`apigov.fuzz.baseline` (known failures), :mod:`apigov.fuzz.report` (text, json, junit and
markdown) and :mod:`apigov.fuzz.mock` (an ASGI server answering a contract's operations).

Layer: between ``registry`` and ``cli``; it must not import ``apigov.cli``. Schemathesis,
Starlette, uvicorn and httpx are imported only inside the functions that need them.
"""
