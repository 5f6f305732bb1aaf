"""Rules of PACEA, RSA orientation, France Travail support, GEIQ, CDD Tremplin, POEC, PMSMP, and the historical
Garantie jeunes and AIJ (issue 11 §7). Sources in docs/eligibility.md; ⚠️ marks what is still to confirm."""

from __future__ import annotations

import datetime as dt
from typing import Any

from citemploi.core.formats import at_age
from citemploi.schemes.engine import facts
from citemploi.schemes.engine.profile import Profile
from citemploi.schemes.engine.result import Verdict, rule
from citemploi.schemes.engine.rules_other import REG_UNKNOWN, boe
from citemploi.schemes.engine.rules_young import AGE_UNKNOWN

PACEA_AGE = rule("pacea.age", "Jeunes de 16 à 25 ans révolus (art. L.5131-4 C. trav., loi n° 2016-1088).")
PACEA_NEED = rule(
    "pacea.need",
    "Besoin d'accompagnement vers l'emploi et l'autonomie, apprécié par la Mission Locale (art. L.5131-4 C. trav.).",
)


def _age_band(v: Verdict, rule_id: str, age: int | None, low: int, high: int) -> None:
    if age is None:
        v.unknown(rule_id, AGE_UNKNOWN)
    elif low <= age <= high:
        v.ok(rule_id, f"{at_age(age)} : dans la tranche de {low} à {high} ans révolus.")
    else:
        v.ko(rule_id, f"{at_age(age)} : hors de la tranche de {low} à {high} ans révolus.")


