"""Fellegi–Sunter score of a comparison: match weights log2(m/u), documented defaults, two household guards.

m = P(level | same person), u = P(level | different people). The defaults below are documented estimates for a
French cohort (docs/intake.md « Rapprochement des personnes »): u from the spread of birth dates (≈ 20,000 days
over the ages followed), of names and of addresses; m from the error rates of partners' files (typos, missing
fields, maiden names). They are not estimated by EM on each file: files are small and partial, and EM on a file
where the household fields agree together learns that a shared address means the same person — the very mistake
to avoid. The benchmark (bench/intake_linkage.py) checks them against splink, whose m/u come from EM.

The score is the posterior probability of a match, 1 / (1 + 2^-(W - PRIOR_BITS)), W the sum of the weights.

Two things the independence assumption gets wrong, handled explicitly:
- e-mail, phone and address are household fields (twins, parents and children, couples share them): only the
  strongest of their agreements counts (their disagreements all count);
- twins and family members share last name, address and often birth date: two known first names that differ
  (« Léa » / « Hugo ») never link, and close first names with different sexes (« Louis » / « Louise ») either.
  Rather close first names (« Lina » / « Léna ») can at most go to the review queue.
"""

from __future__ import annotations

import math

from citemploi.intake.linkage import compare as c
from citemploi.intake.linkage.compare import Comparison

PRIOR_BITS = 14.0  # prior odds of a match ≈ 1 / 16,000 between two records of a blocked pair

#: field → level → (m, u)
DEFAULT_MU: dict[str, dict[str, tuple[float, float]]] = {
    "last": {
        c.EXACT: (0.84, 0.003),
        c.PARTIAL: (0.04, 0.002),
        c.HIGH: (0.05, 0.002),
        c.LOW: (0.02, 0.02),
        c.DIFFERENT: (0.05, 0.973),  # maiden/married names written without « épouse »
    },
    "first": {
        c.EXACT: (0.90, 0.01),
        c.PARTIAL: (0.03, 0.003),
        c.HIGH: (0.05, 0.005),
        c.LOW: (0.015, 0.03),
        c.DIFFERENT: (0.005, 0.952),
    },
    "date": {
        c.EXACT: (0.92, 0.00005),
        c.TYPO: (0.04, 0.0015),
        c.DAYMONTH: (0.02, 0.00005),
        c.DIFFERENT: (0.02, 0.9984),
    },
    "sex": {c.EXACT: (0.97, 0.5), c.DIFFERENT: (0.03, 0.5)},
    "email": {c.EXACT: (0.6, 0.0001), c.CLOSE: (0.05, 0.0002), c.DIFFERENT: (0.35, 0.9997)},
    "phone": {c.EXACT: (0.6, 0.0002), c.DIFFERENT: (0.4, 0.9998)},
    "address": {
        c.EXACT: (0.6, 0.0005),
        c.CLOSE: (0.15, 0.001),
        c.ZONE: (0.1, 0.05),
        c.DIFFERENT: (0.15, 0.9485),
    },
}
IDENTITY_FIELDS = ("last", "first", "date", "sex")
HOUSEHOLD_FIELDS = ("email", "phone", "address")


def weights(mu: dict[str, dict[str, tuple[float, float]]] = DEFAULT_MU) -> dict[str, dict[str, float]]:
    """log2(m/u) per field and level; a missing field weighs 0."""
    return {
        field: {level: math.log2(m / u) for level, (m, u) in levels.items()} | {c.MISSING: 0.0}
        for field, levels in mu.items()
    }


WEIGHTS = weights()


def total_weight(comparison: Comparison, table: dict[str, dict[str, float]] = WEIGHTS) -> float:
    total = sum(table[field][getattr(comparison, field)] for field in IDENTITY_FIELDS)
    household = [table[field][getattr(comparison, field)] for field in HOUSEHOLD_FIELDS]
    return total + max(0.0, *household) + sum(w for w in household if w < 0)


def probability(weight: float) -> float:
    exponent = -(weight - PRIOR_BITS)
    if exponent > 1000:
        return 0.0
    return 1.0 / (1.0 + math.pow(2.0, exponent))


def household_guard(comparison: Comparison, *, upper: float) -> float:
    """Ceiling of the score (1.0: none), for what the household fields make ambiguous (docs/intake.md):

    - known first names that differ never link (twins, family members), nor close first names with different
      sexes (« Louis » / « Louise »);
    - at most the review queue (just below the upper threshold): rather close first names; known birth dates that
      differ (not a typo, not day and month swapped: a father and his son of the same name); a first name unknown
      on one side, unless the same birth date and the same e-mail; different last names, unless two women with the
      same e-mail or phone (the usage name after a marriage).
    """
    first, sex = comparison.first, comparison.sex
    if first == c.DIFFERENT or (first in (c.HIGH, c.LOW) and sex == c.DIFFERENT):
        return 0.0
    review = math.nextafter(upper, 0.0)
    if first == c.LOW or comparison.date == c.DIFFERENT:
        return review
    if first == c.MISSING and not (comparison.date == c.EXACT and comparison.email == c.EXACT):
        return review
    if comparison.last == c.DIFFERENT and not (comparison.women and c.EXACT in (comparison.email, comparison.phone)):
        return review
    return 1.0


def score(comparison: Comparison, *, upper: float, table: dict[str, dict[str, float]] = WEIGHTS) -> float:
    """The pair's score in [0, 1], the household guard applied."""
    return min(probability(total_weight(comparison, table)), household_guard(comparison, upper=upper))
