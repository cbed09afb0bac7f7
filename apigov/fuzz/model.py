"""The values of a fuzz run: options, failures, per-operation outcomes and the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

CHECK_NAMES: Final[tuple[str, ...]] = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "ignored_auth",
    "use_after_free",
    "ensure_resource_availability",
    "negative_data_rejection",
    "positive_data_acceptance",
    "max_response_time",
)
"""Every Schemathesis 4 check ``--checks`` may name (``object_level_authorization`` needs
several identities and is left out)."""

DEFAULT_CHECKS: Final[tuple[str, ...]] = CHECK_NAMES[:11]
"""The default set: the largest set the correct shop services pass (measured with Schemathesis
4.32 on all ten of them, v1 and v2; examples/shop/services). Server errors, documented status
codes, content types, response headers and schemas, required request headers, unsupported
methods and their ``Allow`` header, ignored authentication and the stateful resource checks.

Left for ``--checks all``: ``negative_data_rejection`` and ``positive_data_acceptance`` (real
services built on FastAPI or Pydantic coerce ``"1"`` to ``true`` and answer an undocumented
``422``, so a correct service fails them) and ``max_response_time`` (needs a limit)."""

PHASES: Final[tuple[str, ...]] = ("examples", "coverage", "fuzzing", "stateful")


@dataclass(frozen=True, slots=True)
class Auth:
    """How requests authenticate: a bearer token, an API key header, or OAuth2 client credentials."""

    kind: str
    """``bearer``, ``apikey`` or ``oauth2``"""
    value: str = ""
    """the token, or the API key"""
    name: str = "Authorization"
    """the header an API key goes in"""
    client_id: str = ""
    client_secret: str = ""
    token_url: str = ""
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FuzzOptions:
    """What one run does (the CLI options of ``apigov fuzz``)."""

    base_url: str
    max_examples: int = 20
    max_time: float = 300.0
    seed: int | None = None
    workers: int = 1
    phases: tuple[str, ...] = PHASES
    checks: tuple[str, ...] = DEFAULT_CHECKS
    auth: Auth | None = None
    headers: tuple[tuple[str, str], ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    request_timeout: float = 5.0
    max_response_bytes: int = 10 * 1024 * 1024
    max_response_time: float | None = None
    allow_untested: bool = False


@dataclass(frozen=True, slots=True)
class Failure:
    """One failure that still fails when its final example is replayed."""

    operation: str
    """``METHOD /path``"""
    check: str
    code: str
    """Schemathesis' failure code (``ST103``)"""
    title: str
    message: str
    curl: str
    """one command reproducing it (several lines, one per request, for a stateful chain)"""
    fingerprint: str
    """short and stable: operation, check and failure code (what a baseline matches)"""
    example: str = ""
    """the minimised request (method, path, query, headers without credentials, body)"""
    status: int | None = None
    phase: str = ""
    replayed: bool = True
    """sent again (a stateful chain: every request of it, links re-applied) and failed again"""
    replay_note: str = ""
    """why it was not replayed (``replayed`` false): it still fails the run, marked as unconfirmed"""


@dataclass(frozen=True, slots=True)
class OperationOutcome:
    operation: str
    checks: dict[str, bool] = field(default_factory=dict)
    """check name -> passed (absent: not run on this operation)"""


@dataclass(frozen=True, slots=True)
class FuzzResult:
    contract: str
    base_url: str
    seed: int | None
    checks: tuple[str, ...]
    phases: tuple[str, ...]
    operations_total: int
    operations: tuple[OperationOutcome, ...]
    failures: tuple[Failure, ...]
    """new failures (not in the baseline): the run fails when there is one"""
    known: tuple[tuple[Failure, str], ...] = ()
    """failures matched by the baseline, with its reason"""
    not_reproduced: int = 0
    """failures whose final example passed on replay (dropped)"""
    cases: int = 0
    elapsed: float = 0.0
    stopped: str = "completed"
    """``completed`` or ``max-time``"""
    errors: tuple[str, ...] = ()
    """errors Schemathesis reported (one line each)"""
    untested: tuple[tuple[str, str], ...] = ()
    """``(operation, reason)`` of each selected operation no check ran on"""
    allow_untested: bool = False
    """``--allow-untested``: untested operations do not fail the run (they are still reported)"""

    @property
    def verdict(self) -> str:
        """``failed`` (a check failed), ``untested`` (no failure, but an operation could not be
        tested and ``--allow-untested`` was not given) or ``passed``."""
        if self.failures:
            return "failed"
        if self.untested and not self.allow_untested:
            return "untested"
        return "passed"

    @property
    def passed(self) -> bool:
        return self.verdict == "passed"
