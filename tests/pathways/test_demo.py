import io

import pytest

from citemploi.accounts.demo import load_demo_accounts
from citemploi.pathways.demo import load_demo
from citemploi.pathways.models import Handoff, Pathway, Person
from citemploi.territory.services import territory_load

pytestmark = pytest.mark.django_db


def test_demo_cohort_covers_every_state_and_is_idempotent():
    territory_load()
    load_demo_accounts(stdout=io.StringIO())
    load_demo(stdout=io.StringIO())
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
