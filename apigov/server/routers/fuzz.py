"""Recorded fuzz runs of a contract version (``apigov fuzz --record``; contract: ``openapi.yaml``):
``GET`` (scope read) lists them newest first, ``POST`` (scope publish) records one."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from apigov.core.errors import InputError
from apigov.fuzz.store import FuzzRunStore, check_record, store_of
from apigov.server._http import Problem, Shared, endpoint, json_response, path_subject, version_of
from apigov.server.observe import log_event

__all__ = ["routes"]


def routes(shared: Shared) -> list[Route]:
    store: FuzzRunStore | None = None

    def runs_store() -> FuzzRunStore:
        nonlocal store
        if store is None:
            store = store_of(shared.backend)
        return store

    async def list_runs(request: Request) -> Response:
        await shared.authorize(request, "read")
        subject = path_subject(request)
        version = str(version_of(str(request.path_params["version"])))
        found = await shared.call(lambda: runs_store().runs(subject, version))
        return json_response({"subject": subject, "version": version, "runs": found})

    async def record_run(request: Request) -> Response:
        await shared.authorize(request, "publish")
        subject = path_subject(request)
        version = str(version_of(str(request.path_params["version"])))
        body = await shared.body(request, "recordFuzzRun")
        try:
            record = check_record(body)
        except InputError as exc:
            raise Problem(400, "invalid-request", str(exc)) from None
        contract = record["contract"]
        if (contract["subject"], str(version_of(str(contract["version"])))) != (subject, version):
            raise Problem(
                400, "invalid-request", "the record's contract is not the subject and version of the path"
            )
        rid = await shared.call(lambda: runs_store().add(record))
        log_event("fuzz-run-recorded", subject=subject, version=version, id=rid, passed=record["passed"])
        return json_response(
            {"id": rid, "subject": subject, "version": version, "passed": record["passed"]}, 201
        )

    async def fuzz_runs(request: Request) -> Response:
        if request.method == "POST":
            request.scope["apigov.operation"] = "recordFuzzRun"
            return await record_run(request)
        request.scope["apigov.operation"] = "listFuzzRuns"
        return await list_runs(request)

    # one route for both methods, so a 405 names both in its Allow header
    return [
        Route(
            "/v1/subjects/{subject}/versions/{version}/fuzz-runs",
            endpoint("fuzzRuns", fuzz_runs),
            methods=["GET", "POST"],
        )
    ]
