"""Issue 11 §3, §6, §7: the rules as the law stands in late 2026, each at both sides of its boundary (the day before,
the day of, the day after). Pure: the default catalogue, no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from citemploi.schemes.engine import ELIGIBLE, NOT_ELIGIBLE, TO_CHECK, Catalogue, ParameterValue, Profile, evaluate
from citemploi.schemes.engine.defaults import default_catalogue
from citemploi.schemes.engine.facts import job_seeker_months

CATALOGUE = default_catalogue()
D = dt.date
DAY = dt.timedelta(days=1)


def result(profile: Profile, scheme: str, on: dt.date, catalogue: Catalogue = CATALOGUE, route: str | None = None):
    return next(r for r in evaluate(profile, on, catalogue) if r.scheme == scheme and r.route == route)


def answer(profile: Profile, scheme: str, on: dt.date, catalogue: Catalogue = CATALOGUE) -> str:
    return result(profile, scheme, on, catalogue).answer


def three_days(day: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    return day - DAY, day, day + DAY


# --- EPIDE: 16 to 25 inclusive (L.130-1 code du service national), no diploma condition ------------------------


def test_epide_from_the_16th_birthday_to_the_day_before_the_26th():
    birth = D(2005, 3, 10)
    before, on16, after = three_days(D(2021, 3, 10))
    assert [answer(Profile(birth_date=birth), "epide", d) for d in (before, on16, after)] == [
        NOT_ELIGIBLE,
        ELIGIBLE,
        ELIGIBLE,
    ]
    before, on26, after = three_days(D(2031, 3, 10))
    assert [answer(Profile(birth_date=birth), "epide", d) for d in (before, on26, after)] == [
        ELIGIBLE,
        NOT_ELIGIBLE,
        NOT_ELIGIBLE,
    ]


def test_epide_has_no_diploma_condition_the_priority_is_a_reason():
    on = D(2026, 12, 1)
    qualified = Profile(birth_date=D(2004, 1, 1), has_qualification=True, education_level="40")
    assert answer(qualified, "epide", on) == ELIGIBLE
    low = result(replace(qualified, has_qualification=False, education_level="00"), "epide", on)
    assert low.answer == ELIGIBLE
    assert any(r.rule == "epide.qualification" and "prioritaire" in r.text for r in low.reasons)


# --- POEI (décret 2024-561) and AFPR (abolished) -------------------------------------------------------------

REGISTERED = Profile(ft_registered_since=D(2024, 1, 1), ft_category="A")


def test_poei_six_month_cdd_around_the_reform():
    cdd6 = replace(REGISTERED, hiring_promise="cdd", hiring_promise_months=6)
    assert [answer(cdd6, "poei", d) for d in three_days(D(2024, 6, 20))] == [NOT_ELIGIBLE, ELIGIBLE, ELIGIBLE]
    seasonal = replace(REGISTERED, hiring_promise="seasonal", hiring_promise_months=4)
    assert [answer(seasonal, "poei", d) for d in three_days(D(2024, 6, 20))] == [NOT_ELIGIBLE, ELIGIBLE, ELIGIBLE]
    cdd12 = replace(REGISTERED, hiring_promise="cdd", hiring_promise_months=12)
    assert [answer(cdd12, "poei", d) for d in three_days(D(2024, 6, 20))] == [ELIGIBLE] * 3
    assert result(cdd6, "poei", D(2024, 6, 20)).rule_version == D(2024, 6, 20)


def test_afpr_closes_with_the_reform_like_emplois_francs():
    cdd8 = replace(REGISTERED, hiring_promise="cdd", hiring_promise_months=8)
    before, last, after = D(2024, 6, 18), D(2024, 6, 19), D(2024, 6, 20)
    assert [answer(cdd8, "afpr", d) for d in (before, last, after)] == [ELIGIBLE, ELIGIBLE, NOT_ELIGIBLE]
    assert result(cdd8, "afpr", after).reasons[0].rule == "catalogue.closed"


# --- Cap emploi: every beneficiary of the employment obligation (L.5212-13) -------------------------------------


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"rqth": True}, ELIGIBLE),
        ({"aah": True}, ELIGIBLE),
        ({"rqth": False, "aah": False, "boe_title": "at_mp"}, ELIGIBLE),
        ({"rqth": False, "aah": False, "boe_title": "cmi"}, ELIGIBLE),
        ({"rqth": False, "aah": False, "boe_title": ""}, NOT_ELIGIBLE),
        ({"rqth": False}, TO_CHECK),  # only some facts known
        ({"rqth": None, "aah": False, "boe_title": ""}, TO_CHECK),
        ({}, TO_CHECK),
    ],
)
def test_cap_emploi_reads_every_title(facts, expected):
    found = result(Profile(**facts), "cap_emploi", D(2026, 12, 1))
    assert found.answer == expected
    if expected == TO_CHECK:
        assert "pension d'invalidité" in found.missing[0]


# --- Apprenticeship over 29: the exceptions, to check -----------------------------------------------------------


def test_apprenticeship_turns_to_check_on_the_30th_birthday_with_the_exceptions():
    person = Profile(birth_date=D(1996, 12, 1), rqth=False)
    before, on30, after = three_days(D(2026, 12, 1))
    assert answer(person, "apprentissage", before) == ELIGIBLE
    for day in (on30, after):
        found = result(person, "apprentissage", day)
        assert found.answer == TO_CHECK
        text = found.missing[0]
        assert "création ou reprise d'entreprise" in text and "sportif de haut niveau" in text
        assert "35 ans" in text
    assert answer(replace(person, rqth=True), "apprentissage", on30) == ELIGIBLE
    assert answer(replace(person, birth_date=D(1970, 1, 1)), "apprentissage", on30) == TO_CHECK  # never a refusal


# --- Contrat de professionnalisation: former CUI holders ---------------------------------------------------------


def test_contrat_pro_route_for_former_cui_holders():
    on = D(2026, 12, 1)
    adult = Profile(birth_date=D(1980, 1, 1), ft_registered=False, rsa="none", ass=False, aah=False)
    assert answer(replace(adult, former_cui=True), "contrat_pro", on) == ELIGIBLE
    assert result(replace(adult, former_cui=True), "contrat_pro", on).reasons[0].rule == "contrat_pro.cui"
    assert answer(replace(adult, former_cui=False), "contrat_pro", on) == NOT_ELIGIBLE
    assert answer(adult, "contrat_pro", on) == TO_CHECK


# --- PLIE: the age condition has no default -------------------------------------------------------------------


def _with(rows: list[ParameterValue]) -> Catalogue:
    return Catalogue.build(CATALOGUE.schemes, [*CATALOGUE.parameters, *rows])


def test_plie_age_is_to_check_until_the_protocol_gives_one_then_applies_from_its_date():
    person = Profile(birth_date=D(2002, 1, 1), qpv_resident=True, rsa="majore")  # 25 until 31 December 2027
    found = result(person, "plie", D(2026, 12, 1))
    assert found.answer == TO_CHECK
    assert any(r.rule == "plie.age" for r in found.reasons)
    protocol = _with([ParameterValue("plie", "age_min", 26, D(2027, 1, 1))])
    # The coordination enters 26 from 1 January 2027 (the seeded "non saisi" row is then closed by the service).
    closed = Catalogue.build(
        protocol.schemes,
        [
            replace(p, valid_to=D(2026, 12, 31)) if (p.scheme, p.key) == ("plie", "age_min") and p.value == "" else p
            for p in protocol.parameters
        ],
    )
    days = three_days(D(2027, 1, 1))
    assert [answer(person, "plie", d, closed) for d in days] == [TO_CHECK, NOT_ELIGIBLE, NOT_ELIGIBLE]


# --- CEJ allowance: dated revaluations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "amount"),
    [
        (D(2022, 6, 30), "500 €"),
        (D(2022, 7, 1), "520 €"),
        (D(2022, 7, 2), "520 €"),
        (D(2023, 3, 31), "520 €"),
        (D(2023, 4, 1), "528 €"),  # ⚠️ computed back from 2024: see docs/eligibility.md
        (D(2024, 3, 31), "528 €"),
        (D(2024, 4, 1), "552,29 €"),
        (D(2025, 3, 31), "552,29 €"),
        (D(2025, 4, 1), "561,68 €"),
        (D(2026, 12, 1), "561,68 €"),
    ],
)
def test_cej_shows_the_allowance_in_force_on_the_date(day, amount):
    found = result(Profile(birth_date=D(2004, 1, 1)), "cej", day)
    text = next(r.text for r in found.reasons if r.rule == "cej.allowance")
    assert amount.replace(" €", "\u00a0€") + " par mois" in text  # the euro sign after a no-break space


@pytest.mark.parametrize(
    ("day", "warned"),
    [(D(2026, 3, 31), False), (D(2026, 4, 1), True), (D(2026, 4, 2), True), (D(2025, 4, 1), False)],
)
def test_cej_says_when_the_revaluation_of_1_april_is_not_entered_yet(day, warned):
    found = result(Profile(birth_date=D(2004, 1, 1)), "cej", day)
    text = next(r.text for r in found.reasons if r.rule == "cej.allowance")
    assert ("la revalorisation du 1er avril 2026 n'est pas encore saisie" in text) is warned


def test_france_travail_modalities_gain_the_intensive_support_on_9_august_2025():
    def modalities(day):
        found = result(Profile(), "ft_accompagnement", day)
        return next(r.text for r in found.reasons if r.rule == "ft_accompagnement.modality")

    assert "accompagnement intensif" not in modalities(D(2025, 8, 8))
    assert "accompagnement intensif" in modalities(D(2025, 8, 9))
    assert "accompagnement intensif" in modalities(D(2025, 8, 10))


# --- DELD / DETLD from registration periods in A, B, C -------------------------------------------------------------


def test_deld_counts_the_current_registration_in_a_b_c_from_its_start():
    person = Profile(ft_periods=((D(2024, 6, 1), None, "A"),))
    assert [job_seeker_months(person, d) for d in three_days(D(2025, 6, 1))] == [(11, 11), (12, 12), (12, 12)]


def test_category_e_past_registrations_and_gaps_do_not_count():
    assert job_seeker_months(Profile(ft_periods=((D(2020, 1, 1), None, "E"),)), D(2025, 6, 1)) == (0, 0)
    ended = Profile(ft_periods=((D(2020, 1, 1), D(2024, 12, 31), "A"),))
    assert job_seeker_months(ended, D(2025, 6, 1)) == (0, 0)
    gap = Profile(ft_periods=((D(2022, 1, 1), D(2024, 5, 30), "A"), (D(2024, 6, 1), None, "B")))
    assert job_seeker_months(gap, D(2025, 6, 1)) == (12, 12)  # the day without registration breaks the run
    adjacent = Profile(ft_periods=((D(2022, 1, 1), D(2024, 5, 31), "A"), (D(2024, 6, 1), None, "C")))
    assert job_seeker_months(adjacent, D(2025, 6, 1)) == (41, 41)
    in_d = Profile(ft_periods=((D(2022, 1, 1), D(2024, 5, 31), "D"), (D(2024, 6, 1), None, "A")))
    assert job_seeker_months(in_d, D(2025, 6, 1)) == (12, 12)


def test_the_single_registration_date_is_one_period_in_the_current_category():
    assert job_seeker_months(Profile(ft_registered_since=D(2023, 6, 1), ft_category="A"), D(2025, 6, 1)) == (24, 24)
    assert job_seeker_months(Profile(ft_registered_since=D(2023, 6, 1), ft_category="E"), D(2025, 6, 1)) == (0, 0)
    assert job_seeker_months(Profile(ft_registered_since=D(2023, 6, 1)), D(2025, 6, 1)) == (0, 24)  # category?
    assert job_seeker_months(Profile(), D(2025, 6, 1)) is None
    assert job_seeker_months(Profile(ft_registered=False), D(2025, 6, 1)) == (0, 0)


def _iae_rules(profile: Profile, on: dt.date) -> set[str]:
    found = result(profile, "iae", on, route="siae_ai_etti")
    return {r.rule for r in found.reasons}


def test_iae_detld_at_24_months_in_a_b_c_and_unknown_category_is_to_check():
    qpv = Profile(qpv_resident=True, ft_periods=((D(2023, 6, 1), None, "B"),))
    days = three_days(D(2025, 6, 1))
    assert ["iae.level1.detld" in _iae_rules(qpv, d) for d in days] == [False, True, True]
    assert "iae.level2.deld" in _iae_rules(qpv, days[0])
    unknown = Profile(qpv_resident=True, ft_registered_since=D(2023, 6, 1))
    missing = result(unknown, "iae", D(2025, 6, 1), route="siae_aci_ei_eiti").missing
    assert any("catégorie A, B ou C" in text for text in missing)


# --- New and historical schemes ------------------------------------------------------------------------------------


def test_historical_garantie_jeunes_and_aij_close_on_28_february_2022():
    young = Profile(birth_date=D(2000, 1, 1), ft_registered_since=D(2021, 1, 1), ft_category="A", rqth=False)
    for scheme in ("garantie_jeunes", "aij"):
        assert [answer(young, scheme, d) for d in (D(2022, 2, 27), D(2022, 2, 28), D(2022, 3, 1))] == [
            ELIGIBLE,
            ELIGIBLE,
            NOT_ELIGIBLE,
        ]


def test_rsa_orientation_from_1_january_2025():
    person = Profile(rsa="majore")
    assert [answer(person, "rsa_orientation", d) for d in three_days(D(2025, 1, 1))] == [
        NOT_ELIGIBLE,
        ELIGIBLE,
        ELIGIBLE,
    ]
    assert answer(Profile(rsa="none"), "rsa_orientation", D(2026, 1, 1)) == NOT_ELIGIBLE
    assert answer(Profile(), "rsa_orientation", D(2026, 1, 1)) == TO_CHECK


def test_pacea_ages_and_the_other_new_schemes():
    on = D(2026, 12, 1)
    assert answer(Profile(birth_date=D(2001, 12, 2)), "pacea", on) == ELIGIBLE  # 25, 26 the next day
    assert answer(Profile(birth_date=D(2000, 12, 1)), "pacea", on) == NOT_ELIGIBLE
    assert answer(Profile(), "pmsmp", on) == ELIGIBLE
    assert answer(Profile(), "geiq", on) == TO_CHECK  # the GEIQ appraises: never a refusal
    assert answer(Profile(qpv_resident=True), "geiq", on) == ELIGIBLE
    assert answer(Profile(rqth=True, ft_category="A", ft_registered_since=D(2026, 1, 1)), "cdd_tremplin", on) == (
        ELIGIBLE
    )
    assert answer(Profile(rqth=True, ft_category="E"), "cdd_tremplin", on) == NOT_ELIGIBLE
    assert answer(REGISTERED, "poec", on) == ELIGIBLE
    assert answer(Profile(ft_registered=False), "poec", on) == NOT_ELIGIBLE
    assert answer(REGISTERED, "ft_accompagnement", on) == ELIGIBLE


def test_a_blank_27_year_old_is_never_refused_what_needs_a_question():
    """The done-when of issue 11 at the engine level: only a birth date, 27 years ago."""
    on = D(2026, 12, 1)
    person = Profile(birth_date=D(1999, 12, 1))
    answers = {(r.scheme, r.route): r.answer for r in evaluate(person, on, CATALOGUE)}
    for scheme in ("cej", "cap_emploi", "contrat_pro", "plie", "poei"):
        assert answers[(scheme, None)] == TO_CHECK, scheme
    # 16 to 29 at the start of the contract (L.6222-1): at 27 the age condition is met, nothing else is asked.
    assert answers[("apprentissage", None)] == ELIGIBLE
    refused = {scheme for (scheme, _), a in answers.items() if a == NOT_ELIGIBLE}
    assert refused == {"mission_locale", "e2c", "epide", "pacea", "afpr", "emplois_francs", "garantie_jeunes", "aij"}
