"""The web UI's routes under ``/ui`` (what they render: :mod:`apigov.server.ui`).

Every page is a GET that reads (scope ``read``, see :mod:`apigov.server.ui.access`); the only
POSTs sign in and out. Backend reads and rendering run in worker threads. Errors are HTML pages
(never a traceback, never the store's location), and every response carries the UI's security
headers.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any, Final

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from apigov.core.errors import ApigovError, UnknownSubject
from apigov.registry.base import SemVer, check_subject, parse_version
from apigov.registry.pages import subjects_of_kind
from apigov.server._http import Problem, Shared, library_problem
from apigov.server.ui.access import (
    HEADERS,
    SignInNeeded,
    client_host,
    reader_of,
    set_session,
    token_from_form,
)
from apigov.server.ui.pages import STATIC, render
from apigov.server.ui.parties import Parties
from apigov.server.ui.reader import Reader

__all__ = ["routes"]

PAGE_SIZE: Final = 50
_STATIC_FILES: Final = {"ui.css": "text/css", "favicon.svg": "image/svg+xml"}
_HISTORY_PAGE: Final = 50


def _html(text: str, status: int = 200) -> Response:
    return Response(text, status, dict(HEADERS), media_type="text/html; charset=utf-8")


def _int(request: Request, name: str, default: int = 0) -> int:
    text = request.query_params.get(name, "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 9 else default


class _Ui:
    def __init__(self, shared: Shared) -> None:
        self.shared = shared
        self.reader = Reader(shared.backend)
        self._exists: dict[str, tuple[float, bool]] = {}
        self.parties = Parties(shared.config, self.exists)
        self._events: tuple[float, list[str]] | None = None

    # ------------------------------------------------------------------ plumbing

    def exists(self, subject: str) -> bool:
        """Whether ``subject`` exists (yes remembered, no for 10 s: subjects are never removed)."""
        known = self._exists.get(subject)
        if known is not None and (known[1] or time.monotonic() - known[0] < 10):
            return known[1]
        try:
            check_subject(subject)
            self.reader.subject(subject)
            found = True
        except ApigovError:
            found = False
        if len(self._exists) > 50_000:
            self._exists.clear()
        self._exists[subject] = (time.monotonic(), found)
        return found

    def page(
        self, name: str, handler: Callable[[Request], Awaitable[Response]]
    ) -> Callable[[Request], Awaitable[Response]]:
        async def answer(request: Request) -> Response:
            request.scope["apigov.operation"] = name
            try:
                signed_in = await reader_of(self.shared, request)
                request.state.signed_in = signed_in is not None and "authorization" not in request.headers
                return await handler(request)
            except SignInNeeded as need:
                return _html(render("signin.html", reason=need.reason, signed_in=False), 401)
            except Problem as problem:
                return self.error(problem.status, problem.detail)

        answer.__name__ = name
        return answer

    def error(self, status: int, detail: str, signed_in: bool = False) -> Response:
        title = {404: "Not found", 400: "Bad request", 403: "Forbidden", 429: "Too many requests"}.get(
            status, "The registry could not answer"
        )
        return _html(
            render("error.html", title=title, detail=detail, status=status, signed_in=signed_in), status
        )

    async def run(self, func: Callable[..., Any], *args: Any) -> Any:
        try:
            return await run_in_threadpool(func, *args)
        except ApigovError as exc:
            raise library_problem(exc, self.shared.backend.location) from None

    @staticmethod
    def subject_name(request: Request) -> str:
        try:
            return check_subject(str(request.path_params["subject"]))
        except ApigovError as exc:
            raise Problem(400, "invalid-subject", str(exc)) from None

    @staticmethod
    def version(text: str) -> SemVer:
        try:
            return parse_version(text)
        except ApigovError as exc:
            raise Problem(400, "invalid-version", str(exc)) from None

    # ------------------------------------------------------------------ pages

    async def catalog(self, request: Request) -> Response:
        search = request.query_params.get("q", "")[:300]
        page = max(1, _int(request, "page", 1))

        def build() -> str:
            listing = self.reader.catalog(search, (page - 1) * PAGE_SIZE, PAGE_SIZE)
            rows = [(info, stored, self.reader.summary(stored)) for info, stored in listing.rows]
            pages = max(1, -(-listing.total // PAGE_SIZE))
            return render(
                "catalog.html",
                rows=rows,
                total=listing.total,
                search=search,
                page=page,
                pages=pages,
                signed_in=request.state.signed_in,
            )

        return _html(await self.run(build))

    async def subject(self, request: Request) -> Response:
        from apigov.server.ui.outline import outline

        name = self.subject_name(request)
        wanted = request.path_params.get("version")
        history_page = max(1, _int(request, "history", 1))

        def build() -> str:
            info = self.reader.subject(name)
            version = self.version(str(wanted)) if wanted else info.versions[-1]
            if version not in info.versions:
                raise UnknownSubject(f"subject {name!r} has no version {version}")
            stored = self.reader.version(name, version)
            summary = self.reader.summary(stored)
            shape = self.reader.derived.get(
                ("outline", stored.digest), lambda: outline(stored.kind, self.reader.document(stored))
            )
            history = self.reader.history(info)
            first = (history_page - 1) * _HISTORY_PAGE
            index = info.versions.index(version)
            pacts = self.reader.pacts()
            consumers = self._consumers(name, pacts)
            return render(
                "subject.html",
                info=info,
                stored=stored,
                summary=summary,
                outline=shape,
                history=history[first : first + _HISTORY_PAGE],
                history_page=history_page,
                history_pages=max(1, -(-len(history) // _HISTORY_PAGE)),
                base=info.versions[index - 1] if index > 0 else version,
                fuzz_runs=self.reader.fuzz_runs(name, version)[:5],
                consumers=consumers,
                deprecation=info.deprecated.get(str(version)),
                signed_in=request.state.signed_in,
            )

        return _html(await self.run(build))

    def _consumers(self, subject: str, pacts: Any) -> list[tuple[str, str, list[tuple[str, str]]]]:
        """(consumer, version, interactions) of the latest pact of each consumer of ``subject``'s service."""

        if pacts is None:
            return []
        provider = self.parties.pacticipant_of(
            subject, sorted({p.provider for p in pacts.publications.values()})
        )
        if provider is None:
            return []
        latest: dict[str, Any] = {}
        for pub in pacts.publications.values():
            if pub.provider == provider and (
                pub.consumer not in latest or pub.seq > latest[pub.consumer].seq
            ):
                latest[pub.consumer] = pub
        return [
            (pub.consumer, pub.consumer_version, self._pact_operations(pub.digest))
            for _, pub in sorted(latest.items())
        ]

    def _pact_operations(self, digest: str) -> list[tuple[str, str]]:
        from apigov.server.ui.graph import interactions

        found: list[tuple[str, str]] = self.reader.pact_operations.get(
            digest, lambda: interactions(self.reader.pact_content(digest))
        )
        return found

    async def diff_form(self, request: Request) -> Response:
        name = self.subject_name(request)
        base = self.version(request.query_params.get("base", ""))
        revision = self.version(request.query_params.get("revision", ""))
        target = f"/ui/subjects/{name}/diff/{base}/{revision}"
        return RedirectResponse(target, 303, headers=dict(HEADERS))

    async def diff(self, request: Request) -> Response:
        from apigov.server.ui.changes import compare

        name = self.subject_name(request)
        base = self.version(str(request.path_params["base"]))
        revision = self.version(str(request.path_params["revision"]))

        def build() -> str:
            info = self.reader.subject(name)
            for version in (base, revision):
                if version not in info.versions:
                    raise UnknownSubject(f"subject {name!r} has no version {version}")
            pacts = self.reader.pacts()
            provider = None
            if pacts is not None:
                provider = self.parties.pacticipant_of(
                    name, sorted({p.provider for p in pacts.publications.values()})
                )
            stamp = str(len(pacts.publications) + len(pacts.deployments)) if pacts is not None else "-"
            view = self.reader.views.get(
                ("diff", name, str(base), str(revision), stamp),
                lambda: compare(
                    self.shared.backend,
                    self.shared.config,
                    name,
                    base,
                    revision,
                    pacts,
                    self.reader.pact_content,
                    provider,
                ),
            )
            return render("diff.html", info=info, view=view, signed_in=request.state.signed_in)

        return _html(await self.run(build))

    def _event_documents(self) -> list[tuple[str, Any]]:
        known = self._events
        if known is None or time.monotonic() - known[0] > 10:
            names = subjects_of_kind(self.shared.backend, "asyncapi")
            self._events = known = (time.monotonic(), names)
        documents = []
        for name in known[1][:200]:
            info = self.reader.subject(name)
            documents.append((name, self.reader.document(self.reader.version(name, info.versions[-1]))))
        return documents

    async def graph(self, request: Request) -> Response:
        from apigov.server.ui.graph import build as build_graph
        from apigov.server.ui.graph import layout

        environment = request.query_params.get("environment", "")[:100]

        def build() -> str:
            pacts = self.reader.pacts()
            environments = sorted(pacts.environments) if pacts is not None else []
            if environment and environment not in environments:
                raise Problem(404, "not-found", f"no environment {environment!r} in the registry")
            graph = build_graph(
                pacts,
                environment,
                self._pact_operations,
                self._event_documents(),
                self.parties.subject_of,
                lambda subject: f"/ui/subjects/{subject}",
            )
            key = (
                "graph",
                environment,
                repr(sorted((e.source, e.target, e.kind, len(e.operations)) for e in graph.edges.values())),
                repr(sorted(graph.nodes)),
            )
            laid = self.reader.views.get(key, lambda: layout(graph))
            return render(
                "graph.html",
                graph=laid,
                environment=environment,
                environments=environments,
                signed_in=request.state.signed_in,
            )

        return _html(await self.run(build))

    async def deploy(self, request: Request) -> Response:
        from apigov.server.ui.deploy import matrices, placed

        environment = request.query_params.get("environment")

        def build() -> str:
            pacts = self.reader.pacts()
            environments = sorted(pacts.environments) if pacts is not None else []
            chosen = (
                environment
                if environment is not None
                else (
                    "production"
                    if "production" in environments
                    else (environments[0] if environments else "")
                )
            )
            if chosen and chosen not in environments:
                raise Problem(404, "not-found", f"no environment {chosen[:100]!r} in the registry")
            grids = matrices(pacts, chosen) if pacts is not None else []
            there = placed(pacts, chosen) if pacts is not None and chosen else []
            fuzz = self._fuzz_overview(pacts)
            return render(
                "deploy.html",
                environment=chosen,
                environments=environments,
                matrices=grids,
                placed=there,
                fuzz=fuzz,
                subject_of=self.parties.subject_of,
                signed_in=request.state.signed_in,
            )

        return _html(await self.run(build))

    def _fuzz_overview(self, pacts: Any) -> list[tuple[str, str, list[dict[str, Any]]]]:
        """(subject, version, its newest runs) for the newest versions of the pacticipants' subjects."""
        if pacts is None:
            return []
        names = sorted(
            {p.provider for p in pacts.publications.values()}
            | {v.pacticipant for v in pacts.versions.values()}
        )
        found = []
        for name in names[:100]:
            subject = self.parties.subject_of(name)
            if subject is None:
                continue
            info = self.reader.subject(subject)
            for version in list(reversed(info.versions))[:3]:
                found.append((subject, str(version), self.reader.fuzz_runs(subject, version)[:3]))
        return found

    async def verification(self, request: Request) -> Response:
        text = str(request.path_params["id"])
        if not (text.isascii() and text.isdigit()) or len(text) > 12:
            raise Problem(400, "invalid-request", "a verification id is a number")
        wanted = int(text)

        def build() -> str:
            pacts = self.reader.pacts()
            found = next((v for v in (pacts.verifications if pacts else []) if v.id == wanted), None)
            if found is None:
                raise Problem(404, "not-found", f"no verification #{wanted}")
            publications = (
                [p for p in pacts.publications.values() if p.digest == found.digest] if pacts else []
            )
            return render(
                "verification.html",
                v=found,
                publications=publications,
                subject_of=self.parties.subject_of,
                signed_in=request.state.signed_in,
            )

        return _html(await self.run(build))

    async def fuzz_run(self, request: Request) -> Response:
        name = self.subject_name(request)
        version = self.version(str(request.path_params["version"]))
        wanted = str(request.path_params["id"])

        def build() -> str:
            run = next((r for r in self.reader.fuzz_runs(name, version) if r.get("id") == wanted), None)
            if run is None:
                raise Problem(404, "not-found", f"no fuzz run {wanted[:64]!r} of {name}@{version}")
            return render(
                "fuzzrun.html", subject=name, version=str(version), run=run, signed_in=request.state.signed_in
            )

        return _html(await self.run(build))

    # ------------------------------------------------------------------ session and assets

    async def signin_form(self, request: Request) -> Response:
        return _html(render("signin.html", reason="", signed_in=False))

    def cross_site(self, request: Request) -> bool:
        """A form posted from another site's page: its ``Origin`` names another host than the
        request's ``Host`` (the scheme is not compared: a load balancer may terminate TLS), or,
        with ``--public-url``, another origin than that URL's (a proxy may rewrite ``Host``)."""
        from urllib.parse import urlsplit

        origin = request.headers.get("origin")
        if origin is None:
            return False
        public = self.shared.settings.public_url
        if public is not None:
            return origin.lower() != public
        return urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower()

    def secure(self, request: Request) -> bool:
        """Whether the browser reached the server over HTTPS (directly, or through the TLS proxy
        ``--public-url`` names): the session cookie is then ``Secure``."""
        public = self.shared.settings.public_url
        return request.url.scheme == "https" or (public is not None and public.startswith("https://"))

    async def signin(self, request: Request) -> Response:
        request.scope["apigov.operation"] = "uiSignIn"
        if self.cross_site(request):  # no other site may sign a browser in (or out) here
            return self.error(403, "the sign-in form must be sent from this server's own page")
        try:  # guessing tokens costs a look-up each: tries are limited per address
            self.shared.limit_rate(f"signin:{client_host(request)}")
        except Problem as problem:
            return self.error(problem.status, problem.detail)
        token, record = await token_from_form(self.shared, request)
        if record is None:
            return _html(render("signin.html", reason="unknown or revoked token", signed_in=False), 401)
        response = RedirectResponse("/ui/", 303, headers=dict(HEADERS))
        set_session(response, self.secure(request), token)
        return response

    async def signout(self, request: Request) -> Response:
        request.scope["apigov.operation"] = "uiSignOut"
        if self.cross_site(request):
            return self.error(403, "the sign-out form must be sent from this server's own page")
        response = RedirectResponse("/ui/signin", 303, headers=dict(HEADERS))
        set_session(response, self.secure(request), None)
        return response

    async def static(self, request: Request) -> Response:
        request.scope["apigov.operation"] = "uiStatic"
        name = str(request.path_params["name"])
        if name not in _STATIC_FILES:
            return self.error(404, "no such file")
        headers = {**HEADERS, "Cache-Control": "public, max-age=3600"}
        return FileResponse(STATIC / name, headers=headers, media_type=_STATIC_FILES[name])

    async def root(self, request: Request) -> Response:
        return RedirectResponse("/ui/", 307, headers=dict(HEADERS))


