"""Formatters: one :class:`~apigov.report.base.Formatter` per output format.

Entry points: :data:`apigov.report.formatters.FORMATTERS` (name -> formatter); the CLI derives
``--format`` choices from it. Every formatter renders ``check`` and ``diff`` reports.
:func:`apigov.report.changelog.render_changelog` writes a human changelog (Markdown or HTML) of a
diff report. May import :mod:`apigov.core` only.
"""