def pacea(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    _age_band(v, PACEA_AGE, facts.age(p, on), pm["age_min"], pm["age_max"])
    v.note(PACEA_NEED, "Parcours contractualisé avec la Mission Locale ; le CEJ en est une phase.")


RSA_BENEFICIARY = rule("rsa_orientation.beneficiary", "Demandeur ou bénéficiaire du RSA (art. L.262-27 s. CASF).")
RSA_ORIENTATION = rule(
    "rsa_orientation.orientation",
    "Orientation sociale, socio-professionnelle ou professionnelle vers un organisme référent (France Travail, "
    "Mission Locale, Cap emploi, Département) ; inscription à France Travail depuis le 1er janvier 2025, en "
    "catégorie G jusqu'à l'orientation (loi n° 2023-1196 du 18 décembre 2023).",
)


def rsa_orientation(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    v.check(
        facts.rsa(p),
        RSA_BENEFICIARY,
        "Bénéficiaire du RSA.",
        "Ne perçoit pas le RSA.",
        "RSA à vérifier.",
    )
    v.note(
        RSA_ORIENTATION,
        "Orientation sociale, socio-professionnelle ou professionnelle décidée par le Département ; contrat "
        "d'engagement avec l'organisme référent.",
    )


FT_REGISTERED = rule("ft_accompagnement.registered", "Demandeur d'emploi inscrit à France Travail.")
FT_MODALITY = rule(
    "ft_accompagnement.modality",
    "Modalités d'accompagnement de France Travail en vigueur à la date (paramètre daté : accompagnement intensif "
    "depuis l'arrêté du 6 août 2025 ; le modèle « intensif / agile », expérimental, n'est pas encore daté).",
)


def ft_accompagnement(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    v.check(
        facts.registered(p, on),
        FT_REGISTERED,
        "Inscription à France Travail.",
        "Pas d'inscription à France Travail.",
        REG_UNKNOWN,
    )
    v.note(FT_MODALITY, "Modalités au " + f"{on:%d/%m/%Y} : " + ", ".join(pm["modalities"]) + ".")


GEIQ_PUBLIC = rule(
    "geiq.public",
    "Personnes éloignées de l'emploi recrutées en contrat de professionnalisation ou d'apprentissage par un GEIQ "
    "(art. L.1253-1 C. trav.) : jeunes peu qualifiés, demandeurs d'emploi de longue durée, minima sociaux, RQTH, "
    "résidents QPV… (⚠️ liste réglementaire à confirmer).",
)


def geiq(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    age = facts.age(p, on)
    low_education = None if p.education_level is None else p.education_level in pm["low_education_codes"]
    signals = {
        "jeune peu qualifié": facts.all_true(None if age is None else age < 26, low_education),
        "DELD": facts.at_least(facts.job_seeker_months(p, on), 12),
        "minima sociaux": facts.any_true(facts.rsa(p), p.ass, p.aah),
        "RQTH": p.rqth,
        "résident QPV": p.qpv_resident,
    }
    met = [name for name, value in signals.items() if value]
    if met:
        v.ok(GEIQ_PUBLIC, "Public du GEIQ : " + ", ".join(met) + ".")
    else:
        # The GEIQ judges the distance from employment itself: an empty list is a question, never a refusal.
        v.unknown(GEIQ_PUBLIC, "Éloignement de l'emploi à apprécier par le GEIQ.")


TREMPLIN_BOE = rule(
    "cdd_tremplin.boe",
    "Bénéficiaire de l'obligation d'emploi (RQTH…) sans emploi, recruté par une entreprise adaptée (loi "
    "n° 2018-771 art. 78, expérimentation ⚠️ date de fin à confirmer).",
)
TREMPLIN_UNEMPLOYED = rule("cdd_tremplin.unemployed", "Sans emploi, ou en risque de perte d'emploi.")


def cdd_tremplin(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    value, title = boe(p)
    v.check(
        value,
        TREMPLIN_BOE,
        f"Bénéficiaire de l'obligation d'emploi : {title}.",
        "Aucun titre de l'obligation d'emploi.",
        "Titre de l'obligation d'emploi (RQTH…) à vérifier.",
    )
    category = p.ft_category
    if category == "E":
        v.ko(TREMPLIN_UNEMPLOYED, "Inscription en catégorie E : déjà en emploi.")
    elif category in ("A", "B", "C"):
        v.ok(TREMPLIN_UNEMPLOYED, f"Inscription en catégorie {category}.")
    else:
        v.unknown(TREMPLIN_UNEMPLOYED, "Situation d'emploi à vérifier.")


POEC_REGISTERED = rule(
    "poec.registered",
    "Demandeur d'emploi inscrit à France Travail (préparation opérationnelle à l'emploi collective, art. L.6326-3 "
    "C. trav., financée par un OPCO).",
)


def poec(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    v.check(
        facts.registered(p, on),
        POEC_REGISTERED,
        "Inscription à France Travail.",
        "Pas d'inscription à France Travail.",
        REG_UNKNOWN,
    )


PMSMP_PRESCRIPTION = rule(
    "pmsmp.prescription",
    "Toute personne accompagnée dans une démarche d'insertion, prescrite par France Travail, une Mission Locale, "
    "Cap emploi ou une structure conventionnée (art. L.5135-1 s. C. trav.) ; un mois au plus, renouvelable une fois.",
)


def pmsmp(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    v.note(
        PMSMP_PRESCRIPTION,
        f"Immersion en entreprise de {pm['duration_max_days']} jours au plus, sur prescription.",
    )


GJ_AGE = rule("garantie_jeunes.age", "Jeunes de 16 à 25 ans révolus (dispositif historique, remplacé par le CEJ).")
AIJ_AGE = rule(
    "aij.age", "Jeunes demandeurs d'emploi de moins de 26 ans, 30 ans avec une RQTH (dispositif historique)."
)
AIJ_REGISTERED = rule("aij.registered", "Demandeur d'emploi inscrit à Pôle emploi.")


def garantie_jeunes(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    _age_band(v, GJ_AGE, facts.age(p, on), pm["age_min"], pm["age_max"])


def aij(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    age = facts.age(p, on)
    if age is None:
        v.unknown(AIJ_AGE, AGE_UNKNOWN)
    elif pm["age_min"] <= age <= pm["age_max"]:
        v.ok(AIJ_AGE, f"{at_age(age)}.")
    elif pm["age_min"] <= age <= pm["age_max_rqth"] and p.rqth is not False:
        (v.ok if p.rqth else v.unknown)(AIJ_AGE, f"{at_age(age)} : possible avec une RQTH.")
    else:
        v.ko(AIJ_AGE, f"{at_age(age)} : hors de la tranche d'âge.")
    v.check(
        facts.registered(p, on),
        AIJ_REGISTERED,
        "Inscription à France Travail.",
        "Pas d'inscription à France Travail.",
        REG_UNKNOWN,
    )
