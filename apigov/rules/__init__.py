"""The diff rules: what a change between two contracts means for their clients.

Entry points: :func:`apigov.rules.run.diff_sources` (two contracts in, a ``Report`` out),
:data:`apigov.rules.catalogue.RULES` and :data:`apigov.rules.events.catalogue.EVENT_RULES`
(every rule id, its level, area, direction and docs). The OpenAPI area modules
(:mod:`apigov.rules.openapi`) declare their rows beside their checks; the event engine is
:mod:`apigov.rules.events`; the orchestration (run, policy, context, ignore, modes, docs) stays
at this level. Rules read the structural ``DiffTree`` of :mod:`apigov.diff` and ask the schema
engine of :mod:`apigov.schema` for every schema that changed; they never re-walk the raw
documents.

Must not import: :mod:`apigov.report`, :mod:`apigov.cli`, click.
"""
