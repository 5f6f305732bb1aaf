"""Rules of PEC, emplois francs, Cap emploi, POEI, AFPR, PLIE, accompagnement global and VAE."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from citemploi.core.formats import at_age
from citemploi.schemes.engine import facts
from citemploi.schemes.engine.profile import BOE_TITLES, Profile
from citemploi.schemes.engine.result import Verdict, rule

REG_UNKNOWN = "Inscription à France Travail inconnue."

PEC_UNEMPLOYED = rule("pec.unemployed", "Personne sans emploi (art. L.5134-20 C. trav.).")
PEC_DIAGNOSTIC = rule(
    "pec.diagnostic",
    "Difficultés sociales et professionnelles, prescription après diagnostic par France Travail, la Mission Locale, "
    "Cap emploi ou le Département (art. L.5134-20 C. trav., circulaire PEC).",
)
PEC_PRIORITY = rule("pec.priority", "Publics prioritaires : résidents des QPV et des ZRR, personnes avec une RQTH.")


def pec(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    category = p.ft_category
    if category == "E":
        v.ko(PEC_UNEMPLOYED, "Inscription en catégorie E : déjà en emploi.")
    elif category in pm["unemployed_categories"]:
        v.ok(PEC_UNEMPLOYED, f"Inscription en catégorie {category} : sans emploi.")
    else:
        v.unknown(
            PEC_UNEMPLOYED, "Situation d'emploi à vérifier (catégorie France Travail inconnue ou pas d'inscription)."
        )
    v.note(PEC_DIAGNOSTIC, "Prescription après un diagnostic des difficultés sociales et professionnelles.")
    if p.qpv_resident or p.zrr_resident or p.rqth:
        v.note(PEC_PRIORITY, "Fait partie des publics prioritaires (QPV, ZRR ou RQTH).")


EF_QPV = rule("emplois_francs.qpv", "Résider dans un quartier prioritaire (décret 2019-1471).")
EF_JOB_SEEKER = rule(
    "emplois_francs.job_seeker",
    "Être demandeur d'emploi inscrit ou jeune suivi par une Mission Locale (décret 2019-1471).",
)
EF_TERRITORY = rule(
    "emplois_francs.generalisation",
    "Avant la généralisation à tous les QPV (1er janvier 2020), seuls les territoires de l'expérimentation étaient couverts.",
)


def emplois_francs(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    if on < dt.date.fromisoformat(pm["generalised_from"]):
        v.unknown(
            EF_TERRITORY, "Avant la généralisation : vérifier que le quartier faisait partie de l'expérimentation."
        )
    v.check(p.qpv_resident, EF_QPV, "Réside en QPV.", "Ne réside pas en QPV.", "Résidence en QPV inconnue.")
    reg = facts.registered(p, on)
    if reg:
        v.ok(EF_JOB_SEEKER, "Inscription à France Travail.")
        return
    young = facts.age_band(facts.age(p, on), 16, pm["ml_age_max"])
    if reg is None or young is not False:
        v.unknown(EF_JOB_SEEKER, "Inscription à France Travail ou suivi par une Mission Locale à vérifier.")
    else:
        v.ko(EF_JOB_SEEKER, "Ni inscription à France Travail, ni âge permettant un suivi par une Mission Locale.")


CAP_BOE = rule(
    "cap_emploi.boe",
    "Bénéficiaire de l'obligation d'emploi (art. L.5212-13 C. trav.) : RQTH, rente AT/MP (incapacité ≥ 10 %), "
    "pension d'invalidité, pensions militaires ou de victime de guerre, allocation de sapeur-pompier volontaire, "
    "carte mobilité inclusion « invalidité », AAH.",
)
BOE_ALL = (
    "RQTH, AAH, rente AT/MP (incapacité ≥ 10 %), pension d'invalidité, pension militaire ou de victime de guerre, "
    "allocation de sapeur-pompier volontaire ou carte mobilité inclusion « invalidité »"
)


def boe(p: Profile) -> tuple[bool | None, str]:
    """Beneficiary of the employment obligation (L.5212-13) and the title that makes it, three-valued."""
    if p.rqth:
        return True, "RQTH"
    if p.aah:
        return True, "AAH"
    if p.boe_title:
        return True, BOE_TITLES.get(p.boe_title, p.boe_title)
    return facts.any_true(p.rqth, p.aah, None if p.boe_title is None else False), ""


def cap_emploi(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    value, title = boe(p)
    v.check(
        value,
        CAP_BOE,
        f"Bénéficiaire de l'obligation d'emploi : {title}.",
        f"Aucun titre de l'obligation d'emploi ({BOE_ALL}).",
        f"Titre de l'obligation d'emploi à vérifier ({BOE_ALL}).",
    )


POEI_REGISTERED = rule(
    "poei.registered", "Demandeur d'emploi inscrit à France Travail (art. L.6326-1 C. trav. ; instruction 2022-12)."
)
POEI_PROMISE = rule(
    "poei.promise",
    "Promesse d'embauche : depuis le décret n° 2024-561 du 18 juin 2024, CDI, CDD d'au moins 6 mois, intérim d'au "
    "moins 6 mois sur les 9 mois suivants, contrat saisonnier d'au moins 4 mois ou alternance d'au moins 6 mois ; "
    "auparavant CDI, CDD ou alternance d'au moins 12 mois (instruction 2022-12).",
)
AFPR_REGISTERED = rule(
    "afpr.registered", "Demandeur d'emploi inscrit à France Travail (instruction France Travail 2022-12)."
)
AFPR_PROMISE = rule(
    "afpr.promise",
    "Promesse d'embauche en CDD de 6 à moins de 12 mois, alternance de moins de 12 mois ou intérim d'au moins "
    "6 mois sur 9 mois (instruction 2022-12) ; l'AFPR est supprimée avec la réforme de 2024.",
)
PROMISE_KINDS = {
    "cdi": "un CDI",
    "cdd": "un CDD",
    "interim": "des missions d'intérim",
    "seasonal": "un contrat saisonnier",
    "work_study": "un contrat en alternance",
}


def poei(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    _pre_hiring(p, on, pm, v, POEI_REGISTERED, POEI_PROMISE)


def afpr(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    _pre_hiring(p, on, pm, v, AFPR_REGISTERED, AFPR_PROMISE)


def promise_bounds(entries: list[str]) -> dict[str, tuple[int, int | None]]:
    """Parameter entries "kind", "kind:min" or "kind:min-max" (months, max inclusive) → {kind: (min, max)}."""
    return _promise_bounds(tuple(entries))


@functools.lru_cache(maxsize=64)
def _promise_bounds(entries: tuple[str, ...]) -> dict[str, tuple[int, int | None]]:
    out: dict[str, tuple[int, int | None]] = {}
    for entry in entries:
        kind, _, span = entry.partition(":")
        low, _, high = span.partition("-")
        out[kind.strip()] = (int(low or 0), int(high) if high else None)
    return out


def _pre_hiring(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict, reg_rule: str, promise_rule: str) -> None:
    v.check(
        facts.registered(p, on),
        reg_rule,
        "Inscription à France Travail.",
        "Pas d'inscription à France Travail.",
        REG_UNKNOWN,
    )
    kind, months = p.hiring_promise, p.hiring_promise_months
    hours = pm["training_hours_max"]
    admitted = promise_bounds(pm["promise_contracts"])
    if kind is None:
        v.unknown(promise_rule, "Promesse d'embauche inconnue.")
        return
    if not kind:
        v.ko(promise_rule, "Pas de promesse d'embauche.")
        return
    label = PROMISE_KINDS.get(kind, kind)
    if kind not in admitted:
        v.ko(promise_rule, f"La promesse d'embauche porte sur {label}, hors du champ de ce dispositif.")
        return
    low, high = admitted[kind]
    if kind == "cdi" or (low == 0 and high is None):
        v.ok(promise_rule, f"Promesse d'embauche pour {label} ; formation de {hours} h au plus.")
    elif months is None:
        v.unknown(promise_rule, f"Durée du contrat promis inconnue ({label} : au moins {low} mois).")
    elif months >= low and (high is None or months <= high):
        v.ok(promise_rule, f"Promesse d'embauche pour {label} de {months} mois ; formation de {hours} h au plus.")
    else:
        bound = f"au moins {low} mois" if high is None else f"de {low} à {high} mois"
        v.ko(promise_rule, f"Promesse d'embauche pour {label} de {months} mois : il faut {bound}.")


PLIE_AGE = rule(
    "plie.age",
    "Condition d'âge du protocole local du PLIE : paramètre sans valeur par défaut, saisi par la coordination "
    "(à vérifier tant qu'il ne l'est pas).",
)
PLIE_PUBLIC = rule(
    "plie.public",
    "Public du protocole local : chômage de longue durée, faible qualification ou minima sociaux (paramètres).",
)
PLIE_TERRITORY = rule("plie.territory", "Résider sur le territoire du PLIE (les QPV de la Métropole en font partie).")
PLIE_COMMISSION = rule(
    "plie.commission", "Entrée validée par la commission d'agrément du PLIE ; parcours de 36 mois au plus."
)


def plie(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    age = facts.age(p, on)
    age_min = pm.get("age_min")
    if age_min in (None, ""):
        v.unknown(PLIE_AGE, "Condition d'âge du protocole local du PLIE non saisie : à vérifier auprès du PLIE.")
    else:
        v.check(
            None if age is None else age >= int(age_min),
            PLIE_AGE,
            f"{at_age(age)} : au moins {age_min} ans.",
            f"{at_age(age)} : moins de {age_min} ans.",
            "Date de naissance inconnue.",
        )
    v.check(
        facts.any_true(*(_plie_criterion(name, p, on, pm) for name in pm["criteria"])),
        PLIE_PUBLIC,
        "Relève du public du PLIE (chômage de longue durée, faible qualification ou minima sociaux).",
        "Ne relève d'aucun des critères du protocole local.",
        "Critères du protocole local à renseigner (inscription, niveau d'étude, minima sociaux).",
    )
    if p.qpv_resident:
        v.ok(PLIE_TERRITORY, "Réside en QPV, sur le territoire du PLIE.")
    else:
        v.unknown(PLIE_TERRITORY, "Résidence sur le territoire du PLIE à vérifier.")
    v.note(
        PLIE_COMMISSION,
        f"Entrée validée par la commission du PLIE ; parcours de {pm['duration_max_months']} mois au plus.",
    )


def _plie_criterion(name: str, p: Profile, on: dt.date, pm: dict[str, Any]) -> bool | None:
    if name == "deld":
        return facts.at_least(facts.job_seeker_months(p, on), pm["deld_months_min"])
    if name == "low_qualification":
        return None if p.education_level is None else p.education_level in pm["low_education_codes"]
    if name == "minima_sociaux":
        return facts.any_true(facts.rsa(p), p.ass, p.aah)
    return None  # a criterion the engine does not know: the coordinator's wording, checked by a person


AG_REGISTERED = rule("accompagnement_global.registered", "Demandeur d'emploi inscrit à France Travail.")
AG_SOCIAL = rule(
    "accompagnement_global.social",
    "Difficultés sociales en plus des difficultés professionnelles, établies par un diagnostic partagé France "
    "Travail – Département (protocole national 2014).",
)


def accompagnement_global(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    v.check(
        facts.registered(p, on),
        AG_REGISTERED,
        "Inscription à France Travail.",
        "Pas d'inscription à France Travail.",
        REG_UNKNOWN,
    )
    signals = [name for name in pm["social_difficulty_signals"] if _signal(p, name)]
    if signals:
        v.unknown(
            AG_SOCIAL, "Difficultés sociales repérées : le diagnostic partagé France Travail – Département décide."
        )
    else:
        v.unknown(AG_SOCIAL, "Aucune difficulté sociale repérée dans la fiche : à apprécier au diagnostic partagé.")


def _signal(p: Profile, name: str) -> bool:
    return bool(facts.rsa(p)) if name == "rsa" else bool(getattr(p, name, None))


VAE_EXPERIENCE = rule(
    "vae.experience",
    "Expérience en rapport direct avec la certification visée ; aucune durée minimale depuis le 1er janvier 2024 "
    "(loi 2022-1598, décret 2023-1275), un an auparavant.",
)


def vae(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    months = pm["min_experience_months"]
    if months:
        v.unknown(VAE_EXPERIENCE, f"Justifier d'au moins {months} mois d'expérience en rapport avec la certification.")
    else:
        v.note(VAE_EXPERIENCE, "Toute personne justifiant d'une expérience en rapport avec la certification visée.")
