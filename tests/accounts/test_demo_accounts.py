"""Every demo login printed by `citemploi demo load` works, and demo mode is what exempts them from TOTP."""

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from citemploi.accounts.demo import ACCOUNTS, DEMO_DOMAIN, DEMO_PASSWORD, load_demo_accounts
from citemploi.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_each_printed_demo_login_opens_the_home_page_in_demo_mode(settings):
    settings.DEMO_MODE = True
    load_demo_accounts()
    assert {role for *_rest, role, _structure in ACCOUNTS} == set(Role.values)  # one account per role at least
    for local, *_rest in ACCOUNTS:
        client = Client()
        response = client.post(
            reverse("accounts:login"), {"username": f"{local}@{DEMO_DOMAIN}", "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, local
        home = client.get(reverse("www:home"))
        assert home.status_code == 200, local
        assert "Démonstration : données fictives" in home.content.decode()


@override_settings(DEMO_MODE=True)
def test_demo_accounts_are_idempotent_and_the_command_prints_the_logins(capsys):
    load_demo_accounts()
    call_command("demo", "load")
    out = capsys.readouterr().out
    for local, *_rest in ACCOUNTS:
        assert f"{local}@{DEMO_DOMAIN}" in out
    assert DEMO_PASSWORD in out
    from citemploi.accounts.models import Structure, User

    printed = User.objects.filter(email__endswith=DEMO_DOMAIN).exclude(email__startswith="agent-")
    assert printed.count() == len(ACCOUNTS)
    # One more caseworker per relais and partner structure without a printed account (12 relais - 1, 3 partners)
    assert User.objects.filter(email__startswith="agent-", email__endswith=DEMO_DOMAIN).count() == 14
    assert "autres professionnels" in out
    assert Structure.objects.filter(name__startswith="Relais emploi").count() == 12


@pytest.mark.parametrize(("demo_mode", "production"), [(False, False), (True, True), (False, True)])
def test_demo_load_refuses_outside_demo_mode_or_in_production(demo_mode, production):
    from django.core.management.base import CommandError

    from citemploi.accounts.models import User

    with override_settings(DEMO_MODE=demo_mode, PRODUCTION=production), pytest.raises(CommandError) as refused:
        call_command("demo", "load")
    assert "mode démonstration" in str(refused.value) and "Rien n'a été écrit" in str(refused.value)
    assert not User.objects.filter(email__endswith=DEMO_DOMAIN).exists()
