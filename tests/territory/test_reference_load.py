import pytest

from citemploi.territory.models import QPV, Commune
from citemploi.territory.services import territory_load

pytestmark = pytest.mark.django_db


def test_territory_load_brings_the_53_communes_and_20_qpv_of_the_metropole_idempotently():
    first = territory_load()
    second = territory_load()
    assert first == second
    assert first.communes_in_territory == 53 and first.qpvs_in_territory == 20
    assert Commune.objects.get(insee_code="42218").name == "Saint-Étienne"
    spanning = QPV.objects.get(code="QN04204M")
    assert sorted(spanning.communes.values_list("insee_code", flat=True)) == ["42044", "42183"]
