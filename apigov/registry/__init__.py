"""The versioned contract registry: subjects, immutable semver versions, compatibility modes.

Entry points: :mod:`apigov.registry.base` (the model and the :class:`RegistryBackend`
Protocol every backend implements), :mod:`apigov.registry.filesystem` (the directory backend,
the default), :mod:`apigov.registry.policy` (mode + semver policy), :mod:`apigov.registry.publish`
(``apigov publish`` as one library call), :mod:`apigov.registry.commands` (the ``apigov
registry`` operations) and :mod:`apigov.registry.refs` (``subject@version`` references).

Sits above ``report`` and below ``cli``: it may import ``rules``, ``diff``, ``schema``,
``documents``, ``config`` and ``core``, never ``cli`` or click. Heavy backend drivers (psycopg,
httpx) are imported inside the backend that needs them.
"""
