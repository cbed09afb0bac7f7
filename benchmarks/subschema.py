"""apigov's schema engine against jsonsubschema on hand-labelled JSON Schema pairs.

Run: `python benchmarks/subschema.py [--pairs FILE] [--timeout SECONDS] [--only NAME] [--repeat N]`.

The pairs (`tests/data/compat/jsonschema-pairs.json`) are written from JSON Schema 2020-12
semantics: ``backward_compatible`` says whether every instance valid under ``old`` is valid under
``new``; incompatible pairs carry a ``witness`` instance (valid under old, invalid under new).
For each pair both tools answer "is old a subschema of new?" in the same run:

- apigov: :func:`apigov.schema.compat.is_subset` - ``SUBSET`` counts as compatible,
  ``NOT_SUBSET`` as incompatible, ``UNKNOWN`` as not decided (reported apart);
- jsonsubschema: ``jsonsubschema.api.isSubschema(old, new)`` - ``True`` compatible, ``False``
  incompatible; an exception or a timeout counts as not decided. jsonsubschema reads draft-04,
  so it runs twice: on the pairs as written, and on the pairs respelled in draft-04 where the
  meaning is the same (:func:`to_draft4`: boolean schemas, numeric ``exclusiveMinimum`` /
  ``exclusiveMaximum``, ``const``, ``$defs``, ``prefixItems``, ``dependentRequired``).

It prints agreement with the labels for each tool, the pairs where apigov is wrong (there must
be none: exit 1 otherwise), the pairs apigov leaves UNKNOWN, jsonsubschema's wrong answers,
total / median / slowest time per pair and the speed ratio (jsonsubschema time / apigov time,
over the pairs both decided and over all pairs). Imports happen before any timing (jsonsubschema's
and apigov's lazy RE2 import), garbage is collected before each timed call of either tool, and
each call is timed ``--repeat`` times (default 3; apigov's pattern caches emptied before each)
keeping the fastest, so that other work on the machine does not decide the ratio.

jsonsubschema is not an apigov dependency. Install it into the project's environment with
`.venv/bin/pip install jsonsubschema` (0.0.8 installs and imports on Python 3.11, pulling
greenery, portion, jsonref and sortedcontainers). When it is missing, only apigov is measured.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import functools
import gc
import io
import json
import signal
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from apigov.core._types import JSONValue
from apigov.schema import patterns
from apigov.schema.compat import Status, is_subset
from apigov.schema.model import local_resolver

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "tests" / "data" / "compat" / "jsonschema-pairs.json"
COMPATIBLE, INCOMPATIBLE, UNDECIDED = "compatible", "incompatible", "undecided"


@dataclass(frozen=True, slots=True)
class Answer:
    verdict: str  # COMPATIBLE, INCOMPATIBLE or UNDECIDED
    seconds: float
    note: str = ""


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    label: bool
    apigov: Answer
    other: Answer | None
    other4: Answer | None = None


class _Timeout(Exception):
    pass


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise _Timeout


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_apigov(old: JSONValue, new: JSONValue) -> Answer:
    gc.collect()  # each tool starts its pair without the other's garbage to collect
    started = time.perf_counter()
    verdict = is_subset(old, new, resolve_a=local_resolver(old), resolve_b=local_resolver(new))
    elapsed = time.perf_counter() - started
    if verdict.status is Status.SUBSET:
        return Answer(COMPATIBLE, elapsed)
    kinds = ", ".join(sorted({r.kind for r in verdict.reasons}))
    if verdict.status is Status.NOT_SUBSET:
        return Answer(INCOMPATIBLE, elapsed, kinds)
    return Answer(UNDECIDED, elapsed, kinds)


def jsonsubschema_runner(timeout: float) -> Callable[[JSONValue, JSONValue], Answer] | None:
    try:
        from jsonsubschema import api  # type: ignore[import-untyped]
    except ImportError:
        return None

    def run(old: JSONValue, new: JSONValue) -> Answer:
        a, b = copy.deepcopy(old), copy.deepcopy(new)  # it may rewrite its inputs
        gc.collect()
        started = time.perf_counter()
        try:
            with _deadline(timeout), contextlib.redirect_stdout(io.StringIO()):
                result = api.isSubschema(a, b)
        except _Timeout:
            return Answer(UNDECIDED, time.perf_counter() - started, f"timeout {timeout:g}s")
        except Exception as exc:  # noqa: BLE001 - any failure of the other tool is "not decided"
            return Answer(UNDECIDED, time.perf_counter() - started, f"{type(exc).__name__}: {exc}"[:120])
        return Answer(COMPATIBLE if result else INCOMPATIBLE, time.perf_counter() - started)

    return run


_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SCHEMA_ONE = (
    "not",
    "additionalProperties",
    "additionalItems",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
)


def to_draft4(schema: JSONValue) -> JSONValue:
    """The same schema spelled in draft-04 where draft-04 can say it (other keywords are kept)."""
    if schema is True:
        return {}
    if schema is False:
        return {"not": {}}
    if not isinstance(schema, dict):
        return schema
    out: dict[str, JSONValue] = {}
    for key, value in schema.items():
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out["definitions" if key == "$defs" else key] = {k: to_draft4(v) for k, v in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [to_draft4(v) for v in value]
        elif key in (*_SCHEMA_ONE, "items"):
            out[key] = [to_draft4(v) for v in value] if isinstance(value, list) else to_draft4(value)
        elif key == "$ref" and isinstance(value, str):
            out[key] = value.replace("#/$defs/", "#/definitions/")
        elif key == "const":
            out["enum"] = [value]
        elif key == "dependentRequired":
            out["dependencies"] = value
        elif key not in ("prefixItems", "exclusiveMinimum", "exclusiveMaximum"):
            out[key] = value
    prefix = schema.get("prefixItems")
    if isinstance(prefix, list):
        out["items"] = [to_draft4(v) for v in prefix]
        if "items" in schema:
            out["additionalItems"] = to_draft4(schema["items"])
    for bound, exclusive, tighter in (
        ("minimum", "exclusiveMinimum", max),
        ("maximum", "exclusiveMaximum", min),
    ):
        limit = schema.get(exclusive)
        if isinstance(limit, (int, float)) and not isinstance(limit, bool):
            inclusive = schema.get(bound)
            if not isinstance(inclusive, (int, float)) or tighter(limit, inclusive) == limit:
                out[bound], out[exclusive] = limit, True
    return out


def correct(answer: Answer, label: bool) -> bool:
    return answer.verdict == (COMPATIBLE if label else INCOMPATIBLE)


def wrong(answer: Answer, label: bool) -> bool:
    return answer.verdict == (INCOMPATIBLE if label else COMPATIBLE)


def evaluate(pairs: list[dict[str, JSONValue]], timeout: float, repeat: int = 1) -> list[Row]:
    other = jsonsubschema_runner(timeout)  # imports jsonsubschema before any timing
    patterns.search("a", "a")  # and apigov's one lazy import (RE2, for ``pattern``), likewise
    rows: list[Row] = []
    for pair in pairs:
        old, new, label = pair["old"], pair["new"], pair["backward_compatible"]
        assert isinstance(label, bool)
        mine = fastest(functools.partial(run_apigov, old, new), repeat, patterns.clear_caches)
        theirs = theirs4 = None
        if other is not None:
            theirs = fastest(functools.partial(other, old, new), repeat)
            theirs4 = fastest(functools.partial(other, to_draft4(old), to_draft4(new)), repeat)
        rows.append(Row(str(pair["name"]), label, mine, theirs, theirs4))
    return rows


def fastest(run: Callable[[], Answer], repeat: int, reset: Callable[[], None] | None = None) -> Answer:
    """The answer of ``run`` with the shortest of ``repeat`` times (a machine shared with other
    work makes single timings noisy); ``reset`` empties caches first, so no run reuses another's
    work. A timed-out run is not repeated."""
    best: Answer | None = None
    for _ in range(repeat):
        if reset is not None:
            reset()
        answer = run()
        if best is None or answer.seconds < best.seconds:
            best = answer if best is None else Answer(best.verdict, answer.seconds, best.note)
        if answer.note.startswith("timeout"):
            break
    assert best is not None
    return best


def _score(title: str, answers: list[tuple[Answer, bool]]) -> None:
    total = len(answers)
    right = sum(correct(a, label) for a, label in answers)
    bad = sum(wrong(a, label) for a, label in answers)
    undecided = total - right - bad
    decided = right + bad
    print(
        f"{title:14} correct {right:3}/{total} ({100 * right / total:5.1f}%)  wrong {bad:3}  "
        f"not decided {undecided:3}  agreement where decided "
        f"{(100 * right / decided) if decided else 0:5.1f}%"
    )


def _times(title: str, seconds: list[float]) -> None:
    print(
        f"{title:14} total {sum(seconds) * 1000:9.1f} ms  median {statistics.median(seconds) * 1e6:9.0f} us  "
        f"mean {statistics.fmean(seconds) * 1e6:9.0f} us  max {max(seconds) * 1000:8.1f} ms"
    )


def report(rows: list[Row]) -> int:
    print(
        f"{len(rows)} pairs ({sum(r.label for r in rows)} compatible, {sum(not r.label for r in rows)} not)\n"
    )
    print("agreement with the labels")
    _score("apigov", [(r.apigov, r.label) for r in rows])
    others = [(r.other, r.label) for r in rows if r.other is not None]
    others4 = [(r.other4, r.label) for r in rows if r.other4 is not None]
    if others:
        _score("jsonsubschema", others)
        _score("  as draft-04", others4)
    else:
        print("jsonsubschema  not installed (see the module docstring)")

    print("\ntime per pair")
    _times("apigov", [r.apigov.seconds for r in rows])
    if others:
        _times("jsonsubschema", [a.seconds for a, _ in others])
        _times("  as draft-04", [a.seconds for a, _ in others4])
        mine = sum(r.apigov.seconds for r in rows)
        for title, theirs in (("as written", others), ("as draft-04", others4)):
            both = [
                (a.seconds, r.apigov.seconds)
                for (a, _), r in zip(theirs, rows, strict=True)
                if a.verdict != UNDECIDED and r.apigov.verdict != UNDECIDED
            ]
            ratio = sum(t for t, _ in both) / max(sum(m for _, m in both), 1e-9)
            print(
                f"speed ratio    jsonsubschema ({title}) / apigov: "
                f"{sum(a.seconds for a, _ in theirs) / mine:.1f}x over all pairs, "
                f"{ratio:.1f}x over the {len(both)} pairs both decided"
            )

    bad = [r for r in rows if wrong(r.apigov, r.label)]
    print(f"\napigov wrong ({len(bad)}; must be none)")
    for r in bad:
        print(f"  {r.name}: label {r.label}, apigov {r.apigov.verdict} [{r.apigov.note}]")
    unknown = [r for r in rows if r.apigov.verdict == UNDECIDED]
    print(f"\napigov UNKNOWN ({len(unknown)})")
    for r in unknown:
        print(f"  {r.name} (label {'compatible' if r.label else 'incompatible'}) [{r.apigov.note}]")
    if others:
        for title, pick in (("", _as_written), (" (as draft-04)", _as_draft4)):
            answers = [(r, pick(r)) for r in rows]
            their_bad = [(r, a) for r, a in answers if a is not None and wrong(a, r.label)]
            print(f"\njsonsubschema{title} wrong ({len(their_bad)})")
            for r, a in their_bad:
                print(f"  {r.name}: label {r.label}, jsonsubschema {a.verdict}")
            undecided = [(r, a) for r, a in answers if a is not None and a.verdict == UNDECIDED]
            print(f"\njsonsubschema{title} not decided ({len(undecided)})")
            for r, a in undecided:
                print(f"  {r.name} [{' '.join(a.note.split())[:100]}]")
    return 1 if bad else 0


def _as_written(row: Row) -> Answer | None:
    return row.other


def _as_draft4(row: Row) -> Answer | None:
    return row.other4


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per jsonsubschema call")
    parser.add_argument("--only", help="run the pairs whose name contains this text")
    parser.add_argument("--repeat", type=int, default=3, help="time each call this often, keep the fastest")
    args = parser.parse_args(argv)
    pairs = json.loads(args.pairs.read_text(encoding="utf-8"))
    if args.only:
        pairs = [p for p in pairs if args.only in p["name"]]
    return report(evaluate(pairs, args.timeout, max(args.repeat, 1)))


if __name__ == "__main__":
    sys.exit(main())
