"""Runs inside addok's own virtual environment (bench/geocoding.py starts it): geocodes the queries of a JSON file
one by one with addok's in-process search and writes the answers and each query's time."""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    source, target = sys.argv[1], sys.argv[2]
    from addok.config import config

    config.load()
    from addok.core import search
    from addok.db import DB

    with open(source, encoding="utf-8") as handle:
        queries = json.load(handle)
    for text in queries[:50]:  # warm-up (caches, connections), as for citemploi
        search(text, limit=1)
    answers = []
    started = time.perf_counter()
    for text in queries:
        t0 = time.perf_counter()
        found = search(text, limit=1)
        elapsed = time.perf_counter() - t0
        if found:
            r = found[0]
            answers.append([float(r.lon), float(r.lat), float(r.score), str(r.type), elapsed])
        else:
            answers.append([None, None, 0.0, "", elapsed])
    total = time.perf_counter() - started
    memory = DB.info("memory").get("used_memory", 0)
    with open(target, "w", encoding="utf-8") as handle:
        json.dump({"answers": answers, "total": total, "redis_memory": memory}, handle)


if __name__ == "__main__":
    main()
