"""The diff rule catalogue: what a change between two contracts means for their clients.

Entry points: :data:`apigov.rules.catalogue.RULES` (every rule id, its level, area, direction
and docs) and :func:`apigov.rules.run.diff_sources` (two contracts in, a ``Report`` out).
Rules read the structural ``DiffTree`` of :mod:`apigov.diff` and ask the schema engine of
:mod:`apigov.schema` for every schema that changed; they never re-walk the raw documents.

Must not import: :mod:`apigov.report`, :mod:`apigov.cli`, click.
"""
