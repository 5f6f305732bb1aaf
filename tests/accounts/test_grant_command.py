"""The operator gives the first coordinator role from the shell, only in the coordination structure."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from citemploi.accounts.models import Role, User
from tests.factories.accounts import StructureFactory

pytestmark = pytest.mark.django_db


def test_grant_gives_the_first_coordinator_role_in_the_coordination_only(capsys):
    coordination = StructureFactory(coordination=True)
    relais = StructureFactory(relais=True, name="Relais emploi Centre")
    with pytest.raises(CommandError, match="structure de coordination"):
        call_command("accounts", "grant", "premiere@exemple.test", structure=relais.name, role=Role.COORDINATOR)
    call_command("accounts", "grant", "Premiere@exemple.test", structure=coordination.name, role=Role.COORDINATOR)
    assert User.objects.get(email="premiere@exemple.test").has_role(Role.COORDINATOR)
    assert "Mot de passe oublié" in capsys.readouterr().out
