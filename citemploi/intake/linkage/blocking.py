"""Blocking: only records sharing a key are compared (a cohort of 20,000 is never compared to itself in full).

A record's keys: its birth date; each pair (phonetic key of a last-name variant, phonetic key of the first
name) in either order — which also catches first and last names swapped, and a birth date with a typo; its
e-mail; its phone (last 9 digits); its address (with the postcode). A key shared by more than ``MAX_BLOCK`` records (a placeholder birth date such
as 01/01/1900, a structure's generic e-mail) is not used: it says nothing about identity and would cost
quadratic time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from citemploi.intake.linkage.compare import Features
from citemploi.intake.linkage.phonetic import phonetic_key

MAX_BLOCK = 500


def _name_keys(features: Features) -> set[str]:
    lasts = {phonetic_key(v) for v in features.last.full} | {phonetic_key(t) for t in features.last.tokens}
    firsts = {phonetic_key(features.first.main)} | {phonetic_key(t) for t in features.first.tokens}
    lasts.discard("")
    firsts.discard("")
    keys = set()
    for last in lasts:
        for first in firsts:
            low, high = (last, first) if last <= first else (first, last)
            keys.add(f"n|{low}|{high}")
    return keys


def keys(features: Features) -> set[str]:
    found = _name_keys(features)
    if features.date:
        found.add(f"d|{features.date}")
    if features.email:
        found.add(f"e|{features.email}")
    if features.phone:
        found.add(f"p|{features.phone}")
    if features.address:  # a record without first name or birth date still meets its household
        found.add(f"a|{features.address}|{features.postcode}")
    return found


def index(records: Sequence[Features]) -> dict[str, list[int]]:
    """Key → positions of the records having it (the over-full keys removed)."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for position, features in enumerate(records):
        for key in keys(features):
            blocks[key].append(position)
    return {key: positions for key, positions in blocks.items() if len(positions) <= MAX_BLOCK}


def candidates(record: Features, blocks: dict[str, list[int]]) -> set[int]:
    """Positions (in the indexed records) sharing at least one key with ``record``."""
    found: set[int] = set()
    for key in keys(record):
        positions = blocks.get(key)
        if positions:
            found.update(positions)
    return found


def pairs(records: Sequence[Features]) -> Iterator[tuple[int, int]]:
    """Every pair (i < j) of records sharing a key, once."""
    seen: set[tuple[int, int]] = set()
    for positions in index(records).values():
        for n, i in enumerate(positions):
            for j in positions[n + 1 :]:
                pair = (i, j)
                if pair not in seen:
                    seen.add(pair)
                    yield pair
