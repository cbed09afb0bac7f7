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

import base64
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final
from urllib.parse import quote

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from apigov.contract.matrix import Answer, can_i_deploy, latest_version
from apigov.contract.model import (
    Deployment,
    Environment,
    Failure,
    PacticipantVersion,
    PactPublication,
    PactState,
    Verification,
    check_name,
    check_version,
    parse_pact,
)
from apigov.contract.selectors import parse_selectors, select_pacts
from apigov.contract.store import PactStore, pact_store_of
from apigov.core.errors import InputError, UnknownSubject
from apigov.registry.provenance import now
from apigov.registry.tokens import TokenRecord, write_refusal
from apigov.server._http import MalformedBody, Problem, Shared, json_object, media_type, read_body

__all__ = ["BASE", "routes"]

BASE: Final = "/pact"
_HAL: Final = "application/hal+json"


class BrokerError(Exception):
    def __init__(
        self, status: int, message: str, field: str | None = None, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.field, self.headers = status, message, field, headers

    def response(self) -> Response:
        body: dict[str, object]
        if self.field is not None:
            body = {"errors": {self.field: [self.message]}}
        else:
            body = {"error": {"message": self.message}}
        headers = {"WWW-Authenticate": "Bearer"} if self.status == 401 else {}
        headers.update(self.headers or {})
        return Response(orjson.dumps(body), self.status, headers, media_type="application/json")


def _hal(value: object, status: int = 200) -> Response:
    return Response(orjson.dumps(value), status, media_type=_HAL)


def _q(text: str) -> str:
    return quote(text, safe="")


def routes(shared: Shared) -> list[Route]:
    holder: list[PactStore] = []

    def store() -> PactStore:
        if not holder:
            holder.append(pact_store_of(shared.backend))
        return holder[0]

    def base(request: Request) -> str:
        return str(request.base_url).rstrip("/") + BASE

    async def snapshot() -> PactState:
        peek = getattr(store(), "peek", None)  # a store that keeps the state in memory (PostgreSQL)
        kept = peek() if callable(peek) else None
        if isinstance(kept, PactState):
            return kept
        return await shared.read(lambda: store().snapshot())  # type: ignore[no-any-return]

    async def change(contents: dict[str, bytes], step: Callable[[PactState], Any]) -> Any:
        return await shared.call(lambda: store().change(contents, step))

    async def authorize(
        request: Request, needed: str, pacticipants: tuple[str, ...] = ()
    ) -> TokenRecord | None:
        try:
            record = await shared.authorize(request, needed)
        except Problem as problem:
            raise BrokerError(problem.status, problem.detail, headers=problem.headers) from None
        if needed != "read":
            refusal = write_refusal(record, pacticipants=pacticipants)
            if refusal is not None:
                raise BrokerError(403, refusal)
        return record

    async def body(request: Request) -> dict[str, Any]:
        try:
            return json_object(await raw_body(request), empty={})
        except MalformedBody as exc:
            raise BrokerError(400, str(exc)) from None

    async def raw_body(request: Request) -> bytes:
        """The body of a JSON request (a missing Content-Type is taken as JSON, as pact clients
        send; another media type is refused with 415)."""
        media, _ = media_type(request)
        if media is not None and media != "application/json" and not media.endswith("+json"):
            raise BrokerError(415, f"unsupported content type {media[:80]!r}; send application/json")
        try:
            return await read_body(request, shared.settings.max_body)
        except Problem as problem:
            raise BrokerError(problem.status, problem.detail) from None

    def name_of(request: Request, key: str, what: str = "pacticipant") -> str:
        try:
            return check_name(str(request.path_params[key]), what)
        except InputError as exc:
            raise BrokerError(400, str(exc), key) from None

    def version_of(request: Request, key: str = "version") -> str:
        try:
            return check_version(str(request.path_params[key]))
        except InputError as exc:
            raise BrokerError(400, str(exc), key) from None

    def endpoint(
        name: str, handler: Callable[[Request], Awaitable[Response]]
    ) -> Callable[[Request], Awaitable[Response]]:
        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except BrokerError as error:
                return error.response()
            except Problem as problem:
                status = 404 if problem.code == "not-found" else problem.status
                if problem.code == "version-exists":
                    status = 409
                return BrokerError(status, problem.detail).response()

        answer.__name__ = name
        return answer

    async def guarded(func: Callable[[], Awaitable[Any]]) -> Any:
        try:
            return await func()
        except Problem as problem:
            raise BrokerError(
                problem.status if problem.code != "not-found" else 404, problem.detail
            ) from None

    # ------------------------------------------------------------------ representations

    def version_json(b: str, v: PacticipantVersion, state: PactState | None = None) -> dict[str, object]:
        href = f"{b}/pacticipants/{_q(v.pacticipant)}/versions/{_q(v.version)}"
        links: dict[str, object] = {
            "self": {"href": href, "title": "Version", "name": v.version},
            "pb:pacticipant": {"href": f"{b}/pacticipants/{_q(v.pacticipant)}", "name": v.pacticipant},
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
        return f"{b}/pacts/provider/{_q(p.provider)}/consumer/{_q(p.consumer)}/pact-version/{p.digest}"

    def pact_links(b: str, p: PactPublication) -> dict[str, object]:
        return {
            "self": {
                "href": pact_href(b, p),
                "title": "Pact",
                "name": f"Pact between {p.consumer} ({p.consumer_version}) and {p.provider}",
            },
            "pb:consumer": {"href": f"{b}/pacticipants/{_q(p.consumer)}", "name": p.consumer},
            "pb:provider": {"href": f"{b}/pacticipants/{_q(p.provider)}", "name": p.provider},
            "pb:consumer-version": {
                "href": f"{b}/pacticipants/{_q(p.consumer)}/versions/{_q(p.consumer_version)}",
                "name": p.consumer_version,
            },
            "pb:publish-verification-results": {
                "href": pact_href(b, p) + "/verification-results",
                "title": "Publish verification results",
            },
        }

    async def pact_response(request: Request, p: PactPublication) -> Response:
        raw = await shared.call(lambda: store().content(p.digest))
        document = orjson.loads(raw)
        document["createdAt"] = p.published_at
        document["_links"] = pact_links(base(request), p)
        return _hal(document)

    # ------------------------------------------------------------------ index and pacticipants

    async def index(request: Request) -> Response:
        await authorize(request, "read")
        b = base(request)
        links = {
            "self": {"href": b, "title": "Index"},
            "pb:publish-pact": {
                "href": b
                + "/pacts/provider/{provider}/consumer/{consumer}/version/{consumerApplicationVersion}",
                "templated": True,
                "title": "Publish a pact",
            },
            "pb:publish-contracts": {"href": b + "/contracts/publish", "title": "Publish contracts"},
            "pb:latest-pact-versions": {"href": b + "/pacts/latest", "title": "Latest pact versions"},
            "pb:pacticipants": {"href": b + "/pacticipants", "title": "Pacticipants"},
            "pb:pacticipant": {"href": b + "/pacticipants/{pacticipant}", "templated": True},
            "pb:latest-version": {
                "href": b + "/pacticipants/{pacticipant}/latest-version",
                "templated": True,
            },
            "pb:latest-tagged-version": {
                "href": b + "/pacticipants/{pacticipant}/latest-version/{tag}",
                "templated": True,
            },
            "pb:pacticipant-version": {
                "href": b + "/pacticipants/{pacticipant}/versions/{version}",
                "templated": True,
            },
            "pb:pacticipant-branch-version": {
                "href": b + "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}",
                "templated": True,
            },
            "pb:pacticipant-version-tag": {
                "href": b + "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}",
                "templated": True,
            },
            "pb:provider-pacts-for-verification": {
                "href": b + "/pacts/provider/{provider}/for-verification",
                "templated": True,
            },
            "pb:latest-provider-pacts": {"href": b + "/pacts/provider/{provider}/latest", "templated": True},
            "pb:environments": {"href": b + "/environments", "title": "Environments"},
            "pb:environment": {"href": b + "/environments/{uuid}", "templated": True},
            "pb:can-i-deploy-pacticipant-version-to-environment": {
                "href": b
                + "/can-i-deploy?pacticipant={pacticipant}&version={version}&environment={environment}",
                "templated": True,
            },
            "pb:matrix": {"href": b + "/matrix", "title": "The verification matrix"},
            "curies": [{"name": "pb", "href": b + "/doc/{rel}", "templated": True}],
        }
        return _hal({"_links": links})

    async def pacticipants(request: Request) -> Response:
        await authorize(request, "read")
        state, b = await snapshot(), base(request)
        names = sorted(
            {v.pacticipant for v in state.versions.values()}
            | {p.provider for p in state.publications.values()}
        )
        return _hal(
            {
                "_embedded": {
                    "pacticipants": [
                        {"name": n, "_links": {"self": {"href": f"{b}/pacticipants/{_q(n)}"}}} for n in names
                    ]
                },
                "_links": {"self": {"href": f"{b}/pacticipants"}},
            }
        )

    async def pacticipant(request: Request) -> Response:
        await authorize(request, "read")
        name = name_of(request, "pacticipant")
        state, b = await snapshot(), base(request)
        if not any(v.pacticipant == name for v in state.versions.values()) and not any(
            p.provider == name for p in state.publications.values()
        ):
            if request.method == "PATCH" or request.method == "PUT":
                return _hal({"name": name, "_links": {"self": {"href": f"{b}/pacticipants/{_q(name)}"}}})
            raise BrokerError(404, f"No pacticipant with name '{name}' found")
        href = f"{b}/pacticipants/{_q(name)}"
        return _hal(
            {
                "name": name,
                "displayName": name,
                "_links": {
                    "self": {"href": href},
                    "pb:versions": {"href": href + "/versions"},
                    "pb:version": {"href": href + "/versions/{version}", "templated": True},
                    "pb:latest-version": {"href": href + "/latest-version"},
                    "pb:branch-version": {
                        "href": href + "/branches/{branch}/versions/{version}",
                        "templated": True,
                    },
                },
            }
        )

    async def version(request: Request) -> Response:
        await authorize(request, "read")
        name, number = name_of(request, "pacticipant"), version_of(request)
        state = await snapshot()
        found = state.versions.get((name, number))
        if found is None:
            raise BrokerError(404, f"No version {number} of pacticipant {name} found")
        return _hal(version_json(base(request), found, state))

    async def latest(request: Request) -> Response:
        await authorize(request, "read")
        name = name_of(request, "pacticipant")
        state = await snapshot()
        tag = request.path_params.get("tag")
        candidates = [
            v for v in state.versions.values() if v.pacticipant == name and (tag is None or tag in v.tags)
        ]
        if not candidates:
            raise BrokerError(404, f"No version of pacticipant {name} found")
        return _hal(version_json(base(request), max(candidates, key=lambda v: v.seq), state))

    async def versions(request: Request) -> Response:
        await authorize(request, "read")
        name = name_of(request, "pacticipant")
        state, b = await snapshot(), base(request)
        found = sorted((v for v in state.versions.values() if v.pacticipant == name), key=lambda v: -v.seq)
        return _hal(
            {
                "_embedded": {"versions": [version_json(b, v) for v in found]},
                "_links": {"self": {"href": f"{b}/pacticipants/{_q(name)}/versions"}},
            }
        )

    async def branch_version(request: Request) -> Response:
        name, number = name_of(request, "pacticipant"), version_of(request)
        branch = version_of(request, "branch")
        if request.method == "GET":
            await authorize(request, "read")
            state = await snapshot()
            known = state.versions.get((name, number))
            if known is None or branch not in known.branches:
                raise BrokerError(404, f"No version {number} of pacticipant {name} on branch {branch} found")
            return _hal(version_json(base(request), known, state))
        await authorize(request, "publish", (name,))
        found = await change({}, lambda s: s.ensure_version(name, number, branch=branch, at=now()))
        return _hal(version_json(base(request), found))

    async def tag_version(request: Request) -> Response:
        name, number = name_of(request, "pacticipant"), version_of(request)
        tag = version_of(request, "tag")
        if request.method == "GET":
            await authorize(request, "read")
            state = await snapshot()
            known = state.versions.get((name, number))
            if known is None or tag not in known.tags:
                raise BrokerError(404, f"No tag {tag} on version {number} of pacticipant {name} found")
            b = base(request)
            href = f"{b}/pacticipants/{_q(name)}/versions/{_q(number)}/tags/{_q(tag)}"
            return _hal({"name": tag, "_links": {"self": {"href": href}}})
        await authorize(request, "publish", (name,))
        await change({}, lambda s: s.ensure_version(name, number, tags=(tag,), at=now()))
        b = base(request)
        return _hal(
            {
                "name": tag,
                "_links": {
                    "self": {"href": f"{b}/pacticipants/{_q(name)}/versions/{_q(number)}/tags/{_q(tag)}"}
                },
            },
            201,
        )

    async def put_version(request: Request) -> Response:
        name, number = name_of(request, "pacticipant"), version_of(request)
        await authorize(request, "publish", (name,))
        data = await body(request)
        branch = data.get("branch") if isinstance(data.get("branch"), str) else ""
        found = await change({}, lambda s: s.ensure_version(name, number, branch=str(branch), at=now()))
        return _hal(version_json(base(request), found))

    # ------------------------------------------------------------------ pacts

    def _parse(raw: bytes, consumer: str | None = None, provider: str | None = None) -> Any:
        try:
            json_object(raw)  # one JSON object, no key twice, before the pact's own checks
            parsed = parse_pact(raw, "the pact")
        except MalformedBody as exc:
            raise BrokerError(400, str(exc), "pact") from None
        except InputError as exc:
            raise BrokerError(400, str(exc), "pact") from None
        if (consumer and parsed.consumer != consumer) or (provider and parsed.provider != provider):
            raise BrokerError(
                400,
                f"the pact is between {parsed.consumer} and {parsed.provider}, not the names in the URL",
                "pact",
            )
        return parsed

    async def publish_pact(request: Request) -> Response:
        provider, consumer = name_of(request, "provider"), name_of(request, "consumer")
        number = version_of(request)
        await authorize(request, "publish", (consumer,))
        parsed = _parse(await raw_body(request), consumer, provider)
        pub, created = await change(
            {parsed.digest: parsed.canonical}, lambda s: s.publish(parsed, number, at=now())
        )
        response = await pact_response(request, pub)
        response.status_code = 201 if created else 200
        return response

    async def get_pact(request: Request) -> Response:
        await authorize(request, "read")
        provider, consumer = name_of(request, "provider"), name_of(request, "consumer")
        state = await snapshot()
        if "digest" in request.path_params:
            digest = str(request.path_params["digest"])
            found = [
                p
                for p in state.publications.values()
                if p.provider == provider and p.consumer == consumer and p.digest == digest
            ]
        elif "version" in request.path_params:
            pub = state.publications.get((consumer, provider, version_of(request)))
            found = [pub] if pub else []
        else:
            found = sorted(
                (p for p in state.publications.values() if p.provider == provider and p.consumer == consumer),
                key=lambda p: p.seq,
            )[-1:]
        if not found:
            raise BrokerError(404, f"No pact found between {consumer} and {provider}")
        return await pact_response(request, max(found, key=lambda p: p.seq))

    async def publish_contracts(request: Request) -> Response:
        data = await body(request)
        name, number = data.get("pacticipantName"), data.get("pacticipantVersionNumber")
        for key, value in (("pacticipantName", name), ("pacticipantVersionNumber", number)):
            if not isinstance(value, str):
                raise BrokerError(400, "is required", key)
        try:
            check_name(name)
            check_version(number)
        except InputError as exc:
            raise BrokerError(400, str(exc), "pacticipantName") from None
        await authorize(request, "publish", (str(name),))
        contracts = data.get("contracts")
        if not isinstance(contracts, list) or not contracts:
            raise BrokerError(400, "must be a non-empty list", "contracts")
        parsed = []
        for item in contracts:
            if (
                not isinstance(item, dict)
                or item.get("specification", "pact") != "pact"
                or not isinstance(item.get("content"), str)
            ):
                raise BrokerError(
                    400, "each contract needs specification 'pact' and base64 content", "contracts"
                )
            try:
                raw = base64.b64decode(item["content"], validate=True)
            except ValueError:
                raise BrokerError(400, "content is not base64", "contracts") from None
            pact = _parse(
                raw,
                str(name),
                item.get("providerName") if isinstance(item.get("providerName"), str) else None,
            )
            parsed.append(pact)
        branch = data.get("branch") if isinstance(data.get("branch"), str) else ""
        tags = tuple(t for t in data.get("tags") or [] if isinstance(t, str))
        build = data.get("buildUrl") if isinstance(data.get("buildUrl"), str) else ""
        at = now()

        def step(s: PactState) -> list[tuple[PactPublication, bool]]:
            return [
                s.publish(p, str(number), branch=str(branch), tags=tags, build_url=str(build), at=at)
                for p in parsed
            ]

        done = await change({p.digest: p.canonical for p in parsed}, step)
        b = base(request)
        notices = [
            {
                "type": "success",
                "text": f"Created {name} version {number}" + (f" with branch {branch}" if branch else ""),
            }
        ]
        for pub, created in done:
            notices.append(
                {
                    "type": "success" if created else "info",
                    "text": f"Pact {'published' if created else 'already published (unchanged)'} for {pub.consumer} version {number} and provider {pub.provider}.",
                }
            )
        state = await snapshot()
        v = state.versions[(str(name), str(number))]
        pacticipant_href = f"{b}/pacticipants/{_q(str(name))}"
        version_href = f"{pacticipant_href}/versions/{_q(str(number))}"
        return _hal(
            {
                "notices": notices,
                "logs": [
                    {"level": n["type"], "message": n["text"], "deprecationWarning": ""} for n in notices
                ],
                "_embedded": {
                    "pacticipant": {"name": name, "_links": {"self": {"href": pacticipant_href}}},
                    "version": {
                        **version_json(b, v),
                        "_links": {"self": {"href": version_href, "name": number, "title": "Version"}},
                    },
                },
                "_links": {
                    "pb:pacticipant": {"href": pacticipant_href, "name": name, "title": "Pacticipant"},
                    "pb:pacticipant-version": {
                        "href": version_href,
                        "name": number,
                        "title": "Pacticipant version",
                    },
                    "pb:pacticipant-version-tags": [
                        {"href": f"{version_href}/tags/{_q(t)}", "name": t, "title": "Tag"} for t in tags
                    ],
                    "pb:contracts": [
                        {
                            "href": pact_href(b, pub),
                            "name": f"Pact between {pub.consumer} ({number}) and {pub.provider}",
                            "title": "Pact",
                        }
                        for pub, _ in done
                    ],
                },
            },
            200,
        )

    async def for_verification(request: Request) -> Response:
        await authorize(request, "read")
        provider = name_of(request, "provider")
        data = await body(request) if request.method == "POST" else {}
        try:
            selectors = parse_selectors(data.get("consumerVersionSelectors") or [])
        except InputError as exc:
            raise BrokerError(400, str(exc), "consumerVersionSelectors") from None
        branch = (
            data.get("providerVersionBranch") if isinstance(data.get("providerVersionBranch"), str) else ""
        )
        state, b = await snapshot(), base(request)
        chosen = select_pacts(state, provider, selectors, str(branch))
        pacts = []
        for c in chosen:
            p = c.publication
            pacts.append(
                {
                    "shortDescription": f"latest of {p.consumer} ({p.consumer_version})",
                    "verificationProperties": {
                        "pending": False,
                        "notices": [
                            {
                                "when": "before_verification",
                                "text": f"The pact at {pact_href(b, p)} is being verified because it matches the following configured selection criterion: {w}",
                            }
                            for w in c.why
                        ],
                    },
                    "_links": {
                        "self": {
                            "href": pact_href(b, p),
                            "name": f"Pact between {p.consumer} ({p.consumer_version}) and {p.provider}",
                        }
                    },
                }
            )
        return _hal(
            {
                "_embedded": {"pacts": pacts},
                "_links": {"self": {"href": f"{b}/pacts/provider/{_q(provider)}/for-verification"}},
            }
        )

    async def publish_results(request: Request) -> Response:
        provider, consumer = name_of(request, "provider"), name_of(request, "consumer")
        digest = str(request.path_params["digest"])
        await authorize(request, "publish", (provider,))
        data = await body(request)
        success, number = data.get("success"), data.get("providerApplicationVersion")
        if not isinstance(success, bool):
            raise BrokerError(400, "must be true or false", "success")
        if not isinstance(number, str):
            raise BrokerError(400, "is required", "providerApplicationVersion")
        try:
            check_version(number)
        except InputError as exc:
            raise BrokerError(400, str(exc), "providerApplicationVersion") from None
        failures = []
        for item in data.get("testResults") or []:
            if isinstance(item, dict) and item.get("success") is False:
                mismatches = item.get("mismatches") or []
                text = "; ".join(
                    str(m.get("description") or m.get("mismatch") or m)
                    for m in mismatches
                    if isinstance(m, dict)
                )
                failures.append(
                    Failure(
                        str(item.get("interactionDescription") or item.get("interactionId") or "?"),
                        text[:4000],
                    )
                )
        verified_by = data.get("verifiedBy")
        verifier = verified_by.get("implementation", "") if isinstance(verified_by, dict) else ""
        token = request.scope.get("apigov.token", "")
        at = now()
        result = Verification(
            digest,
            consumer,
            provider,
            number,
            success,
            tuple(failures),
            f"{verifier} ({token})" if token else str(verifier),
            str(data.get("buildUrl") or ""),
            at,
        )
        made = await change({}, lambda s: s.record_verification(result))
        b = base(request)
        return _hal(
            {
                "success": made.success,
                "providerApplicationVersion": number,
                "verifiedAt": at,
                "_links": {
                    "self": {
                        "href": f"{pact_href(b, PactPublication(consumer, provider, '', digest, ''))}/verification-results/{made.id}"
                    }
                },
            },
            201,
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
            return _hal(environment_json(b, made), 201)
        await authorize(request, "read")
        state = await snapshot()
        wanted = request.query_params.get("name")
        envs = [
            e
            for e in sorted(state.environments.values(), key=lambda e: e.name)
            if wanted is None or e.name == wanted
        ]
        return _hal(
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
        return _hal(environment_json(base(request), env_by_uuid(state, str(request.path_params["uuid"]))))

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
        return _hal(
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
        return _hal(deployment_json(base(request), made, state), 201)

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
            return _hal(deployment_json(base(request), found, state))
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
        return _hal(deployment_json(base(request), after, state))

    # ------------------------------------------------------------------ can-i-deploy and the matrix

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
                                "href": f"{b}/pacts/provider/{_q(r.provider)}/consumer/{_q(r.consumer)}/pact-version/{r.digest}"
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
        return _hal(matrix_json(base(request), answer))

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
        return _hal({"pacts": pacts, "_links": {"self": {"href": str(request.url)}, "pb:pacts": links}})

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

    p = BASE
    table: list[tuple[str, str, Callable[[Request], Awaitable[Response]], list[str]]] = [
        ("pactIndex", p, index, ["GET"]),
        ("pactIndexSlash", p + "/", index, ["GET"]),
        ("pactPacticipants", p + "/pacticipants", pacticipants, ["GET"]),
        ("pactPacticipant", p + "/pacticipants/{pacticipant}", pacticipant, ["GET", "PATCH", "PUT"]),
        ("pactVersions", p + "/pacticipants/{pacticipant}/versions", versions, ["GET"]),
        ("pactLatestVersion", p + "/pacticipants/{pacticipant}/latest-version", latest, ["GET"]),
        ("pactLatestTaggedVersion", p + "/pacticipants/{pacticipant}/latest-version/{tag}", latest, ["GET"]),
        ("pactVersion", p + "/pacticipants/{pacticipant}/versions/{version}", version, ["GET"]),
        (
            "pactPutVersion",
            p + "/pacticipants/{pacticipant}/versions/{version}",
            put_version,
            ["PUT", "PATCH"],
        ),
        (
            "pactBranchVersion",
            p + "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}",
            branch_version,
            ["GET", "PUT"],
        ),
        (
            "pactVersionTag",
            p + "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}",
            tag_version,
            ["GET", "PUT"],
        ),
        (
            "pactRecordDeployment",
            p + "/pacticipants/{pacticipant}/versions/{version}/deployed-versions/environment/{uuid}",
            record,
            ["POST"],
        ),
        (
            "pactRecordRelease",
            p + "/pacticipants/{pacticipant}/versions/{version}/released-versions/environment/{uuid}",
            record,
            ["POST"],
        ),
        (
            "pactPublish",
            p + "/pacts/provider/{provider}/consumer/{consumer}/version/{version}",
            publish_pact,
            ["PUT"],
        ),
        (
            "pactGetByVersion",
            p + "/pacts/provider/{provider}/consumer/{consumer}/version/{version}",
            get_pact,
            ["GET"],
        ),
        ("pactGetLatest", p + "/pacts/provider/{provider}/consumer/{consumer}/latest", get_pact, ["GET"]),
        (
            "pactGet",
            p + "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{digest}",
            get_pact,
            ["GET"],
        ),
        (
            "pactPublishResults",
            p + "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{digest}/verification-results",
            publish_results,
            ["POST"],
        ),
        (
            "pactForVerification",
            p + "/pacts/provider/{provider}/for-verification",
            for_verification,
            ["GET", "POST"],
        ),
        ("pactPublishContracts", p + "/contracts/publish", publish_contracts, ["POST"]),
        ("pactEnvironments", p + "/environments", environments, ["GET", "POST"]),
        ("pactEnvironment", p + "/environments/{uuid}", environment, ["GET"]),
        (
            "pactCurrentlyDeployed",
            p + "/environments/{uuid}/deployed-versions/currently-deployed",
            currently_deployed,
            ["GET"],
        ),
        (
            "pactCurrentlyReleased",
            p + "/environments/{uuid}/released-versions/currently-supported",
            currently_deployed,
            ["GET"],
        ),
        ("pactDeployedVersion", p + "/deployed-versions/{id}", end_deployment, ["GET", "PATCH"]),
        ("pactReleasedVersion", p + "/released-versions/{id}", end_deployment, ["GET", "PATCH"]),
        ("pactCanIDeploy", p + "/can-i-deploy", can_i_deploy_endpoint, ["GET"]),
        ("pactMatrix", p + "/matrix", matrix, ["GET"]),
        ("pactLatestPacts", p + "/pacts/latest", latest_pacts, ["GET"]),
        ("pactLatestProviderPacts", p + "/pacts/provider/{provider}/latest", latest_pacts, ["GET"]),
        ("pactApigovState", p + "/apigov/state", apigov_state, ["GET"]),
        ("pactApigovContent", p + "/apigov/contents/{digest}", apigov_content, ["GET"]),
        ("pactNotFound", p + "/{rest:path}", not_found, ["GET", "POST", "PUT", "PATCH", "DELETE"]),
    ]

    routes_ = []
    for name, path, handler, methods in table:
        routes_.append(Route(path, endpoint(name, handler), methods=methods))
    return routes_
