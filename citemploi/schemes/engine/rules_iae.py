"""IAE (PASS IAE): three routes, with the administrative criteria of les-emplois (DOMAIN.md §7).

- ``prescriber``: an authorised prescriber makes the diagnosis, no criterion is required;
- ``siae_aci_ei_eiti``: directly with an ACI, EI or EITI: ≥ 1 level-1 criterion or ≥ 3 level-2 criteria;
- ``siae_ai_etti``: directly with an AI or ETTI: ≥ 1 level-1 criterion or ≥ 2 level-2 criteria.
Senior and young exclude each other (both come from the age), and so do DELD and DETLD (both come from the
registration length), so each pair counts at most once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from citemploi.schemes.engine import facts, result
from citemploi.schemes.engine.profile import Profile
from citemploi.schemes.engine.result import Verdict, rule

ROUTE_PRESCRIBER = "prescriber"
ROUTE_ACI_EI_EITI = "siae_aci_ei_eiti"
ROUTE_AI_ETTI = "siae_ai_etti"
ROUTES = (ROUTE_PRESCRIBER, ROUTE_ACI_EI_EITI, ROUTE_AI_ETTI)
ROUTE_LABELS = result.ROUTE_LABELS

PRESCRIBER = rule(
    "iae.prescriber",
    "Diagnostic par un prescripteur habilité : aucun critère administratif exigé (les-emplois, "
    "itou/eligibility ; art. L.5132-3 C. trav.).",
)
THRESHOLD_ACI = rule(
    "iae.siae.aci_ei_eiti",
    "Auto-prescription ACI, EI, EITI : au moins 1 critère de niveau 1 ou 3 critères de niveau 2 "
    "(arrêté du 1er septembre 2021 ; les-emplois ADMINISTRATIVE_CRITERIA_LEVEL_2_REQUIRED_FOR_SIAE_KIND).",
)
THRESHOLD_AI = rule(
    "iae.siae.ai_etti",
    "Auto-prescription AI, ETTI : au moins 1 critère de niveau 1 ou 2 critères de niveau 2 "
    "(arrêté du 1er septembre 2021 ; les-emplois).",
)

# (rule id, text when met, text when unknown)
L1_RSA = rule("iae.level1.rsa", "Critère de niveau 1 : bénéficiaire du RSA.")
L1_ASS = rule("iae.level1.ass", "Critère de niveau 1 : allocataire de l'ASS.")
L1_AAH = rule("iae.level1.aah", "Critère de niveau 1 : allocataire de l'AAH.")
L1_DETLD = rule(
    "iae.level1.detld",
    "Critère de niveau 1 : DETLD, inscrit à France Travail en catégorie A, B ou C depuis 24 mois ou plus.",
)
L2_EDUCATION = rule("iae.level2.education", "Critère de niveau 2 : niveau d'étude 3 (CAP, BEP) ou infra.")
L2_SENIOR = rule("iae.level2.senior", "Critère de niveau 2 : senior (50 ans ou plus).")
L2_YOUNG = rule("iae.level2.young", "Critère de niveau 2 : jeune de moins de 26 ans.")
L2_ASE = rule("iae.level2.ase", "Critère de niveau 2 : sortant de l'aide sociale à l'enfance (ASE).")
L2_DELD = rule(
    "iae.level2.deld",
    "Critère de niveau 2 : DELD, inscrit à France Travail en catégorie A, B ou C depuis 12 à 24 mois.",
)
L2_TH = rule("iae.level2.th", "Critère de niveau 2 : travailleur handicapé (RQTH).")
L2_SINGLE = rule("iae.level2.single_parent", "Critère de niveau 2 : parent isolé.")
L2_HOMELESS = rule("iae.level2.homeless", "Critère de niveau 2 : sans hébergement, hébergé ou parcours de rue.")
L2_REFUGEE = rule(
    "iae.level2.refugee", "Critère de niveau 2 : réfugié, protection subsidiaire ou temporaire, demandeur d'asile."
)
L2_ZRR = rule("iae.level2.zrr", "Critère de niveau 2 : résident en ZRR / FRR.")
L2_QPV = rule("iae.level2.qpv", "Critère de niveau 2 : résident d'un quartier prioritaire (QPV).")
L2_JUSTICE = rule("iae.level2.justice", "Critère de niveau 2 : sortant de détention ou placé sous main de justice.")
L2_FRENCH = rule("iae.level2.french", "Critère de niveau 2 : maîtrise du français inférieure au niveau A1.")
L2_MOBILITY = rule("iae.level2.mobility", "Critère de niveau 2 : problème de mobilité.")

_FLAGS_L2 = (
    ("ase_leaver", L2_ASE, "sortie de l'ASE"),
    ("rqth", L2_TH, "RQTH"),
    ("single_parent", L2_SINGLE, "situation de parent isolé"),
    ("homeless", L2_HOMELESS, "situation d'hébergement"),
    ("refugee", L2_REFUGEE, "statut de réfugié ou demandeur d'asile"),
    ("zrr_resident", L2_ZRR, "résidence en ZRR"),
    ("qpv_resident", L2_QPV, "résidence en QPV"),
    ("justice", L2_JUSTICE, "mesure de justice"),
    ("french_below_a1", L2_FRENCH, "niveau de français"),
    ("mobility_problem", L2_MOBILITY, "problème de mobilité"),
)


class Criteria:
    """Level-1 and level-2 criteria of one profile on one date: met ones and unknown ones."""

    __slots__ = ("l1", "l1_unknown", "l2", "l2_unknown")

    def __init__(self) -> None:
        self.l1: list[str] = []
        self.l1_unknown: list[tuple[str, str]] = []
        self.l2: list[str] = []
        self.l2_unknown: list[tuple[str, str]] = []


def criteria(p: Profile, on: dt.date, pm: dict[str, Any]) -> Criteria:
    """Which criteria are met (rule ids) and which cannot be decided (rule id, what is missing)."""
    c = Criteria()
    _level1(c, p, on, pm)
    _age(c, facts.age(p, on), pm)
    if p.education_level is None:
        c.l2_unknown.append((L2_EDUCATION, "niveau d'étude"))
    elif p.education_level in pm["low_education_codes"]:
        c.l2.append(L2_EDUCATION)
    for name, rule_id, what in _FLAGS_L2:
        value = getattr(p, name)
        if value:
            c.l2.append(rule_id)
        elif value is None:
            c.l2_unknown.append((rule_id, what))
    return c


def _level1(c: Criteria, p: Profile, on: dt.date, pm: dict[str, Any]) -> None:
    for value, rule_id, what in ((facts.rsa(p), L1_RSA, "RSA"), (p.ass, L1_ASS, "ASS"), (p.aah, L1_AAH, "AAH")):
        if value:
            c.l1.append(rule_id)
        elif value is None:
            c.l1_unknown.append((rule_id, what))
    seniority = facts.job_seeker_months(p, on)
    detld = facts.at_least(seniority, pm["detld_months_min"])
    deld = facts.at_least(seniority, pm["deld_months_min"])
    what = "inscription à France Travail en catégorie A, B ou C (dates et catégories)"
    if detld:
        c.l1.append(L1_DETLD)
        return
    if detld is None:
        c.l1_unknown.append((L1_DETLD, what))
    if deld:
        c.l2.append(L2_DELD)
    elif deld is None:
        c.l2_unknown.append((L2_DELD, what))


def _age(c: Criteria, age: int | None, pm: dict[str, Any]) -> None:
    if age is None:
        c.l2_unknown.append((L2_YOUNG, "date de naissance"))
    elif age >= pm["senior_age_min"]:
        c.l2.append(L2_SENIOR)
    elif age <= pm["young_age_max"]:
        c.l2.append(L2_YOUNG)


def prescriber(v: Verdict, pm: dict[str, Any]) -> None:
    v.ok(
        PRESCRIBER,
        "Par un prescripteur habilité (France Travail, Mission Locale, Cap emploi, Département, PLIE…), aucun "
        f"critère administratif n'est exigé ; le diagnostic est valable {pm['prescriber_diagnosis_validity_months']} mois.",
    )


def siae(v: Verdict, c: Criteria, required_l2: int, rule_id: str) -> None:
    """Direct route: ≥ 1 level-1 criterion or ≥ ``required_l2`` level-2 criteria."""
    for met in c.l1 + c.l2:
        v.ok(met, _TEXTS[met])
    if c.l1 or len(c.l2) >= required_l2:
        v.ok(
            rule_id,
            f"{len(c.l1)} critère(s) de niveau 1 et {len(c.l2)} de niveau 2 ({required_l2} requis sans niveau 1).",
        )
        return
    if c.l1_unknown or len(c.l2) + len(c.l2_unknown) >= required_l2:
        missing = ", ".join(dict.fromkeys(what for _, what in c.l1_unknown + c.l2_unknown))
        v.unknown(rule_id, f"{len(c.l2)} critère(s) de niveau 2 sur {required_l2} requis ; à renseigner : {missing}.")
        return
    v.ko(rule_id, f"Aucun critère de niveau 1 et {len(c.l2)} critère(s) de niveau 2 sur {required_l2} requis.")


_TEXTS = {
    L1_RSA: "Bénéficiaire du RSA (niveau 1).",
    L1_ASS: "Allocataire de l'ASS (niveau 1).",
    L1_AAH: "Allocataire de l'AAH (niveau 1).",
    L1_DETLD: "Inscription en catégorie A, B ou C depuis 24 mois ou plus : DETLD (niveau 1).",
    L2_EDUCATION: "Niveau d'étude CAP/BEP ou infra (niveau 2).",
    L2_SENIOR: "50 ans ou plus (niveau 2).",
    L2_YOUNG: "Moins de 26 ans (niveau 2).",
    L2_ASE: "Sortant de l'ASE (niveau 2).",
    L2_DELD: "Inscription en catégorie A, B ou C depuis 12 à 24 mois : DELD (niveau 2).",
    L2_TH: "Travailleur handicapé (niveau 2).",
    L2_SINGLE: "Parent isolé (niveau 2).",
    L2_HOMELESS: "Sans hébergement ou hébergé (niveau 2).",
    L2_REFUGEE: "Réfugié ou demandeur d'asile (niveau 2).",
    L2_ZRR: "Résident en ZRR (niveau 2).",
    L2_QPV: "Résident d'un QPV (niveau 2).",
    L2_JUSTICE: "Sous main de justice ou sortant de détention (niveau 2).",
    L2_FRENCH: "Français inférieur au niveau A1 (niveau 2).",
    L2_MOBILITY: "Problème de mobilité (niveau 2).",
}


def iae(p: Profile, on: dt.date, pm: dict[str, Any]) -> list[tuple[str | None, Verdict]]:
    """The three routes of the IAE, criteria computed once."""
    by_prescriber = Verdict()
    prescriber(by_prescriber, pm)
    c = criteria(p, on, pm)
    aci = Verdict()
    siae(aci, c, pm["level2_required_aci_ei_eiti"], THRESHOLD_ACI)
    ai = Verdict()
    siae(ai, c, pm["level2_required_ai_etti"], THRESHOLD_AI)
    return [(ROUTE_PRESCRIBER, by_prescriber), (ROUTE_ACI_EI_EITI, aci), (ROUTE_AI_ETTI, ai)]