def routes(shared: Shared) -> list[Route]:
    """The UI's routes (see the module docstring)."""
    ui = _Ui(shared)
    return [
        Route("/ui", ui.root, methods=["GET"], name="uiRoot"),
        Route("/ui/", ui.page("uiCatalog", ui.catalog), methods=["GET"]),
        Route("/ui/subjects/{subject}", ui.page("uiSubject", ui.subject), methods=["GET"]),
        Route("/ui/subjects/{subject}/versions/{version}", ui.page("uiSubject", ui.subject), methods=["GET"]),
        Route("/ui/subjects/{subject}/diff", ui.page("uiDiffForm", ui.diff_form), methods=["GET"]),
        Route("/ui/subjects/{subject}/diff/{base}/{revision}", ui.page("uiDiff", ui.diff), methods=["GET"]),
        Route(
            "/ui/subjects/{subject}/versions/{version}/fuzz-runs/{id}",
            ui.page("uiFuzzRun", ui.fuzz_run),
            methods=["GET"],
        ),
        Route("/ui/graph", ui.page("uiGraph", ui.graph), methods=["GET"]),
        Route("/ui/deploy", ui.page("uiDeploy", ui.deploy), methods=["GET"]),
        Route("/ui/verifications/{id}", ui.page("uiVerification", ui.verification), methods=["GET"]),
        Route("/ui/signin", ui.signin_form, methods=["GET"], name="uiSignInForm"),
        Route("/ui/signin", ui.signin, methods=["POST"], name="uiSignIn"),
        Route("/ui/signout", ui.signout, methods=["POST"], name="uiSignOut"),
        Route("/ui/static/{name}", ui.static, methods=["GET"], name="uiStatic"),
    ]
