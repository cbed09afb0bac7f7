"""Structural validation: is the document valid for its specification?

One module per family: ``openapi`` (openapi-spec-validator), ``asyncapi`` (apigov's own checks
of the required structure and of the references between channels, operations and messages),
``jsonschema`` (the draft's meta-schema, via jsonschema) and ``avro`` (the Avro specification's
rules). Each exposes ``RULES``: structural :class:`~apigov.lint.rule.LintRule` entries.
"""
