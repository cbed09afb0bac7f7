"""The HAL representations of the Pact Broker API: versions, environments, deployments, pacts, the matrix."""

from __future__ import annotations

from urllib.parse import quote

from apigov.contract.matrix import Answer
from apigov.contract.model import (
    Deployment,
    Environment,
    PacticipantVersion,
    PactPublication,
    PactState,
)

__all__ = [
    "deployment_json",
    "environment_json",
    "matrix_json",
    "pact_href",
    "pact_links",
    "q",
    "version_json",
]


def q(text: str) -> str:
    """``text`` as one path segment of an href."""
    return quote(text, safe="")


def version_json(b: str, v: PacticipantVersion, state: PactState | None = None) -> dict[str, object]:
    href = f"{b}/pacticipants/{q(v.pacticipant)}/versions/{q(v.version)}"
    links: dict[str, object] = {
        "self": {"href": href, "title": "Version", "name": v.version},
        "pb:pacticipant": {"href": f"{b}/pacticipants/{q(v.pacticipant)}", "name": v.pacticipant},
        "pb:tag": {"href": href + "/tags/{tag}", "templated": True},
    }
    if state is not None:
        envs = sorted(state.environments.values(), key=lambda e: e.name)
        links["pb:record-deployment"] = [
            {
                "title": f"Record deployment to {e.name}",
                "name": e.name,
                "href": f"{href}/deployed-versions/environment/{e.uuid}",
            }
            for e in envs
        ]
        links["pb:record-release"] = [
            {
                "title": f"Record release to {e.name}",
                "name": e.name,
                "href": f"{href}/released-versions/environment/{e.uuid}",
            }
            for e in envs
        ]
    return {
        "number": v.version,
        "buildUrl": v.build_url or None,
        "createdAt": v.created_at,
        "_embedded": {
            "branchVersions": [{"name": br, "latest": True} for br in v.branches],
            "tags": [{"name": t} for t in v.tags],
        },
        "_links": links,
    }


def environment_json(b: str, e: Environment) -> dict[str, object]:
    return {
        "uuid": e.uuid,
        "name": e.name,
        "displayName": e.display_name or e.name,
        "production": e.production,
        "createdAt": e.created_at,
        "_links": {
            "self": {"href": f"{b}/environments/{e.uuid}", "name": e.name},
            "pb:currently-deployed-deployed-versions": {
                "href": f"{b}/environments/{e.uuid}/deployed-versions/currently-deployed"
            },
            "pb:currently-supported-released-versions": {
                "href": f"{b}/environments/{e.uuid}/released-versions/currently-supported"
            },
        },
    }


def deployment_json(b: str, d: Deployment, state: PactState) -> dict[str, object]:
    env = state.environments.get(d.environment, Environment(d.environment))
    kind = "deployed-versions" if d.kind == "deployment" else "released-versions"
    v = state.versions.get((d.pacticipant, d.version), PacticipantVersion(d.pacticipant, d.version))
    return {
        "uuid": str(d.id),
        "currentlyDeployed" if d.kind == "deployment" else "currentlySupported": d.current,
        "applicationInstance": d.instance or None,
        "target": d.instance or None,
        "createdAt": d.started_at,
        "undeployedAt": d.ended_at,
        "_embedded": {
            "version": version_json(b, v),
            "environment": environment_json(b, env),
            "pacticipant": {"name": d.pacticipant},
        },
        "_links": {"self": {"href": f"{b}/{kind}/{d.id}"}},
    }


def pact_href(b: str, p: PactPublication) -> str:
    return f"{b}/pacts/provider/{q(p.provider)}/consumer/{q(p.consumer)}/pact-version/{p.digest}"


def pact_links(b: str, p: PactPublication) -> dict[str, object]:
    return {
        "self": {
            "href": pact_href(b, p),
            "title": "Pact",
            "name": f"Pact between {p.consumer} ({p.consumer_version}) and {p.provider}",
        },
        "pb:consumer": {"href": f"{b}/pacticipants/{q(p.consumer)}", "name": p.consumer},
        "pb:provider": {"href": f"{b}/pacticipants/{q(p.provider)}", "name": p.provider},
        "pb:consumer-version": {
            "href": f"{b}/pacticipants/{q(p.consumer)}/versions/{q(p.consumer_version)}",
            "name": p.consumer_version,
        },
        "pb:publish-verification-results": {
            "href": pact_href(b, p) + "/verification-results",
            "title": "Publish verification results",
        },
    }


def matrix_json(b: str, answer: Answer) -> dict[str, object]:
    rows = []
    for r in answer.rows:
        v = r.verification
        rows.append(
            {
                "consumer": {"name": r.consumer, "version": {"number": r.consumer_version}},
                "provider": {
                    "name": r.provider,
                    "version": {"number": r.provider_version} if r.provider_version else None,
                },
                "pact": {
                    "createdAt": "",
                    "_links": {
                        "self": {
                            "href": f"{b}/pacts/provider/{q(r.provider)}/consumer/{q(r.consumer)}/pact-version/{r.digest}"
                        }
                    },
                },
                "verificationResult": None
                if v is None
                else {
                    "success": v.success,
                    "verifiedAt": v.verified_at,
                    "_links": {"self": {"href": f"{b}/verification-results/{v.id}"}},
                },
                "selector": r.selector,
            }
        )
    failed = sum(1 for r in answer.rows if r.verification is not None and not r.verification.success)
    unknown = sum(1 for r in answer.rows if r.verification is None)
    notices = [{"type": "success" if answer.deployable else "error", "text": answer.summary()}]
    notices += [{"type": "info", "text": n} for n in answer.notices]
    notices += [{"type": "error", "text": r} for r in answer.reasons]
    return {
        "summary": {
            "deployable": answer.deployable,
            "reason": answer.summary(),
            "success": sum(1 for r in answer.rows if r.ok),
            "failed": failed,
            "unknown": unknown,
        },
        "notices": notices,
        "matrix": rows,
    }
