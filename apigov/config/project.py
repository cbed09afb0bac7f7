"""Reading and validating ``apigov.yaml``.

::

    version: 1                    # optional; the only configuration version
    contracts:                    # what `apigov check` checks when given no path
      - examples/shop/orders/openapi.yaml
      - path: examples/shop/payments/openapi.yaml
        subject: payments-api
      - "events/**/*.avsc"        # globs are allowed
      - path: "events/*.json"
        subject: order-events
        kind: jsonschema          # read as this kind: jsonschema | avro | openapi | asyncapi
        default-draft: draft-04   # these files' (and this subject's) JSON Schemas without $schema
    kind: jsonschema              # every contract file's kind, where no contract entry names one
    jsonschema:
      default-draft: draft-07     # the draft of a JSON Schema without $schema: draft-04 | draft-06 |
                                  # draft-07 (the default, as Confluent Schema Registry) | 2019-09 | 2020-12
    lint:
      fail-on: error              # error | warning | info | none
      rules:                      # per rule: off | error | warning | info
        operation-tags-missing: off
        info-contact-missing: warning
      overrides:                  # later entries win
        - files: ["legacy/**"]    # globs on file paths, relative to apigov.yaml
          rules: {server-url-not-https: off}
        - paths: ["/internal/**"] # globs on API paths and channel addresses
          rules: {operation-security-missing: off}
    diff:
      fail-on: breaking           # breaking | warning | info | none
      consumers: always           # always | used: with --consumers, fail only on breaking
                                  # changes a registered consumer's pact uses
      rules:                      # per diff rule id: off | breaking | warning | info
        response-property-enum-value-added: breaking
      overrides:                  # later entries win
        - paths: ["/internal/**"] # globs on the API path a change is on
          rules: {request-parameter-removed: info}
        - files: ["beta/**"]      # globs on either compared file, relative to apigov.yaml
          rules: {api-removed-without-deprecation: warning}
    refs:
      allow-remote: false
      allow-outside: false
    registry: contracts           # the registry: a directory (relative to apigov.yaml) or a URL
    gateway: {...}                # read by the generators (see generators/gateway/settings.py)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Final

from apigov.core._types import JSONValue
from apigov.core.errors import ConfigError, DocumentError
from apigov.documents.document import Document
from apigov.documents.drafts import DEFAULT_DRAFT, ORDER, parse_draft
from apigov.documents.kinds import FAMILIES, KindHint
from apigov.documents.load import load_file

CONFIG_NAMES: Final = ("apigov.yaml", "apigov.yml", ".apigov.yaml")
RULE_SETTINGS: Final = ("off", "error", "warning", "info")
FAIL_ON_VALUES: Final = ("error", "warning", "info", "none")
DIFF_RULE_SETTINGS: Final = ("off", "breaking", "warning", "info")
DIFF_FAIL_ON_VALUES: Final = ("breaking", "warning", "info", "none")
UNDECIDED_LEVELS: Final = ("warning", "breaking")
DIFF_TIERS: Final = ("wire", "sdk")
"""Compatibility tiers of ``apigov diff`` (``diff.tier``, ``--tier``)."""
"""Levels a change apigov cannot decide may be reported at (``diff.undecided``, ``--undecided``)."""
GENERATOR_SECTIONS: Final = ("gateway",)
"""Top-level sections kept as parsed data for the generators, which validate them themselves."""


@dataclass(frozen=True, slots=True)
class ContractEntry:
    path: str
    subject: str | None = None
    kind: str | None = None
    """The kind family its files (and its subject's versions) are read as."""
    default_draft: str | None = None
    """The draft of its JSON Schemas without ``$schema`` (:mod:`apigov.documents.drafts`)."""


@dataclass(frozen=True, slots=True)
class Override:
    files: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    rules: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class Config:
    """A validated ``apigov.yaml`` (or the defaults when there is none)."""

    root: Path
    source: str | None = None
    contracts: tuple[ContractEntry, ...] = ()
    fail_on: str = "error"
    rules: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    overrides: tuple[Override, ...] = ()
    allow_remote_refs: bool = False
    allow_ref_outside: bool = False
    rule_lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    diff_fail_on: str = "breaking"
    diff_rules: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """``diff.rules``: a level or ``off`` per diff rule id."""
    diff_ignore: Path | None = None
    diff_strict_open_model: bool = False
    diff_undecided: str | None = None
    """``diff.undecided``: the level of a change apigov cannot decide (``warning`` or
    ``breaking``; ``None``: the command's default, ``warning`` for ``apigov diff``)."""
    diff_tier: str | None = None
    """``diff.tier``: ``wire`` or ``sdk`` (``None``: not set; ``apigov diff`` uses ``wire``)."""
    registry: str | None = None
    """``registry``: where the contract registry is (a directory, relative to ``root``, or a URL)."""
    pacticipant: str | None = None
    """``pacticipant``: this project's service name(s) in the registry's pacts (what
    ``apigov ci github --can-i-deploy`` asks about when ``--pacticipant`` is not given)."""
    diff_overrides: tuple[Override, ...] = ()
    diff_consumers: str = "always"
    """``diff.consumers``: ``always`` (every breaking change fails) or ``used`` (with ``--consumers``,
    only breaking changes a registered consumer uses fail; the others are shown as warnings)."""
    """``diff.overrides``: diff rule settings for some files or API paths (later entries win)."""
    fuzz_auth: str | None = None
    """``fuzz.auth``: how ``apigov fuzz`` authenticates (the ``--auth`` syntax; ``env:NAME`` parts are
    read from the environment, so no secret needs to be written here)."""
    fuzz_checks: str | None = None
    """``fuzz.checks``: the ``--checks`` of ``apigov fuzz`` when the option is not given."""
    kind: str | None = None
    """``kind``: the kind family of every contract file no contract entry names a kind for."""
    default_draft: str = DEFAULT_DRAFT
    """``jsonschema.default-draft``: the draft of a JSON Schema without ``$schema``."""
    sections: Mapping[str, JSONValue] = field(default_factory=lambda: MappingProxyType({}))
    """Generator sections (:data:`GENERATOR_SECTIONS`) as parsed data, validated by their generator."""
    document: Document | None = field(default=None, compare=False, repr=False)

    def line(self, pointer: str) -> int | None:
        """The line of a JSON pointer in apigov.yaml (for errors found in a generator section)."""
        return self.document.line(pointer) if self.document is not None else None

    def rule_setting(self, rule_id: str, *, file: Path | None, api_path: str | None) -> str | None:
        """The configured setting of a rule for one place (``None``: use the rule's default)."""
        setting = self.rules.get(rule_id)
        relative = _relative(file, self.root) if file is not None else None
        for override in self.overrides:
            if rule_id not in override.rules:
                continue
            if override.files and (relative is None or not _matches_any(relative, override.files)):
                continue
            if override.paths and (api_path is None or not _matches_any(api_path, override.paths)):
                continue
            setting = override.rules[rule_id]
        return setting

    def diff_rule_setting(self, rule_id: str, *, files: tuple[str, ...], api_path: str | None) -> str | None:
        """The configured setting of a diff rule for a change (``None``: the rule's default).
        ``files`` are the compared documents relative to the root (an override naming files
        applies when either matches); ``api_path`` is the path template the change is on."""
        setting = self.diff_rules.get(rule_id)
        for override in self.diff_overrides:
            if rule_id not in override.rules:
                continue
            if override.files and not any(_matches_any(f, override.files) for f in files):
                continue
            if override.paths and (api_path is None or not _matches_any(api_path, override.paths)):
                continue
            setting = override.rules[rule_id]
        return setting

    def kind_hint(
        self,
        file: Path | str | None = None,
        *,
        subject: str | None = None,
        family: str | None = None,
        fallback: str | None = None,
    ) -> KindHint:
        """How to read a contract: ``family`` (``--kind``) first, else the kind of the contract
        entry matching ``subject`` or ``file`` (a path, or a name relative to the root), else
        ``kind``; ``fallback`` when its content names no kind (see
        :class:`~apigov.documents.kinds.KindHint`); the entry's ``default-draft``, else
        ``jsonschema.default-draft``."""
        kind, draft = self.kind, self.default_draft
        relative = self.relative(file) if isinstance(file, Path) else file
        for entry in self.contracts:
            by_subject = subject is not None and entry.subject == subject
            by_file = relative is not None and _matches_any(relative, (entry.path,))
            if by_subject or by_file:
                kind = entry.kind or kind
                draft = entry.default_draft or draft
                break
        return KindHint(family=family or kind, fallback=fallback, default_draft=draft)

    def relative(self, file: Path) -> str:
        """``file`` relative to the configuration's root, as ``files`` globs see it."""
        return _relative(file, self.root)


def _relative(file: Path, root: Path) -> str:
    try:
        return file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file.as_posix()


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """``**`` crosses ``/``, ``*`` does not, ``?`` is one character."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            if pattern.startswith("/", i):
                out.append("/?")
                i += 1
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def _matches_any(text: str, patterns: tuple[str, ...]) -> bool:
    return any(_glob_regex(p).match(text) for p in patterns)


def find_config(start: Path) -> Path | None:
    """The nearest ``apigov.yaml`` in ``start`` or its parents (stopping at a git root)."""
    current = start.resolve()
    while True:
        for name in CONFIG_NAMES:
            candidate = current / name
            if candidate.is_file():
                return candidate
        if (current / ".git").exists() or current.parent == current:
            return None
        current = current.parent


def load_config(path: Path | None, *, cwd: Path | None = None) -> Config:
    """Load and validate ``path``; with ``None``, the defaults rooted at ``cwd``."""
    if path is None:
        return Config(root=(cwd or Path.cwd()).resolve())
    shown = str(path)
    try:
        if not path.read_bytes().strip():
            return Config(root=path.resolve().parent, source=shown)  # an empty apigov.yaml: defaults
        document = load_file(path, source=shown)
    except OSError as exc:
        raise ConfigError(f"cannot read the configuration: {exc.strerror or exc}", source=shown) from exc
    except DocumentError as exc:
        raise ConfigError(exc.message, source=exc.source, line=exc.line, hint=exc.hint) from exc
    data = document.data
    if data is None:
        data = {}
    parser = _Parser(shown, document)
    return parser.parse(data, path.resolve().parent)


class _Parser:
    def __init__(self, source: str, document: Document) -> None:
        self.source = source
        self.document = document
        self.rule_lines: dict[str, int] = {}

    def error(self, message: str, pointer: str, hint: str | None = None) -> ConfigError:
        return ConfigError(
            message, source=self.source, line=self.document.line(pointer), pointer=pointer, hint=hint
        )

    def section(
        self, parent: dict[str, JSONValue], key: str, pointer: str, allowed: tuple[str, ...]
    ) -> dict[str, JSONValue]:
        """A nested mapping; absent or empty (``null``) means defaults, anything else must be a mapping."""
        value = parent.get(key)
        return {} if value is None else self.mapping(value, pointer, allowed)

    def mapping(self, value: JSONValue, pointer: str, allowed: tuple[str, ...]) -> dict[str, JSONValue]:
        if not isinstance(value, dict):
            raise self.error(f"{pointer or 'the file'} must be a mapping", pointer)
        for key in value:
            if key not in allowed:
                raise self.error(
                    f"unknown key {key!r} in {pointer or 'apigov.yaml'}",
                    f"{pointer}/{key}",
                    hint="expected one of: " + ", ".join(allowed),
                )
        return value

    def strings(self, value: JSONValue, pointer: str) -> tuple[str, ...]:
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(f"{pointer} must be a string or a list of strings", pointer)
        return tuple(v for v in value if isinstance(v, str))

    def rules(
        self, value: JSONValue, pointer: str, settings: tuple[str, ...] = RULE_SETTINGS
    ) -> Mapping[str, str]:
        mapping = self.mapping(value, pointer, tuple(value) if isinstance(value, dict) else ())
        result: dict[str, str] = {}
        for rule_id, setting in mapping.items():
            where = f"{pointer}/{rule_id}"
            if not isinstance(setting, str) or setting not in settings:
                raise self.error(
                    f"rule {rule_id!r}: setting must be one of {', '.join(settings)}, not {setting!r}",
                    where,
                )
            result[rule_id] = setting
            line = self.document.line(where)
            if line is not None:
                self.rule_lines.setdefault(rule_id, line)
        return MappingProxyType(result)

    def kind(self, value: JSONValue, pointer: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or value not in FAMILIES:
            raise self.error(f"{pointer[1:].replace('/', '.')} must be one of {', '.join(FAMILIES)}", pointer)
        return value

    def draft(self, value: JSONValue, pointer: str) -> str | None:
        if value is None:
            return None
        found = parse_draft(value) if isinstance(value, str) else None
        if found is None:
            raise self.error(f"{pointer[1:].replace('/', '.')} must be one of {', '.join(ORDER)}", pointer)
        return found

    def overrides(self, raw: JSONValue, pointer: str, settings: tuple[str, ...]) -> tuple[Override, ...]:
        """``overrides``: a list of ``{files, paths, rules}``, ``rules`` required."""
        if raw is None:
            return ()
        if not isinstance(raw, list):
            raise self.error("overrides must be a list", pointer)
        found: list[Override] = []
        for index, item in enumerate(raw):
            where = f"{pointer}/{index}"
            entry = self.mapping(item, where, ("files", "paths", "rules"))
            if "rules" not in entry:
                raise self.error("an override needs 'rules'", where)
            found.append(
                Override(
                    files=self.strings(entry.get("files", []), where + "/files"),
                    paths=self.strings(entry.get("paths", []), where + "/paths"),
                    rules=self.rules(entry["rules"], where + "/rules", settings),
                )
            )
        return tuple(found)

    def parse(self, data: JSONValue, root: Path) -> Config:
        top = self.mapping(
            data,
            "",
            (
                "contracts",
                "diff",
                "fuzz",
                "jsonschema",
                "kind",
                "lint",
                "pacticipant",
                "refs",
                "registry",
                "version",
                *GENERATOR_SECTIONS,
            ),
        )
        contracts: list[ContractEntry] = []
        raw_contracts = top.get("contracts", [])
        if not isinstance(raw_contracts, list):
            raise self.error("contracts must be a list", "/contracts")
        for index, item in enumerate(raw_contracts):
            where = f"/contracts/{index}"
            if isinstance(item, str):
                contracts.append(ContractEntry(path=item))
                continue
            entry = self.mapping(item, where, ("path", "subject", "kind", "default-draft"))
            path = entry.get("path")
            subject = entry.get("subject")
            if not isinstance(path, str):
                raise self.error("each contract needs a 'path'", where)
            if subject is not None and not isinstance(subject, str):
                raise self.error("'subject' must be a string", where + "/subject")
            contracts.append(
                ContractEntry(
                    path=path,
                    subject=subject,
                    kind=self.kind(entry.get("kind"), where + "/kind"),
                    default_draft=self.draft(entry.get("default-draft"), where + "/default-draft"),
                )
            )
        if top.get("version", 1) != 1:
            raise self.error("version must be 1, the only configuration version there is", "/version")
        lint = self.section(top, "lint", "/lint", ("fail-on", "rules", "overrides"))
        fail_on = lint.get("fail-on", "error")
        if fail_on not in FAIL_ON_VALUES:
            raise self.error(
                f"fail-on must be one of {', '.join(FAIL_ON_VALUES)}, not {fail_on!r}", "/lint/fail-on"
            )
        assert isinstance(fail_on, str)
        rules = self.rules(lint.get("rules") if lint.get("rules") is not None else {}, "/lint/rules")
        overrides = self.overrides(lint.get("overrides"), "/lint/overrides", RULE_SETTINGS)
        diff = self.section(
            top,
            "diff",
            "/diff",
            (
                "fail-on",
                "rules",
                "ignore",
                "strict-open-model",
                "overrides",
                "undecided",
                "consumers",
                "tier",
            ),
        )
        consumers = diff.get("consumers", "always")
        if consumers not in ("always", "used"):
            raise self.error("diff.consumers must be always or used", "/diff/consumers")
        diff_fail_on = diff.get("fail-on", "breaking")
        if diff_fail_on not in DIFF_FAIL_ON_VALUES:
            raise self.error(
                f"fail-on must be one of {', '.join(DIFF_FAIL_ON_VALUES)}, not {diff_fail_on!r}",
                "/diff/fail-on",
            )
        assert isinstance(diff_fail_on, str)
        diff_rules = self.rules(
            diff.get("rules") if diff.get("rules") is not None else {}, "/diff/rules", DIFF_RULE_SETTINGS
        )
        ignore = diff.get("ignore")
        if ignore is not None and not isinstance(ignore, str):
            raise self.error("diff.ignore must be the path of an ignore file", "/diff/ignore")
        strict = diff.get("strict-open-model", False)
        if not isinstance(strict, bool):
            raise self.error("diff.strict-open-model must be true or false", "/diff/strict-open-model")
        undecided = diff.get("undecided")
        if undecided is not None and undecided not in UNDECIDED_LEVELS:
            raise self.error(
                f"diff.undecided must be one of {', '.join(UNDECIDED_LEVELS)}, not {undecided!r}",
                "/diff/undecided",
            )
        tier = diff.get("tier")
        if tier is not None and tier not in DIFF_TIERS:
            raise self.error(f"diff.tier must be one of {', '.join(DIFF_TIERS)}, not {tier!r}", "/diff/tier")
        refs = self.section(top, "refs", "/refs", ("allow-remote", "allow-outside"))
        for key in ("allow-remote", "allow-outside"):
            if key in refs and not isinstance(refs[key], bool):
                raise self.error(f"refs.{key} must be true or false", f"/refs/{key}")
        fuzz = self.section(top, "fuzz", "/fuzz", ("auth", "checks"))
        for key in ("auth", "checks"):
            if key in fuzz and not isinstance(fuzz[key], str):
                raise self.error(f"fuzz.{key} must be a string", f"/fuzz/{key}")
        registry = top.get("registry")
        if registry is not None and (not isinstance(registry, str) or not registry.strip()):
            raise self.error("registry must be a directory path or a URL", "/registry")
        pacticipant = top.get("pacticipant")
        if pacticipant is not None and (not isinstance(pacticipant, str) or not pacticipant.split()):
            raise self.error(
                "pacticipant must be a service name (or several, space-separated)", "/pacticipant"
            )
        jsonschema = self.section(top, "jsonschema", "/jsonschema", ("default-draft",))
        default_draft = self.draft(jsonschema.get("default-draft"), "/jsonschema/default-draft")
        return Config(
            root=root,
            source=self.source,
            kind=self.kind(top.get("kind"), "/kind"),
            default_draft=default_draft or DEFAULT_DRAFT,
            registry=registry.strip() if isinstance(registry, str) else None,
            pacticipant=pacticipant.strip() if isinstance(pacticipant, str) else None,
            fuzz_auth=str(fuzz["auth"]) if "auth" in fuzz else None,
            fuzz_checks=str(fuzz["checks"]) if "checks" in fuzz else None,
            contracts=tuple(contracts),
            fail_on=fail_on,
            rules=rules,
            overrides=overrides,
            allow_remote_refs=bool(refs.get("allow-remote", False)),
            allow_ref_outside=bool(refs.get("allow-outside", False)),
            rule_lines=MappingProxyType(self.rule_lines),
            diff_fail_on=diff_fail_on,
            diff_rules=diff_rules,
            diff_ignore=(root / ignore) if ignore is not None else None,
            diff_strict_open_model=strict,
            diff_undecided=undecided if isinstance(undecided, str) else None,
            diff_tier=tier if isinstance(tier, str) else None,
            diff_overrides=self.overrides(diff.get("overrides"), "/diff/overrides", DIFF_RULE_SETTINGS),
            sections=MappingProxyType({k: top[k] for k in GENERATOR_SECTIONS if top.get(k) is not None}),
            document=self.document,
            diff_consumers=str(consumers),
        )
