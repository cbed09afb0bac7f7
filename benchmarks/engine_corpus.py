"""Schema-engine speed on whole real-world diffs: every SchemaPair of the DiffTree of each corpus
pair, compared in both directions (old ⊆ new and new ⊆ old), as `apigov diff` will.

Run: `python benchmarks/engine_corpus.py [--fresh] [--only NAME] [--profile FILE]`.

Per pair it prints the number of schema pairs, the total engine seconds, the slowest single
comparison, the verdict counts, the time orjson takes to load both files (YAML files: their JSON
text, so the baseline is the same data), and the ratio engine / load. Target (issue): the engine
work of a whole diff is at most one orjson load of both files (ratio <= 1.0), so that the whole
`apigov diff` stays within 2x the load.

``--fresh`` uses a fresh :func:`apigov.schema.compat.is_subset` per comparison (the old way)
instead of one :class:`apigov.schema.compat.Comparator` per document pair and direction.
Exit 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import orjson

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.diff.normalise import Schema, schema_view
from apigov.diff.openapi import diff_bundles
from apigov.diff.tree import DiffTree, Matches, MediaDiff, MediaSide, OperationDiff, OperationSide, SchemaPair
from apigov.documents.bundle import Bundled, bundle
from apigov.documents.kinds import Kind, detect_kind
from apigov.documents.refs import Workspace
from apigov.schema.compat import Comparator, Status, Verdict, is_subset
from apigov.schema.model import Resolver, local_resolver
from benchmarks._timing import CORPUS

TARGET_RATIO = 1.0


@dataclass(frozen=True, slots=True)
class Loaded:
    bundled: Bundled
    kind: Kind
    json_text: bytes


def load(path: Path) -> Loaded:
    workspace = Workspace.open(path)
    kind, _ = detect_kind(workspace.root.data, path)
    bundled = bundle(workspace, kind)
    text = path.read_bytes() if path.suffix == ".json" else orjson.dumps(workspace.root.data)
    return Loaded(bundled, kind, text)


def orjson_load_seconds(texts: tuple[bytes, bytes], runs: int = 5) -> float:
    """Median time of ``orjson.loads`` of both texts."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for text in texts:
            orjson.loads(text)
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2]


def schema_pairs(tree: DiffTree) -> Iterator[SchemaPair]:
    """Every SchemaPair of the tree: operations, webhooks and their callbacks."""
    for matches in (tree.operations, tree.webhooks):
        yield from _operations(matches)


def _operations(matches: Matches[OperationSide, OperationDiff]) -> Iterator[SchemaPair]:
    for op in matches.changed:
        for param in op.parameters.changed:
            if param.schema is not None:
                yield param.schema
        if op.request_body is not None:
            yield from _media(op.request_body.content)
        for response in op.responses.changed:
            yield from _media(response.content)
            for header in response.headers.changed:
                if header.schema is not None:
                    yield header.schema
        yield from _operations(op.callbacks)


def _media(matches: Matches[MediaSide, MediaDiff]) -> Iterator[SchemaPair]:
    for media in matches.changed:
        if media.schema is not None:
            yield media.schema


def schema_at(data: JSONValue, pointer: str, legacy: bool) -> JSONValue:
    return schema_view(jsonptr.resolve(data, pointer), Schema(pointer, legacy))


@dataclass(slots=True)
class Result:
    name: str
    pairs: int
    seconds: float
    slowest: tuple[float, str]
    counts: Counter[Status]
    load: float

    @property
    def ratio(self) -> float:
        return self.seconds / self.load if self.load else float("inf")


