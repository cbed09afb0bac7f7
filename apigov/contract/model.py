"""Pacts and what the registry records about them.

A *pacticipant* is a service that takes part in pacts (consumer, provider or both). A pact file
(Pact specification V2, V3 or V4) is stored once by the sha256 of its canonical JSON (sorted
keys, no spaces), and *published* per ``(consumer, provider, consumer version)``: a consumer
version is immutable, publishing it again with other content is refused. A verification result
is recorded per ``(pact digest, provider version)``; a deployment or release puts a pacticipant
version into an environment until it is undeployed (a deployment ends the previous deployment
of the same pacticipant and instance in that environment; releases stay until their support ends).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any, Final, TypeVar

from apigov.core.errors import InputError

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_Record = TypeVar("_Record", bound="DataclassInstance")

__all__ = [
    "MAX_INTERACTIONS",
    "MAX_PACT_BYTES",
    "Deployment",
    "Environment",
    "Failure",
    "PactPublication",
    "PactState",
    "PacticipantVersion",
    "ParsedPact",
    "Verification",
    "check_name",
    "check_version",
    "parse_pact",
]

MAX_PACT_BYTES: Final = 16 * 1024 * 1024
MAX_INTERACTIONS: Final = 20_000
_NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_VERSION: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,99}")
_SPECS: Final = ("1.0.0", "1.1.0", "2.0.0", "3.0.0", "4.0")


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def check_name(name: object, what: str = "pacticipant") -> str:
    """``name`` when it is a valid pacticipant or environment name, else a one-line InputError."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise InputError(
            f"invalid {what} name {_shown(str(name))}",
            hint="use 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit",
        )
    return name


def check_version(version: object, what: str = "version") -> str:
    if not isinstance(version, str) or not _VERSION.fullmatch(version):
        raise InputError(
            f"invalid {what} {_shown(str(version))}",
            hint="use 1 to 100 letters, digits, '.', '_', '+' or '-' (a semver or a git sha)",
        )
    return version


@dataclass(frozen=True, slots=True)
class ParsedPact:
    """A pact file, checked: who, which specification, its interactions and canonical bytes."""

    consumer: str
    provider: str
    specification: str
    interactions: tuple[dict[str, object], ...]
    canonical: bytes
    digest: str

    @property
    def document(self) -> dict[str, object]:
        value = json.loads(self.canonical)
        assert isinstance(value, dict)
        return value


def _spec_version(data: dict[str, object]) -> str:
    meta = data.get("metadata")
    if meta is None:
        return "2.0.0"
    if not isinstance(meta, dict):
        raise ValueError("'metadata' must be an object")
    for key in ("pactSpecification", "pact-specification", "pactSpecificationVersion"):
        spec = meta.get(key)
        if spec is None:
            continue
        version = spec.get("version") if isinstance(spec, dict) else spec
        if not isinstance(version, str):
            raise ValueError(f"metadata.{key}.version must be a string")
        for known in _SPECS:
            if version == known or (known == "4.0" and version.startswith("4.")):
                return known if known != "4.0" else "4.0"
        major = version.split(".", 1)[0]
        if major in ("2", "3"):
            return f"{major}.0.0"
        raise ValueError(f"unknown Pact specification version {_shown(version)} (apigov reads V2, V3 and V4)")
    return "2.0.0"


def _pacticipant(data: dict[str, object], role: str) -> str:
    value = data.get(role)
    if not isinstance(value, dict) or not isinstance(value.get("name"), str):
        raise ValueError(f"'{role}' must be an object with a 'name'")
    return check_name(str(value["name"]), role)


