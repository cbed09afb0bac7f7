"""The Confluent Schema Registry REST API over apigov's registry (prefix ``/confluent`` by default,
``apigov serve --confluent-prefix``); the contract: ``apigov/server/openapi.yaml``.

Kafka serializers of every language talk this API. Here it is a second view of the one
registry: only Avro and JSON Schema subjects appear; version ``n`` of a subject is its ``n``-th
semver version; a schema id is the global id of a version's content
(:mod:`apigov.registry.schema_ids`). Registering a schema is an apigov publish (``--bump auto``,
the subject's mode, publisher = the token), so a schema the policy refuses, or whose
compatibility apigov cannot show, is refused with 409 and the reasons; a subject whose undecided
level is ``warning`` (``apigov registry set-undecided``) accepts the latter (the
``confluent-register`` log line and the version's recorded changes name them), and its
compatibility check answers ``is_compatible: true`` with the ``cannot decide`` messages.

Choices written down (README "Kafka and the Confluent API"):

- ``DELETE`` of subjects and versions is refused (422, ``error_code`` 42205): versions are
  immutable, and a schema id inside a Kafka message must stay readable.
- Any subject name without control characters is taken (``Orders-value``, ``com.Shop.Order``);
  one outside apigov's grammar is stored under a reversible mapping
  (:mod:`~apigov.server.routers._confluent_names`: ``Orders-value`` is ``cf--_orders-value``).
  Control characters are refused with 422 / 42208 on writes and are unknown (40401) on reads.
- ``PUT /config/{subject}`` sets the mode of an existing subject; before the first version, the
  registry-wide level (``PUT /config``) is the mode a new subject starts with.
- ``/mode`` is registry-wide: ``READONLY`` refuses registrations (422 / 42205).
- Schema references must name a version that exists (else 42201); an Avro reference's named
  types are inlined into the stored version, a JSON Schema reference is embedded under
  ``$defs``, so every version stays self-contained for apigov's verdicts.

Errors are Confluent's: ``{"error_code": N, "message": "..."}``.
"""

from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from apigov.core.errors import ApigovError, DocumentError, InputError, UnknownSubject
from apigov.core.findings import Level
from apigov.documents.dump import dump_text
from apigov.registry.base import SemVer, SubjectInfo, digest_of, parse_mode
from apigov.registry.publish import PublishOutcome, PublishRequest, publish
from apigov.registry.schema_ids import SchemaIds, schema_ids_for
from apigov.schema.modes import Mode
from apigov.server._http import (
    MalformedBody,
    Problem,
    Shared,
    json_object,
    media_type,
    read_body,
    unique_keys,
)
from apigov.server.observe import log_event
from apigov.server.routers._confluent_names import confluent_name, subject_of
from apigov.server.routers._confluent_refs import inline_avro, inline_json

__all__ = ["ConfluentError", "routes"]

MEDIA: Final = "application/vnd.schemaregistry.v1+json"
_ACCEPTED_BODIES: Final = frozenset(
    {
        "application/vnd.schemaregistry.v1+json",
        "application/vnd.schemaregistry+json",
        "application/json",
        "application/octet-stream",
    }
)
_TYPES: Final = {"avro": "AVRO", "jsonschema": "JSON"}
_KINDS: Final = {v: k for k, v in _TYPES.items()}
_MAX_CACHED: Final = 100_000


