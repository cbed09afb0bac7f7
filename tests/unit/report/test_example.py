"""Counter-examples in human-readable reports: cut around the value that breaks, never cutting
it (issue 13, item 11); shown in github annotations and SARIF messages (item 12); operations
said once (item 13); registry references shown with the version they resolved to (item 14)."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pytest

from apigov.core.findings import DocumentInfo, Finding, Level, Location, Report
from apigov.report._diff import EXAMPLE_WIDTH, headline
from apigov.report._example import excerpt
from apigov.report.base import RenderOptions
from apigov.report.changelog import render_changelog
from apigov.report.formatters import FORMATTERS

#: A response as the old contract promised it, the field that breaks (sorted last) at the end.
ORDER = {
    "createdAt": "2024-01-31T12:00:00Z",
    "currency": "EUR",
    "customerId": "cus_01JCZT0M3E5R7V9X1B3D5F7H9K",
    "id": "ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V",
    "lines": [{"quantity": 1, "sku": "TSHIRT-BLK-M", "unitPrice": "59.90"}],
    "status": "pending-payment",
    "totalAmount": "59.90",
    "warehouseId": "WH-BER-01",
}
PAGE = {"items": [ORDER], "nextCursor": None}


def compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def test_a_short_example_is_left_whole() -> None:
    assert excerpt('{"a": 1}', "/a") == '{"a": 1}'


def test_the_field_that_breaks_is_kept_with_the_path_to_it() -> None:
    text = compact(PAGE)
    assert len(text) > EXAMPLE_WIDTH
    assert text[: EXAMPLE_WIDTH - 1].count("warehouseId") == 0  # a cut at the end loses it
    shown = excerpt(text, "/items/0/warehouseId")
    assert len(shown) <= EXAMPLE_WIDTH
    assert shown.startswith('{"items": [{…, ')
    assert shown.endswith('"warehouseId": "WH-BER-01"}], …}')


def test_members_nearest_the_path_fill_the_room() -> None:
    shown = excerpt(compact(ORDER), "/lines/0/sku", width=90)
    assert shown == '{…, "lines": [{"quantity": 1, "sku": "TSHIRT-BLK-M", "unitPrice": "59.90"}], …}'


def test_a_long_value_that_breaks_is_cut_after_its_start_never_dropped() -> None:
    text = compact({"a": {"b": {"note": "x" * 400, "z": 1}}, "other": [1, 2, 3]})
    shown = excerpt(text, "/a/b/note")
    assert shown.startswith('{"a": {"b": {"note": "xxxx')
    assert len(shown) <= EXAMPLE_WIDTH


def test_a_missing_member_shows_the_members_around_its_place() -> None:
    # a required property removed from a response: the example is a response without it
    shown = excerpt(compact(ORDER), "/customerEmail", width=80)
    assert '"customerId": ' in shown and '"currency": "EUR"' in shown
    assert "customerEmail" not in shown


def test_without_a_path_the_start_is_kept_as_valid_looking_json() -> None:
    shown = excerpt(compact(ORDER), None)
    assert shown.startswith('{"createdAt": "2024-01-31T12:00:00Z", "currency": "EUR"')
    assert shown.endswith("…}") and len(shown) <= EXAMPLE_WIDTH


def test_text_that_is_not_json_is_cut_at_its_end() -> None:
    assert excerpt("x" * 300, "/a", width=10) == "x" * 9 + "…"


# --- in the formatters --------------------------------------------------------------------------


def _report(*findings: Finding, base: DocumentInfo | None = None) -> Report:
    documents = (
        base or DocumentInfo("v1.yaml", "openapi-3.0", "Orders", "1.0.0"),
        DocumentInfo("v2.yaml", "openapi-3.0", "Orders", "2.0.0"),
    )
    return Report("diff", findings, documents, "0.1.0")


def _type_changed() -> Finding:
    return Finding(
        "response-property-type-changed",
        Level.BREAKING,
        "response 200 (application/json) property 'items[].warehouseId': type changed",
        Location("v2.yaml", "/components/schemas/WarehouseId", 9, 5),
        "GET /orders",
        details={"counter_example": compact(PAGE), "instance_path": "/items/0/warehouseId"},
    )


def _added() -> Finding:
    return Finding(
        "endpoint-added",
        Level.INFO,
        "POST /orders/{orderId}/cancel added",
        Location("v2.yaml", "/paths/~1orders~1{orderId}~1cancel/post", 40, 5),
        "POST /orders/{orderId}/cancel",
    )


def render(report: Report, output_format: str) -> str:
    out = io.StringIO()
    FORMATTERS[output_format].render(report, out, RenderOptions(color=False))
    return out.getvalue()


@pytest.mark.parametrize("output_format", ["text", "markdown", "github", "sarif"])
def test_every_human_message_shows_the_field_that_breaks(output_format: str) -> None:
    text = render(_report(_type_changed()), output_format)
    assert "e.g. " in text
    assert "warehouseId" in text.split("e.g. ", 1)[1]
    assert "WH-BER-01" in text.split("e.g. ", 1)[1]


def test_github_example_stays_inside_its_command() -> None:
    hostile = Finding(
        "request-property-type-changed",
        Level.BREAKING,
        "m",
        Location("v2.yaml", "/x", 3, 4),
        "GET /a",
        details={"counter_example": '{"q": "a\\n::error::x %0A \\r\\n"}', "instance_path": "/q"},
    )
    lines = render(_report(hostile), "github").splitlines()
    assert len(lines) == 2  # the annotation and the summary line
    assert lines[0].endswith('%0Ae.g. {"q": "a\\n::error::x %250A \\r\\n"}')


def test_sarif_message_carries_the_example_excerpt() -> None:
    sarif = json.loads(render(_report(_type_changed()), "sarif"))
    [result] = sarif["runs"][0]["results"]
    message = result["message"]["text"]
    first, example = message.split("\ne.g. ")
    assert first.startswith("GET /orders: response 200")
    assert len(example) <= EXAMPLE_WIDTH and '"warehouseId": "WH-BER-01"' in example


@pytest.mark.parametrize("output_format", ["github", "sarif", "junit"])
def test_the_operation_is_said_once(output_format: str) -> None:
    text = render(_report(_added()), output_format)
    assert "POST /orders/{orderId}/cancel added" in text
    assert "POST /orders/{orderId}/cancel: POST /orders/{orderId}/cancel" not in text


def test_headline_prefixes_only_messages_that_do_not_name_the_operation() -> None:
    def with_message(message: str, operation: str = "GET /a") -> Finding:
        return Finding("x", Level.INFO, message, Location("f", "", None, None), operation)

    assert headline(with_message("GET /a added")) == "GET /a added"
    assert headline(with_message("path /a removed with GET /a")) == "path /a removed with GET /a"
    assert headline(with_message("GET /a/b added")) == "GET /a: GET /a/b added"
    assert headline(with_message("query parameter 'q' added")) == "GET /a: query parameter 'q' added"


# --- registry references: the version `latest` was ---------------------------------------------

LATEST = DocumentInfo("orders-api@latest", "openapi-3.0", "Orders", "1.3.0", resolved="orders-api@1.4.0")


@pytest.mark.parametrize("output_format", ["text", "markdown"])
def test_the_header_shows_the_reference_and_its_version(output_format: str) -> None:
    header = "".join(render(_report(_added(), base=LATEST), output_format).split("\n\n")[:2])
    assert "orders-api@latest" in header and "orders-api@1.4.0" in header


def test_json_keeps_the_source_and_adds_the_resolved_version() -> None:
    base = json.loads(render(_report(_added(), base=LATEST), "json"))["base"]
    assert base == {
        "source": "orders-api@latest",
        "kind": "openapi-3.0",
        "title": "Orders",
        "version": "1.3.0",
        "resolved": "orders-api@1.4.0",
    }
    plain = json.loads(render(_report(_added()), "json"))["base"]
    assert "resolved" not in plain


def test_junit_names_the_resolved_version_in_the_suite_properties() -> None:
    finding = Finding(
        "endpoint-removed", Level.BREAKING, "GET /x removed", Location("orders-api@latest", "/p")
    )
    root = ET.fromstring(render(_report(finding, base=LATEST), "junit").split("\n", 1)[1])
    values = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert values["resolved"] == "orders-api@1.4.0"


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_changelog_names_the_resolved_version(fmt: str) -> None:
    out = io.StringIO()
    render_changelog(_report(_added(), base=LATEST), out, fmt)
    assert "1.4.0" in out.getvalue()


def test_an_exact_reference_is_not_repeated() -> None:
    exact = DocumentInfo("orders-api@1.4.0", "openapi-3.0", "Orders", "1.3.0", resolved="orders-api@1.4.0")
    header = render(_report(_added(), base=exact), "text").splitlines()[0]
    assert header.count("orders-api@1.4.0") == 1
