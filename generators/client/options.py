"""Options shared by the client generators: the package's name and version, and provenance."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Final, Literal

from apigov.core import naming
from apigov.core.errors import InputError
from generators.base import Contract, GenerateRequest

_PY_PACKAGE: Final = re.compile(r"[a-z_][a-z0-9_]{0,63}")
_NPM_NAME: Final = re.compile(r"(@[a-z0-9][a-z0-9._-]{0,63}/)?[a-z0-9][a-z0-9._-]{0,127}")
_VERSION: Final = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+([-+.][0-9A-Za-z.+-]{1,64})?")
KNOWN_OPTIONS: Final = frozenset({"package-name", "package-version"})


@dataclass(frozen=True, slots=True)
class ClientOptions:
    contract: Contract
    package: str  # Python import package, or the npm package name
    dist_name: str  # Python distribution name (also the npm name)
    version: str


def client_options(request: GenerateRequest, lang: Literal["python", "typescript"]) -> ClientOptions:
    if len(request.contracts) != 1:
        raise InputError(
            f"a {lang} client is generated from exactly one contract, got {len(request.contracts)}"
        )
    contract = request.contracts[0]
    if not contract.kind.startswith(("openapi", "swagger")):
        raise InputError(
            f"{contract.name}: a client needs an OpenAPI or Swagger contract, not {contract.kind}"
        )
    unknown = sorted(set(request.options) - KNOWN_OPTIONS)
    if unknown:
        raise InputError(f"unknown client option {unknown[0]!r}", hint="known: package-name, package-version")
    title = _title(contract)
    name = request.options.get("package-name")
    version = request.options.get("package-version") or _default_version(contract)
    if not _VERSION.fullmatch(version):
        raise InputError(f"--package-version {version!r} is not a semantic version (e.g. 1.2.0)")
    if lang == "python":
        package = name if name is not None else (naming.snake(title) or "api") + "_client"
        if not _PY_PACKAGE.fullmatch(package) or package in naming.PY_KEYWORDS:
            raise InputError(
                f"--package-name {package!r} is not a Python package name",
                hint="use lower-case letters, digits and _",
            )
        return ClientOptions(contract, package, package.replace("_", "-"), version)
    package = name if name is not None else "-".join(naming.snake(title).split("_")) + "-client"
    if not _NPM_NAME.fullmatch(package):
        raise InputError(
            f"--package-name {package!r} is not an npm package name",
            hint="use lower-case letters, digits, - . _",
        )
    return ClientOptions(contract, package, package, version)


def _title(contract: Contract) -> str:
    info = contract.document.get("info")
    title = info.get("title") if isinstance(info, dict) else None
    if contract.subject:
        return contract.subject
    return title if isinstance(title, str) and naming.snake(title) else "api"


def _default_version(contract: Contract) -> str:
    if contract.version and _VERSION.fullmatch(contract.version):
        return contract.version
    info = contract.document.get("info")
    version = info.get("version") if isinstance(info, dict) else None
    if isinstance(version, str) and _VERSION.fullmatch(version):
        return version
    return "0.1.0"


def provenance(contract: Contract, opts: ClientOptions) -> dict[str, str]:
    """What the client was generated from: ``subject@version`` (or the file) and the digest."""
    source = (
        f"{contract.subject}@{contract.version}" if contract.subject and contract.version else contract.name
    )
    out = {"generated_from": naming.clean_text(source, 300).replace("\n", " ")}
    canonical = json.dumps(contract.document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    out["digest"] = contract.digest or "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()
    if contract.subject:
        out["subject"] = contract.subject
    if contract.version:
        out["version"] = contract.version
    return out


def md_text(text: str, limit: int = 300) -> str:
    """Spec text safe on one Markdown line: no markup, links, HTML or table breaks."""
    flat = " ".join(naming.clean_text(text, limit).split())
    return re.sub(r"([\\`*_{}\[\]()<>#+!|~])", r"\\\1", flat)
