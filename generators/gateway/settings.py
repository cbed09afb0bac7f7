"""The ``gateway:`` section of apigov.yaml and the ``x-apigov-*`` policy extensions, validated.

::

    gateway:
      listen: 127.0.0.1:8080          # host:port the gateway listens on
      kubernetes: {gateway: apigov}   # httproute: the Gateway the HTTPRoutes attach to
      overlays: [gateway-policy.overlay.yaml]   # OpenAPI Overlay 1.0, applied by the CLI first
      jwt:                            # full JWT validation per security scheme (Envoy)
        bearerAuth: {issuer: https://id.example.com, audiences: [shop], jwks-file: jwks.json}
      tls:                            # optional TLS termination
        certificate: certs/gw.pem
        key: certs/gw.key
        redirect-from: 8080           # optional: plain-HTTP port that redirects to HTTPS
      defaults: {timeout: 10s}        # a policy block applied to every service
      services:
        orders:                       # one entry per HTTP contract
          contract: orders-api        # its subject or path (default: <service>-api)
          upstreams: [127.0.0.1:9101, 127.0.0.1:9102]
          dns: false                  # true: hostnames are re-resolved (STRICT_DNS, resolve)
          load-balancing: round-robin # round-robin | least-request | random | ip-hash
          health-check: {path: /healthz, interval: 5s, timeout: 1s, healthy: 2, unhealthy: 2}
          timeout: 5s                 # ... and any key of a policy block
          validate-request: true      # JSON request bodies checked against their schema (Kong)
          operations:
            getOrder: {timeout: 1s}   # a policy block per operationId

A policy block has the keys of :data:`POLICY_KEYS`; the same block can be written in a spec as
``x-apigov-<key>`` on the document, a path item or an operation. Errors are
:class:`~apigov.core.errors.ConfigError` carrying a JSON pointer (``/gateway/...`` for
apigov.yaml, ``#/paths/...`` for a spec) that the CLI turns into a line number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Final, TypeVar

from apigov.core.errors import ConfigError
from generators.base import JSONValue

_T = TypeVar("_T")

LB_POLICIES: Final = ("round-robin", "least-request", "random", "ip-hash")
RATE_PERIODS: Final = {"second": 1, "minute": 60}
RATE_KEYS: Final = ("ip", "api-key")
POLICY_KEYS: Final = (
    "timeout",
    "connect-timeout",
    "retries",
    "rate-limit",
    "circuit-breaker",
    "max-body",
    "cors",
    "cache",
    "validate-request",
)
SERVICE_KEYS: Final = (
    "contract",
    "upstreams",
    "dns",
    "load-balancing",
    "health-check",
    "operations",
    *POLICY_KEYS,
)
TOP_KEYS: Final = ("listen", "tls", "defaults", "services", "kubernetes", "overlays", "jwt")

_DURATION = re.compile(r"^(\d{1,6})(ms|s|m)\Z")
_SIZE = re.compile(r"^(\d{1,9})([kKmMgG]?)\Z")
_HOST = re.compile(
    r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
)
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}\Z")
_HEADER = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}\Z")
_TOKEN_VALUE = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~:/ ,-]{1,200}\Z")
_ORIGIN = re.compile(r"^(?:\*|https?://[A-Za-z0-9.-]{1,253}(?::\d{1,5})?)\Z")
_FILE_PATH = re.compile(r"^[A-Za-z0-9_./-]{1,255}\Z")


@dataclass(frozen=True, slots=True)
class RateLimit:
    requests: int
    period: int  # seconds
    key: str = "ip"  # ip | api-key
    burst: int = 0
    header: str = "X-API-Key"  # the header naming the API key (key: api-key)


@dataclass(frozen=True, slots=True)
class Retries:
    attempts: int
    backoff_ms: int | None = None


@dataclass(frozen=True, slots=True)
class CircuitBreaker:
    max_connections: int | None = None
    max_pending: int | None = None
    consecutive_errors: int | None = None
    ejection_ms: int | None = None


@dataclass(frozen=True, slots=True)
class Cors:
    origins: tuple[str, ...]
    methods: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    max_age: int | None = None
    credentials: bool = False


@dataclass(frozen=True, slots=True)
class Policy:
    """One policy block; ``None`` means "not set here" so blocks can be layered."""

    timeout_ms: int | None = None
    connect_timeout_ms: int | None = None
    retries: Retries | None = None
    rate_limit: RateLimit | None = None
    circuit_breaker: CircuitBreaker | None = None
    max_body: int | None = None
    cors: Cors | None = None
    cache_ttl: int | None = None  # seconds
    validate_request: bool | None = None  # the JSON request body against its schema (Kong)

    def over(self, base: Policy) -> Policy:
        """This block layered over ``base`` (what is set here wins)."""
        changes = {name: getattr(self, name) for name in self.__slots__ if getattr(self, name) is not None}
        return replace(base, **changes)


@dataclass(frozen=True, slots=True)
class HealthCheck:
    path: str
    interval_ms: int = 5000
    timeout_ms: int = 1000
    healthy: int = 2
    unhealthy: int = 2


@dataclass(frozen=True, slots=True)
class Upstream:
    host: str
    port: int

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True, slots=True)
class ServiceSettings:
    name: str
    contract: str
    upstreams: tuple[Upstream, ...]
    dns: bool = False
    load_balancing: str = "round-robin"
    health_check: HealthCheck | None = None
    policy: Policy = field(default_factory=Policy)
    operations: Mapping[str, Policy] = field(default_factory=dict)
    pointer: str = ""


@dataclass(frozen=True, slots=True)
class Tls:
    certificate: str
    key: str
    redirect_from: int | None = None


@dataclass(frozen=True, slots=True)
class Jwt:
    """Full JWT validation for one security scheme (where the target can: Envoy's jwt_authn)."""

    scheme: str
    issuer: str
    jwks_file: str
    audiences: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GatewaySettings:
    listen: Upstream = Upstream("127.0.0.1", 8080)
    tls: Tls | None = None
    defaults: Policy = field(default_factory=Policy)
    services: tuple[ServiceSettings, ...] = ()
    kubernetes_gateway: str = "apigov"  # the Gateway HTTPRoutes attach to (parentRefs)
    jwt: Mapping[str, Jwt] = field(default_factory=dict)  # by security scheme name


class _Reader:
    """Validates parsed YAML/JSON, raising ConfigError with the JSON pointer of the bad value."""

    def __init__(self, what: str) -> None:
        self.what = what

    def error(self, message: str, pointer: str, hint: str | None = None) -> ConfigError:
        return ConfigError(f"{self.what}: {message}", pointer=pointer, hint=hint)

    def mapping(self, value: JSONValue, pointer: str, allowed: tuple[str, ...]) -> Mapping[str, JSONValue]:
        if not isinstance(value, dict):
            raise self.error(f"{pointer or 'the section'} must be a mapping", pointer)
        for key in value:
            if key not in allowed:
                raise self.error(
                    f"unknown key {_shown(key)}",
                    f"{pointer}/{_escape(key)}",
                    "expected one of: " + ", ".join(allowed),
                )
        return value

    def integer(self, value: JSONValue, pointer: str, low: int = 0, high: int = 10**9) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.error(f"must be a whole number from {low} to {high}", pointer)
        return value

    def boolean(self, value: JSONValue, pointer: str) -> bool:
        if not isinstance(value, bool):
            raise self.error("must be true or false", pointer)
        return value

    def duration(self, value: JSONValue, pointer: str) -> int:
        """Milliseconds from ``250ms``, ``5s``, ``2m`` or a number of seconds."""
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 86400:
            return value * 1000
        match = _DURATION.match(value) if isinstance(value, str) else None
        if match is None:
            raise self.error("must be a duration such as 250ms, 5s or 2m", pointer)
        number, unit = int(match.group(1)), match.group(2)
        return number * {"ms": 1, "s": 1000, "m": 60000}[unit]

    def size(self, value: JSONValue, pointer: str) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        match = _SIZE.match(value) if isinstance(value, str) else None
        if match is None:
            raise self.error("must be a size in bytes such as 1048576, 512k or 10m", pointer)
        return int(match.group(1)) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]

    def string(self, value: JSONValue, pointer: str, pattern: re.Pattern[str], what: str) -> str:
        if not isinstance(value, str) or not pattern.match(value):
            raise self.error(f"must be {what}", pointer)
        return value

    def strings(self, value: JSONValue, pointer: str, pattern: re.Pattern[str], what: str) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.error(f"must be a list of {what}", pointer)
        return tuple(self.string(v, f"{pointer}/{i}", pattern, what) for i, v in enumerate(value))

    def address(self, value: JSONValue, pointer: str) -> Upstream:
        if isinstance(value, str) and value.count(":") == 1:
            host, _, port = value.partition(":")
            if (_HOST.match(host) or _IPV4.match(host)) and port.isdigit() and 0 < int(port) < 65536:
                return Upstream(host, int(port))
        raise self.error("must be HOST:PORT (a hostname or an IPv4 address, and a port)", pointer)

    def policy(self, value: JSONValue, pointer: str, allowed: tuple[str, ...] = POLICY_KEYS) -> Policy:
        block = self.mapping(value, pointer, allowed)
        return Policy(
            timeout_ms=self._opt(block, "timeout", pointer, self.duration),
            connect_timeout_ms=self._opt(block, "connect-timeout", pointer, self.duration),
            retries=self._opt(block, "retries", pointer, self.retries),
            rate_limit=self._opt(block, "rate-limit", pointer, self.rate_limit),
            circuit_breaker=self._opt(block, "circuit-breaker", pointer, self.circuit_breaker),
            max_body=self._opt(block, "max-body", pointer, self.size),
            cors=self._opt(block, "cors", pointer, self.cors),
            cache_ttl=self._opt(block, "cache", pointer, self.cache),
            validate_request=self._opt(block, "validate-request", pointer, self.boolean),
        )

    def _opt(
        self, block: Mapping[str, JSONValue], key: str, pointer: str, read: Callable[[JSONValue, str], _T]
    ) -> _T | None:
        if key not in block or block[key] is None:
            return None
        return read(block[key], f"{pointer}/{key}")

    def retries(self, value: JSONValue, pointer: str) -> Retries:
        if isinstance(value, int) and not isinstance(value, bool):
            return Retries(self.integer(value, pointer, 0, 10))
        block = self.mapping(value, pointer, ("attempts", "backoff"))
        if "attempts" not in block:
            raise self.error("retries needs 'attempts'", pointer)
        return Retries(
            attempts=self.integer(block["attempts"], f"{pointer}/attempts", 0, 10),
            backoff_ms=self._opt(block, "backoff", pointer, self.duration),
        )

    def rate_limit(self, value: JSONValue, pointer: str) -> RateLimit:
        block = self.mapping(value, pointer, ("requests", "per", "key", "burst", "header"))
        if "requests" not in block:
            raise self.error("rate-limit needs 'requests'", pointer)
        per = block.get("per", "second")
        if per not in RATE_PERIODS:
            raise self.error("per must be one of: " + ", ".join(RATE_PERIODS), f"{pointer}/per")
        key = block.get("key", "ip")
        if key not in RATE_KEYS:
            raise self.error("key must be one of: " + ", ".join(RATE_KEYS), f"{pointer}/key")
        return RateLimit(
            requests=self.integer(block["requests"], f"{pointer}/requests", 1, 10**6),
            period=RATE_PERIODS[str(per)],
            key=str(key),
            burst=self.integer(block.get("burst", 0), f"{pointer}/burst", 0, 10**6),
            header=self.string(
                block.get("header", "X-API-Key"), f"{pointer}/header", _HEADER, "a header name"
            ),
        )

    def circuit_breaker(self, value: JSONValue, pointer: str) -> CircuitBreaker:
        block = self.mapping(
            value, pointer, ("max-connections", "max-pending-requests", "consecutive-errors", "ejection-time")
        )
        return CircuitBreaker(
            max_connections=self._opt(block, "max-connections", pointer, self.integer),
            max_pending=self._opt(block, "max-pending-requests", pointer, self.integer),
            consecutive_errors=self._opt(block, "consecutive-errors", pointer, self.integer),
            ejection_ms=self._opt(block, "ejection-time", pointer, self.duration),
        )

    def cors(self, value: JSONValue, pointer: str) -> Cors:
        block = self.mapping(value, pointer, ("origins", "methods", "headers", "max-age", "credentials"))
        if "origins" not in block:
            raise self.error("cors needs 'origins'", pointer)
        return Cors(
            origins=self.strings(
                block["origins"], f"{pointer}/origins", _ORIGIN, "origins (scheme://host[:port] or *)"
            ),
            methods=tuple(
                m.upper()
                for m in self.strings(block.get("methods", []), f"{pointer}/methods", _METHOD, "HTTP methods")
            ),
            headers=self.strings(block.get("headers", []), f"{pointer}/headers", _HEADER, "header names"),
            max_age=self._opt(block, "max-age", pointer, self.integer),
            credentials=self.boolean(block.get("credentials", False), f"{pointer}/credentials"),
        )

    def cache(self, value: JSONValue, pointer: str) -> int:
        if isinstance(value, dict):
            block = self.mapping(value, pointer, ("ttl",))
            if "ttl" not in block:
                raise self.error("cache needs 'ttl'", pointer)
            value = block["ttl"]
        return max(1, self.duration(value, pointer) // 1000)

    def health_check(self, value: JSONValue, pointer: str) -> HealthCheck:
        block = self.mapping(value, pointer, ("path", "interval", "timeout", "healthy", "unhealthy"))
        if "path" not in block:
            raise self.error("health-check needs 'path'", pointer)
        return HealthCheck(
            path=self.string(
                block["path"],
                f"{pointer}/path",
                _HEALTH_PATH,
                "an absolute path of letters, digits and / . _ -",
            ),
            interval_ms=self._opt(block, "interval", pointer, self.duration) or 5000,
            timeout_ms=self._opt(block, "timeout", pointer, self.duration) or 1000,
            healthy=self.integer(block.get("healthy", 2), f"{pointer}/healthy", 1, 100),
            unhealthy=self.integer(block.get("unhealthy", 2), f"{pointer}/unhealthy", 1, 100),
        )


_METHOD = re.compile(r"^[A-Za-z]{1,10}\Z")
_HEALTH_PATH = re.compile(r"^/[A-Za-z0-9_./-]{0,200}\Z")
_PRINTABLE = re.compile(r"^[\x20-\x7e]{1,200}\Z")
_NAME = re.compile(r"^[a-z][a-z0-9-]{0,62}\Z")


def parse_settings(raw: Mapping[str, JSONValue]) -> GatewaySettings:
    """The validated ``gateway:`` section (an empty mapping gives the defaults)."""
    reader = _Reader("gateway settings")
    top = reader.mapping(dict(raw), "/gateway", TOP_KEYS)
    listen = (
        reader.address(top["listen"], "/gateway/listen") if "listen" in top else Upstream("127.0.0.1", 8080)
    )
    tls = None
    if top.get("tls") is not None:
        block = reader.mapping(top["tls"], "/gateway/tls", ("certificate", "key", "redirect-from"))
        for key in ("certificate", "key"):
            if key not in block:
                raise reader.error(f"tls needs '{key}'", "/gateway/tls")
        what = "a file path of letters, digits and / . _ -"
        tls = Tls(
            certificate=reader.string(block["certificate"], "/gateway/tls/certificate", _FILE_PATH, what),
            key=reader.string(block["key"], "/gateway/tls/key", _FILE_PATH, what),
            redirect_from=reader._opt(
                block, "redirect-from", "/gateway/tls", lambda v, p: reader.integer(v, p, 1, 65535)
            ),
        )
    defaults = reader.policy(top.get("defaults") or {}, "/gateway/defaults")
    services: list[ServiceSettings] = []
    raw_services = top.get("services") or {}
    section = reader.mapping(
        raw_services, "/gateway/services", tuple(raw_services) if isinstance(raw_services, dict) else ()
    )
    for name, value in section.items():
        where = f"/gateway/services/{_escape(name)}"
        if not _NAME.match(name):
            raise reader.error(f"service name {_shown(name)} must be lower-case letters, digits and -", where)
        block = reader.mapping(value if value is not None else {}, where, SERVICE_KEYS)
        if not block.get("upstreams"):
            raise reader.error(
                f"service {name!r} has no upstreams",
                where,
                "list its replicas as HOST:PORT under 'upstreams'",
            )
        upstreams = block["upstreams"]
        if not isinstance(upstreams, list):
            raise reader.error("upstreams must be a list of HOST:PORT", f"{where}/upstreams")
        lb = block.get("load-balancing", "round-robin")
        if lb not in LB_POLICIES:
            raise reader.error(
                "load-balancing must be one of: " + ", ".join(LB_POLICIES), f"{where}/load-balancing"
            )
        assert isinstance(lb, str)
        contract = block.get("contract", f"{name}-api")
        if not isinstance(contract, str) or not contract:
            raise reader.error("contract must be a subject or a contract path", f"{where}/contract")
        operations: dict[str, Policy] = {}
        raw_ops = block.get("operations") or {}
        ops = reader.mapping(
            raw_ops, f"{where}/operations", tuple(raw_ops) if isinstance(raw_ops, dict) else ()
        )
        for op_id, op_block in ops.items():
            operations[op_id] = reader.policy(op_block or {}, f"{where}/operations/{_escape(op_id)}")
        services.append(
            ServiceSettings(
                name=name,
                contract=contract,
                upstreams=tuple(reader.address(u, f"{where}/upstreams/{i}") for i, u in enumerate(upstreams)),
                dns=reader.boolean(block.get("dns", False), f"{where}/dns"),
                load_balancing=lb,
                health_check=reader._opt(block, "health-check", where, reader.health_check),
                policy=reader.policy({k: v for k, v in block.items() if k in POLICY_KEYS}, where),
                operations=operations,
                pointer=where,
            )
        )
    gateway_name = "apigov"
    if top.get("kubernetes") is not None:
        block = reader.mapping(top["kubernetes"], "/gateway/kubernetes", ("gateway",))
        if "gateway" in block:
            gateway_name = reader.string(
                block["gateway"], "/gateway/kubernetes/gateway", _NAME, "a Gateway name"
            )
    jwt: dict[str, Jwt] = {}
    raw_jwt = top.get("jwt") or {}
    schemes = reader.mapping(raw_jwt, "/gateway/jwt", tuple(raw_jwt) if isinstance(raw_jwt, dict) else ())
    for scheme, value in schemes.items():
        where = f"/gateway/jwt/{_escape(scheme)}"
        block = reader.mapping(value, where, ("issuer", "jwks-file", "audiences"))
        for key in ("issuer", "jwks-file"):
            if key not in block:
                raise reader.error(f"jwt settings of {scheme!r} need '{key}'", where)
        jwt[scheme] = Jwt(
            scheme=scheme,
            issuer=reader.string(block["issuer"], f"{where}/issuer", _PRINTABLE, "printable text"),
            jwks_file=reader.string(
                block["jwks-file"],
                f"{where}/jwks-file",
                _FILE_PATH,
                "a file path of letters, digits and / . _ -",
            ),
            audiences=reader.strings(
                block.get("audiences", []), f"{where}/audiences", _PRINTABLE, "printable text"
            ),
        )
    return GatewaySettings(
        listen=listen,
        tls=tls,
        defaults=defaults,
        services=tuple(services),
        kubernetes_gateway=gateway_name,
        jwt=jwt,
    )


def extension_policy(node: Mapping[str, JSONValue], pointer: str) -> Policy:
    """The policy block written as ``x-apigov-<key>`` extensions on one spec object."""
    reader = _Reader("x-apigov extension")
    block: dict[str, JSONValue] = {}
    for key, value in node.items():
        if not key.startswith("x-apigov-"):
            continue
        name = key.removeprefix("x-apigov-")
        if name not in POLICY_KEYS:
            raise reader.error(
                f"unknown extension {_shown(key)}",
                f"{pointer}/{_escape(key)}",
                "expected x-apigov- followed by one of: " + ", ".join(POLICY_KEYS),
            )
        block[name] = value
    return reader.policy(block, pointer) if block else Policy()


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _shown(key: str) -> str:
    return repr(key[:60] + ("..." if len(key) > 60 else ""))
