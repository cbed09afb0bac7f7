"""A diff runs without full garbage collections and leaves the process's thresholds as it found them."""

from __future__ import annotations

import gc
import threading

from apigov.rules.run import _young_collections


def test_full_collections_pause_during_a_diff_and_come_back() -> None:
    before = gc.get_threshold()
    with _young_collections():
        inside = gc.get_threshold()
        assert inside[:2] == before[:2] and inside[2] > 10**6
        with _young_collections():  # a second diff at the same time (the server)
            assert gc.get_threshold() == inside
        assert gc.get_threshold() == inside  # the first one still runs
    assert gc.get_threshold() == before


def test_concurrent_diffs_restore_the_thresholds_once_all_are_done() -> None:
    before = gc.get_threshold()
    started, release = threading.Barrier(5), threading.Event()

    def diff() -> None:
        with _young_collections():
            started.wait()
            release.wait(5)

    threads = [threading.Thread(target=diff) for _ in range(4)]
    for thread in threads:
        thread.start()
    started.wait()
    assert gc.get_threshold()[2] > 10**6
    release.set()
    for thread in threads:
        thread.join()
    assert gc.get_threshold() == before
