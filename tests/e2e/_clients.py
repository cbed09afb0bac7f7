"""Helpers of the generated-client tests: generating the shop's clients, example calls per operation."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generators.base import GenerateRequest, write_output
from generators.client.model import build_api
from generators.contracts import load_contracts

REPO = Path(__file__).resolve().parents[2]
SHOP = REPO / "examples" / "shop"
SERVICES = ("orders", "payments", "inventory", "shipping", "notifications")
NODE_DIR = Path(__file__).resolve().parent / "clients-node"
TOKEN = "shop-token"


def require(component: str, found: bool) -> None:
    """Skip when a system component is missing; under CI=true, fail."""
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{component} is required under CI=true", pytrace=False)
        pytest.skip(f"{component} is not installed")


def tsc() -> Path:
    path = NODE_DIR / "node_modules" / ".bin" / "tsc"
    require("node", shutil.which("node") is not None)
    require(f"TypeScript 5 ({path}; run .ci/setup/clients.sh)", path.is_file())
    return path


def spec(service: str, version: int = 2) -> Path:
    return SHOP / service / f"v{version}" / "openapi.yaml"


def generate(
    lang: str, contract: Path | str, out: Path, package: str, options: dict[str, str] | None = None
) -> Any:
    from generators.base import get

    contracts = load_contracts([str(contract)], backend=lambda: None)  # type: ignore[arg-type,return-value]
    output = get(lang, "client").generate(
        GenerateRequest(contracts, {"package-name": package, **(options or {})})
    )
    write_output(output, out)
    return output


def run(cmd: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)


def mypy_strict(folder: Path, *packages: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull]
    for p in packages:
        args += ["-p", p]
    return run(args, folder)


def ruff(folder: Path) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], folder)


# -- example calls ---------------------------------------------------------------------------------


@dataclass
class ExampleCall:
    """One operation called with the contract's own examples."""

    key: str  # Python method name
    ts_name: str
    method: str
    path: str
    path_args: list[tuple[str, str, Any]]  # (python ident, ts ident, value)
    other_args: list[tuple[str, str, str, Any]]  # (python ident, ts ident, location, value)
    body: Any  # JSON example, or None
    body_decoder: str | None  # models attribute to build the Python body from JSON
    deprecated: bool
    path_wire: dict[str, Any]  # path parameter values by their names in the contract


def _resolve(doc: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target: Any = doc
        for token in node["$ref"][2:].split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _example(doc: dict[str, Any], holder: dict[str, Any]) -> Any:
    if "example" in holder:
        return holder["example"]
    examples = holder.get("examples")
    if isinstance(examples, dict) and examples:
        first = _resolve(doc, next(iter(examples.values())))
        return first.get("value")
    schema = _resolve(doc, holder.get("schema", {}))
    if isinstance(schema, dict) and "example" in schema:
        return schema["example"]
    return None


def example_calls(service: str, version: int = 2) -> Iterator[ExampleCall]:
    contract = load_contracts([str(spec(service, version))], backend=lambda: None)[0]  # type: ignore[arg-type,return-value]
    doc: dict[str, Any] = dict(contract.document)
    api = build_api(contract)
    for op in api.operations:
        raw = doc["paths"][op.path][op.method]
        item = doc["paths"][op.path]
        examples: dict[tuple[str, str], Any] = {}
        for p in [*item.get("parameters", []), *raw.get("parameters", [])]:
            p = _resolve(doc, p)
            examples[(p["in"], p["name"])] = _example(doc, p)
        path_args = [
            (p.ident, p.ts_ident, examples.get(("path", p.wire))) for p in op.params if p.location == "path"
        ]
        other: list[tuple[str, str, str, Any]] = []
        for p in op.params:
            if p.location == "path" or (not p.required and p.wire.lower() != "idempotency-key"):
                continue
            value = examples.get((p.location, p.wire))
            if p.wire.lower() == "idempotency-key":
                value = f"key-{service}-{op.key}-0001"
            other.append((p.ident, p.ts_ident, p.location, value))
        body = None
        decoder = None
        if op.body is not None:
            media = _resolve(doc, raw["requestBody"])["content"][op.body.media]
            body = _example(doc, media)
            from generators.client.model import TRef

            if isinstance(op.body.type, TRef):
                from generators.client.model import ModelDef

                name = op.body.type.name
                decoder = f"{name}._decode" if isinstance(api.types[name], ModelDef) else f"_dec_{name}"
        wire = {p.wire: examples.get(("path", p.wire)) for p in op.params if p.location == "path"}
        yield ExampleCall(
            op.key, op.ts_name, op.method, op.path, path_args, other, body, decoder, op.deprecated, wire
        )
