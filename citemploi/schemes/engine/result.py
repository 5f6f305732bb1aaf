"""Answers of the engine, the registry of rule identifiers, and the small builder the rules use."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
TO_CHECK = "to_check"
ANSWERS = (ELIGIBLE, NOT_ELIGIBLE, TO_CHECK)
ANSWER_LABELS = {ELIGIBLE: "Accessible", TO_CHECK: "À vérifier", NOT_ELIGIBLE: "Non accessible"}

ROUTE_LABELS = {
    "prescriber": "par un prescripteur habilité",
    "siae_aci_ei_eiti": "directement auprès d'un ACI, d'une EI ou d'une EITI",
    "siae_ai_etti": "directement auprès d'une AI ou d'une ETTI",
}

#: Every rule identifier the engine can emit → what it checks and its legal source (docs/eligibility.md lists
#: them all; a test fails when one is missing there). Filled by ``rule()`` in the rule modules.
RULES: dict[str, str] = {}


def rule(rule_id: str, summary: str) -> str:
    """Declare a rule identifier (stable: partners and stored answers refer to it)."""
    RULES[rule_id] = summary
    return rule_id


class Reason(NamedTuple):
    rule: str
    text: str


class Result(NamedTuple):
    """The answer for one scheme (and route) on one date, with its reasons and the parameters' date.
    (A named tuple: immutable and cheap to create, the engine makes millions of them in the benchmark.)"""

    scheme: str
    route: str | None
    answer: str
    reasons: tuple[Reason, ...]
    rule_version: dt.date | None
    missing: tuple[str, ...] = ()
    scheme_name: str = ""

    @property
    def answer_label(self) -> str:
        return ANSWER_LABELS[self.answer]

    @property
    def route_label(self) -> str:
        return ROUTE_LABELS.get(self.route or "", self.route or "")

    def as_json(self) -> dict[str, object]:
        return {
            "scheme": self.scheme,
            "route": self.route,
            "answer": self.answer,
            "reasons": [{"rule": r.rule, "text": r.text} for r in self.reasons],
            "rule_version": self.rule_version.isoformat() if self.rule_version else None,
        }


# Reason(rule, text) without the named tuple's Python-level __new__: the hot path of the benchmark.
_reason = tuple.__new__


class Verdict:
    """Collects reasons while a rule runs: any failed condition gives ``not_eligible``; otherwise any unknown
    datum gives ``to_check``; otherwise ``eligible``. ``note`` adds information without changing the answer
    (conditions the operator appraises, such as "difficultés d'accès à l'emploi")."""

    __slots__ = ("missing", "reasons", "state")

    def __init__(self) -> None:
        self.reasons: list[Reason] = []
        self.missing: list[str] = []
        self.state = 0  # 0 eligible, 1 to check, 2 not eligible

    def ok(self, rule_id: str, text: str) -> None:
        self.reasons.append(_reason(Reason, (rule_id, text)))

    def ko(self, rule_id: str, text: str) -> None:
        self.reasons.append(_reason(Reason, (rule_id, text)))
        self.state = 2

    def unknown(self, rule_id: str, text: str) -> None:
        self.reasons.append(_reason(Reason, (rule_id, text)))
        self.missing.append(text)
        if self.state == 0:
            self.state = 1

    note = ok

    def check(self, value: bool | None, rule_id: str, yes: str, no: str, unknown: str) -> None:
        """Tri-state condition: True passes, False fails, None is unknown."""
        if value is None:
            self.unknown(rule_id, unknown)
        elif value:
            self.ok(rule_id, yes)
        else:
            self.ko(rule_id, no)

    def result(self, scheme: str, route: str | None, version: dt.date | None, name: str = "") -> Result:
        answer = (ELIGIBLE, TO_CHECK, NOT_ELIGIBLE)[self.state]
        return Result(scheme, route, answer, tuple(self.reasons), version, tuple(self.missing), name)
