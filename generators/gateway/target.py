"""What every gateway target shares: settings + model once, Jinja2 rendering, warnings.

A target subclasses :class:`GatewayTarget` and implements :meth:`GatewayTarget.render`, which
receives the :class:`~generators.gateway.model.GatewayModel` and a :class:`Notes` collector for
the policies it cannot express. jinja2 is imported here, inside rendering only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, ClassVar, Final, Literal

from apigov.core.errors import ConfigError
from generators.base import GeneratedFile, GenerateRequest, GeneratorWarning, Output, unique_paths
from generators.gateway.model import GatewayModel, Operation, Route, build_model
from generators.gateway.settings import Cors, parse_settings

if TYPE_CHECKING:
    import jinja2

PROBLEM_404: Final = '{"type":"about:blank","title":"Not Found","status":404}'
PROBLEM_405: Final = '{"type":"about:blank","title":"Method Not Allowed","status":405}'
PROBLEM_401: Final = '{"type":"about:blank","title":"Unauthorized","status":401}'
PROBLEM_429: Final = '{"type":"about:blank","title":"Too Many Requests","status":429}'


@dataclass(slots=True)
class Notes:
    """Collects one warning per (feature, subject); the order is the order of discovery (deterministic)."""

    target: str
    found: dict[tuple[str, str], GeneratorWarning] = field(default_factory=dict)

    def cannot(self, feature: str, subject: str, message: str) -> None:
        self.found.setdefault((feature, subject), GeneratorWarning(self.target, feature, subject, message))

    def per_operation(
        self, model: GatewayModel, feature: str, message: str, used: Callable[[Operation], bool]
    ) -> None:
        for _route, op in model.operations():
            if used(op):
                self.cannot(feature, op.label, message)


class GatewayTarget:
    """Base of apigov's gateway targets (a :class:`generators.base.Generator`)."""

    name: ClassVar[str]
    description: ClassVar[str]
    kind: ClassVar[Literal["gateway"]] = "gateway"
    validates_jwt: ClassVar[bool] = False  # renders gateway.jwt (full JWT validation)
    validates_requests: ClassVar[bool] = False  # renders validate-request (request body schemas)

    def generate(self, request: GenerateRequest) -> Output:
        settings = parse_settings(request.settings)
        model = build_model(request.contracts, settings)
        notes = Notes(self.name)
        for feature, subject, message in model.notes:
            notes.cannot(feature, subject, message)
        for overlap in model.overlaps:
            notes.cannot(
                "route-overlap",
                overlap.first,
                f"{overlap.first} and {overlap.second} (different services) can match the same path; "
                "the more specific template wins",
            )
        if settings.jwt and not self.validates_jwt:
            notes.per_operation(
                model,
                "jwt",
                f"{self.name} cannot validate JWTs here; only the presence of a Bearer token is checked",
                lambda op: any(s in settings.jwt for s in op.bearer_schemes),
            )
        if not self.validates_requests:
            notes.per_operation(
                model,
                "validate-request",
                f"{self.name} cannot validate request bodies against their schema; only max-body applies",
                lambda op: bool(op.policy.validate_request) and op.body is not None,
            )
        files = self.render(model, notes, request)
        return Output(unique_paths(files), tuple(notes.found.values()))

    def render(self, model: GatewayModel, notes: Notes, request: GenerateRequest) -> list[GeneratedFile]:
        raise NotImplementedError

    # -- helpers for the targets -------------------------------------------------------------

    def environment(self) -> jinja2.Environment:
        try:
            import jinja2
        except ImportError as exc:
            raise ConfigError(
                "generating needs Jinja2, which is not installed", hint="pip install 'apigov[generate]'"
            ) from exc

        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(Path(__file__).parent / self.name / "templates")),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # noqa: S701 - not HTML: each target quotes what it emits for its own syntax
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters["json"] = lambda value: json.dumps(value, ensure_ascii=True, sort_keys=True)
        env.filters["seconds"] = seconds
        env.filters["yaml"] = to_yaml
        return env

    def file(self, name: str, template: str, **context: object) -> GeneratedFile:
        text = self.environment().get_template(template).render(**context)
        return GeneratedFile(PurePosixPath(name), text)


SECURED_NOT_CACHED: Final = (
    "not cached: secured responses are not cached (a shared cache keyed without the credentials "
    "would serve one client's answer to another); only operations without security are cached"
)


def cache_ttl(op: Operation) -> int | None:
    """The seconds a GET/HEAD answer of ``op`` may be kept by a shared gateway cache (``None``: not
    cached). Operations that require credentials are never cached: no target here keys its cache
    by the credentials, so one client's answer would be served to another."""
    if op.policy.cache_ttl and op.method in ("GET", "HEAD") and not op.auth:
        return op.policy.cache_ttl
    return None


def warn_secured_cache(model: GatewayModel, notes: Notes) -> None:
    """One ``cache`` warning per secured GET/HEAD operation that asked to be cached."""
    notes.per_operation(
        model,
        "cache",
        SECURED_NOT_CACHED,
        lambda op: op.policy.cache_ttl is not None and op.method in ("GET", "HEAD") and bool(op.auth),
    )


def cors_names(model: GatewayModel, name: Callable[[int], str]) -> dict[Cors, str]:
    """A name for each distinct CORS policy of the operations, ``name(0)``, ``name(1)``, ... in
    the order the operations first use them."""
    names: dict[Cors, str] = {}
    for _route, op in model.operations():
        if op.policy.cors is not None:
            names.setdefault(op.policy.cors, name(len(names)))
    return names


def preflights(model: GatewayModel) -> dict[int, Cors | None]:
    """Each route's (by index) CORS policy for a preflight, ``None`` where there is none."""
    return {route.index: route.cors for route in model.routes}


def above(limit: int) -> str:
    """An anchored regex matching the decimal integers greater than ``limit``."""
    digits = str(limit)
    options = [f"[1-9][0-9]{{{len(digits)},}}"]
    for i, d in enumerate(digits):
        if d != "9":
            rest = len(digits) - i - 1
            options.append(digits[:i] + f"[{int(d) + 1}-9]" + (f"[0-9]{{{rest}}}" if rest else ""))
    return "^(?:" + "|".join(options) + ")$"


def to_yaml(value: object) -> str:
    """Block-style YAML, keys in the order built, every string quoted as YAML needs it."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter: 10x faster on 1,000 routes
    text: str = yaml.dump(
        value, Dumper=dumper, sort_keys=False, default_flow_style=False, width=10**6, allow_unicode=False
    )
    return text


def seconds(ms: int) -> str:
    """``1500`` -> ``1.5s`` (the unit every target here understands)."""
    if ms % 1000 == 0:
        return f"{ms // 1000}s"
    return f"{ms}ms"


def provenance(model: GatewayModel) -> list[str]:
    """One comment line per contract: safe characters only (a name may come from a file name)."""
    lines = []
    for service in model.services:
        shown = "".join(c if c.isalnum() or c in "._/@-" else "_" for c in service.contract)[:200]
        lines.append(f"{service.name}: {shown}")
    return lines


def routes_by_service(model: GatewayModel) -> Mapping[str, list[Route]]:
    found: dict[str, list[Route]] = {}
    for route in model.routes:
        found.setdefault(route.service, []).append(route)
    return found