class ConfluentError(Exception):
    """An error answer in Confluent's shape."""

    def __init__(
        self, status: int, code: int, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers

    def response(self) -> Response:
        return Response(
            orjson.dumps({"error_code": self.code, "message": self.message}),
            self.status,
            dict(self.headers or {}),
            media_type=MEDIA,
        )


def _answer(value: object, status: int = 200) -> Response:
    return Response(orjson.dumps(value), status, media_type=MEDIA)


def _from_problem(problem: Problem, *, missing: int = 40401) -> ConfluentError:
    status = problem.status
    if status == 401:
        return ConfluentError(401, 40101, problem.detail)
    if status == 403:
        return ConfluentError(403, 40301, problem.detail)
    if status == 404:
        return ConfluentError(404, missing, problem.detail)
    if status == 413:
        return ConfluentError(413, 413, problem.detail)
    if status == 409:
        return ConfluentError(409, 409, problem.detail)
    if status == 422:
        return ConfluentError(422, 42201, problem.detail)
    if status in (408, 429) or (status == 503 and problem.headers):
        code = {408: 40801, 429: 42901, 503: 50302}[status]
        return ConfluentError(status, code, problem.detail, problem.headers)
    if status == 503:
        return ConfluentError(503, 50003, problem.detail)
    return ConfluentError(status if status >= 400 else 500, 50001 if status >= 500 else 40001, problem.detail)


@dataclass(frozen=True, slots=True)
class _Version:
    """One version as the Confluent API shows it (immutable, so it is cached)."""

    subject: str
    semver: SemVer
    kind: str
    digest: str
    text: str


def _shown(subject: str) -> str:
    """The Confluent name of an apigov subject (itself when it is no mapping of one)."""
    return confluent_name(subject) or subject


def _one_line(text: str) -> str:
    return " ".join(text.split())[:500]


class _Confluent:
    def __init__(self, shared: Shared) -> None:
        self.shared = shared
        self.backend = shared.backend
        self.ids: SchemaIds = schema_ids_for(shared.backend)
        self._versions: dict[tuple[str, SemVer], _Version] = {}
        self._by_id: dict[int, _Version] = {}
        self._id_answers: dict[int, bytes] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ helpers

    async def authorize(self, request: Request, needed: str, writes: Sequence[str] | None = None) -> str:
        """Check the token's scope; ``writes``: the subjects the request writes (``()`` for a
        global setting), which a token limited to other subjects may not write."""
        try:
            record = await self.shared.authorize(request, needed)
            if writes is not None:
                self.shared.may_write(record, *writes)
        except Problem as problem:
            raise _from_problem(problem) from None
        return f"token:{record.name}" if record is not None else "anonymous"

    async def run(self, func: Callable[..., Any], *args: Any, missing: int = 40401) -> Any:
        try:
            return await self.shared.call(func, *args)
        except Problem as problem:
            raise _from_problem(problem, missing=missing) from None

    @staticmethod
    def subject_name(request: Request, *, writing: bool = False) -> str:
        name = str(request.path_params["subject"])
        try:
            return subject_of(name)
        except InputError as exc:
            if writing:
                raise ConfluentError(422, 42208, _one_line(str(exc))) from None
            raise ConfluentError(404, 40401, f"Subject '{name[:100]!r}' not found.") from None

    def info(self, subject: str) -> SubjectInfo:
        try:
            info = self.backend.subject(subject)
        except UnknownSubject:
            raise ConfluentError(404, 40401, f"Subject '{_shown(subject)}' not found.") from None
        if info.kind not in _TYPES:
            raise ConfluentError(404, 40401, f"Subject '{_shown(subject)}' not found.")
        return info

    def version(self, subject: str, semver: SemVer) -> _Version:
        key = (subject, semver)
        with self._lock:
            found = self._versions.get(key)
        if found is not None:
            return found
        stored = self.backend.get_version(subject, semver)
        text = stored.content.decode("utf-8", "replace")
        if stored.format != "json":  # a JSON Schema published as YAML: shown as JSON
            import yaml

            text = json.dumps(yaml.safe_load(text), separators=(",", ":"))
        made = _Version(subject, semver, stored.kind, stored.digest, text)
        with self._lock:
            if len(self._versions) > _MAX_CACHED:
                self._versions.clear()
            self._versions[key] = made
        return made

    @staticmethod
    def pick(info: SubjectInfo, text: str) -> tuple[int, SemVer]:
        """The integer version ``text`` names (``latest`` or ``-1``: the last)."""
        if text in ("latest", "-1"):
            return len(info.versions), info.versions[-1]
        try:
            number = int(text) if text.isascii() and text.lstrip("-").isdigit() else None
        except ValueError:
            number = None
        if number is None or number < 1 or number > 2**31 - 1:
            raise ConfluentError(
                422,
                42202,
                f"The specified version '{text[:40]}' is not a valid version id. Allowed values are "
                'between [1, 2^31-1] and the string "latest"',
            )
        if number > len(info.versions):
            raise ConfluentError(404, 40402, f"Version {number} not found.")
        return number, info.versions[number - 1]

    def version_json(self, info: SubjectInfo, number: int, semver: SemVer) -> dict[str, object]:
        shown = self.version(info.name, semver)
        body: dict[str, object] = {
            "subject": _shown(info.name),
            "version": number,
            "id": self.ids.assign(shown.digest),
            "schema": shown.text,
        }
        if shown.kind != "avro":
            body["schemaType"] = _TYPES[shown.kind]
        return body

    def subjects(self) -> list[SubjectInfo]:
        return [info for info in self.backend.list_subjects() if info.kind in _TYPES]

    def by_id(self, schema_id: int) -> _Version:
        with self._lock:
            found = self._by_id.get(schema_id)
        if found is not None:
            return found
        digest = self.ids.digest_of(schema_id)
        if digest is not None:
            for _, version in self.holders(digest):
                with self._lock:
                    self._by_id[schema_id] = version
                return version
        raise ConfluentError(404, 40403, f"Schema {schema_id} not found")

    def holders(self, digest: str) -> list[tuple[int, _Version]]:
        """Every (integer version, version) whose content is ``digest``."""
        found = []
        for info in self.subjects():
            for number, semver in enumerate(info.versions, start=1):
                version = self.version(info.name, semver)
                if version.digest == digest:
                    found.append((number, version))
        return found

    async def body(self, request: Request) -> dict[str, Any]:
        """The JSON object of a request: the media types serializers send (a missing
        Content-Type is taken as JSON, as Confluent does), no key twice."""
        media, _ = media_type(request)
        if media is not None and media not in _ACCEPTED_BODIES:
            raise ConfluentError(415, 415, f"unsupported content type {media[:80]!r}; send {MEDIA}")
        try:
            return json_object(await read_body(request, self.shared.settings.max_body))
        except Problem as problem:
            raise _from_problem(problem) from None
        except MalformedBody as exc:
            raise (
                ConfluentError(400, 400, str(exc)) if exc.not_json else ConfluentError(422, 422, str(exc))
            ) from None

    # ------------------------------------------------------------------ schema text

    def canonical(self, body: dict[str, Any], *, subject: str) -> tuple[str, Any, list[dict[str, Any]]]:
        """The kind, the parsed schema (references inlined) and the references of a register body."""
        schema_type = body.get("schemaType", "AVRO")
        if schema_type is None:
            schema_type = "AVRO"
        if not isinstance(schema_type, str) or schema_type.upper() not in _KINDS:
            raise ConfluentError(
                422, 42201, f"Invalid schema: unknown schema type {str(schema_type)[:40]!r}; use AVRO or JSON"
            )
        kind = _KINDS[schema_type.upper()]
        text = body.get("schema")
        if not isinstance(text, str) or not text.strip():
            raise ConfluentError(422, 42201, "Invalid schema: 'schema' must be a non-empty string")
        try:
            data = json.loads(text, object_pairs_hook=unique_keys)  # no key twice, as in the body
        except MalformedBody as exc:
            raise ConfluentError(422, 42201, f"Invalid schema: {exc}") from None
        except ValueError as exc:
            raise ConfluentError(422, 42201, f"Invalid schema: not JSON: {_one_line(str(exc))}") from None
        references = body.get("references") or []
        if not isinstance(references, list) or not all(isinstance(r, dict) for r in references):
            raise ConfluentError(422, 42201, "Invalid schema: 'references' must be a list of objects")
        resolved = [self.reference(r) for r in references]
        if kind == "avro" and resolved:
            data = inline_avro(data, resolved)
        elif resolved:
            names = [str(r.get("name", "")) for r in references]
            data = inline_json(data, dict(zip(names, resolved, strict=True)))
        problem = _structure_problem(kind, data)
        if problem is not None:
            raise ConfluentError(422, 42201, f"Invalid schema: {problem}")
        return kind, data, references

    def reference(self, ref: dict[str, Any]) -> Any:
        subject, version = ref.get("subject"), ref.get("version")
        if not isinstance(subject, str) or not isinstance(version, int) or isinstance(version, bool):
            raise ConfluentError(
                422, 42201, "Invalid schema: a reference needs 'subject' and an integer 'version'"
            )
        try:
            info = self.info(subject_of(subject))
            _, semver = self.pick(info, str(version))
        except (InputError, ConfluentError):
            raise ConfluentError(
                422, 42201, f"Invalid schema: reference to {subject[:100]!r} version {version} not found"
            ) from None
        return json.loads(self.version(subject, semver).text)

    @staticmethod
    def digests(data: Any) -> tuple[str, str]:
        """The digests the content would be stored with (as JSON, and as YAML)."""
        return (
            digest_of(dump_text(data, "json").encode("utf-8")),
            digest_of(dump_text(data, "yaml").encode("utf-8")),
        )

    def existing(self, subject: str, kind: str, data: Any) -> tuple[int, _Version] | None:
        """The version of ``subject`` holding exactly this content, if one does."""
        try:
            info = self.backend.subject(subject)
        except UnknownSubject:
            return None
        if info.kind != kind:
            return None
        wanted = self.digests(data)
        for number in range(len(info.versions), 0, -1):
            version = self.version(subject, info.versions[number - 1])
            if version.digest in wanted:
                return number, version
        return None

    def publish(self, subject: str, kind: str, data: Any, publisher: str, *, dry_run: bool) -> PublishOutcome:
        mode_text = self.ids.setting("compatibility")
        suffix = ".avsc" if kind == "avro" else ".json"
        with tempfile.TemporaryDirectory(prefix="apigov-confluent-") as temp:
            path = Path(temp) / f"schema{suffix}"
            path.write_text(dump_text(data, "json"), encoding="utf-8")
            request = PublishRequest(
                file=path,
                subject=subject,
                bump="auto",
                dry_run=dry_run,
                mode=parse_mode(mode_text) if mode_text else None,
                publisher=publisher,
                source=f"confluent:{subject}",
                labels=MappingProxyType({"via": "confluent-api"}),
                kind=kind,  # the schemaType: any object or boolean is a JSON Schema
            )
            try:
                outcome = publish(self.backend, request, self.shared.config)
            except DocumentError as exc:
                text = str(exc).replace(str(path), f"schema{suffix}").replace(temp, ".")
                raise ConfluentError(422, 42201, f"Invalid schema: {_one_line(text)}") from None
            except InputError as exc:
                raise ConfluentError(422, 42201, f"Invalid schema: {_one_line(str(exc))}") from None
        if outcome.kind != kind:
            raise ConfluentError(
                422, 42201, f"Invalid schema: it is {outcome.kind}, not {_TYPES.get(kind, kind)}"
            )
        return outcome

    # ------------------------------------------------------------------ handlers

    async def list_subjects(self, request: Request) -> Response:
        await self.authorize(request, "read")
        infos: list[SubjectInfo] = await self.run(self.subjects)
        return _answer([name for info in infos if (name := confluent_name(info.name)) is not None])

    async def list_versions(self, request: Request) -> Response:
        await self.authorize(request, "read")
        subject = self.subject_name(request)
        info: SubjectInfo = await self.run(self.info, subject)
        return _answer(list(range(1, len(info.versions) + 1)))

    async def get_version(self, request: Request) -> Response:
        await self.authorize(request, "read")
        subject = self.subject_name(request)

        def read() -> dict[str, object]:
            info = self.info(subject)
            number, semver = self.pick(info, str(request.path_params["version"]))
            return self.version_json(info, number, semver)

        body: dict[str, object] = await self.run(read, missing=40402)
        if str(request.scope["path"]).endswith("/schema"):
            return Response(str(body["schema"]).encode("utf-8"), media_type=MEDIA)
        return _answer(body)

    async def register(self, request: Request) -> Response:
        subject = self.subject_name(request, writing=True)
        publisher = await self.authorize(request, "publish", (subject,))
        body = await self.body(request)

        def work() -> dict[str, object]:
            kind, data, _ = self.canonical(body, subject=subject)
            found = self.existing(subject, kind, data)
            if found is not None:  # the common case on every producer start: no write
                return {"id": self.ids.assign(found[1].digest)}
            if self.ids.setting("mode") == "READONLY":
                raise ConfluentError(422, 42205, "Subject is in read-only mode")
            trial = self.publish(subject, kind, data, publisher, dry_run=True)
            doubts = _undecided(trial)
            # a subject relaxed to warning accepts what apigov cannot decide (said in the log)
            strict = trial.previous is None or self.info(subject).undecided is not Level.WARNING
            if (
                not doubts
                and not trial.refused
                and trial.previous is not None
                and trial.mode is not Mode.NONE
            ):
                # the publish policy keeps the backward changes against the latest only: ask the
                # diff for every direction and version the mode names
                info = self.info(subject)
                targets = info.versions if trial.mode.transitive else info.versions[-1:]
                doubts = self.judge(subject, targets, kind, data, trial.mode)[1]
            if doubts and not trial.refused and strict:
                raise ConfluentError(
                    409,
                    409,
                    "Schema being registered is incompatible with an earlier schema: apigov cannot show "
                    f"it is {trial.mode.value} compatible: "
                    + "; ".join(doubts)
                    + " (to register what apigov cannot decide, relax the subject: 'apigov registry"
                    + f" set-undecided {_shown(subject)} warning')",
                )
            outcome = trial if trial.refused else self.publish(subject, kind, data, publisher, dry_run=False)
            if outcome.refused:
                reasons = "; ".join(outcome.reasons) or "the publish policy refused the schema"
                if doubts:
                    reasons += f"; apigov cannot show it is {outcome.mode.value} compatible: " + "; ".join(
                        doubts
                    )
                raise ConfluentError(
                    409, 409, f"Schema being registered is incompatible with an earlier schema: {reasons}"
                )
            log_event(
                "confluent-register",
                subject=subject,
                status=outcome.status,
                version=str(outcome.version),
                undecided=doubts or None,
            )
            return {"id": self.ids.assign(outcome.digest)}

        return _answer(await self.run(work))

    async def lookup(self, request: Request) -> Response:
        await self.authorize(request, "read")
        subject = self.subject_name(request)
        body = await self.body(request)

        def work() -> dict[str, object]:
            info = self.info(subject)
            kind, data, _ = self.canonical(body, subject=subject)
            found = self.existing(subject, kind, data)
            if found is None:
                raise ConfluentError(404, 40403, "Schema not found")
            return self.version_json(info, found[0], found[1].semver)

        return _answer(await self.run(work))

    async def refuse_delete(self, request: Request) -> Response:
        await self.authorize(request, "admin")
        raise ConfluentError(
            422,
            42205,
            "Operation not permitted: apigov keeps every version (versions are immutable and "
            "schema ids in Kafka messages must stay readable); deprecate with 'apigov registry deprecate'",
        )

    async def schema_by_id(self, request: Request) -> Response:
        """The hot path of deserializers: an encoded answer per id, kept (ids never change)."""
        await self.authorize(request, "read")
        schema_id = _int_id(request)
        tail = str(request.scope["path"]).rsplit("/", 1)[-1]
        if tail.isdigit():
            encoded = self._id_answers.get(schema_id)
            if encoded is None:
                version = await self.run(self.by_id, schema_id)
                body: dict[str, object] = {"schema": version.text}
                if version.kind != "avro":
                    body["schemaType"] = _TYPES[version.kind]
                encoded = orjson.dumps(body)
                if len(self._id_answers) < _MAX_CACHED:
                    self._id_answers[schema_id] = encoded
            return Response(encoded, media_type=MEDIA)
        if tail == "subjects" or tail == "versions":

            def holders() -> list[tuple[int, _Version]]:
                digest = self.ids.digest_of(schema_id)
                found = self.holders(digest) if digest is not None else []
                if not found:
                    raise ConfluentError(404, 40403, f"Schema {schema_id} not found")
                return found

            found: list[tuple[int, _Version]] = await self.run(holders)
            if tail == "subjects":
                return _answer(sorted({_shown(v.subject) for _, v in found}))
            return _answer([{"subject": _shown(v.subject), "version": n} for n, v in found])
        with self._lock:
            cached = self._by_id.get(schema_id)
        version = cached if cached is not None else await self.run(self.by_id, schema_id)
        return Response(version.text.encode("utf-8"), media_type=MEDIA)

    async def list_ids(self, request: Request) -> Response:
        """An apigov extension: every id and its digest (for ``apigov registry copy|verify`` over HTTP)."""
        await self.authorize(request, "read")
        ids: dict[int, str] = await self.run(self.ids.all_ids)
        return _answer({"ids": [{"id": i, "digest": d} for i, d in sorted(ids.items())]})

    async def schema_types(self, request: Request) -> Response:
        await self.authorize(request, "read")
        return _answer(sorted(_KINDS))

    async def compatibility(self, request: Request) -> Response:
        """The subject's mode judged by ``apigov diff`` itself against the version named (every
        version for a ``_TRANSITIVE`` mode and ``latest``): a proven break or a change apigov
        cannot decide is incompatible; ``verbose`` gives the rule ids, messages and
        counter-examples."""
        await self.authorize(request, "read")
        subject = self.subject_name(request)
        body = await self.body(request)
        verbose = request.query_params.get("verbose", "false").lower() == "true"
        version_text = str(request.path_params["version"])

        def work() -> dict[str, object]:
            info = self.info(subject)
            _, semver = self.pick(info, version_text)
            kind, data, _ = self.canonical(body, subject=subject)
            if info.kind != kind:
                raise ConfluentError(
                    422,
                    42201,
                    f"Invalid schema: subject {_shown(subject)!r} holds {_TYPES[info.kind]} schemas",
                )
            transitive = info.mode.transitive and version_text in ("latest", "-1")
            targets = info.versions if transitive else (semver,)
            broken, doubts = self.judge(subject, targets, kind, data, info.mode)
            strict = info.undecided is not Level.WARNING  # a relaxed subject accepts the undecided
            answer: dict[str, object] = {"is_compatible": not broken and not (doubts and strict)}
            if verbose:
                answer["messages"] = broken + [f"apigov cannot decide: {d}" for d in doubts]
            return answer

        return _answer(await self.run(work))

    def judge(
        self, subject: str, targets: Sequence[SemVer], kind: str, data: Any, mode: Mode
    ) -> tuple[list[str], list[str]]:
        """``apigov diff --mode MODE`` of the ``targets`` versions and the new schema: the breaking
        changes and the undecided ones, each one line with its counter-example."""
        from apigov import __version__
        from apigov.report._diff import example_excerpt, is_undecided
        from apigov.rules.run import DiffRequest, diff_sources

        suffix = ".avsc" if kind == "avro" else ".json"
        with tempfile.TemporaryDirectory(prefix="apigov-confluent-") as temp:
            paths = []
            for index, semver in enumerate(targets):
                path = Path(temp) / f"{subject}@{index + 1}{suffix}"
                path.write_text(self.version(subject, semver).text, encoding="utf-8")
                paths.append(str(path))
            new = Path(temp) / f"{subject}@new{suffix}"
            new.write_text(dump_text(data, "json"), encoding="utf-8")
            paths.append(str(new))
            request = DiffRequest(
                base=paths[0], revision=paths[1], more=tuple(paths[2:]), mode=mode.value, undecided="warning"
            )
            try:
                report = diff_sources(request, self.shared.config, version=__version__)
            except InputError as exc:
                raise ConfluentError(
                    422, 42201, f"Invalid schema: {_one_line(str(exc)).replace(temp, '.')}"
                ) from None
        broken: list[str] = []
        doubts: list[str] = []
        for finding in report.findings:
            # an undecided change is reported as a warning (asked for above), a proven break as
            # breaking; a warning apigov decided (a tolerated change) is neither
            undecided = finding.level is Level.WARNING and is_undecided(finding)
            if finding.level is not Level.BREAKING and not undecided:
                continue
            text = f"{finding.rule_id}: {finding.message}"
            example = example_excerpt(finding)
            if example:
                text += f"; e.g. {example}"
            (doubts if undecided else broken).append(_one_line(text))
            if len(broken) + len(doubts) >= 50:
                break
        return broken, doubts

    async def get_config(self, request: Request) -> Response:
        await self.authorize(request, "read")
        if "subject" in request.path_params:
            subject = self.subject_name(request)
            info: SubjectInfo = await self.run(self.info, subject)
            return _answer({"compatibilityLevel": info.mode.value})
        level = await self.run(self.ids.setting, "compatibility")
        return _answer({"compatibilityLevel": level or Mode.BACKWARD.value})

    async def put_config(self, request: Request) -> Response:
        subject = self.subject_name(request, writing=True) if "subject" in request.path_params else None
        await self.authorize(request, "admin", () if subject is None else (subject,))
        body = await self.body(request)
        level = body.get("compatibility", body.get("compatibilityLevel"))
        try:
            mode = parse_mode(level) if isinstance(level, str) else None
        except InputError:
            mode = None
        if mode is None:
            raise ConfluentError(422, 42203, f"Invalid compatibility level {str(level)[:40]!r}")
        if subject is not None:
            await self.run(self.info, subject)
            await self.run(self.backend.set_mode, subject, mode)
        else:
            await self.run(self.ids.set_setting, "compatibility", mode.value)
        log_event("confluent-config", subject=subject, mode=mode.value)
        return _answer({"compatibility": mode.value})

    async def get_mode(self, request: Request) -> Response:
        await self.authorize(request, "read")
        return _answer({"mode": (await self.run(self.ids.setting, "mode")) or "READWRITE"})

    async def put_mode(self, request: Request) -> Response:
        await self.authorize(request, "admin", ())
        body = await self.body(request)
        mode = body.get("mode")
        if mode not in ("READWRITE", "READONLY"):
            raise ConfluentError(422, 42204, f"Invalid mode {str(mode)[:40]!r}; use READWRITE or READONLY")
        await self.run(self.ids.set_setting, "mode", mode)
        return _answer({"mode": mode})


def _undecided(outcome: PublishOutcome) -> list[str]:
    """The changes apigov could not judge under the subject's mode (none under ``NONE``)."""
    if outcome.mode is Mode.NONE or outcome.judgement is None:
        return []
    doubts = (c for c in outcome.judgement.changes if c.undecided and c.level in ("warning", "breaking"))
    return [f"{change.id}: {change.message}" for change in doubts][:20]  # (diff.rules may set info)


def _structure_problem(kind: str, data: Any) -> str | None:
    """The first structural problem ``apigov check`` finds in the schema (one line), if any."""
    if kind == "avro":
        from apigov.schema.avro_parse import analyse

        issue = next((i for i in analyse(data).issues if not i.logical), None)
        return None if issue is None else _one_line(f"{issue.pointer or '/'}: {issue.message}")
    from apigov.documents.kinds import KindHint, detect_kind
    from apigov.lint._schema_walk import metaschema_errors

    if not isinstance(data, (dict, bool)):
        return "a JSON Schema is an object or a boolean"
    try:
        found, _ = detect_kind(data, Path("schema.json"), hint=KindHint(family="jsonschema"))
    except ApigovError as exc:
        return _one_line(str(exc))
    if found.family != "jsonschema":
        return f"this is {found.family}, not a JSON Schema"
    error = next(iter(metaschema_errors(data, "", found)), None)
    return None if error is None else _one_line(f"{error[0] or '/'}: {error[1]}")


def _int_id(request: Request) -> int:
    text = str(request.path_params["id"])
    if not text.isascii() or not text.isdigit() or len(text) > 10 or int(text) < 1:
        raise ConfluentError(404, 40403, f"Schema {text[:20]!r} not found")
    return int(text)


Handler = Callable[[Request], Awaitable[Response]]


def _endpoint(name: str, handler: Handler) -> Handler:
    async def answer(request: Request) -> Response:
        try:
            response = await handler(request)
        except ConfluentError as error:
            response = error.response()
        except Problem as problem:
            response = _from_problem(problem).response()
        except ApigovError as exc:  # pragma: no cover - the handlers map library errors
            response = ConfluentError(500, 50001, _one_line(str(exc))).response()
        accept = request.headers.get("accept")
        if accept is not None and "application/json" in accept and "schemaregistry" not in accept:
            response.headers["content-type"] = "application/json"  # the client asked for plain JSON
        return response

    answer.__name__ = name
    return answer


def routes(shared: Shared) -> list[Route]:
    """The Confluent API's routes under ``shared.settings.confluent_prefix``."""
    if type(shared.backend).__name__ == "HttpBackend":  # apigov serve never serves another server
        return []
    try:
        api = _Confluent(shared)
    except ApigovError:  # a backend that keeps no schema ids: no Confluent API
        return []
    prefix = shared.settings.confluent_prefix.rstrip("/")

    def route(path: str, name: str, handler: Handler, methods: list[str]) -> Route:
        return Route(prefix + path, _endpoint(name, handler), methods=methods, name=name)

    return [
        route("/subjects", "confluentListSubjects", api.list_subjects, ["GET"]),
        route("/subjects/{subject}/versions", "confluentListVersions", api.list_versions, ["GET"]),
        route("/subjects/{subject}/versions", "confluentRegister", api.register, ["POST"]),
        route("/subjects/{subject}/versions/{version}", "confluentGetVersion", api.get_version, ["GET"]),
        route(
            "/subjects/{subject}/versions/{version}/schema",
            "confluentGetVersionSchema",
            api.get_version,
            ["GET"],
        ),
        route(
            "/subjects/{subject}/versions/{version}", "confluentDeleteVersion", api.refuse_delete, ["DELETE"]
        ),
        route("/subjects/{subject}", "confluentLookup", api.lookup, ["POST"]),
        route("/subjects/{subject}", "confluentDeleteSubject", api.refuse_delete, ["DELETE"]),
        route("/schemas/ids/{id}", "confluentSchemaById", api.schema_by_id, ["GET"]),
        route("/schemas/ids/{id}/schema", "confluentSchemaTextById", api.schema_by_id, ["GET"]),
        route("/schemas/ids/{id}/subjects", "confluentSubjectsById", api.schema_by_id, ["GET"]),
        route("/schemas/ids/{id}/versions", "confluentVersionsById", api.schema_by_id, ["GET"]),
        route("/schemas/types", "confluentSchemaTypes", api.schema_types, ["GET"]),
        route("/apigov/ids", "confluentListIds", api.list_ids, ["GET"]),
        route(
            "/compatibility/subjects/{subject}/versions/{version}",
            "confluentCompatibility",
            api.compatibility,
            ["POST"],
        ),
        route("/config", "confluentGetConfig", api.get_config, ["GET"]),
        route("/config", "confluentPutConfig", api.put_config, ["PUT"]),
        route("/config/{subject}", "confluentGetSubjectConfig", api.get_config, ["GET"]),
        route("/config/{subject}", "confluentPutSubjectConfig", api.put_config, ["PUT"]),
        route("/mode", "confluentGetMode", api.get_mode, ["GET"]),
        route("/mode", "confluentPutMode", api.put_mode, ["PUT"]),
        route("/{rest:path}", "confluentUnknown", _unknown, ["GET", "POST", "PUT", "DELETE"]),
    ]


async def _unknown(request: Request) -> Response:
    """Anything else under the prefix: a subject name with ``/`` in it, or no such endpoint."""
    rest = str(request.path_params["rest"])
    if rest.startswith("subjects/") and request.method in ("POST", "PUT"):
        raise ConfluentError(422, 42208, "invalid subject name: a subject name cannot hold '/'")
    if rest.startswith(("subjects/", "config/")):
        raise ConfluentError(404, 40401, "Subject not found.")
    raise ConfluentError(404, 404, "HTTP 404 Not Found")
