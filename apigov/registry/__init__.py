"""The versioned contract registry: subjects, immutable semver versions, compatibility modes.

Entry points:

- :mod:`~apigov.registry.base`: the model (subject names, :class:`SemVer`, metadata) and the
  :class:`RegistryBackend` Protocol every backend implements (compare-and-set ``put_version``);
- :mod:`~apigov.registry.filesystem`: the directory backend (the default, ``contracts/``);
- :mod:`~apigov.registry.postgres`: the PostgreSQL backend (``postgresql://`` locations, psycopg 3);
- :mod:`~apigov.registry.location`: where the registry is, and the backend for it;
- :mod:`~apigov.registry.policy`: the mode + semver policy over the diff machinery;
- :mod:`~apigov.registry.publish`: ``apigov publish`` as one call;
- :mod:`~apigov.registry.commands`: the ``apigov registry`` operations, one call each;
- :mod:`~apigov.registry.refs`: ``SUBJECT@VERSION`` references on the command line;
- :mod:`~apigov.registry.present`: text and JSON renderings of their results;
- :mod:`~apigov.registry.scaffold`: ``apigov init`` (find a project's contracts, plan and write
  apigov.yaml, the registry directory and a GitHub workflow);
- :mod:`~apigov.registry.stored` and :mod:`~apigov.registry.provenance`: helpers.

Sits above ``report`` and below ``cli``: it may import ``report``, ``rules``, ``diff``, ``lint``,
``schema``, ``documents``, ``config`` and ``core``, never ``cli`` or click. Backend drivers
(psycopg, httpx) are imported inside the backend that needs them.
"""
