"""Real concurrency on PostgreSQL: run calls at the same moment, each in its own thread (its own connection)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections


@pytest.fixture
def postgres_only():
    """Row locks and real concurrent connections exist on PostgreSQL only (SQLite serialises writers)."""
    if connection.vendor != "postgresql":
        pytest.skip("verrous de ligne et concurrence réelle : PostgreSQL seulement")


def together(*calls: Callable[[], object]) -> list[object]:
    """Run ``calls`` at the same time, one thread (one connection) each; their results or raised errors."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as error:  # the test looks at what each side got
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
