"""``apigov diff`` reports built by hand, shaped as the diff command builds them.

- ``mixed``: breaking changes (one with a counter-example through a shared component, one on a
  path only the base has), a warning the engine could not decide, info changes (added,
  deprecated, changed), document-level changes, and one change an ignore file matched.
- ``clean``: two documents, nothing changed.
- ``hostile``: what a malicious spec could put into changes (ANSI escapes, newlines, ``|``,
  ``<script>``, backticks, workflow commands, Markdown block markers, mentions, a bidi override,
  a lone surrogate) in messages, operations, details, titles and sources; a counter-example that
  is not JSON and one too long to show whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from apigov.core.findings import DocumentInfo, Finding, Level, Location, Report

from ._cases import VERSION, finding

_BASE: Final = "git:HEAD~1:api/petstore.yaml"
_REVISION: Final = "api/petstore.yaml"

_SUMMARIES: Final = MappingProxyType(
    {
        "request-parameter-became-required": "An optional request parameter became required.",
        "request-property-type-changed": "The type of a request property changed.",
        "api-path-removed-without-deprecation": "A path was removed without being deprecated first.",
        "response-body-schema-changed": "A response body schema changed.",
        "api-server-removed": "A server was removed.",
        "endpoint-added": "An operation was added.",
        "request-parameter-added": "An optional request parameter was added.",
        "endpoint-deprecated": "An operation was deprecated.",
        "info-version-changed": "info.version changed.",
        "response-description-changed": "A response description changed.",
        "response-property-removed": "A response property was removed.",
    }
)

_MIXED: Final = Report(
    command="diff",
    tool_version=VERSION,
    documents=(
        DocumentInfo(_BASE, "openapi-3.0", "Pet Store", "1.0.0"),
        DocumentInfo(_REVISION, "openapi-3.1", "Pet Store", "1.1.0"),
    ),
    rule_summaries=_SUMMARIES,
    findings=(
        finding(
            "api-server-removed",
            Level.WARNING,
            "the server https://staging.example.com was removed",
            Location(_BASE, "/servers/1", 8, 5),
            side="base",
        ),
        finding(
            "info-version-changed",
            Level.INFO,
            "info.version changed from 1.0.0 to 1.1.0",
            Location(_REVISION, "/info/version", 4, 12),
            side="revision",
            base_location=f"{_BASE}:4:12",
        ),
        finding(
            "request-parameter-added",
            Level.INFO,
            "the optional query parameter 'sort' was added",
            Location(_REVISION, "/paths/~1pets/get/parameters/1", 21, 11),
            "GET /pets",
            method="get",
            path="/pets",
            side="revision",
        ),
        finding(
            "request-parameter-became-required",
            Level.BREAKING,
            "the optional query parameter 'limit' became required",
            Location(_REVISION, "/paths/~1pets/get/parameters/0", 16, 11),
            "GET /pets",
            method="get",
            path="/pets",
            side="revision",
            base_location=f"{_BASE}:16:11",
            counter_example="{}",
        ),
        finding(
            "request-property-type-changed",
            Level.BREAKING,
            "the request property 'tag' changed type from string to integer",
            Location(_REVISION, "/components/schemas/Tag/type", 61, 13),
            "POST /pets",
            method="post",
            path="/pets",
            side="revision",
            base_location=f"{_BASE}:58:13",
            counter_example='{"name":"Rex","tag":"dog"}',
            ref_chain="#/components/schemas/NewPet -> #/components/schemas/Tag",
        ),
        finding(
            "api-path-removed-without-deprecation",
            Level.BREAKING,
            "the path /pets/{petId}/photos was removed without being deprecated first",
            Location(_BASE, "/paths/~1pets~1{petId}~1photos/get", 40, 5),
            "GET /pets/{petId}/photos",
            method="get",
            path="/pets/{petId}/photos",
            side="base",
        ),
        finding(
            "response-body-schema-changed",
            Level.WARNING,
            "the 200 response body may accept values it did not before (pattern of 'name' changed)",
            Location(_REVISION, "/paths/~1pets~1{petId}/get/responses/200/content/application~1json", 33, 15),
            "GET /pets/{petId}",
            method="get",
            path="/pets/{petId}",
            side="revision",
            undecided="true",
        ),
        finding(
            "endpoint-deprecated",
            Level.INFO,
            "GET /pets/{petId} was deprecated (sunset 2026-06-30)",
            Location(_REVISION, "/paths/~1pets~1{petId}/get/deprecated", 29, 7),
            "GET /pets/{petId}",
            method="get",
            path="/pets/{petId}",
            side="revision",
        ),
        finding(
            "response-description-changed",
            Level.INFO,
            "the description of the 404 response changed",
            Location(_REVISION, "/paths/~1pets~1{petId}/get/responses/404/description", 38, 24),
            "GET /pets/{petId}",
            method="get",
            path="/pets/{petId}",
            side="revision",
        ),
        finding(
            "endpoint-added",
            Level.INFO,
            "DELETE /pets/{petId} was added",
            Location(_REVISION, "/paths/~1pets~1{petId}/delete", 45, 5),
            "DELETE /pets/{petId}",
            method="delete",
            path="/pets/{petId}",
            side="revision",
        ),
        finding(
            "endpoint-added",
            Level.INFO,
            "the webhook POST newPet was added",
            Location(_REVISION, "/webhooks/newPet/post", 70, 5),
            "WEBHOOK POST newPet",
            method="post",
            side="revision",
        ),
    ),
    suppressed=(
        finding(
            "response-property-removed",
            Level.BREAKING,
            "the response property 'nickname' was removed",
            Location(_BASE, "/components/schemas/Pet/properties/nickname", 52, 9),
            "GET /pets/{petId}",
            method="get",
            path="/pets/{petId}",
            side="base",
            ref_chain="#/components/schemas/Pet",
            ignore_reason="never filled in by the server (PLAT-1234)",
            ignore_expires="2026-03-31",
        ),
    ),
)

_EVIL_BASE: Final = "specs/evil,name:1.yaml"
_EVIL_REVISION: Final = "odd/`tick`|pipe\n::warning::x.yaml"
_EVIL_OPERATION: Final = "GET /a\nb|c`<script>alert(1)</script>`\x1b[2J"

_HOSTILE: Final = Report(
    command="diff",
    tool_version=VERSION,
    documents=(
        DocumentInfo(_EVIL_BASE, "openapi-3.0", "<script>alert(1)</script>\x1b[2J", "1|2\n::error::v"),
        DocumentInfo(_EVIL_REVISION, "openapi-3.1", "# Heading\n- item `x` | y", "@octocat"),
    ),
    findings=(
        finding(
            "request-parameter-became-required",
            Level.BREAKING,
            "param 'a\nb' now required\n::error file=x.yaml,line=1::injected 100% | `code` "
            "<script>alert(1)</script> [click](https://evil.example) @octocat\x1b[31mred\x1b[0m\r\n",
            Location(_EVIL_REVISION, "/paths/~1a\nb/get/parameters/0", 3, 5),
            _EVIL_OPERATION,
            method="get",
            path="/a\nb|c",
            side="revision",
            counter_example='{"q":"<script>|`x``</script>","n":"\\u001b[2J\\n"}',
            ref_chain="#/components/schemas/<b>|`x`\n::error::y",
            note="x\x00y\x07z\ufffe%0A",
        ),
        finding(
            "request-property-type-changed",
            Level.BREAKING,
            "- 1. # not a list\u202eevil\u202c lone\ud800 tab\tend",
            Location(_EVIL_BASE, "/components/schemas/x", 9),
            _EVIL_OPERATION,
            side="base",
            counter_example="NaN\x1b[31m not json | <script>",
        ),
        finding(
            "response-body-schema-changed",
            Level.WARNING,
            "]]></failure><failure message='x'> & &amp; &lt;b&gt;",
            Location(_EVIL_REVISION, "/paths/~1x/get/responses/200", 12),
            "POST /x|y",
            method="post",
            path="/x|y",
            undecided="true",
            counter_example='{"long":"' + "0123456789" * 20 + '"}',
        ),
        finding(
            "info-version-changed",
            Level.INFO,
            "1. info.version changed to @octocat <img src=x onerror=alert(1)>",
            Location(_EVIL_REVISION, "/info/version"),
            side="revision",
        ),
    ),
    suppressed=(
        finding(
            "response-property-removed",
            Level.BREAKING,
            "removed `x`|<b>y</b>\n::error::z",
            Location(_EVIL_BASE, "/components/schemas/y", 2, 1),
            "DELETE /z",
            side="base",
            ignore_reason="why\n::error::not | <script>",
            ignore_expires="\x1b[2Jsoon",
        ),
    ),
)

DIFF_CASES: Final[Mapping[str, Report]] = MappingProxyType(
    {
        "mixed": _MIXED,
        "clean": Report(
            command="diff",
            findings=(),
            documents=(
                DocumentInfo(_BASE, "openapi-3.0", "Pet Store", "1.1.0"),
                DocumentInfo(_REVISION, "openapi-3.0", "Pet Store", "1.1.0"),
            ),
            tool_version=VERSION,
            rule_summaries=_SUMMARIES,
        ),
        "hostile": _HOSTILE,
    }
)


def all_findings(report: Report) -> tuple[Finding, ...]:
    return report.findings + report.suppressed
