"""Clusters of a deduplicated file: union–find over the pairs judged the same person."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


class UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            # The smaller position is the root: a cluster is named after its first row in the file.
            self.parent[max(a, b)] = min(a, b)


def clusters(ids: Sequence[str], same_pairs: Iterable[tuple[int, int]]) -> dict[str, str]:
    """Id → cluster (the id of the cluster's first record in the given order)."""
    forest = UnionFind(len(ids))
    for i, j in same_pairs:
        forest.union(i, j)
    return {record_id: ids[forest.find(position)] for position, record_id in enumerate(ids)}
