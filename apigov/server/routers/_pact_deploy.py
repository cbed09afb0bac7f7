"""The Pact Broker API's environments, deployments, can-i-deploy, the matrix and apigov's own reads."""

from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import Response

from apigov.contract.matrix import can_i_deploy, latest_version
from apigov.contract.model import (
    Environment,
    PactPublication,
    PactState,
    check_name,
)
from apigov.core.errors import InputError, UnknownSubject
from apigov.registry.provenance import now
from apigov.server.routers._pact_base import Broker, BrokerError, Handler, hal
from apigov.server.routers._pact_json import deployment_json, environment_json, matrix_json, pact_href

__all__ = ["handlers"]


def handlers(k: Broker) -> dict[str, Handler]:
    shared, store, base, snapshot, change, authorize, body, name_of, version_of, guarded = (
        k.shared,
        k.store,
        k.base,
        k.snapshot,
        k.change,
        k.authorize,
        k.body,
        k.name_of,
        k.version_of,
        k.guarded,
    )

    # ------------------------------------------------------------------ environments and deployments

    async def environments(request: Request) -> Response:
        b = base(request)
        if request.method == "POST":
            await authorize(request, "admin")
            data = await body(request)
            env_name = data.get("name")
            try:
                check_name(env_name, "environment")
            except InputError as exc:
                raise BrokerError(400, str(exc), "name") from None
            env = Environment(
                str(env_name), str(data.get("displayName") or ""), bool(data.get("production")), now()
            )
            made = await change({}, lambda s: s.add_environment(env))
            return hal(environment_json(b, made), 201)
        await authorize(request, "read")
        state = await snapshot()
        wanted = request.query_params.get("name")
        envs = [
            e
            for e in sorted(state.environments.values(), key=lambda e: e.name)
            if wanted is None or e.name == wanted
        ]
        return hal(
            {
                "_embedded": {"environments": [environment_json(b, e) for e in envs]},
                "_links": {"self": {"href": f"{b}/environments"}},
            }
        )

    def env_by_uuid(state: PactState, uuid: str) -> Environment:
        for e in state.environments.values():
            if e.uuid == uuid or e.name == uuid:
                return e
        raise BrokerError(404, f"No environment with uuid '{uuid[:60]}' found")

    async def environment(request: Request) -> Response:
        await authorize(request, "read")
        state = await snapshot()
        return hal(environment_json(base(request), env_by_uuid(state, str(request.path_params["uuid"]))))

    async def currently_deployed(request: Request) -> Response:
        await authorize(request, "read")
        state, b = await snapshot(), base(request)
        env = env_by_uuid(state, str(request.path_params["uuid"]))
        kind = "deployment" if "deployed" in request.url.path else "release"
        wanted = request.query_params.get("pacticipant")
        found = [
            d
            for d in state.deployments
            if d.current
            and d.environment == env.name
            and d.kind == kind
            and (wanted is None or d.pacticipant == wanted)
        ]
        key = "deployedVersions" if kind == "deployment" else "releasedVersions"
        return hal(
            {
                "_embedded": {key: [deployment_json(b, d, state) for d in found]},
                "_links": {"self": {"href": str(request.url)}},
            }
        )

    async def record(request: Request) -> Response:
        name, number = name_of(request, "pacticipant"), version_of(request)
        await authorize(request, "publish", (name,))
        data = await body(request)
        instance = data.get("applicationInstance") or data.get("target") or ""
        if not isinstance(instance, str):
            raise BrokerError(400, "must be a string", "applicationInstance")
        state = await snapshot()
        env = env_by_uuid(state, str(request.path_params["uuid"]))
        if (name, number) not in state.versions:
            raise BrokerError(404, f"No version {number} of pacticipant {name} found")
        kind = "deployment" if "deployed-versions" in request.url.path else "release"
        at = now()
        made = await guarded(
            lambda: change(
                {},
                lambda s: s.record_deployment(
                    name,
                    number,
                    env.name,
                    kind=kind,
                    instance=str(instance) if kind == "deployment" else "",
                    at=at,
                ),
            )
        )
        state = await snapshot()
        return hal(deployment_json(base(request), made, state), 201)

    async def end_deployment(request: Request) -> Response:
        state = await snapshot()
        kind = "deployment" if request.url.path.split("/")[-2] == "deployed-versions" else "release"
        try:
            ident = int(str(request.path_params["id"]))
        except ValueError:
            raise BrokerError(404, "No such deployed version") from None
        found = next((d for d in state.deployments if d.id == ident and d.kind == kind), None)
        if found is None:
            raise BrokerError(404, "No such deployed or released version")
        if request.method == "GET":
            await authorize(request, "read")
            return hal(deployment_json(base(request), found, state))
        await authorize(request, "publish", (found.pacticipant,))
        data = await body(request)
        flag = "currentlyDeployed" if kind == "deployment" else "currentlySupported"
        if data.get(flag) is False and found.current:
            await change(
                {},
                lambda s: s.end_deployments(
                    found.pacticipant,
                    found.environment,
                    version=found.version,
                    instance=found.instance if kind == "deployment" else None,
                    kind=kind,
                    at=now(),
                ),
            )
        state = await snapshot()
        after = next(d for d in state.deployments if d.id == ident)
        return hal(deployment_json(base(request), after, state))

    # ------------------------------------------------------------------ can-i-deploy and the matrix

    async def decide(
        request: Request, asked: list[tuple[str, str | None, bool]], environment_name: str | None
    ) -> Response:
        state = await snapshot()
        if not environment_name:
            raise BrokerError(
                400, "apigov answers can-i-deploy for an environment: give environment=NAME", "environment"
            )
        pairs = []
        for name, number, use_latest in asked:
            try:
                check_name(name)
                chosen = number if number else latest_version(state, name) if use_latest else None
                if chosen is None:
                    raise InputError(f"give a version (or latest=true) for {name}")
                pairs.append((name, chosen))
            except UnknownSubject as exc:
                raise BrokerError(400, str(exc), "pacticipant") from None
            except InputError as exc:
                raise BrokerError(400, str(exc), "version") from None
        try:
            answer = can_i_deploy(state, pairs, environment_name)
        except UnknownSubject as exc:
            raise BrokerError(400, str(exc), "pacticipant") from None
        except InputError as exc:
            raise BrokerError(400, str(exc), "q") from None
        return hal(matrix_json(base(request), answer))

    async def can_i_deploy_endpoint(request: Request) -> Response:
        await authorize(request, "read")
        q = request.query_params
        name = q.get("pacticipant") or ""
        return await decide(
            request, [(name, q.get("version"), q.get("latest") == "true")], q.get("environment")
        )

    async def matrix(request: Request) -> Response:
        await authorize(request, "read")
        items = request.query_params.multi_items()
        asked: list[tuple[str, str | None, bool]] = []
        for key, value in items:
            if key in ("q[][pacticipant]", "q[pacticipant]"):
                asked.append((value, None, False))
            elif key in ("q[][version]", "q[version]") and asked:
                asked[-1] = (asked[-1][0], value, asked[-1][2])
            elif key in ("q[][latest]", "q[latest]") and asked:
                asked[-1] = (asked[-1][0], asked[-1][1], value == "true")
        if not asked:
            raise BrokerError(400, "name a pacticipant: q[][pacticipant]=NAME&q[][version]=V", "q")
        q = request.query_params
        environment_name = q.get("environment") or (q.get("tag") if q.get("latest") == "true" else None)
        return await decide(request, asked, environment_name)

    async def latest_pacts(request: Request) -> Response:
        """The latest pact of every consumer and provider pair (of one provider, when named)."""
        await authorize(request, "read")
        provider = name_of(request, "provider") if "provider" in request.path_params else None
        state, b = await snapshot(), base(request)
        newest: dict[tuple[str, str], PactPublication] = {}
        for pub in state.publications.values():
            if provider is not None and pub.provider != provider:
                continue
            key = (pub.consumer, pub.provider)
            if key not in newest or pub.seq > newest[key].seq:
                newest[key] = pub
        pacts = [
            {
                "consumer": {"name": p.consumer, "version": {"number": p.consumer_version}},
                "provider": {"name": p.provider},
                "createdAt": p.published_at,
                "_links": {
                    "self": {
                        "href": pact_href(b, p),
                        "name": f"Pact between {p.consumer} ({p.consumer_version}) and {p.provider}",
                    }
                },
            }
            for p in sorted(newest.values(), key=lambda p: (p.provider, p.consumer))
        ]
        ordered = sorted(newest.values(), key=lambda p: (p.provider, p.consumer))
        links = [
            {"href": pact_href(b, p), "name": f"Pact between {p.consumer} and {p.provider}"} for p in ordered
        ]
        return hal({"pacts": pacts, "_links": {"self": {"href": str(request.url)}, "pb:pacts": links}})

    async def apigov_state(request: Request) -> Response:
        """apigov's own extension: every record at once, for ``apigov pact ... -r http://``."""
        await authorize(request, "read")
        state = await snapshot()
        return Response(orjson.dumps(state.to_json()), media_type="application/json")

    async def apigov_content(request: Request) -> Response:
        await authorize(request, "read")
        digest = str(request.path_params["digest"])
        raw = await shared.call(lambda: store().content(digest))
        return Response(raw, media_type="application/json")

    async def not_found(request: Request) -> Response:
        await authorize(request, "read")
        raise BrokerError(404, f"No resource at {request.url.path[:200]}")

    return {
        "environments": environments,
        "environment": environment,
        "currently_deployed": currently_deployed,
        "record": record,
        "end_deployment": end_deployment,
        "can_i_deploy_endpoint": can_i_deploy_endpoint,
        "matrix": matrix,
        "latest_pacts": latest_pacts,
        "apigov_state": apigov_state,
        "apigov_content": apigov_content,
        "not_found": not_found,
    }
