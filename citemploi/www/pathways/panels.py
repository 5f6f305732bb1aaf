"""The « Dispositifs accessibles » panel of the person page (issue 6 §4, issue 11 §2): the engine's answer for every
scheme — accessible, à vérifier (with the questions to ask the person, each a link to the field to fill), non
accessible (one click away, with why) — the rule version applied, and a « Proposer » button that creates a
mobilisation (proposée) through the pathways service."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citemploi.pathways.choices import RSA, BoeTitle, FreinTheme, Housing, QPVStatus
from citemploi.pathways.models import Frein, Person, RegistrationPeriod
from citemploi.pathways.permissions import Sight
from citemploi.pathways.states import FreinState, PathwayState
from citemploi.schemes.engine import ELIGIBLE, NOT_ELIGIBLE, TO_CHECK, Profile, Result, facts
from citemploi.schemes.engine.profile import Period
from citemploi.schemes.selectors import eligibility_for_person

_QPV = {QPVStatus.IN: True, QPVStatus.OUT: False}  # "à vérifier", unknown, not located: unknown
_RSA = {RSA.NO: "none", RSA.MAJORE: "majore", RSA.NON_MAJORE: "non_majore"}
# The IAE criterion reads "sans hébergement, hébergé ou parcours de rue": emergency or insertion housing counts;
# being housed by relatives may or may not, so it stays unknown (to check) like "autre" and an empty answer.
_HOMELESS = {Housing.HOMELESS: True, Housing.SHELTER: True, Housing.OWN: False}
_OPEN_FREIN = {FreinState.IDENTIFIED, FreinState.IN_PROGRESS}


def _registration(person: Person) -> tuple[date | Literal[False] | None, str | None]:
    """(ft_registered_since, ft_category) in the engine's terms: « non » is a known "not registered" (False, no
    category ""); « non renseigné » is unknown (None); registered without a date or category: those are unknown."""
    if person.ft_registered is False:
        return False, ""
    return person.ft_registered_since, person.ft_category or None


def person_profile(person: Person, freins: Iterable[Frein] = (), periods: Iterable[RegistrationPeriod] = ()) -> Profile:
    """The engine's Profile for ``person`` (None = unknown, as on the record). Includes RQTH and justice: full
    sight only. ``freins`` are those already loaded for the page (an open mobility frein is a mobility problem;
    without one the problem is unknown, never "no"); ``periods`` the stored registration history."""
    since, category = _registration(person)
    mobility = True if any(f.theme == FreinTheme.MOBILITY and f.state in _OPEN_FREIN for f in freins) else None
    history: tuple[Period, ...] = tuple((p.start, p.end, p.category or None) for p in periods)
    boe_title = None if person.boe_title is None else ("" if person.boe_title == BoeTitle.NONE else person.boe_title)
    return Profile(
        id=str(person.public_id),
        birth_date=person.birth_date,
        qpv_resident=_QPV.get(QPVStatus(person.qpv_status)),
        education_level=person.education_level or None,
        ft_registered=person.ft_registered,
        ft_registered_since=since,
        ft_category=category,
        ft_periods=history,
        rsa=_RSA.get(RSA(person.rsa)) if person.rsa else None,
        ass=person.ass,
        aah=person.aah,
        rqth=person.rqth,
        boe_title=boe_title,
        single_parent=person.single_parent,
        homeless=_HOMELESS.get(Housing(person.housing)) if person.housing else None,
        justice=person.justice,
        french_below_a1=person.french_below_a1,
        mobility_problem=mobility,
        student=person.student,
        in_training=person.in_training,
        former_cui=person.former_cui,
    )


#: Profile fact → (the question to ask the person, neutral wording; the field of the edit form, or "").
QUESTIONS: dict[str, tuple[Any, str]] = {
    "birth_date": (_("Quelle est la date de naissance de la personne ?"), "birth_date"),
    "rqth": (_("La personne a-t-elle une RQTH ?"), "rqth"),
    "aah": (_("La personne perçoit-elle l'AAH ?"), "aah"),
    "boe_title": (
        _(
            "La personne a-t-elle un autre titre de l'obligation d'emploi (pension d'invalidité, rente AT/MP d'au "
            "moins 10 %, pension militaire, allocation de sapeur-pompier volontaire, carte mobilité inclusion "
            "« invalidité ») ?"
        ),
        "boe_title",
    ),
    "ass": (_("La personne perçoit-elle l'ASS ?"), "ass"),
    "rsa": (_("La personne perçoit-elle le RSA (majoré ou non) ?"), "rsa"),
    "student": (_("La personne est-elle étudiante ?"), "student"),
    "in_training": (_("La personne suit-elle une formation ?"), "in_training"),
    "ft_registered": (_("La personne est-elle inscrite à France Travail ?"), "ft_registered"),
    "ft_registered_since": (_("Depuis quand la personne est-elle inscrite à France Travail ?"), "ft_registered_since"),
    "ft_category": (_("Dans quelle catégorie France Travail la personne est-elle inscrite ?"), "ft_category"),
    "single_parent": (_("La personne est-elle parent isolé ?"), "single_parent"),
    "justice": (_("La personne est-elle sous main de justice ou sortante de détention ?"), "justice"),
    "french_below_a1": (_("Le niveau de français de la personne est-il inférieur à A1 ?"), "french_below_a1"),
    "homeless": (_("Quelle est la situation de logement de la personne ?"), "housing"),
    "education_level": (_("Quel est le niveau de formation de la personne ?"), "education_level"),
    "qpv_resident": (_("Où la personne habite-t-elle (adresse, pour savoir si elle réside en QPV) ?"), "address"),
    "former_cui": (_("La personne a-t-elle déjà eu un contrat unique d'insertion (CUI) ?"), "former_cui"),
    "mobility_problem": (_("La personne a-t-elle un problème de mobilité ?"), ""),
    "hiring_promise": (_("La personne a-t-elle une promesse d'embauche (contrat et durée) ?"), ""),
    "zrr_resident": (_("La personne réside-t-elle en zone de revitalisation rurale (ZRR / FRR) ?"), ""),
    "refugee": (_("La personne est-elle réfugiée, sous protection ou demandeuse d'asile ?"), ""),
    "ase_leaver": (_("La personne sort-elle de l'aide sociale à l'enfance (ASE) ?"), ""),
}
_REGISTRATION = ("ft_registered", "ft_registered_since", "ft_category")
_MINIMA = ("rsa", "ass", "aah")
_BOE = ("rqth", "aah", "boe_title")
_IAE = (
    *_MINIMA,
    *_REGISTRATION,
    "birth_date",
    "education_level",
    "ase_leaver",
    "rqth",
    "single_parent",
    "homeless",
    "refugee",
    "zrr_resident",
    "qpv_resident",
    "justice",
    "french_below_a1",
    "mobility_problem",
)
#: Rule id (or prefix before the last dot) → the profile facts it reads when it answers « à vérifier ».
RULE_FACTS: dict[str, tuple[str, ...]] = {
    "cej.age_rqth": ("rqth",),
    "cej.student": ("student",),
    "cej.training": ("in_training",),
    "mission_locale.out_of_school": ("student",),
    "e2c.qualification": ("education_level",),
    "apprentissage.exceptions": ("rqth",),
    "contrat_pro.job_seeker": (*_REGISTRATION[:1], *_MINIMA, "former_cui"),
    "cap_emploi.boe": _BOE,
    "cdd_tremplin.boe": _BOE,
    "cdd_tremplin.unemployed": _REGISTRATION,
    "pec.unemployed": _REGISTRATION,
    "poei.promise": ("hiring_promise",),
    "afpr.promise": ("hiring_promise",),
    "plie.public": (*_REGISTRATION, "education_level", *_MINIMA),
    "plie.territory": ("qpv_resident",),
    "iae.siae.aci_ei_eiti": _IAE,
    "iae.siae.ai_etti": _IAE,
    "rsa_orientation.beneficiary": ("rsa",),
    "geiq.public": ("birth_date", "education_level", *_REGISTRATION, *_MINIMA, "rqth", "qpv_resident"),
    "emplois_francs.qpv": ("qpv_resident",),
    "emplois_francs.job_seeker": _REGISTRATION,
    "accompagnement_global.social": (),
}
_AGE_RULES = ("age",)
_REGISTERED_RULES = ("registered",)


def _facts_of(rule_id: str) -> tuple[str, ...]:
    if rule_id in RULE_FACTS:
        return RULE_FACTS[rule_id]
    suffix = rule_id.rsplit(".", 1)[-1]
    if suffix in _AGE_RULES:
        return ("birth_date",)
    if suffix in _REGISTERED_RULES:
        return _REGISTRATION
    return ()


def _unknown(profile: Profile, fact: str) -> bool:
    if fact == "ft_registered_since":
        return profile.ft_registered_since is None and profile.ft_registered is not False and not profile.ft_periods
    if fact == "ft_category":
        return profile.ft_category is None and profile.ft_registered is not False
    if fact == "ft_registered":
        return profile.ft_registered is None and not isinstance(profile.ft_registered_since, date)
    return getattr(profile, fact, None) is None


@dataclass(frozen=True)
class Question:
    text: str
    url: str  # the edit form, anchored to the field ("" when the record has no field for it)


@dataclass(frozen=True)
class PanelLine:
    result: Result
    questions: tuple[Question, ...]
    to_check: tuple[str, ...]  # what the operator appraises (no question of the record answers it)


def _line(result: Result, profile: Profile, edit_url: str) -> PanelLine:
    if result.answer != TO_CHECK:
        return PanelLine(result, (), ())
    missing = set(result.missing)
    questions: dict[str, Question] = {}
    others: list[str] = []
    for reason in result.reasons:
        if reason.text not in missing:
            continue
        facts = [fact for fact in _facts_of(reason.rule) if _unknown(profile, fact)]
        for fact in facts:
            text, field = QUESTIONS[fact]
            questions.setdefault(str(text), Question(str(text), f"{edit_url}#id_{field}" if field else ""))
        if not facts:
            others.append(reason.text)
    return PanelLine(result, tuple(questions.values()), tuple(others))


def panel_lines(profile: Profile, results: list[Result], edit_url: str) -> dict[str, list[PanelLine]]:
    """The answers grouped: ``eligible``, ``to_check`` (with their questions), ``not_eligible`` — none dropped."""
    groups: dict[str, list[PanelLine]] = {ELIGIBLE: [], TO_CHECK: [], NOT_ELIGIBLE: []}
    for result in results:
        groups[result.answer].append(_line(result, profile, edit_url))
    return groups


def eligibility_context(person: Person, sight: Sight, freins: Iterable[Frein] = ()) -> dict[str, Any]:
    """The panel's context (three queries, whatever the cohort: the registration history and the catalogue).
    Only with full sight: the profile reads sensitive facts, and only the referent's structure may propose."""
    if not sight.full:
        return {"eligibility_panel": False}
    today = timezone.localdate()
    periods = list(person.registration_periods.all())
    profile = person_profile(person, freins, periods)
    results = eligibility_for_person(profile, today)
    groups = panel_lines(profile, results, reverse("pathways:person_edit", args=[person.public_id]))
    versions = [r.rule_version for r in results if r.rule_version]
    seniority = facts.job_seeker_months(profile, today)
    if facts.at_least(seniority, 24):
        long_term = "DETLD"
    elif facts.at_least(seniority, 12):
        long_term = "DELD"
    else:
        long_term = ""
    return {
        "eligibility_panel": True,
        "registration_periods": periods,
        "long_term_unemployment": long_term,  # from every period in A, B, C (the page's properties read one)
        "eligibility": results,
        "eligibility_groups": groups,
        "eligibility_on": today,
        "eligibility_latest_version": max(versions) if versions else None,
        # After an exit nothing more is proposed: the panel stays, without its « Proposer » buttons.
        "propose_url": ""
        if person.pathway.state == PathwayState.EXITED
        else reverse("pathways:mobilisation_propose", args=[person.public_id]),
    }
