"""The coordination opens structures and accounts; the new agent sets a password from the e-mailed link."""

import pytest
from django.test import Client
from django.urls import reverse

from citemploi.accounts.models import Membership, Role, Structure, StructureKind, User

pytestmark = pytest.mark.django_db


def test_coordinator_creates_a_structure_then_invites_an_agent_who_sets_a_password(
    world, clients, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = clients["coordinator"]
    response = coordinator.post(
        reverse("manage:structure_create"),
        {"name": "Association Tremplin (test)", "kind": StructureKind.ASSOCIATION, "is_active": "on"},
    )
    structure = Structure.objects.get(name="Association Tremplin (test)")
    assert response["Location"] == reverse("manage:structure_detail", args=[structure.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(
            reverse("manage:structure_detail", args=[structure.public_id]),
            {
                "email": "Nouvelle.Agente@exemple.test",
                "first_name": "Nadia",
                "last_name": "Agente",
                "role": Role.PARTNER_REFERENT,
            },
        )
    user = User.objects.get(email="nouvelle.agente@exemple.test")
    assert user.has_role(Role.PARTNER_REFERENT) and not user.has_usable_password()
    assert len(mailoutbox) == 1 and "Un compte vient d'être ouvert" in mailoutbox[0].body
    link = next(line for line in mailoutbox[0].body.splitlines() if "/mot-de-passe/nouveau/" in line).strip()
    agent = Client()
    form = agent.get(link.replace("http://testserver", ""), follow=True)
    agent.post(
        form.redirect_chain[-1][0], {"new_password1": "Un-mot-de-passe-2026!", "new_password2": "Un-mot-de-passe-2026!"}
    )
    user.refresh_from_db()
    assert user.check_password("Un-mot-de-passe-2026!")


def test_only_the_admin_grants_the_admin_role_and_nothing_changes_otherwise(world, clients):
    url = reverse("manage:structure_detail", args=[world.coordination.public_id])
    data = {"email": "x@exemple.test", "first_name": "X", "last_name": "Y", "role": Role.ADMIN}
    response = clients["coordinator"].post(url, data)
    assert "Seule l&#x27;administration technique" in response.content.decode()
    assert not User.objects.filter(email="x@exemple.test").exists()
    clients["admin"].post(url, data)
    assert User.objects.get(email="x@exemple.test").has_role(Role.ADMIN)


def test_removing_a_role_keeps_history_and_closes_access(world, clients):
    colleague = world.users["colleague"]
    membership = colleague.active_memberships[0]
    clients["coordinator"].post(reverse("manage:membership_deactivate", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.is_active is False
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.get(pk=colleague.pk).roles == frozenset()


def test_structure_list_query_count_does_not_grow(world, clients, max_queries):
    from tests.factories.accounts import MembershipFactory

    url = reverse("manage:structure_list")
    clients["coordinator"].get(url)
    with max_queries(1000) as before:
        clients["coordinator"].get(url)
    MembershipFactory.create_batch(10)
    with max_queries(len(before.captured_queries)):
        clients["coordinator"].get(url)