def _check_interaction(index: int, item: object, spec: str) -> dict[str, object]:
    if not isinstance(item, dict):
        raise ValueError(f"interaction {index} is not an object")
    kind = item.get("type", "Synchronous/HTTP")
    if kind != "Synchronous/HTTP":
        return item  # messages: stored and served, not checked against HTTP contracts
    request = item.get("request")
    if not isinstance(request, dict):
        raise ValueError(f"interaction {index} has no 'request' object")
    method, path = request.get("method"), request.get("path")
    if not isinstance(method, str) or not re.fullmatch(r"[A-Za-z]{1,20}", method):
        raise ValueError(f"interaction {index}: request.method must be an HTTP method")
    if (
        not isinstance(path, str)
        or not path.startswith("/")
        or len(path) > 8192
        or any(ch.isspace() or not ch.isprintable() for ch in path)
    ):
        raise ValueError(f"interaction {index}: request.path {_shown(str(path))} is not a URL path")
    if not isinstance(item.get("description", ""), str):
        raise ValueError(f"interaction {index}: description must be a string")
    response = item.get("response")
    if response is not None and not isinstance(response, dict):
        raise ValueError(f"interaction {index}: response must be an object")
    return item


def parse_pact(raw: bytes, source: str = "pact") -> ParsedPact:
    """Check a pact file and compute its canonical form; a one-line InputError when unusable."""
    if len(raw) > MAX_PACT_BYTES:
        raise InputError(f"the pact is larger than {MAX_PACT_BYTES // (1024 * 1024)} MiB", source=source)
    try:
        data = json.loads(raw, object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError) as exc:
        detail = str(exc).split("\n", 1)[0][:200]
        raise InputError(f"the pact is not valid JSON: {detail}", source=source) from None
    try:
        if not isinstance(data, dict):
            raise ValueError("a pact must be a JSON object")
        consumer = _pacticipant(data, "consumer")
        provider = _pacticipant(data, "provider")
        spec = _spec_version(data)
        items = data.get("interactions", data.get("messages", []))
        if not isinstance(items, list):
            raise ValueError("'interactions' must be a list")
        if len(items) > MAX_INTERACTIONS:
            raise ValueError(
                f"the pact has {len(items)} interactions; apigov stores at most {MAX_INTERACTIONS}"
            )
        interactions = tuple(_check_interaction(i, item, spec) for i, item in enumerate(items))
    except ValueError as exc:
        raise InputError(f"not a usable pact: {exc}", source=source) from None
    except InputError as exc:
        raise InputError(f"not a usable pact: {exc.message}", source=source, hint=exc.hint) from None
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return ParsedPact(
        consumer=consumer,
        provider=provider,
        specification=spec,
        interactions=interactions,
        canonical=canonical,
        digest=hashlib.sha256(canonical).hexdigest(),
    )


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


@dataclass(frozen=True, slots=True)
class PacticipantVersion:
    pacticipant: str
    version: str
    branches: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    build_url: str = ""
    created_at: str = ""
    seq: int = 0
    """Order of creation across the registry."""


@dataclass(frozen=True, slots=True)
class PactPublication:
    consumer: str
    provider: str
    consumer_version: str
    digest: str
    published_at: str
    seq: int = 0

    def publication_order(self) -> int:
        return self.seq


@dataclass(frozen=True, slots=True)
class Failure:
    """One failed interaction of a verification: what was expected and what came."""

    interaction: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"interaction": self.interaction, "message": self.message}


@dataclass(frozen=True, slots=True)
class Verification:
    digest: str
    consumer: str
    provider: str
    provider_version: str
    success: bool
    failures: tuple[Failure, ...] = ()
    verifier: str = ""
    build_url: str = ""
    verified_at: str = ""
    id: int = 0


@dataclass(frozen=True, slots=True)
class Environment:
    name: str
    display_name: str = ""
    production: bool = False
    created_at: str = ""

    @property
    def uuid(self) -> str:
        """A stable id for the Pact Broker API (derived from the name)."""
        h = hashlib.sha256(b"apigov-environment:" + self.name.encode()).hexdigest()
        return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-a{h[17:20]}-{h[20:32]}"


@dataclass(frozen=True, slots=True)
class Deployment:
    pacticipant: str
    version: str
    environment: str
    kind: str  # "deployment" | "release"
    instance: str = ""
    started_at: str = ""
    ended_at: str | None = None
    id: int = 0

    @property
    def current(self) -> bool:
        return self.ended_at is None