def run_pair(old_path: Path, new_path: Path, *, fresh: bool, max_pairs: int = 0) -> Result:
    old, new = load(old_path), load(new_path)
    tree = diff_bundles(old.bundled, old.kind, new.bundled, new.kind)
    old_data, new_data = old.bundled.document.data, new.bundled.document.data
    resolve_old, resolve_new = local_resolver(old_data), local_resolver(new_data)
    compare = _comparer(resolve_old, resolve_new, fresh=fresh)
    pairs = list(dict.fromkeys(schema_pairs(tree)))
    if max_pairs:
        pairs = pairs[:max_pairs]
    counts: Counter[Status] = Counter()
    slowest = (0.0, "")
    total = 0.0
    for pair in pairs:
        a = schema_at(old_data, pair.base, pair.base_legacy)
        b = schema_at(new_data, pair.revision, pair.revision_legacy)
        for forward in (True, False):
            started = time.perf_counter()
            verdict = compare(a, b, forward)
            elapsed = time.perf_counter() - started
            total += elapsed
            counts[verdict.status] += 1
            if elapsed > slowest[0]:
                arrow = "⊆" if forward else "⊇"
                slowest = (elapsed, f"{pair.base} {arrow} {pair.revision}: {verdict.status.value}")
    name = f"{old_path.relative_to(CORPUS)} -> {new_path.relative_to(CORPUS)}"
    return Result(
        name, len(pairs), total, slowest, counts, orjson_load_seconds((old.json_text, new.json_text))
    )


def _comparer(
    resolve_old: Resolver, resolve_new: Resolver, *, fresh: bool
) -> Callable[[JSONValue, JSONValue, bool], Verdict]:
    if fresh:

        def compare_fresh(a: JSONValue, b: JSONValue, forward: bool) -> Verdict:
            if forward:
                return is_subset(a, b, resolve_a=resolve_old, resolve_b=resolve_new)
            return is_subset(b, a, resolve_a=resolve_new, resolve_b=resolve_old)

        return compare_fresh
    old_in_new = Comparator(resolve_old, resolve_new)
    new_in_old = Comparator(resolve_new, resolve_old)

    def compare_session(a: JSONValue, b: JSONValue, forward: bool) -> Verdict:
        return old_in_new.is_subset(a, b) if forward else new_in_old.is_subset(b, a)

    return compare_session


def corpus_pairs() -> list[tuple[Path, Path]]:
    listing = CORPUS / "pairs.txt"
    if not listing.exists():
        raise SystemExit(f"no corpus at {CORPUS}")
    pairs = []
    for line in listing.read_text().splitlines():
        if line.strip():
            old, new = line.split()
            pairs.append((CORPUS / old, CORPUS / new))
    return pairs


def main(argv: list[str] | None = None) -> list[bool]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--fresh", action="store_true", help="a fresh is_subset per comparison")
    parser.add_argument("--only", default="", help="only the pairs whose files contain this text")
    parser.add_argument("--profile", default="", help="write cProfile stats of the engine to this file")
    parser.add_argument("--max-pairs", type=int, default=0, help="only the first N schema pairs of each")
    options = parser.parse_args(argv)
    profiler = None
    if options.profile:
        import cProfile

        profiler = cProfile.Profile()
    results: list[bool] = []
    for old, new in corpus_pairs():
        if options.only not in f"{old} {new}":
            continue
        if profiler is not None:
            profiler.enable()
        result = run_pair(old, new, fresh=options.fresh, max_pairs=options.max_pairs)
        if profiler is not None:
            profiler.disable()
        passed = result.ratio <= TARGET_RATIO
        results.append(passed)
        counts = ", ".join(f"{s.value} {result.counts[s]}" for s in Status)
        print(
            f"{result.name}\n"
            f"  schema pairs {result.pairs:5d}   engine {result.seconds:8.3f} s   "
            f"orjson load {result.load:6.3f} s   ratio {result.ratio:7.2f}   "
            f"target <= {TARGET_RATIO}   {'ok' if passed else 'MISSED'}\n"
            f"  {counts}\n"
            f"  slowest {result.slowest[0]:.3f} s  {result.slowest[1]}",
            flush=True,
        )
    if profiler is not None:
        profiler.dump_stats(options.profile)
    return results


if __name__ == "__main__":
    sys.exit(0 if all(main()) else 1)
