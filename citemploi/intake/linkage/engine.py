"""The linkage's entry points (INTAKE-INTERFACES.md): ``link`` (or a ``Linker`` reused), ``decide``, ``dedupe``.
Pure Python, no ORM."""

from __future__ import annotations

from collections.abc import Sequence

from citemploi.intake.linkage import blocking
from citemploi.intake.linkage.cluster import clusters
from citemploi.intake.linkage.compare import compare, prepare
from citemploi.intake.linkage.model import score
from citemploi.intake.linkage.reasons import reasons
from citemploi.intake.linkage.records import Candidate, Decision, LinkRecord, Thresholds, resolve_thresholds


def decide(value: float, *, thresholds: Thresholds | tuple[float, float] | None = None) -> Decision:
    """Above (or at) the upper threshold: the same person; at or above the lower one: to review; else new."""
    upper, lower = resolve_thresholds(thresholds)
    if value >= upper:
        return Decision.SAME
    if value >= lower:
        return Decision.REVIEW
    return Decision.NEW


class Linker:
    """The existing records prepared and blocked once, then linked against any number of new records (an import
    links its rows chunk by chunk against the same cohort: the cohort is never prepared twice)."""

    def __init__(
        self, existing: Sequence[LinkRecord], *, thresholds: Thresholds | tuple[float, float] | None = None
    ) -> None:
        self.upper, self.lower = resolve_thresholds(thresholds)
        self.known = [prepare(record) for record in existing]
        self.blocks = blocking.index(self.known)

    def link(self, new: Sequence[LinkRecord]) -> dict[str, list[Candidate]]:
        """For each new record id: the existing records scoring at or above the lower threshold, best first."""
        known, blocks, upper, lower = self.known, self.blocks, self.upper, self.lower
        result: dict[str, list[Candidate]] = {}
        for record in new:
            features = prepare(record)
            found = []
            for position in blocking.candidates(features, blocks):
                other = known[position]
                comparison = compare(features, other)
                value = score(comparison, upper=upper)
                if value >= lower:
                    found.append(Candidate(id=other.id, score=value, reasons=reasons(comparison)))
            found.sort(key=lambda candidate: (-candidate.score, candidate.id))
            result[record.id] = found
        return result


def link(
    new: Sequence[LinkRecord],
    existing: Sequence[LinkRecord],
    *,
    thresholds: Thresholds | tuple[float, float] | None = None,
) -> dict[str, list[Candidate]]:
    """For each new record id: the existing records scoring at or above the lower threshold, best first."""
    return Linker(existing, thresholds=thresholds).link(new)


def dedupe(
    records: Sequence[LinkRecord], *, thresholds: Thresholds | tuple[float, float] | None = None
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Clusters of one file: (cluster by id — the id of the cluster's first record —, review pairs by id).

    Records judged the same person (at or above the upper threshold) share a cluster, transitively; the review
    pairs (between the thresholds) are listed both ways, in file order, except those already in one cluster.
    """
    upper, lower = resolve_thresholds(thresholds)
    features = [prepare(record) for record in records]
    same: list[tuple[int, int]] = []
    review: list[tuple[int, int]] = []
    for i, j in blocking.pairs(features):
        value = score(compare(features[i], features[j]), upper=upper)
        if value >= upper:
            same.append((i, j))
        elif value >= lower:
            review.append((i, j))
    ids = [record.id for record in records]
    cluster_of = clusters(ids, same)
    to_review: dict[str, set[int]] = {record_id: set() for record_id in ids}
    for i, j in review:
        if cluster_of[ids[i]] != cluster_of[ids[j]]:
            to_review[ids[i]].add(j)
            to_review[ids[j]].add(i)
    return cluster_of, {record_id: [ids[p] for p in sorted(others)] for record_id, others in to_review.items()}
