"""Reports built by hand for the formatter tests: one per interesting shape.

- ``empty``: nothing checked, nothing found.
- ``clean``: two documents, no finding.
- ``mixed``: several files and every level; a finding without a line, one with a line but no
  column, one in a referenced file that is not a checked document, operations and details, and
  a checked document with no finding.
- ``hostile``: text a malicious spec could put into findings (newlines, ``::`` workflow
  commands, ``%``, ``|``, backticks, HTML, links, mentions, ANSI escapes, NUL and other
  control characters, a bidi override, a lone surrogate) in messages, pointers, details,
  document titles and file names.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from apigov.core.findings import DocumentInfo, Finding, Level, Location, Report

VERSION: Final = "0.1.0"


#: A small spec with one structural error (an undeclared path parameter), for real reports.
INVALID_SPEC = """\
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /p/{id}:
    get:
      responses: {"200": {description: ok}}
"""


def _sorted(*findings: Finding) -> tuple[Finding, ...]:
    """In report order, as :func:`apigov.lint.check.check_paths` sorts them."""
    return tuple(sorted(findings, key=Finding.sort_key))


def finding(
    rule_id: str,
    level: Level,
    message: str,
    location: Location,
    operation: str | None = None,
    **details: str,
) -> Finding:
    return Finding(rule_id, level, message, location, operation, MappingProxyType(details))


_ORDERS: Final = "api/orders.yaml"
_PAYMENTS: Final = "api/payments.yaml"
_COMMON: Final = "api/common.yaml"
_EVENTS: Final = "events/shop.yaml"
_CUSTOMER: Final = "schemas/customer.json"

_MIXED: Final = Report(
    command="check",
    tool_version=VERSION,
    documents=(
        DocumentInfo(_ORDERS, "openapi-3.0", "Orders API", "1.2.0"),
        DocumentInfo(_PAYMENTS, "openapi-3.1", "Payments", None),
        DocumentInfo(_CUSTOMER, "jsonschema-2020-12", "Customer", None),
        DocumentInfo(_EVENTS, "asyncapi-3.0", None, None),
    ),
    findings=_sorted(
        finding(
            "openapi-structure-invalid",
            Level.ERROR,
            "Path parameter 'id' for 'get' operation in '/orders/{id}' was not resolved",
            Location(_ORDERS, "", 1, 1),
        ),
        finding(
            "operation-operationid-missing",
            Level.WARNING,
            "GET /orders/{id} has no operationId",
            Location(_ORDERS, "/paths/~1orders~1{id}/get", 14, 7),
            "GET /orders/{id}",
            path="/orders/{id}",
        ),
        finding(
            "operation-summary-missing",
            Level.INFO,
            "GET /orders/{id} has no summary",
            Location(_ORDERS, "/paths/~1orders~1{id}/get", 14, 7),
            "GET /orders/{id}",
            path="/orders/{id}",
        ),
        finding(
            "request-parameter-became-required",
            Level.BREAKING,
            "the optional query parameter 'currency' became required",
            Location(_PAYMENTS, "/paths/~1payments/post/parameters/0", 22),
            "POST /payments",
            path="/payments",
            method="post",
            parameter="currency",
        ),
        finding(
            "component-unused",
            Level.WARNING,
            "components.schemas.Money is never referenced",
            Location(_COMMON, "/components/schemas/Money"),
        ),
        finding(
            "info-contact-missing",
            Level.INFO,
            "info.contact is missing",
            Location(_EVENTS, "/info"),
        ),
    ),
)

_EVIL_FILE: Final = "specs/evil,name:1.yaml"
_ODD_FILE: Final = "odd/`tick`|pipe\n::warning::x.yaml"

_HOSTILE: Final = Report(
    command="check",
    tool_version=VERSION,
    documents=(
        DocumentInfo(_EVIL_FILE, "openapi-3.1", "<script>alert(1)</script>\x1b[2J", "1|2\n::error::v"),
        DocumentInfo(_ODD_FILE, "openapi-3.0", None, None),
    ),
    findings=_sorted(
        finding(
            "path-casing-inconsistent",
            Level.ERROR,
            "path 'a\nb' is odd\n::error file=x.yaml,line=1::injected 100% | `code` "
            "<script>alert(1)</script> [click](https://evil.example) ![img](https://evil.example/t.png) "
            "@octocat\r\n",
            Location(_EVIL_FILE, "/paths/~1a\nb", 3, 5),
            "GET /a\nb|c",
            path="/a\nb",
            note="x\x00y\x07z\ufffe%0A",
        ),
        finding(
            "example-invalid",
            Level.WARNING,
            "NUL\x00 BEL\x07 ESC\x1b[31mred\x1b[0m DEL\x7f NEL\x85 RLO\u202eevil\u202c lone\ud800 tab\tend",
            Location(_EVIL_FILE, "/components/examples/x"),
        ),
        finding(
            "tag-description-missing",
            Level.INFO,
            "* _emphasis_ ~~strike~~ \\ backslash & ampersand &amp; &lt;b&gt; # heading, key: value",
            Location(_EVIL_FILE, "/tags/0", 9),
        ),
        finding(
            "path-trailing-slash",
            Level.WARNING,
            "]]></failure><failure message='x'>",
            Location(_ODD_FILE, "/paths/~1x~1", 2, 1),
        ),
    ),
)

CASES: Final[Mapping[str, Report]] = MappingProxyType(
    {
        "empty": Report(command="check", findings=(), tool_version=VERSION),
        "clean": Report(
            command="check",
            findings=(),
            documents=(
                DocumentInfo(_ORDERS, "openapi-3.0", "Orders API", "1.2.0"),
                DocumentInfo("events/order.avsc", "avro", "shop.OrderPlaced", None),
            ),
            tool_version=VERSION,
        ),
        "mixed": _MIXED,
        "hostile": _HOSTILE,
    }
)
