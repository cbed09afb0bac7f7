"""``apigov check``: structural validation and the governance lint of single documents.

Entry points: :func:`apigov.lint.check.check_paths` (what the CLI calls),
:data:`apigov.lint.catalogue.RULES` (every lint rule, in order).
Structural validators live in :mod:`apigov.lint.structure`; rules, one module per contract
family, in :mod:`apigov.lint.rules_openapi` (which assembles ``rules_openapi_operations``,
``rules_openapi_paths`` and ``rules_openapi_components``), :mod:`apigov.lint.rules_asyncapi`,
:mod:`apigov.lint.rules_jsonschema` and :mod:`apigov.lint.rules_avro`.
May import :mod:`apigov.core`, :mod:`apigov.documents` and :mod:`apigov.config`; never the CLI
or the formatters.
"""
