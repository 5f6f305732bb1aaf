import io

import pytest

from citemploi.accounts.demo import load_demo_accounts
from citemploi.accounts.models import Membership
from citemploi.pathways.demo import load_demo
from citemploi.pathways.models import Contact, Exit, Handoff, Pathway, Person, ReferentAssignment, Reperage
from citemploi.territory.demo import FONTANES, load_demo_territory
from citemploi.territory.services import territory_load

pytestmark = pytest.mark.django_db


def test_the_demo_cohort(settings):
    """The demo is written through the services (a few seconds for 300 people): loaded once, every check below."""
    settings.DEMO_MODE = True
    territory_load()
    load_demo_territory(stdout=io.StringIO())
    load_demo_accounts(stdout=io.StringIO())
    load_demo(stdout=io.StringIO())
    _covers_every_state_and_is_idempotent()
    _people_live_at_the_generated_addresses_inside_and_outside_the_qpv()
    _each_referent_is_a_caseworker_of_the_relais_that_follows_the_person()
    _events_fall_on_working_days()


def _covers_every_state_and_is_idempotent():
    assert Person.objects.count() == 300
    assert set(Pathway.objects.values_list("state", flat=True)) == {
        "repere",
        "contacte",
        "diagnostique",
        "oriente",
        "en_parcours",
        "sorti",
        "perdu_de_vue",
        "refus",
    }
    assert {"envoyee", "accusee", "premier_rdv", "refusee"} <= set(Handoff.objects.values_list("state", flat=True))
    assert Person.objects.exclude(qpv=None).values("qpv").distinct().count() == 20
    load_demo(stdout=io.StringIO())
    assert Person.objects.count() == 300


def _people_live_at_the_generated_addresses_inside_and_outside_the_qpv():
    statuses = set(Person.objects.values_list("qpv_status", flat=True))
    assert statuses == {"in", "out"}  # never « à vérifier » nor « inconnu »: the demo addresses are clear cases
    assert Person.objects.filter(qpv_status="in").count() > Person.objects.filter(qpv_status="out").count() > 0
    fontanes = Person.objects.get(insee_code=FONTANES)
    assert fontanes.qpv_status == "out" and fontanes.city == "Fontanès" and fontanes.address
    assert not Person.objects.filter(lon=None).exists()


def _each_referent_is_a_caseworker_of_the_relais_that_follows_the_person():
    pathways = Pathway.objects.exclude(referent=None).select_related("structure")
    assert pathways.exists()
    members = set(Membership.objects.filter(is_active=True).values_list("user_id", "structure_id"))
    assert all((p.referent_id, p.structure_id) in members for p in pathways)
    structures_of = {}
    for p in pathways:
        structures_of.setdefault(p.referent_id, set()).add(p.structure_id)
    assert all(len(s) == 1 for s in structures_of.values())  # no agent referent in every relais
    assert len(structures_of) == 12
    assert all((a.referent_id, a.structure_id) in members for a in ReferentAssignment.objects.all())
    receivers = Handoff.objects.exclude(acknowledged_by=None)
    assert all((h.acknowledged_by_id, h.to_structure_id) in members for h in receivers)


def _events_fall_on_working_days():
    from django.utils import timezone

    def weekday(moment):
        return (timezone.localtime(moment) if hasattr(moment, "hour") else moment).weekday()

    moments = [
        *Reperage.objects.values_list("spotted_on", flat=True),
        *Contact.objects.values_list("happened_at", flat=True),
        *Handoff.objects.values_list("sent_at", flat=True),
        *Handoff.objects.exclude(acknowledged_at=None).values_list("acknowledged_at", flat=True),
        *Handoff.objects.exclude(first_meeting_on=None).values_list("first_meeting_on", flat=True),
        *Exit.objects.values_list("exited_on", flat=True),
        *Pathway.objects.exclude(last_contact_at=None).values_list("last_contact_at", flat=True),
    ]
    from citemploi.pathways.models import Appointment

    moments += list(Appointment.objects.values_list("starts_at", flat=True))
    assert len(moments) > 600
    assert all(weekday(m) < 5 for m in moments)
    now = timezone.now()
    assert all(m <= now for m in Contact.objects.values_list("happened_at", flat=True))