@dataclass(slots=True)
class PactState:
    """Everything a store holds about pacts except their contents (the directory store keeps it
    as one JSON file; the PostgreSQL store answers the same questions from its tables)."""

    versions: dict[tuple[str, str], PacticipantVersion] = field(default_factory=dict)
    publications: dict[tuple[str, str, str], PactPublication] = field(default_factory=dict)
    verifications: list[Verification] = field(default_factory=list)
    environments: dict[str, Environment] = field(default_factory=dict)
    deployments: list[Deployment] = field(default_factory=list)

    def copy(self) -> PactState:
        """A copy whose maps and lists can change without touching this state (the values
        themselves are frozen and shared): what a store hands to a change step."""
        return PactState(
            dict(self.versions),
            dict(self.publications),
            list(self.verifications),
            dict(self.environments),
            list(self.deployments),
        )

    # ------------------------------------------------------------------ changes (checked here)

    def _next_seq(self) -> int:
        return 1 + max(
            [v.seq for v in self.versions.values()] + [p.seq for p in self.publications.values()], default=0
        )

    def ensure_version(
        self,
        pacticipant: str,
        version: str,
        *,
        branch: str = "",
        tags: tuple[str, ...] = (),
        build_url: str = "",
        at: str = "",
    ) -> PacticipantVersion:
        check_name(pacticipant)
        check_version(version)
        for tag in tags:
            check_version(tag, "tag")
        if branch:
            check_version(branch, "branch")
        known = self.versions.get((pacticipant, version))
        if known is None:
            known = PacticipantVersion(
                pacticipant,
                version,
                (branch,) if branch else (),
                tuple(dict.fromkeys(tags)),
                build_url,
                at,
                self._next_seq(),
            )
        else:
            branches = known.branches + ((branch,) if branch and branch not in known.branches else ())
            merged = tuple(dict.fromkeys(known.tags + tags))
            known = replace(known, branches=branches, tags=merged, build_url=known.build_url or build_url)
        self.versions[(pacticipant, version)] = known
        return known

    def publish(
        self,
        pact: ParsedPact,
        version: str,
        *,
        branch: str = "",
        tags: tuple[str, ...] = (),
        build_url: str = "",
        at: str = "",
    ) -> tuple[PactPublication, bool]:
        """Publish ``pact`` for ``version`` of its consumer; ``(publication, created)``."""
        from apigov.core.errors import VersionExists

        key = (pact.consumer, pact.provider, version)
        check_version(version, "consumer version")
        known = self.publications.get(key)
        if known is not None and known.digest != pact.digest:
            raise VersionExists(
                f"version {version} of {pact.consumer} already has a different pact with {pact.provider}"
                f" (sha256 {known.digest[:12]}, not {pact.digest[:12]})",
                hint="consumer versions are immutable: publish the changed pact with a new --consumer-version",
            )
        self.ensure_version(pact.consumer, version, branch=branch, tags=tags, build_url=build_url, at=at)
        if known is not None:
            return known, False
        made = PactPublication(pact.consumer, pact.provider, version, pact.digest, at, self._next_seq())
        self.publications[key] = made
        return made, True

    def record_verification(self, result: Verification, *, branch: str = "") -> Verification:
        from apigov.core.errors import UnknownSubject

        if not any(
            p.digest == result.digest and p.consumer == result.consumer and p.provider == result.provider
            for p in self.publications.values()
        ):
            raise UnknownSubject(
                f"no pact between {result.consumer} and {result.provider} has the content {result.digest[:12]}",
                hint="verify a pact that was published (apigov pact publish)",
            )
        self.ensure_version(result.provider, result.provider_version, branch=branch, at=result.verified_at)
        made = replace(result, id=1 + max((v.id for v in self.verifications), default=0))
        self.verifications.append(made)
        return made

    def add_environment(self, env: Environment) -> Environment:
        check_name(env.name, "environment")
        known = self.environments.get(env.name)
        if known is not None:
            return known
        self.environments[env.name] = env
        return env

    def record_deployment(
        self,
        pacticipant: str,
        version: str,
        environment: str,
        *,
        kind: str = "deployment",
        instance: str = "",
        at: str = "",
    ) -> Deployment:
        if kind not in ("deployment", "release"):
            raise InputError(f"unknown deployment kind {kind!r}")
        if instance:
            check_version(instance, "application instance")
        self.ensure_version(pacticipant, version, at=at)
        self.add_environment(Environment(environment, created_at=at))
        ended: list[Deployment] = []
        for index, d in enumerate(self.deployments):
            if (
                d.current
                and d.pacticipant == pacticipant
                and d.environment == environment
                and d.kind == kind
                and (
                    (kind == "deployment" and d.instance == instance)
                    or (kind == "release" and d.version == version)
                )
            ):
                if kind == "release":
                    return d  # already released there
                self.deployments[index] = _ended(d, at)
                ended.append(d)
        made = Deployment(
            pacticipant,
            version,
            environment,
            kind,
            instance,
            at,
            None,
            1 + max((d.id for d in self.deployments), default=0),
        )
        self.deployments.append(made)
        return made

    def end_deployments(
        self,
        pacticipant: str,
        environment: str,
        *,
        version: str | None = None,
        instance: str | None = None,
        kind: str = "deployment",
        at: str = "",
    ) -> list[Deployment]:
        ended: list[Deployment] = []
        for index, d in enumerate(self.deployments):
            if (
                d.current
                and d.pacticipant == pacticipant
                and d.environment == environment
                and d.kind == kind
                and (version is None or d.version == version)
                and (instance is None or d.instance == instance)
            ):
                self.deployments[index] = _ended(d, at)
                ended.append(self.deployments[index])
        return ended

    # ------------------------------------------------------------------ JSON (directory store)

    def to_json(self) -> dict[str, object]:
        return {
            "apigov": "pact-state/1",
            "versions": [_record_json(v) for v in self.versions.values()],
            "publications": [_record_json(p) for p in self.publications.values()],
            "verifications": [_record_json(v) for v in self.verifications],
            "environments": [_record_json(e) for e in self.environments.values()],
            "deployments": [_record_json(d) for d in self.deployments],
        }

    @classmethod
    def from_json(cls, data: object) -> PactState:
        """The state a store wrote (``KeyError``/``TypeError``/``ValueError`` when it is not)."""
        if not isinstance(data, dict) or data.get("apigov") != "pact-state/1":
            raise ValueError("not a pact-state/1 document")
        state = cls()
        for v in (_record_from(PacticipantVersion, r) for r in data["versions"]):
            state.versions[(v.pacticipant, v.version)] = v
        for p in (_record_from(PactPublication, r) for r in data["publications"]):
            state.publications[(p.consumer, p.provider, p.consumer_version)] = p
        state.verifications += [_record_from(Verification, r) for r in data["verifications"]]
        for e in (_record_from(Environment, r) for r in data["environments"]):
            state.environments[e.name] = e
        state.deployments += [_record_from(Deployment, r) for r in data["deployments"]]
        return state


