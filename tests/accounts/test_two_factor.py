"""TOTP is required for coordinator and admin; codes cannot be replayed; demo exemption only in demo mode."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from citemploi.accounts.models import Role
from tests.factories.accounts import user_with_role

pytestmark = pytest.mark.django_db
HOME = reverse("www:home")


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def coordinator():
    return user_with_role(Role.COORDINATOR, email="coord@exemple.test")


def test_coordinator_without_device_must_set_up_totp_first(coordinator):
    client = Client()
    client.force_login(coordinator)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_setup"))


def test_setup_with_a_valid_code_activates_and_opens_the_platform(coordinator):
    client = Client()
    client.force_login(coordinator)
    page = client.get(reverse("accounts:otp_setup"))
    assert "Activer la double authentification" in page.content.decode()
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    response = client.post(reverse("accounts:otp_setup"), {"token": current_code(device), "next": HOME})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(HOME).status_code == 200


def test_wrong_setup_code_is_refused_and_device_stays_unconfirmed(coordinator):
    client = Client()
    client.force_login(coordinator)
    client.get(reverse("accounts:otp_setup"))
    response = client.post(reverse("accounts:otp_setup"), {"token": "000000"})
    assert "Code incorrect" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists()


def test_replayed_code_is_refused(coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    code = current_code(device)
    first = Client()
    first.force_login(coordinator)
    assert first.post(reverse("accounts:otp_verify"), {"token": code, "next": HOME}).status_code == 302
    second = Client()
    second.force_login(coordinator)
    response = second.post(reverse("accounts:otp_verify"), {"token": code, "next": HOME})
    assert response.status_code == 200
    assert "Code incorrect ou déjà utilisé" in response.content.decode()
    assert second.get(HOME).status_code == 302


def test_relais_agent_needs_no_second_factor():
    client = Client()
    client.force_login(user_with_role(Role.RELAIS_AGENT))
    assert client.get(HOME).status_code == 200


def test_demo_accounts_skip_totp_only_in_demo_mode_with_a_banner():
    demo = user_with_role(Role.COORDINATOR, email="demo@exemple.test", is_demo_account=True)
    client = Client()
    client.force_login(demo)
    assert client.get(HOME).status_code == 302  # demo mode off: TOTP still required
    with override_settings(DEMO_MODE=True):
        response = client.get(HOME)
        assert response.status_code == 200
        assert "Démonstration : données fictives" in response.content.decode()


def test_demo_mode_does_not_exempt_real_accounts(coordinator):
    client = Client()
    client.force_login(coordinator)
    with override_settings(DEMO_MODE=True):
        assert client.get(HOME).status_code == 302
