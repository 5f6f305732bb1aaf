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
    assert len(mailoutbox) == 2  # the role granted, and the link to choose a password
    assert any("Un rôle vous a été attribué" in m.subject for m in mailoutbox)
    welcome = next(m for m in mailoutbox if "Un compte vient d'être ouvert" in m.body)
    link = next(line for line in welcome.body.splitlines() if "/mot-de-passe/nouveau/" in line).strip()
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


# --- Roles that open personal records (issue 9 item 2, issue 10 item 5) ------------------------------------------


def _grant(client, structure, role, email="nouvelle@exemple.test", **extra):
    data = {"email": email, "first_name": "Nouvelle", "last_name": "Coordinatrice", "role": role, **extra}
    return client.post(reverse("manage:structure_detail", args=[structure.public_id]), data)


def test_the_add_member_form_has_no_default_role(world, clients):
    page = clients["coordinator"].get(reverse("manage:structure_detail", args=[world.relais.public_id]))
    select = page.content.decode().split('name="role"', 1)[1].split("</select>", 1)[0]
    first_option = select.split("<option", 2)[1]
    assert 'value=""' in first_option and "Choisir un rôle" in first_option
    assert "selected" not in select.replace('value="" selected', "")
    response = _grant(clients["coordinator"], world.relais, "")
    assert response.status_code == 200 and "obligatoire" in response.content.decode()
    assert not User.objects.filter(email="nouvelle@exemple.test").exists()


def test_the_admin_cannot_grant_the_coordinator_role_even_to_itself(world, clients):
    response = _grant(clients["admin"], world.coordination, Role.COORDINATOR, confirm="on")
    assert "Seule la coordination de la Cité de l&#x27;emploi peut attribuer" in response.content.decode()
    itself = _grant(clients["admin"], world.coordination, Role.COORDINATOR, email="admin@exemple.test", confirm="on")
    assert "vous attribuer vous-même" in itself.content.decode()
    assert not Membership.objects.filter(role=Role.COORDINATOR).exclude(user=world.users["coordinator"]).exists()


def test_no_one_grants_a_personal_data_role_to_oneself_nor_outside_the_coordination(world, clients):
    mine = _grant(clients["coordinator"], world.coordination, Role.COORDINATOR, email="coordination@exemple.test")
    assert "vous attribuer vous-même" in mine.content.decode()
    # No role at all to oneself: the admin cannot give itself a relais agent's role (and that relais' records).
    relais_role = _grant(clients["admin"], world.relais, Role.RELAIS_AGENT, email="admin@exemple.test")
    assert "vous attribuer vous-même" in relais_role.content.decode()
    assert not world.users["admin"].memberships.filter(structure=world.relais).exists()
    outside = _grant(clients["coordinator"], world.relais, Role.COORDINATOR, confirm="on")
    assert "structure de coordination de la Métropole" in outside.content.decode()
    assert not User.objects.filter(email="nouvelle@exemple.test").exists()


def test_the_service_refuses_whatever_the_form(world):
    from citemploi.accounts.services import member_invite
    from citemploi.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        member_invite(
            actor=world.users["admin"],
            structure=world.coordination,
            email="x@exemple.test",
            first_name="X",
            last_name="Y",
            role=Role.COORDINATOR,
            confirmed=True,
        )
    with pytest.raises(PermissionDenied):
        member_invite(
            actor=world.users["referent"],
            structure=world.relais,
            email="x@exemple.test",
            first_name="X",
            last_name="Y",
            role=Role.RELAIS_AGENT,
        )


def test_a_coordinator_grants_the_coordinator_role_after_a_confirmation_and_everyone_is_told(
    world, clients, mailoutbox, django_capture_on_commit_callbacks
):
    from auditlog.models import LogEntry

    other = User.objects.create_user("autre.coordination@exemple.test", "x")
    Membership.objects.create(user=other, structure=world.coordination, role=Role.COORDINATOR)
    step = _grant(clients["coordinator"], world.coordination, Role.COORDINATOR)
    body = step.content.decode()
    assert "Confirmer le rôle « Coordination de la Cité de l&#x27;emploi »" in body
    assert "ouvre toutes les fiches personnelles" in body
    assert not User.objects.filter(email="nouvelle@exemple.test").exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = _grant(clients["coordinator"], world.coordination, Role.COORDINATOR, confirm="on")
    assert done.status_code == 302
    membership = Membership.objects.get(user__email="nouvelle@exemple.test", role=Role.COORDINATOR)
    assert membership.granted_by == world.users["coordinator"]
    entry = LogEntry.objects.get_for_object(membership).get()
    assert entry.actor == world.users["coordinator"] and "granted_by" in entry.changes_dict
    recipients = sorted(address for m in mailoutbox for address in m.to)
    assert recipients == ["autre.coordination@exemple.test", "nouvelle@exemple.test", "nouvelle@exemple.test"]
    alert = next(m for m in mailoutbox if m.to == ["autre.coordination@exemple.test"])
    assert "nouvelle@exemple.test" in alert.body and "Nouveau rôle" in alert.subject


def test_the_admin_resets_a_lost_phone_from_the_structure_page(
    world, clients, mailoutbox, django_capture_on_commit_callbacks
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from citemploi.accounts.models import SecondFactorReset

    coordinator = world.users["coordinator"]
    url = reverse("manage:member_second_factor_reset", args=[coordinator.public_id])
    page = clients["admin"].get(reverse("manage:structure_detail", args=[world.coordination.public_id]))
    assert url in page.content.decode()
    assert clients["coordinator"].post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert clients["admin"].post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert SecondFactorReset.objects.get().reset_by == world.users["admin"]
    assert [m.to for m in mailoutbox] == [[coordinator.email]]
