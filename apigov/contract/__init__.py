"""Consumer-driven contracts: pacts, their verification and can-i-deploy.

Entry points: :mod:`apigov.contract.model` (pacts and the records kept about them, parsing a
pact file), :mod:`apigov.contract.store` (the :class:`~apigov.contract.store.PactStore`
Protocol and its directory, PostgreSQL and HTTP implementations),
:mod:`apigov.contract.matrix` (can-i-deploy), :mod:`apigov.contract.verify` (pact-python 4's
Verifier), :mod:`apigov.contract.check` (a pact against an OpenAPI contract, statically).

Sits between ``registry`` and ``server``: it may import the registry and everything below it,
never the server or the CLI. pact-python and httpx are imported only inside the functions that
need them.
"""
