"""The Avro analysis of the document under check (:mod:`apigov.schema.avro_parse`), once per document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from apigov.schema.avro_parse import Analysis, analyse

if TYPE_CHECKING:
    from apigov.lint.context import LintContext


def analysis_of(ctx: LintContext) -> Analysis:
    """The analysis of the document under check, computed once per document."""
    cached = ctx.cached("avro-analysis")
    if isinstance(cached, Analysis):
        return cached
    result = analyse(ctx.data)
    ctx.remember("avro-analysis", result)
    return result
