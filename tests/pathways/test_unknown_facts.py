"""Issue 11 §1: every fact the engine reads is oui / non / non renseigné on the record — the data migration, the
form, the API — and §4/§6: exit categories in calendar months, the PLIE variant, one CAP/BEP definition."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from citemploi.pathways import services
from citemploi.pathways.exits import exit_category, lasts_months
from citemploi.pathways.models import Person
from tests.conftest import login_client
from tests.factories.pathways import make_person

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("citemploi.pathways.migrations.0006_unknown_facts")
FACTS = ("rsa", "ass", "aah", "single_parent", "french_below_a1", "rqth", "justice", "student", "in_training")


def test_a_new_record_has_every_fact_non_renseigne(world):
    person = make_person(by=world.users["referent"])
    assert all(getattr(person, name) is None for name in (*FACTS, "ft_registered", "ft_category", "housing"))
    assert all(getattr(person, name) is None for name in ("boe_title", "former_cui"))


def _old_defaults(person: Person, **values) -> None:
    """Put the record back as the old schema stored it (defaults « non » / unticked / empty)."""
    old = {name: False for name in FACTS if name not in ("rsa", "in_training")}
    Person.objects.filter(pk=person.pk).update(**{**old, "rsa": "non", "ft_category": "", "housing": "", **values})


def test_migration_turns_old_defaults_nobody_set_into_non_renseigne(world):
    agent = world.users["referent"]
    untouched = make_person(by=agent)
    _old_defaults(untouched)
    answered = make_person(by=agent)
    # A user answered « non » to RQTH and ASS on purpose after creation, ticked « parent isolé », and cleared the
    # France Travail date: the audit trail names those fields.
    services.person_update(
        by=agent,
        person=answered,
        changes=services.PersonChanges(rqth=True, ass=True, ft_registered_since=dt.date(2024, 1, 1)),
    )
    services.person_update(
        by=agent, person=Person.objects.get(pk=answered.pk), changes=services.PersonChanges(rqth=False, ass=False)
    )
    services.person_update(
        by=agent, person=Person.objects.get(pk=answered.pk), changes=services.PersonChanges(ft_registered_since=None)
    )
    _old_defaults(answered, single_parent=True, rsa="majore")
    registered = make_person(by=agent, ft_registered_since=dt.date(2023, 5, 1))
    _old_defaults(registered, student=True, ft_category="A", housing="famille")
    anonymised = make_person(by=agent)
    _old_defaults(anonymised, rqth=False, justice=False, anonymised_at=timezone.now())

    MIGRATION.to_unknown(apps, None)

    untouched.refresh_from_db()
    assert [getattr(untouched, n) for n in FACTS] == [None] * len(FACTS)
    assert (untouched.ft_registered, untouched.ft_category, untouched.housing) == (None, None, None)
    answered.refresh_from_db()
    assert (answered.rqth, answered.ass, answered.single_parent, answered.rsa) == (False, False, True, "majore")
    assert (answered.aah, answered.justice, answered.french_below_a1) == (None, None, None)  # never touched
    assert answered.ft_registered is False  # the date was cleared by a user: « non inscrit »
    registered.refresh_from_db()
    assert (registered.ft_registered, registered.ft_category, registered.housing) == (True, "A", "famille")
    assert (registered.student, registered.in_training) == (None, None)  # « étudiant ou en formation »: which?
    anonymised.refresh_from_db()
    assert (anonymised.rqth, anonymised.justice, anonymised.rsa) == (None, None, None)


def test_migration_docstring_says_what_became_non_renseigne():
    doc = MIGRATION.__doc__ or ""
    assert "non renseigné" in doc and "audit trail" in doc and "étudiant ou en formation" in doc


def test_the_form_offers_non_renseigne_and_keeps_it(world):
    agent = world.users["referent"]
    person = make_person(by=agent, rqth=True)
    client = login_client(agent)
    url = reverse("pathways:person_edit", args=[person.public_id])
    page = client.get(url).content.decode()
    assert '<option value="unknown">Non renseigné</option>' in page or "Non renseigné</option>" in page
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_date": person.birth_date.isoformat(),
        "rqth": "unknown",
        "ass": "false",
        "aah": "true",
        "rsa": "",
        "ft_registered": "false",
        "former_cui": "unknown",
        "version": person.version,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert (person.rqth, person.ass, person.aah, person.rsa, person.ft_registered) == (None, False, True, None, False)


def test_the_api_documents_unknown_as_null(world):
    from rest_framework.test import APIClient

    agent = world.users["referent"]
    person = make_person(by=agent, aah=False)
    client = APIClient()
    client.force_authenticate(agent)
    data = client.get(f"/api/v1/persons/{person.public_id}/").json()
    assert data["aah"] is False
    assert data["rqth"] is None and data["rsa"] is None and data["ft_registered"] is None
    assert data["is_deld"] is None  # registration unknown
    patched = client.patch(f"/api/v1/persons/{person.public_id}/", {"aah": None, "rqth": True}, format="json")
    assert patched.status_code == 200, patched.content
    person.refresh_from_db()
    assert (person.aah, person.rqth) == (None, True)


# --- Exit categories (issue 11 §4) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "durable"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 6, 30), True),  # 1 January – 30 June: 6 months
        (dt.date(2026, 1, 1), dt.date(2026, 6, 29), False),
        (dt.date(2026, 1, 1), dt.date(2026, 7, 1), True),
        (dt.date(2026, 8, 31), dt.date(2027, 2, 26), False),  # 31 August + 6 months = 28 February (clamped)
        (dt.date(2026, 8, 31), dt.date(2027, 2, 27), True),
    ],
)
def test_contract_duration_is_counted_from_start_to_end_both_included(start, end, durable):
    assert lasts_months(start, end, 6) is durable
    expected = "emploi_durable" if durable else "emploi_transition"
    assert exit_category("cdd", start=dt.date(2026, 9, 1), contract_end=end, contract_start=start) == expected


def test_the_exit_records_contract_start_and_weekly_hours(world):
    agent = world.users["referent"]
    person = make_person(by=agent, spotted_on=dt.date(2025, 12, 1))
    first_contact = timezone.make_aware(dt.datetime(2026, 1, 5, 10))
    services.contact_record(by=agent, person=person, kind="rdv", happened_at=first_contact)
    exit_ = services.exit_record(
        by=agent,
        person=person,
        exited_on=dt.date(2026, 3, 1),
        situation="cdd",
        contract_start_on=dt.date(2026, 1, 1),
        contract_end_on=dt.date(2026, 6, 30),
        weekly_hours=20,
    )
    assert exit_.category == "emploi_durable"  # from the contract's start, not the exit date
    assert (exit_.contract_start_on, float(exit_.weekly_hours)) == (dt.date(2026, 1, 1), 20.0)


@override_settings(PATHWAYS_EXIT_DEFINITION="plie", PATHWAYS_HALF_TIME_HOURS=17.5)
def test_plie_definition_needs_at_least_half_time():
    args = {"start": dt.date(2026, 1, 1), "contract_end": dt.date(2026, 6, 30)}
    assert exit_category("cdd", weekly_hours=17.5, **args) == "emploi_durable"
    assert exit_category("cdd", weekly_hours=17.4, **args) == "emploi_transition"
    assert exit_category("cdi", start=dt.date(2026, 1, 1), contract_end=None, weekly_hours=10) == "emploi_transition"
    with pytest.raises(ValueError, match="weekly_hours"):
        exit_category("cdi", start=dt.date(2026, 1, 1), contract_end=None)


def test_followups_record_whether_the_person_is_still_employed(world):
    agent = world.users["referent"]
    person = make_person(by=agent)
    services.contact_record(by=agent, person=person, kind="rdv", happened_at=timezone.now())
    exit_ = services.exit_record(by=agent, person=person, exited_on=dt.date.today(), situation="cdi")
    six = exit_.followups.get(months=6)
    assert six.durable_employment is None
    services.followup_record(by=agent, followup=six, done_on=dt.date.today(), situation="cdi", still_employed=True)
    six.refresh_from_db()
    assert six.still_employed is True and six.durable_employment is True


# --- One definition of « CAP/BEP ou infra » (issue 11 §6) -----------------------------------------------------


def test_cap_bep_or_below_is_one_constant_for_the_engine_the_record_and_the_catalogue():
    from citemploi.pathways.choices import LOW_EDUCATION_LEVELS
    from citemploi.schemes.engine.defaults import PARAMETERS
    from citemploi.schemes.engine.profile import LOW_EDUCATION_CODES

    assert LOW_EDUCATION_CODES == ("00", "01", "50", "51", "70")
    assert frozenset(LOW_EDUCATION_CODES) == LOW_EDUCATION_LEVELS
    seeded = [value for _, key, value, _, _ in PARAMETERS if key == "low_education_codes"]
    assert seeded and all(value == list(LOW_EDUCATION_CODES) for value in seeded)
    from citemploi.schemes.selectors import load_catalogue

    in_db = [p.value for p in load_catalogue().parameters if p.key == "low_education_codes"]
    assert in_db and all(value == list(LOW_EDUCATION_CODES) for value in in_db)


# --- Registration periods (issue 11 §3: DELD / DETLD from periods in A, B, C) -----------------------------------


def test_registration_periods_feed_the_engine_and_the_page(world):
    from citemploi.schemes.engine.facts import job_seeker_months
    from citemploi.www.pathways.panels import person_profile

    agent = world.users["referent"]
    person = make_person(by=agent)
    client = login_client(agent)
    url = reverse("pathways:registration_period_new", args=[person.public_id])
    response = client.post(url, {"start": "2022-01-01", "end": "2023-12-31", "category": "A"})
    assert response.status_code == 302
    client.post(url, {"start": "2024-01-01", "end": "", "category": "E"})
    bad = client.post(url, {"start": "2024-01-01", "end": "2023-01-01", "category": ""})
    assert "La fin de la période doit suivre son début." in bad.content.decode()
    periods = list(person.registration_periods.all())
    assert [(p.start, p.end, p.category) for p in periods] == [
        (dt.date(2022, 1, 1), dt.date(2023, 12, 31), "A"),
        (dt.date(2024, 1, 1), None, "E"),
    ]
    profile = person_profile(person, periods=periods)
    assert job_seeker_months(profile, dt.date(2025, 6, 1)) == (0, 0)  # now in E: the past A period does not count
    assert job_seeker_months(profile, dt.date(2023, 12, 31)) == (23, 23)
    page = client.get(reverse("pathways:person", args=[person.public_id])).content.decode()
    assert "01/01/2022 – 31/12/2023" in page and "catégorie E" in page
    assert "DELD" not in page  # in category E now: the past A period does not make a DELD
    other = make_person(by=agent, ft_registered=True)
    client.post(
        reverse("pathways:registration_period_new", args=[other.public_id]), {"start": "2020-01-01", "category": "B"}
    )
    assert " — DETLD" in client.get(reverse("pathways:person", args=[other.public_id])).content.decode()
