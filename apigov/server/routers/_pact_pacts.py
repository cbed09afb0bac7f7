"""The Pact Broker API's pacticipants, versions, pacts and verification results."""

from __future__ import annotations

import base64
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from apigov.contract.model import (
    Failure,
    PactPublication,
    PactState,
    Verification,
    check_name,
    check_version,
    parse_pact,
)
from apigov.contract.selectors import parse_selectors, select_pacts
from apigov.core.errors import InputError
from apigov.registry.provenance import now
from apigov.server._http import MalformedBody, json_object
from apigov.server.routers._pact_base import Broker, BrokerError, Handler, hal
from apigov.server.routers._pact_json import pact_href, q, version_json

__all__ = ["handlers"]


def handlers(k: Broker) -> dict[str, Handler]:
    base, snapshot, change, authorize, body, raw_body, name_of, version_of, pact_response = (
        k.base,
        k.snapshot,
        k.change,
        k.authorize,
        k.body,
        k.raw_body,
        k.name_of,
        k.version_of,
        k.pact_response,
    )

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
        return hal({"_links": links})

    async def pacticipants(request: Request) -> Response:
        await authorize(request, "read")
        state, b = await snapshot(), base(request)
        names = sorted(
            {v.pacticipant for v in state.versions.values()}
            | {p.provider for p in state.publications.values()}
        )
        return hal(
            {
                "_embedded": {
                    "pacticipants": [
                        {"name": n, "_links": {"self": {"href": f"{b}/pacticipants/{q(n)}"}}} for n in names
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
                return hal({"name": name, "_links": {"self": {"href": f"{b}/pacticipants/{q(name)}"}}})
            raise BrokerError(404, f"No pacticipant with name '{name}' found")
        href = f"{b}/pacticipants/{q(name)}"
        return hal(
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
        return hal(version_json(base(request), found, state))

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
        return hal(version_json(base(request), max(candidates, key=lambda v: v.seq), state))

    async def versions(request: Request) -> Response:
        await authorize(request, "read")
        name = name_of(request, "pacticipant")
        state, b = await snapshot(), base(request)
        found = sorted((v for v in state.versions.values() if v.pacticipant == name), key=lambda v: -v.seq)
        return hal(
            {
                "_embedded": {"versions": [version_json(b, v) for v in found]},
                "_links": {"self": {"href": f"{b}/pacticipants/{q(name)}/versions"}},
            }
        )

    async def labelled(request: Request, key: str) -> tuple[str, str, str, PactState | None]:
        """The pacticipant, version and branch or tag of the path, once the token may read (GET:
        with the state read) or write for the pacticipant (``None``)."""
        name, number = name_of(request, "pacticipant"), version_of(request)
        label = version_of(request, key)
        if request.method == "GET":
            await authorize(request, "read")
            return name, number, label, await snapshot()
        await authorize(request, "publish", (name,))
        return name, number, label, None

    async def branch_version(request: Request) -> Response:
        name, number, branch, state = await labelled(request, "branch")
        if state is not None:
            known = state.versions.get((name, number))
            if known is None or branch not in known.branches:
                raise BrokerError(404, f"No version {number} of pacticipant {name} on branch {branch} found")
            return hal(version_json(base(request), known, state))
        found = await change({}, lambda s: s.ensure_version(name, number, branch=branch, at=now()))
        return hal(version_json(base(request), found))

    async def tag_version(request: Request) -> Response:
        name, number, tag, state = await labelled(request, "tag")
        href = f"{base(request)}/pacticipants/{q(name)}/versions/{q(number)}/tags/{q(tag)}"
        if state is not None:
            known = state.versions.get((name, number))
            if known is None or tag not in known.tags:
                raise BrokerError(404, f"No tag {tag} on version {number} of pacticipant {name} found")
            return hal({"name": tag, "_links": {"self": {"href": href}}})
        await change({}, lambda s: s.ensure_version(name, number, tags=(tag,), at=now()))
        return hal({"name": tag, "_links": {"self": {"href": href}}}, 201)

    async def put_version(request: Request) -> Response:
        name, number = name_of(request, "pacticipant"), version_of(request)
        await authorize(request, "publish", (name,))
        data = await body(request)
        branch = data.get("branch") if isinstance(data.get("branch"), str) else ""
        found = await change({}, lambda s: s.ensure_version(name, number, branch=str(branch), at=now()))
        return hal(version_json(base(request), found))

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
        pacticipant_href = f"{b}/pacticipants/{q(str(name))}"
        version_href = f"{pacticipant_href}/versions/{q(str(number))}"
        return hal(
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
                        {"href": f"{version_href}/tags/{q(t)}", "name": t, "title": "Tag"} for t in tags
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
        return hal(
            {
                "_embedded": {"pacts": pacts},
                "_links": {"self": {"href": f"{b}/pacts/provider/{q(provider)}/for-verification"}},
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
        return hal(
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

    return {
        "index": index,
        "pacticipants": pacticipants,
        "pacticipant": pacticipant,
        "version": version,
        "latest": latest,
        "versions": versions,
        "branch_version": branch_version,
        "tag_version": tag_version,
        "put_version": put_version,
        "publish_pact": publish_pact,
        "get_pact": get_pact,
        "publish_contracts": publish_contracts,
        "for_verification": for_verification,
        "publish_results": publish_results,
    }
