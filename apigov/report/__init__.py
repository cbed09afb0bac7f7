"""Formatters: one :class:`~apigov.report.base.Formatter` per output format.

Entry point: :data:`apigov.report.formatters.FORMATTERS` (name -> formatter); the CLI derives
``--format`` choices from it. May import :mod:`apigov.core` only.
"""
