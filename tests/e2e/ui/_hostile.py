"""A hostile registry: a contract and a pact whose every free text tries to inject markup or
script (descriptions, titles, enum values, extension values, tags, javascript: URLs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from apigov.config.project import Config
from apigov.contract.publish import publish_pacts
from apigov.contract.store import pact_store_of
from apigov.registry.base import RegistryBackend
from apigov.registry.publish import PublishRequest, publish

SCRIPT: Final = "<script>alert('script')</script>"
IMG: Final = "<img src=x onerror=\"alert('img')\">"
SVG: Final = "<svg onload=alert('svg')></svg>"
CLOSE: Final = "</textarea></title></code></pre>\"'><script>alert('close')</script>"
JS_URL: Final = "javascript:alert('url')"

SPEC: Final = {
    "openapi": "3.0.3",
    "info": {
        "title": f"Hostile {SCRIPT}",
        "version": "1.0.0",
        "description": f"{IMG} {CLOSE}",
        "contact": {"name": f"{SVG} team", "url": JS_URL, "email": "x@example.com"},
        "x-owner": f"{IMG}",
        "x-sunset": f"2030-01-01{SCRIPT}",
    },
    "tags": [{"name": f"{SCRIPT}"}, {"name": JS_URL}],
    "paths": {
        "/hostile/{id}": {
            "get": {
                "operationId": "getHostile",
                "summary": f"summary {CLOSE}",
                "description": f'{SVG} <a href="{JS_URL}">click</a>',
                "tags": [SCRIPT],
                "deprecated": True,
                "x-sunset": f"{IMG}",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "description": IMG,
                        "schema": {"type": "string", "enum": [SCRIPT, IMG, JS_URL]},
                    }
                ],
                "responses": {
                    "200": {
                        "description": f"ok {SCRIPT}",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["state"],
                                    "properties": {
                                        "state": {
                                            "type": "string",
                                            "enum": [SCRIPT, SVG],
                                            "description": CLOSE,
                                        },
                                        "link": {"type": "string", "format": JS_URL, "x-note": IMG},
                                    },
                                }
                            }
                        },
                    }
                },
            }
        }
    },
}

PACT: Final = {
    "consumer": {"name": "evil-web"},
    "provider": {"name": "hostile"},
    "interactions": [
        {
            "description": f"reads {SCRIPT} {IMG}",
            "request": {"method": "GET", "path": "/hostile/%3Cscript%3E<svg/onload=alert('path')>"},
            "response": {"status": 200, "body": {"state": SCRIPT}},
        }
    ],
    "metadata": {"pactSpecification": {"version": "3.0.0"}},
}

TEXTS: Final = (SCRIPT, IMG, SVG, CLOSE)


def load_hostile(backend: RegistryBackend, tmp: Path) -> None:
    first = tmp / "hostile-1.json"
    first.write_text(json.dumps(SPEC), encoding="utf-8")
    second_spec = json.loads(json.dumps(SPEC))
    second_spec["info"]["version"] = "2.0.0"
    second_spec["paths"]["/hostile/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"][
        "properties"
    ]["state"]["enum"] = [SVG]
    second_spec["paths"][f"/{SCRIPT}"] = {"get": {"responses": {"200": {"description": IMG}}}}
    second = tmp / "hostile-2.json"
    second.write_text(json.dumps(second_spec), encoding="utf-8")
    config = Config(root=tmp)
    for path in (first, second):
        outcome = publish(
            backend,
            PublishRequest(
                file=path, subject="hostile-api", bump="major", publisher=f"evil {SCRIPT}", git_sha=IMG
            ),
            config,
        )
        assert outcome.status == "published", outcome.reasons
    pact = tmp / "pact.json"
    pact.write_text(json.dumps(PACT), encoding="utf-8")
    publish_pacts(
        pact_store_of(backend),
        [(str(pact), pact.read_bytes())],
        consumer_version="1.0.0",
        at="2026-12-05T09:00:00Z",
    )
