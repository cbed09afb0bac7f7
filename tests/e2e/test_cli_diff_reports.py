"""What ``apigov diff`` says a new user found confusing (issue 13): the version a registry
``@latest`` resolved to (item 14), a counter-example cut around the field that breaks (item 11),
and a field missing from a side (item 16)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from tests.e2e._cli import apigov

pytestmark = pytest.mark.e2e

SCHEMA = Path(__file__).resolve().parents[2] / "contracts" / "schemas" / "diff-report.schema.json"
ORDERS = """\
openapi: 3.0.3
info: {title: Orders, version: 3.1.0}
paths:
  /orders:
    get:
      responses:
        "200":
          description: Orders.
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items:
                    type: array
                    items:
                      type: object
                      required: [address, createdAt, customer, id, zone]
                      properties:
                        address: {type: string, enum: ["Hauptstrasse 1, 10115 Berlin"]}
                        createdAt: {type: string, enum: ["2024-01-31T12:00:00Z"]}
                        customer: {type: string, enum: [cus_01JCZT0M3E5R7V9X1B3D5F7H9K]}
                        id: {type: string, enum: [ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V]}
                        zone: {type: integer, enum: [7]}
"""
BROKEN = ORDERS.replace("zone: {type: integer, enum: [7]}", "zone: {type: string}")


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """A registry holding ``orders-api@1.0.0`` and ``@1.1.0`` (whose info.version says 3.1.0)."""
    spec = tmp_path / "orders.yaml"
    spec.write_text(ORDERS)
    first = apigov("publish", str(spec), "-s", "orders-api", "-r", str(tmp_path / "reg"))
    assert first.returncode == 0, first.stderr
    spec.write_text(ORDERS.replace("description: Orders.", "description: All orders."))
    second = apigov(
        "publish", str(spec), "-s", "orders-api", "-r", str(tmp_path / "reg"), "--version", "1.1.0"
    )
    assert second.returncode == 0, second.stdout + second.stderr
    (tmp_path / "broken.yaml").write_text(BROKEN)
    return tmp_path


def test_latest_is_shown_with_the_version_it_resolved_to(published: Path) -> None:
    args = ("diff", "orders-api@latest", "broken.yaml", "-r", "reg", "--fail-on", "none")
    text = apigov(*args, cwd=published)
    assert text.returncode == 0, text.stderr
    assert text.stdout.splitlines()[0].startswith(
        "orders-api@latest (= orders-api@1.1.0; openapi-3.0: Orders 3.1.0)"
    )
    markdown = apigov(*args, "-f", "markdown", cwd=published)
    assert "`orders-api@latest` (= `orders-api@1.1.0`;" in markdown.stdout
    report = json.loads(apigov(*args, "-f", "json", cwd=published).stdout)
    Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(report)
    assert (report["base"]["source"], report["base"]["resolved"]) == ("orders-api@latest", "orders-api@1.1.0")
    assert "resolved" not in report["revision"]
    changelog = apigov("changelog", "orders-api@latest", "broken.yaml", "-r", "reg", cwd=published)
    assert "orders-api@&#8203;latest (orders-api@&#8203;1.1.0)" in changelog.stdout


def test_the_counter_example_keeps_the_field_that_breaks(published: Path) -> None:
    text = apigov("diff", "orders-api@1.0.0", "broken.yaml", "-r", "reg", cwd=published)
    assert text.returncode == 1, text.stderr
    lines = text.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if "response-property-type-changed" in line)
    example = lines[at + 1].strip()
    assert example.startswith('e.g. {"items": [{…, ') and example.endswith('"zone": ""}]}'), example
    assert len(example) <= len("e.g. ") + 120
    github = apigov("diff", "orders-api@1.0.0", "broken.yaml", "-r", "reg", "-f", "github", cwd=published)
    [annotation] = [
        line for line in github.stdout.splitlines() if "title=response-property-type-changed" in line
    ]
    assert annotation.endswith('"zone": ""}]}')
