"""Invariants of the engine, over generated profiles and dates (hypothesis)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from citemploi.schemes.engine import ELIGIBLE, RULES, Profile, age_on, evaluate
from citemploi.schemes.engine.defaults import default_catalogue
from citemploi.schemes.engine.profile import (
    BOE_TITLES,
    EDUCATION_LEVELS,
    FT_CATEGORIES,
    HIRING_PROMISES,
    RSA_VALUES,
)

CATALOGUE = default_catalogue()
tri = st.sampled_from([True, False, None])
dates = st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2030, 12, 31))
IAE_FLAGS = (
    "qpv_resident",
    "zrr_resident",
    "ass",
    "aah",
    "rqth",
    "single_parent",
    "homeless",
    "refugee",
    "ase_leaver",
    "justice",
    "french_below_a1",
    "mobility_problem",
)

profiles = st.builds(
    Profile,
    birth_date=st.none() | st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2016, 12, 31)),
    education_level=st.none() | st.sampled_from(list(EDUCATION_LEVELS)),
    ft_registered_since=st.none()
    | st.just(False)
    | st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2030, 1, 1)),
    ft_category=st.none() | st.sampled_from([*FT_CATEGORIES, ""]),
    rsa=st.none() | st.sampled_from(RSA_VALUES),
    hiring_promise=st.none() | st.sampled_from([*HIRING_PROMISES, ""]),
    hiring_promise_months=st.none() | st.integers(0, 24),
    boe_title=st.none() | st.sampled_from([*BOE_TITLES, ""]),
    **{
        name: tri for name in (*IAE_FLAGS, "student", "in_training", "has_qualification", "ft_registered", "former_cui")
    },
)

#: Facts whose "unknown" must never be worse than every known value (issue 11: unknown is never "no").
TRI_FACTS = (*IAE_FLAGS, "student", "in_training", "has_qualification", "ft_registered", "former_cui")


@settings(max_examples=60, deadline=None)
@given(profiles, dates, st.sampled_from(TRI_FACTS))
def test_an_unknown_fact_is_never_a_refusal_that_a_known_value_would_lift(profile, on, fact):
    unknown = replace(profile, **{fact: None})
    refused = {(r.scheme, r.route) for r in evaluate(unknown, on, CATALOGUE) if r.answer == "not_eligible"}
    for value in (True, False):
        for r in evaluate(replace(profile, **{fact: value}), on, CATALOGUE):
            if (r.scheme, r.route) in refused:
                assert r.answer != ELIGIBLE, (fact, value, r)


def _iae_eligible(profile: Profile, on: dt.date) -> set[str | None]:
    return {r.route for r in evaluate(profile, on, CATALOGUE) if r.scheme == "iae" and r.answer == ELIGIBLE}


@settings(max_examples=60, deadline=None)
@given(profiles, dates, st.sampled_from([*IAE_FLAGS, "rsa"]))
def test_adding_an_iae_criterion_never_removes_an_eligibility(profile, on, criterion):
    before = _iae_eligible(profile, on)
    value = "majore" if criterion == "rsa" else True
    after = _iae_eligible(replace(profile, **{criterion: value}), on)
    assert before <= after


@settings(max_examples=60, deadline=None)
@given(profiles, st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_never_eligible_outside_the_validity_of_a_scheme(profile, on):
    schemes = {s.code: s for s in CATALOGUE.schemes}
    for result in evaluate(profile, on, CATALOGUE):
        if result.answer == ELIGIBLE:
            assert schemes[result.scheme].in_force(on), result


@settings(max_examples=60, deadline=None)
@given(profiles, dates)
def test_every_emitted_rule_is_declared(profile, on):
    for result in evaluate(profile, on, CATALOGUE):
        assert result.reasons
        for reason in result.reasons:
            assert reason.rule in RULES


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2015, 12, 31)), st.integers(0, 60))
def test_age_changes_exactly_on_the_birthday(birth, years):
    try:
        birthday = birth.replace(year=birth.year + years)
    except ValueError:  # 29 February: the birthday falls on 1 March in common years
        birthday = dt.date(birth.year + years, 3, 1)
    assert age_on(birth, birthday) == years
    assert age_on(birth, birthday - dt.timedelta(days=1)) == years - 1


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=dt.date(1980, 1, 1), max_value=dt.date(2012, 12, 31)), dates)
def test_cej_age_boundary_is_the_26th_birthday(birth, on):
    profile = Profile(birth_date=birth, student=False, in_training=False, rqth=False)
    cej = next(r for r in evaluate(profile, on, CATALOGUE) if r.scheme == "cej")
    if cej.answer == ELIGIBLE:
        assert 16 <= age_on(birth, on) <= 25
    elif on >= dt.date(2022, 3, 1) and 16 <= age_on(birth, on) <= 25:
        raise AssertionError(cej)
