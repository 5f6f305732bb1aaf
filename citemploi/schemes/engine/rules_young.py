"""Rules of the schemes for young people: CEJ, Mission Locale, E2C, EPIDE, apprenticeship, contrat de pro.

Each function reads the scheme's parameters in force (``pm``) and fills a Verdict. Texts are French sentences shown
to caseworkers; identifiers are stable (docs/eligibility.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from citemploi.core.formats import at_age, fr_euros
from citemploi.schemes.engine import facts
from citemploi.schemes.engine.profile import Profile
from citemploi.schemes.engine.result import Verdict, rule

AGE_UNKNOWN = "Date de naissance inconnue : l'âge ne peut pas être vérifié."

CEJ_AGE = rule("cej.age", "Âge de 16 à 25 ans révolus (art. L.5131-6 C. trav., décret 2022-199).")
CEJ_AGE_RQTH = rule("cej.age_rqth", "Jusqu'à 29 ans révolus avec une RQTH (art. L.5131-6 C. trav.).")
CEJ_STUDENT = rule("cej.student", "Ne pas être étudiant (art. L.5131-6 C. trav.).")
CEJ_TRAINING = rule("cej.training", "Ne pas suivre une formation (art. L.5131-6 C. trav.).")
CEJ_DIFFICULTY = rule("cej.difficulty", "Difficultés d'accès à l'emploi durable, appréciées par l'opérateur.")
CEJ_ALLOWANCE = rule(
    "cej.allowance",
    "Montant de l'allocation en vigueur à la date (paramètres datés, revalorisés au 1er juillet 2022 puis chaque "
    "1er avril ; art. D.5131-20 s. C. trav.).",
)


def cej(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    age = facts.age(p, on)
    low, high, high_rqth = pm["age_min"], pm["age_max"], pm["age_max_rqth"]
    band = f"de {low} à {high} ans révolus"
    if age is None:
        v.unknown(CEJ_AGE, AGE_UNKNOWN)
    elif low <= age <= high:
        v.ok(CEJ_AGE, f"{at_age(age)} : dans la tranche {band}.")
    elif age < low:
        v.ko(CEJ_AGE, f"{at_age(age)} : moins de {low} ans.")
    elif age <= high_rqth and p.rqth:
        v.ok(CEJ_AGE_RQTH, f"{at_age(age)} avec une RQTH : dérogation jusqu'à {high_rqth} ans révolus.")
    elif age <= high_rqth and p.rqth is None:
        v.unknown(CEJ_AGE_RQTH, f"{at_age(age)} : possible jusqu'à {high_rqth} ans révolus avec une RQTH (à vérifier).")
    else:
        v.ko(CEJ_AGE, f"{at_age(age)} : au-delà de {high} ans révolus ({high_rqth} avec une RQTH).")
    v.check(
        facts.negate(p.student), CEJ_STUDENT, "Pas d'études en cours.", "Études en cours.", "Statut étudiant inconnu."
    )
    v.check(
        facts.negate(p.in_training),
        CEJ_TRAINING,
        "Ne suit pas de formation.",
        "Suit une formation.",
        "Formation en cours : information inconnue.",
    )
    v.note(
        CEJ_DIFFICULTY,
        "Les difficultés d'accès à l'emploi durable sont appréciées par la Mission Locale ou France Travail.",
    )
    if "allowance_adult_eur" in pm:
        v.note(
            CEJ_ALLOWANCE,
            f"Allocation en vigueur au {on:%d/%m/%Y} : {fr_euros(pm['allowance_adult_eur'])} par mois au plus (majeur "
            f"d'un foyer non imposable), {fr_euros(pm['allowance_adult_taxable_eur'])} (1re tranche), "
            f"{fr_euros(pm['allowance_minor_eur'])} (mineur).{_allowance_staleness(on, pm)}",
        )


def _allowance_staleness(on: dt.date, pm: dict[str, Any]) -> str:
    """The amounts are revalued each 1 April: say so when the date is past a revaluation nobody entered yet."""
    year = pm.get("allowance_year")
    if year is None or on < dt.date(int(year) + 1, 4, 1):
        return ""
    due = on.year if on >= dt.date(on.year, 4, 1) else on.year - 1
    return (
        f" Montants du 1er avril {year} : la revalorisation du 1er avril {due} n'est pas encore saisie dans "
        "citemploi ; vérifier le montant auprès de France Travail ou de la Mission Locale."
    )


ML_AGE = rule("mission_locale.age", "Jeunes de 16 à 25 ans révolus (réseau des Missions Locales).")
ML_SCHOOL = rule("mission_locale.out_of_school", "Sortis du système scolaire.")


def mission_locale(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    _age_band(v, ML_AGE, facts.age(p, on), pm["age_min"], pm["age_max"])
    v.check(
        facts.negate(p.student),
        ML_SCHOOL,
        "Est sorti du système scolaire.",
        "Est encore scolarisé ou étudiant.",
        "Scolarité en cours : information inconnue.",
    )


E2C_AGE = rule("e2c.age", "Jeunes de 16 à 25 ans révolus (art. L.214-14 code de l'éducation).")
E2C_QUALIFICATION = rule("e2c.qualification", "Sortis du système scolaire sans qualification (art. L.214-14 C. éduc.).")
EPIDE_AGE = rule("epide.age", "Jeunes de 16 à 25 ans révolus à l'entrée (art. L.130-1 code du service national).")
EPIDE_DIFFICULTY = rule(
    "epide.difficulty",
    "Difficultés sociales et professionnelles, appréciées par l'EPIDE (art. L.130-1 code du service national).",
)
EPIDE_QUALIFICATION = rule(
    "epide.qualification",
    "Priorité aux jeunes sans diplôme ou peu qualifiés : un motif, jamais une exclusion (la loi ne pose pas de "
    "condition de diplôme).",
)
EPIDE_VOLUNTEER = rule(
    "epide.volunteer", "Engagement volontaire, en internat (contrat de volontariat pour l'insertion)."
)


def e2c(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    _age_band(v, E2C_AGE, facts.age(p, on), pm["age_min"], pm["age_max"])
    _no_qualification(v, E2C_QUALIFICATION, p, pm)


def epide(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    _age_band(v, EPIDE_AGE, facts.age(p, on), pm["age_min"], pm["age_max"])
    v.note(EPIDE_DIFFICULTY, "Les difficultés sociales et professionnelles sont appréciées par l'EPIDE.")
    qualified = p.has_qualification
    if qualified is None and p.education_level is not None:
        qualified = p.education_level not in pm["no_qualification_codes"]
    if qualified is False:
        v.note(EPIDE_QUALIFICATION, "Sans diplôme ni qualification : public prioritaire.")
    elif qualified:
        v.note(EPIDE_QUALIFICATION, "A une qualification : pas prioritaire, mais l'entrée reste possible.")
    v.note(EPIDE_VOLUNTEER, "L'entrée repose sur le volontariat du jeune, en internat.")


APP_AGE = rule("apprentissage.age", "De 16 à 29 ans révolus au début du contrat (art. L.6222-1 C. trav.).")
APP_AGE_15 = rule("apprentissage.age_15", "Dès 15 ans si le jeune a achevé la classe de 3e (art. L.6222-1 C. trav.).")
APP_RQTH = rule("apprentissage.rqth", "Pas de limite d'âge avec une RQTH (art. L.6222-2 C. trav.).")
APP_EXCEPTIONS = rule(
    "apprentissage.exceptions",
    "Au-delà de 29 ans (art. L.6222-2 C. trav.) : RQTH, projet de création ou de reprise d'entreprise exigeant le "
    "diplôme, sportif de haut niveau (sans limite d'âge) ; contrat successif pour un diplôme supérieur, ou rupture "
    "pour une cause étrangère à l'apprenti (jusqu'à 35 ans révolus).",
)


def apprentissage(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    age = facts.age(p, on)
    low, high, successive = pm["age_min"], pm["age_max"], pm["age_max_successive"]
    if age is None:
        v.unknown(APP_AGE, AGE_UNKNOWN)
    elif low <= age <= high:
        v.ok(APP_AGE, f"{at_age(age)} : dans la tranche de {low} à {high} ans révolus.")
    elif age == pm["age_min_after_3e"]:
        v.unknown(APP_AGE_15, f"{at_age(age)} : possible seulement si la classe de 3e est achevée.")
    elif age < low:
        v.ko(APP_AGE, f"{at_age(age)} : moins de {low} ans.")
    elif p.rqth:
        v.ok(APP_RQTH, f"{at_age(age)} avec une RQTH : pas de limite d'âge.")
    else:
        until = f" (contrat successif ou rupture : jusqu'à {successive} ans)" if age <= successive else ""
        v.unknown(
            APP_EXCEPTIONS,
            f"{at_age(age)} : possible par exception — RQTH, création ou reprise d'entreprise exigeant le diplôme, "
            f"sportif de haut niveau, contrat successif pour un diplôme supérieur ou rupture indépendante de "
            f"l'apprenti{until}.",
        )


PRO_AGE = rule("contrat_pro.age", "Jeunes de 16 à 25 ans révolus (art. L.6325-1 C. trav.).")
PRO_JOB_SEEKER = rule("contrat_pro.job_seeker", "Demandeurs d'emploi de 26 ans et plus (art. L.6325-1 C. trav.).")
PRO_MINIMA = rule("contrat_pro.minima", "Bénéficiaires du RSA, de l'ASS ou de l'AAH (art. L.6325-1 C. trav.).")
PRO_CUI = rule(
    "contrat_pro.cui",
    "Personnes ayant bénéficié d'un contrat unique d'insertion (CUI) (art. L.6325-1 4° C. trav.).",
)


def contrat_pro(p: Profile, on: dt.date, pm: dict[str, Any], v: Verdict) -> None:
    age = facts.age(p, on)
    young = facts.age_band(age, pm["age_min"], pm["age_max"])
    if young:
        v.ok(PRO_AGE, f"{at_age(age)} : dans la tranche de {pm['age_min']} à {pm['age_max']} ans révolus.")
        return
    if age is not None and age < pm["age_min"]:
        v.ko(PRO_AGE, f"{at_age(age)} : moins de {pm['age_min']} ans.")
        return
    minima = facts.any_true(facts.rsa(p), p.ass, p.aah)
    if minima:
        v.ok(PRO_MINIMA, "Bénéficiaire du RSA, de l'ASS ou de l'AAH.")
        return
    if p.former_cui:
        v.ok(PRO_CUI, "A bénéficié d'un contrat unique d'insertion (CUI).")
        return
    adult = None if age is None else age >= pm["job_seeker_age_min"]
    job_seeker = facts.all_true(adult, facts.registered(p, on))
    if job_seeker:
        v.ok(PRO_JOB_SEEKER, f"Demandeur d'emploi de {age} ans.")
    elif job_seeker is None or minima is None or p.former_cui is None:
        v.unknown(
            PRO_JOB_SEEKER,
            "À vérifier : inscription à France Travail (26 ans et plus), RSA, ASS, AAH ou ancien contrat unique "
            "d'insertion (CUI).",
        )
    else:
        v.ko(
            PRO_AGE,
            f"{at_age(age)} : ni dans la tranche de {pm['age_min']} à {pm['age_max']} ans, ni demandeur d'emploi, "
            "ni bénéficiaire du RSA, de l'ASS ou de l'AAH, ni ancien titulaire d'un CUI.",
        )


def _age_band(v: Verdict, rule_id: str, age: int | None, low: int, high: int) -> None:
    if age is None:
        v.unknown(rule_id, AGE_UNKNOWN)
    elif low <= age <= high:
        v.ok(rule_id, f"{at_age(age)} : dans la tranche de {low} à {high} ans révolus.")
    else:
        v.ko(rule_id, f"{at_age(age)} : hors de la tranche de {low} à {high} ans révolus.")


def _no_qualification(v: Verdict, rule_id: str, p: Profile, pm: dict[str, Any]) -> None:
    """No qualification: the explicit field first, else an ASP level meaning "sans qualification"."""
    value = p.has_qualification
    if value is None and p.education_level in pm["no_qualification_codes"]:
        value = False
    v.check(
        facts.negate(value),
        rule_id,
        "N'a pas de qualification.",
        "A déjà une qualification.",
        "Qualification (diplôme) inconnue.",
    )
