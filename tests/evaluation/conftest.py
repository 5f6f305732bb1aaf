import pytest

from citemploi.accounts.models import Role
from tests.evaluation.cohort import Clock, build
from tests.factories.accounts import StructureFactory, user_with_role
from tests.factories.territory import load_square_qpv


@pytest.fixture
def mission_locale(world):
    structure = StructureFactory(mission_locale=True, name="Mission Locale du Forez")
    world.objects["ml"] = structure
    world.users["ml_referent"] = user_with_role(Role.PARTNER_REFERENT, structure, email="ml-referent@exemple.test")
    return structure


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def cohort(world, mission_locale, clock):
    load_square_qpv("QN04299M")
    load_square_qpv("QN04298M", lon=4.45, lat=45.45)
    built = build(world, mission_locale, clock)
    clock.at = clock.at.replace(year=2026, month=12, day=1)
    return built
