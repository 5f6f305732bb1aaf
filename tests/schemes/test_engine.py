"""The engine's answers at every boundary (pure: the default catalogue, no database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from citemploi.schemes.engine import ELIGIBLE, NOT_ELIGIBLE, TO_CHECK, Profile, age_on, evaluate
from citemploi.schemes.engine.defaults import default_catalogue

CATALOGUE = default_catalogue()
ON = dt.date(2025, 6, 1)


def born(age: int, *, days_before_birthday: int = 0, on: dt.date = ON) -> dt.date:
    """A birth date giving exactly ``age`` on ``on``; with ``days_before_birthday`` the next birthday is that
    many days after ``on``."""
    anniversary = on.replace(year=on.year - age)
    if days_before_birthday:
        return on.replace(year=on.year - age - 1) + dt.timedelta(days=days_before_birthday)
    return anniversary


def answers(profile: Profile, on: dt.date = ON) -> dict[tuple[str, str | None], str]:
    return {(r.scheme, r.route): r.answer for r in evaluate(profile, on, CATALOGUE)}


def answer(profile: Profile, scheme: str, route: str | None = None, on: dt.date = ON) -> str:
    return answers(profile, on)[(scheme, route)]


def test_age_is_in_completed_years():
    assert age_on(dt.date(2000, 6, 2), dt.date(2026, 6, 1)) == 25  # 26 the next day
    assert age_on(dt.date(2000, 6, 1), dt.date(2026, 6, 1)) == 26
    assert age_on(dt.date(2004, 2, 29), dt.date(2025, 2, 28)) == 20
    assert age_on(dt.date(2004, 2, 29), dt.date(2025, 3, 1)) == 21


YOUNG = Profile(student=False, in_training=False, rqth=False, has_qualification=False)


@pytest.mark.parametrize(
    ("scheme", "low", "high"),
    [("cej", 16, 25), ("mission_locale", 16, 25), ("e2c", 16, 25), ("epide", 16, 25), ("apprentissage", 16, 29)],
)
def test_age_bands_of_young_schemes(scheme, low, high):
    assert answer(replace(YOUNG, birth_date=born(low)), scheme) == ELIGIBLE
    assert answer(replace(YOUNG, birth_date=born(high, days_before_birthday=1)), scheme) == ELIGIBLE
    above = answer(replace(YOUNG, birth_date=born(high + 1)), scheme)
    assert above == (TO_CHECK if scheme == "apprentissage" else NOT_ELIGIBLE)  # 30: the exceptions, to check
    below = answer(replace(YOUNG, birth_date=born(low - 1, days_before_birthday=1)), scheme)
    assert below == (TO_CHECK if scheme == "apprentissage" else NOT_ELIGIBLE)  # 15: after the 3e only


def test_cej_up_to_29_with_rqth():
    assert answer(replace(YOUNG, birth_date=born(29, days_before_birthday=1), rqth=True), "cej") == ELIGIBLE
    assert answer(replace(YOUNG, birth_date=born(30), rqth=True), "cej") == NOT_ELIGIBLE
    assert answer(replace(YOUNG, birth_date=born(27), rqth=None), "cej") == TO_CHECK
    assert answer(replace(YOUNG, birth_date=born(20), student=True), "cej") == NOT_ELIGIBLE


def test_cej_before_it_existed():
    result = next(
        r
        for r in evaluate(replace(YOUNG, birth_date=dt.date(2000, 1, 1)), dt.date(2022, 2, 28), CATALOGUE)
        if r.scheme == "cej"
    )
    assert result.answer == NOT_ELIGIBLE
    assert result.reasons[0].rule == "catalogue.not_yet"


def test_apprenticeship_has_no_upper_age_with_rqth():
    assert answer(replace(YOUNG, birth_date=born(45), rqth=True), "apprentissage") == ELIGIBLE
    assert answer(replace(YOUNG, birth_date=born(30)), "apprentissage") == TO_CHECK  # other exceptions unknown


def test_contrat_pro_paths():
    assert answer(Profile(birth_date=born(25, days_before_birthday=1)), "contrat_pro") == ELIGIBLE
    adult = Profile(birth_date=born(40), rsa="none", ass=False, aah=False, former_cui=False)
    assert answer(replace(adult, ft_registered_since=dt.date(2025, 1, 1)), "contrat_pro") == ELIGIBLE
    assert answer(replace(adult, ft_registered_since=False), "contrat_pro") == NOT_ELIGIBLE
    assert answer(replace(adult, ft_registered_since=False, aah=True), "contrat_pro") == ELIGIBLE
    assert answer(Profile(birth_date=born(40)), "contrat_pro") == TO_CHECK


NOBODY = Profile(
    birth_date=born(35),
    qpv_resident=False,
    zrr_resident=False,
    education_level="40",
    ft_registered_since=False,
    ft_category="",
    rsa="none",
    ass=False,
    aah=False,
    rqth=False,
    single_parent=False,
    homeless=False,
    refugee=False,
    ase_leaver=False,
    justice=False,
    french_below_a1=False,
    mobility_problem=False,
)


def iae(profile: Profile, on: dt.date = ON) -> tuple[str, str, str]:
    a = answers(profile, on)
    return a[("iae", "prescriber")], a[("iae", "siae_aci_ei_eiti")], a[("iae", "siae_ai_etti")]


def test_iae_without_criteria_only_through_a_prescriber():
    assert iae(NOBODY) == (ELIGIBLE, NOT_ELIGIBLE, NOT_ELIGIBLE)


@pytest.mark.parametrize("change", [{"rsa": "majore"}, {"rsa": "non_majore"}, {"ass": True}, {"aah": True}])
def test_iae_one_level1_criterion_opens_every_route(change):
    assert iae(replace(NOBODY, **change)) == (ELIGIBLE, ELIGIBLE, ELIGIBLE)


def test_iae_level2_counts_per_route():
    two = replace(NOBODY, qpv_resident=True, mobility_problem=True)
    assert iae(two) == (ELIGIBLE, NOT_ELIGIBLE, ELIGIBLE)
    assert iae(replace(two, single_parent=True)) == (ELIGIBLE, ELIGIBLE, ELIGIBLE)
    assert iae(replace(NOBODY, qpv_resident=True)) == (ELIGIBLE, NOT_ELIGIBLE, NOT_ELIGIBLE)


def test_iae_deld_and_detld_come_from_the_registration_date():
    qpv = replace(NOBODY, qpv_resident=True)
    qpv = replace(qpv, ft_category="A")
    eleven = replace(qpv, ft_registered_since=dt.date(2024, 6, 2))  # 11 full months on 2025-06-01
    twelve = replace(qpv, ft_registered_since=dt.date(2024, 6, 1))
    twenty_four = replace(qpv, ft_registered_since=dt.date(2023, 6, 1))
    assert iae(eleven)[2] == NOT_ELIGIBLE  # QPV only
    assert iae(twelve)[2] == ELIGIBLE  # QPV + DELD
    assert iae(twelve)[1] == NOT_ELIGIBLE
    assert iae(twenty_four)[1] == ELIGIBLE  # DETLD is level 1
    rules = {reason.rule for r in evaluate(twenty_four, ON, CATALOGUE) for reason in r.reasons}
    assert "iae.level1.detld" in rules and "iae.level2.deld" not in rules


def test_iae_young_and_senior_boundaries():
    qpv_mobility = replace(NOBODY, qpv_resident=True, mobility_problem=True)
    assert iae(replace(qpv_mobility, birth_date=born(25, days_before_birthday=1)))[1] == ELIGIBLE
    assert iae(replace(qpv_mobility, birth_date=born(26)))[1] == NOT_ELIGIBLE
    assert iae(replace(qpv_mobility, birth_date=born(50)))[1] == ELIGIBLE
    assert iae(replace(qpv_mobility, birth_date=born(49, days_before_birthday=1)))[1] == NOT_ELIGIBLE


def test_iae_missing_data_is_to_check_with_what_is_missing():
    result = next(r for r in evaluate(Profile(qpv_resident=True), ON, CATALOGUE) if r.route == "siae_aci_ei_eiti")
    assert result.answer == TO_CHECK
    assert any("RSA" in text for text in result.missing)


def test_emplois_francs_closed_after_2024():
    person = Profile(qpv_resident=True, ft_registered_since=dt.date(2023, 1, 1))
    assert answer(person, "emplois_francs", on=dt.date(2024, 6, 1)) == ELIGIBLE
    after = next(r for r in evaluate(person, dt.date(2026, 6, 1), CATALOGUE) if r.scheme == "emplois_francs")
    assert after.answer == NOT_ELIGIBLE
    assert after.reasons[0].rule == "catalogue.closed"
    assert "31/12/2024" in after.reasons[0].text
    assert answer(person, "emplois_francs", on=dt.date(2024, 12, 31)) == ELIGIBLE
    assert answer(person, "emplois_francs", on=dt.date(2025, 1, 1)) == NOT_ELIGIBLE
    assert answer(replace(person, qpv_resident=False), "emplois_francs", on=dt.date(2024, 6, 1)) == NOT_ELIGIBLE


def test_emplois_francs_before_generalisation_is_to_check():
    person = Profile(qpv_resident=True, ft_registered_since=dt.date(2017, 1, 1))
    assert answer(person, "emplois_francs", on=dt.date(2019, 6, 1)) == TO_CHECK
    assert answer(person, "emplois_francs", on=dt.date(2020, 1, 1)) == ELIGIBLE


def test_vae_minimum_experience_removed_in_2024():
    assert answer(Profile(), "vae", on=dt.date(2023, 12, 31)) == TO_CHECK
    assert answer(Profile(), "vae", on=dt.date(2024, 1, 1)) == ELIGIBLE
    versions = {r.rule_version for r in evaluate(Profile(), dt.date(2024, 1, 1), CATALOGUE) if r.scheme == "vae"}
    assert versions == {dt.date(2024, 1, 1)}


BEFORE_REFORM, REFORM = dt.date(2024, 6, 19), dt.date(2024, 6, 20)


@pytest.mark.parametrize(
    ("scheme", "on", "promise", "months", "expected"),
    [
        ("poei", BEFORE_REFORM, "cdi", None, ELIGIBLE),
        ("poei", BEFORE_REFORM, "cdd", 12, ELIGIBLE),
        ("poei", BEFORE_REFORM, "cdd", 11, NOT_ELIGIBLE),
        ("poei", BEFORE_REFORM, "interim", 9, NOT_ELIGIBLE),
        ("poei", REFORM, "cdd", 6, ELIGIBLE),
        ("poei", REFORM, "cdd", 5, NOT_ELIGIBLE),
        ("poei", REFORM, "interim", 6, ELIGIBLE),
        ("poei", REFORM, "seasonal", 4, ELIGIBLE),
        ("poei", REFORM, "seasonal", 3, NOT_ELIGIBLE),
        ("poei", REFORM, "work_study", 6, ELIGIBLE),
        ("poei", REFORM, "cdd", None, TO_CHECK),
        ("afpr", BEFORE_REFORM, "cdd", 6, ELIGIBLE),
        ("afpr", BEFORE_REFORM, "cdd", 11, ELIGIBLE),
        ("afpr", BEFORE_REFORM, "cdd", 12, NOT_ELIGIBLE),
        ("afpr", BEFORE_REFORM, "interim", 6, ELIGIBLE),
        ("afpr", BEFORE_REFORM, "cdi", None, NOT_ELIGIBLE),
        ("afpr", REFORM, "cdd", 6, NOT_ELIGIBLE),  # abolished with the reform
        ("poei", REFORM, "", None, NOT_ELIGIBLE),
        ("poei", REFORM, None, None, TO_CHECK),
    ],
)
def test_pre_hiring_training(scheme, on, promise, months, expected):
    person = Profile(ft_registered_since=dt.date(2024, 1, 1), hiring_promise=promise, hiring_promise_months=months)
    assert answer(person, scheme, on=on) == expected
    if expected == ELIGIBLE:
        assert answer(replace(person, ft_registered_since=False, ft_category=""), scheme, on=on) == NOT_ELIGIBLE


def test_cap_emploi_and_pec():
    assert answer(Profile(rqth=True), "cap_emploi") == ELIGIBLE
    assert answer(Profile(rqth=False, aah=False), "cap_emploi") == TO_CHECK  # the other titles are unknown
    assert answer(Profile(rqth=False, aah=False, boe_title=""), "cap_emploi") == NOT_ELIGIBLE
    assert answer(Profile(rqth=False, aah=False, boe_title="invalidity"), "cap_emploi") == ELIGIBLE
    assert answer(Profile(ft_category="A"), "pec") == ELIGIBLE
    assert answer(Profile(ft_category="E"), "pec") == NOT_ELIGIBLE
    assert answer(Profile(), "pec") == TO_CHECK


def test_plie_defaults():
    adult = Profile(birth_date=born(40), qpv_resident=True, rsa="non_majore")
    # No age condition until the Métropole's protocol is entered: to check, never "non accessible" by age.
    assert answer(adult, "plie") == TO_CHECK
    assert answer(replace(adult, birth_date=born(20)), "plie") == TO_CHECK
    assert answer(replace(adult, qpv_resident=False), "plie") == TO_CHECK


def test_registration_after_the_reference_date_does_not_count():
    person = Profile(ft_registered_since=dt.date(2025, 7, 1), hiring_promise="cdi")
    assert answer(person, "poei") == NOT_ELIGIBLE
    assert answer(replace(person, ft_registered_since=dt.date(2025, 6, 1)), "poei") == ELIGIBLE


def test_every_result_has_a_version_and_reasons():
    for result in evaluate(Profile(), ON, CATALOGUE):
        assert result.reasons and result.rule_version is not None
