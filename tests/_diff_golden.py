"""Reviewable goldens of ``apigov diff --format json``: per compared pair, the counts per rule id
and level and a digest of the full ordered list of (id, level, operation, file, pointer, line).

A redesign of the diff must leave these unchanged unless a bug fix explains the difference;
``pytest --update-goldens`` rewrites them (review the diff: the counts show what moved).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from apigov.cli.main import run

GOLDEN_DIR = Path(__file__).resolve().parent / "data" / "golden" / "diff-summary"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "shop"

#: (name, arguments after ``apigov diff``), run in examples/shop (its apigov.yaml applies)
EXAMPLE_PAIRS: tuple[tuple[str, tuple[str, ...]], ...] = (
    *(
        (f"{service}-v1-v2", (f"{service}/v1/openapi.yaml", f"{service}/v2/openapi.yaml"))
        for service in ("orders", "payments", "inventory", "shipping", "notifications")
    ),
    ("orders-v1-v2-full", ("orders/v1/openapi.yaml", "orders/v2/openapi.yaml", "--mode", "full")),
    ("orders-v2-v1", ("orders/v2/openapi.yaml", "orders/v1/openapi.yaml")),
    ("events-v1-v2", ("events/v1/asyncapi.yaml", "events/v2/asyncapi.yaml")),
    ("events-v2-v1", ("events/v2/asyncapi.yaml", "events/v1/asyncapi.yaml")),
    *(
        (f"{name}-v1-v2", (f"events/v1/schemas/{name}.json", f"events/v2/schemas/{name}.json"))
        for name in ("order-created", "order-cancelled", "payment-processed", "payment-failed")
    ),
    ("order-created-v2-v3", ("events/v2/schemas/order-created.json", "events/v3/schemas/order-created.json")),
    *(
        (f"{name}-v1-v2{suffix}", (f"events/v1/avro/{name}.avsc", f"events/v2/avro/{name}.avsc", *mode))
        for name in ("inventory-reserved", "inventory-released", "shipment-created", "shipment-delivered")
        for suffix, mode in (("", ()), ("-full", ("--mode", "full")))
    ),
)


@contextlib.contextmanager
def _cwd(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def diff_json(args: Sequence[str], cwd: Path, out: Path) -> dict[str, Any]:
    """``apigov diff ARGS --format json`` in this process (the CLI's own code path)."""
    with _cwd(cwd):
        code = run(["diff", *args, "--format", "json", "--fail-on", "none", "--output", str(out)])
    assert code == 0, (args, code)
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def summarise(report: dict[str, Any]) -> dict[str, Any]:
    changes = report["changes"]
    rows = [
        [c["id"], c["level"], c.get("operation"), c.get("file"), c.get("location"), c.get("line")]
        for c in changes
    ]
    counts = Counter(f"{c['level']} {c['id']}" for c in changes)
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()[:16]
    return {
        "total": len(changes),
        "summary": report["summary"],
        "counts": dict(sorted(counts.items())),
        "digest": digest,
    }


def check_golden(name: str, summaries: dict[str, Any]) -> None:
    path = GOLDEN_DIR / f"{name}.json"
    text = json.dumps(summaries, indent=1, sort_keys=True) + "\n"
    if os.environ.get("APIGOV_UPDATE_GOLDENS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    expected = json.loads(path.read_text(encoding="utf-8"))
    for key in sorted(set(expected) | set(summaries)):
        assert summaries.get(key) == expected.get(key), (key, summaries.get(key), expected.get(key))
