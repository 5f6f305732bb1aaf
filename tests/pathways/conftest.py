import pytest

from citemploi.accounts.models import Role
from tests.factories.accounts import StructureFactory, user_with_role


@pytest.fixture
def mission_locale(world):
    """The Mission Locale with one referent, added to the standard world."""
    structure = StructureFactory(mission_locale=True)
    world.objects["ml"] = structure
    world.users["ml_referent"] = user_with_role(Role.PARTNER_REFERENT, structure, email="ml-referent@exemple.test")
    return structure
