"""The Pact Broker HAL API under ``/pact``: the official Pact tools (``pact broker ...``,
pact-python's ``Verifier.broker_source``) talk to ``apigov serve`` as to a Pact Broker.

The index (``GET /pact``) links every relation; hrefs are absolute, built from the request's
own base URL. Errors are the Pact Broker's JSON bodies (``{"error": {"message": ...}}``, and
``{"errors": {field: [messages]}}`` for invalid input) with the right status. Reads need a
``read`` token (or ``--anonymous-read``), writes a ``publish`` token; a token limited to named
pacticipants may write only for them (publish their pacts, record their deployments and their
verification results; a token limited to subjects only writes no pact). Records live in the registry's
:class:`~apigov.contract.store.PactStore`; can-i-deploy and the matrix answer from
:func:`~apigov.contract.matrix.can_i_deploy`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from apigov.server._http import Shared
from apigov.server.routers import _pact_deploy, _pact_pacts
from apigov.server.routers._pact_base import BASE, Broker, BrokerError, endpoint

__all__ = ["BASE", "BrokerError", "routes"]


def routes(shared: Shared) -> list[Route]:
    k = Broker(shared)
    h = {**_pact_pacts.handlers(k), **_pact_deploy.handlers(k)}
    p = BASE
    table: list[tuple[str, str, Callable[[Request], Awaitable[Response]], list[str]]] = [
        ("pactIndex", p, h["index"], ["GET"]),
        ("pactIndexSlash", p + "/", h["index"], ["GET"]),
        ("pactPacticipants", p + "/pacticipants", h["pacticipants"], ["GET"]),
        ("pactPacticipant", p + "/pacticipants/{pacticipant}", h["pacticipant"], ["GET", "PATCH", "PUT"]),
        ("pactVersions", p + "/pacticipants/{pacticipant}/versions", h["versions"], ["GET"]),
        ("pactLatestVersion", p + "/pacticipants/{pacticipant}/latest-version", h["latest"], ["GET"]),
        (
            "pactLatestTaggedVersion",
            p + "/pacticipants/{pacticipant}/latest-version/{tag}",
            h["latest"],
            ["GET"],
        ),
        ("pactVersion", p + "/pacticipants/{pacticipant}/versions/{version}", h["version"], ["GET"]),
        (
            "pactPutVersion",
            p + "/pacticipants/{pacticipant}/versions/{version}",
            h["put_version"],
            ["PUT", "PATCH"],
        ),
        (
            "pactBranchVersion",
            p + "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}",
            h["branch_version"],
            ["GET", "PUT"],
        ),
        (
            "pactVersionTag",
            p + "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}",
            h["tag_version"],
            ["GET", "PUT"],
        ),
        (
            "pactRecordDeployment",
            p + "/pacticipants/{pacticipant}/versions/{version}/deployed-versions/environment/{uuid}",
            h["record"],
            ["POST"],
        ),
        (
            "pactRecordRelease",
            p + "/pacticipants/{pacticipant}/versions/{version}/released-versions/environment/{uuid}",
            h["record"],
            ["POST"],
        ),
        (
            "pactPublish",
            p + "/pacts/provider/{provider}/consumer/{consumer}/version/{version}",
            h["publish_pact"],
            ["PUT"],
        ),
        (
            "pactGetByVersion",
            p + "/pacts/provider/{provider}/consumer/{consumer}/version/{version}",
            h["get_pact"],
            ["GET"],
        ),
        (
            "pactGetLatest",
            p + "/pacts/provider/{provider}/consumer/{consumer}/latest",
            h["get_pact"],
            ["GET"],
        ),
        (
            "pactGet",
            p + "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{digest}",
            h["get_pact"],
            ["GET"],
        ),
        (
            "pactPublishResults",
            p + "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{digest}/verification-results",
            h["publish_results"],
            ["POST"],
        ),
        (
            "pactForVerification",
            p + "/pacts/provider/{provider}/for-verification",
            h["for_verification"],
            ["GET", "POST"],
        ),
        ("pactPublishContracts", p + "/contracts/publish", h["publish_contracts"], ["POST"]),
        ("pactEnvironments", p + "/environments", h["environments"], ["GET", "POST"]),
        ("pactEnvironment", p + "/environments/{uuid}", h["environment"], ["GET"]),
        (
            "pactCurrentlyDeployed",
            p + "/environments/{uuid}/deployed-versions/currently-deployed",
            h["currently_deployed"],
            ["GET"],
        ),
        (
            "pactCurrentlyReleased",
            p + "/environments/{uuid}/released-versions/currently-supported",
            h["currently_deployed"],
            ["GET"],
        ),
        ("pactDeployedVersion", p + "/deployed-versions/{id}", h["end_deployment"], ["GET", "PATCH"]),
        ("pactReleasedVersion", p + "/released-versions/{id}", h["end_deployment"], ["GET", "PATCH"]),
        ("pactCanIDeploy", p + "/can-i-deploy", h["can_i_deploy_endpoint"], ["GET"]),
        ("pactMatrix", p + "/matrix", h["matrix"], ["GET"]),
        ("pactLatestPacts", p + "/pacts/latest", h["latest_pacts"], ["GET"]),
        ("pactLatestProviderPacts", p + "/pacts/provider/{provider}/latest", h["latest_pacts"], ["GET"]),
        ("pactApigovState", p + "/apigov/state", h["apigov_state"], ["GET"]),
        ("pactApigovContent", p + "/apigov/contents/{digest}", h["apigov_content"], ["GET"]),
        ("pactNotFound", p + "/{rest:path}", h["not_found"], ["GET", "POST", "PUT", "PATCH", "DELETE"]),
    ]

    routes_ = []
    for name, path, handler, methods in table:
        routes_.append(Route(path, endpoint(name, handler), methods=methods))
    return routes_
