"""French collation of names and communes (issue 10 item 10): the same order on SQLite and PostgreSQL.

Run on both: ``env -u DATABASE_URL pytest tests/core/test_collation.py`` and
``DATABASE_URL=postgres://… pytest tests/core/test_collation.py``."""

import pytest
from django.urls import reverse

from citemploi.accounts.models import Structure
from citemploi.core.collation import sort_key
from citemploi.pathways import selectors
from citemploi.territory.models import Commune
from citemploi.territory.selectors import territory_communes
from tests.factories.accounts import StructureFactory
from tests.factories.pathways import make_person

#: The expected French order; each list is inserted shuffled.
COMMUNES = ["Écotay-l'Olme", "Firminy", "Saint-Étienne", "Saint-Romain-en-Jarez", "Sainte-Croix-en-Jarez", "Unieux"]
NAMES = ["Dupont", "Éboué", "Efrain", "élise", "Zola"]  # É / é with E, whatever the case


def test_sort_key():
    assert sort_key("Saint-Étienne") == "saint etienne"
    assert sort_key("D'Œuvray", "Éloïse") == "d oeuvray eloise"
    assert sorted(COMMUNES, key=sort_key) == COMMUNES
    assert sorted(COMMUNES) != COMMUNES  # the raw code-point order is wrong: É after S


@pytest.mark.django_db
def test_communes_sort_in_french_order():
    for i, name in enumerate(reversed(COMMUNES)):
        Commune.objects.create(insee_code=f"99{i:03d}", name=name, department="99", in_territory=True)
    assert [c.name for c in Commune.objects.all()] == COMMUNES
    assert [c.name for c in territory_communes()] == COMMUNES
    renamed = Commune.objects.get(name="Unieux")
    renamed.name = "Aurec"
    renamed.save(update_fields=["name"])  # the key follows the name
    assert Commune.objects.first().name == "Aurec"


@pytest.mark.django_db
def test_structures_sort_in_french_order():
    Structure.objects.all().delete()
    for name in reversed(COMMUNES):
        StructureFactory(name=f"Relais {name}")
    assert [s.name for s in Structure.objects.all()] == [f"Relais {name}" for name in COMMUNES]


def test_cohort_lists_people_in_french_order(world, clients):
    referent = world.users["referent"]
    for name in reversed(NAMES):
        make_person(by=referent, last_name=name, first_name="Alex")
    assert [p.last_name for p in selectors.cohort(referent)] == NAMES
    html = clients["referent"].get(reverse("pathways:cohort")).content.decode()
    positions = [html.index(name.upper()) if name.upper() in html else html.index(name) for name in NAMES]
    assert positions == sorted(positions)
    age = selectors.cohort(referent).first().age
    assert f"({age}\u00a0ans)" in html  # the age through the one formatting helper (core.formats)


def test_people_of_the_accounts_sort_in_french(db):
    from citemploi.accounts.models import User

    for last, first in (("Zola", "Émile"), ("Éboué", "Félix"), ("Eckert", "Anne"), ("Saint-Romain", "Luc")):
        User.objects.create_user(f"{first}.{last}@exemple.test".lower(), None, first_name=first, last_name=last)
    names = [u.last_name for u in User.objects.all()]
    assert names == ["Éboué", "Eckert", "Saint-Romain", "Zola"]
    user = User.objects.get(last_name="Zola")
    user.last_name = "Abadie"
    user.save(update_fields=["last_name"])
    assert User.objects.first() == user  # the key follows a rename saved with update_fields