def _record_json(record: DataclassInstance) -> dict[str, object]:
    """A record of the state as JSON: its fields by name (its id first), tuples as lists."""
    out: dict[str, object] = {}
    for f in fields(record):
        value = getattr(record, f.name)
        if isinstance(value, tuple):
            value = [x.to_json() if isinstance(x, Failure) else x for x in value]
        out[f.name] = value
    return {"id": out.pop("id"), **out} if "id" in out else out


def _failures(data: object) -> tuple[Failure, ...]:
    if not isinstance(data, list):
        raise TypeError("the failures are not a list")
    return tuple(Failure(str(f["interaction"]), str(f["message"])) for f in data)


_READERS: Final[dict[str, Callable[[Any], object]]] = {
    "str": str,
    "int": int,
    "bool": bool,
    "tuple[str, ...]": tuple,
    "str | None": lambda value: None if value is None else str(value),
    "tuple[Failure, ...]": _failures,
}
"""How :func:`_record_from` reads a field of each declared type."""


def _record_from(cls: type[_Record], data: Mapping[str, Any]) -> _Record:
    """The record :func:`_record_json` wrote (``KeyError``/``TypeError``/``ValueError`` when it is not)."""
    return cls(**{f.name: _READERS[str(f.type)](data[f.name]) for f in fields(cls)})


def _ended(d: Deployment, at: str) -> Deployment:
    return replace(d, ended_at=at)
