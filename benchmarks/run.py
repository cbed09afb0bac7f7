"""Run every benchmark: `make bench` (or `python benchmarks/run.py`). Exit 1 when a target is missed."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import check, confluent, diff, fuzz, gateway, mock, pacts, registry, serve

if __name__ == "__main__":
    results = check.main()
    print()
    results += diff.main([])
    print()
    results += registry.main()
    print()
    results += serve.main()
    print()
    results += mock.main()
    print()
    results += fuzz.main()
    print()
    results += gateway.main()
    print()
    results += confluent.main()
    print()
    results += pacts.main()
    sys.exit(0 if all(results) else 1)
