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
    assert response.status_code == 200 and "Vos codes de secours" in response.content.decode()
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


# --- The set-up page is not a way around the second factor (issue 9 item 1) ------------------------------------


def _password_only_client(user):
    client = Client()
    client.force_login(user)  # what the login form does: the password, and nothing else
    return client


def _verified_client(user, device):
    client = Client()
    client.force_login(user)
    assert client.post(reverse("accounts:otp_verify"), {"token": current_code(device), "next": HOME}).status_code == 302
    return client


def test_password_alone_cannot_enrol_a_fresh_device_over_a_confirmed_one(coordinator, mailoutbox):
    TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    client = _password_only_client(coordinator)
    # The exact bypass: open the set-up page instead of the verify page, read the secret, post its code.
    page = client.get(reverse("accounts:otp_setup"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("accounts:otp_verify"))
    assert not TOTPDevice.objects.filter(user=coordinator, confirmed=False).exists()  # no secret handed out
    pending = TOTPDevice.objects.create(user=coordinator, name="intrus", confirmed=False)
    response = client.post(reverse("accounts:otp_setup"), {"token": current_code(pending), "next": HOME})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_verify"))
    pending.refresh_from_db()
    assert not pending.confirmed
    assert client.get(HOME).status_code == 302  # still not verified
    assert mailoutbox == []


def test_a_verified_session_enrols_a_second_device_and_the_owner_is_told(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    first = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    client = _verified_client(coordinator, first)
    assert "Activer la double authentification" in client.get(reverse("accounts:otp_setup")).content.decode()
    second = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:otp_setup"), {"token": current_code(second), "next": HOME})
    assert response.status_code == 200  # first enrolment with codes: the codes page
    assert TOTPDevice.objects.filter(user=coordinator, confirmed=True).count() == 2
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [coordinator.email]
    assert "Nouvel appareil" in mailoutbox[0].subject
    assert coordinator.last_name not in mailoutbox[0].body


def test_first_enrolment_shows_ten_recovery_codes_once_stored_hashed(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    client = _password_only_client(coordinator)
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("accounts:otp_setup"), {"token": current_code(device), "next": HOME})
    codes = page.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in page.content.decode() for code in codes)
    stored = set(coordinator.recovery_codes.values_list("digest", flat=True))
    assert len(stored) == 10 and not any(code.replace("-", "") in digest for code in codes for digest in stored)
    assert len(mailoutbox) == 1


def test_a_recovery_code_passes_the_verify_page_once(coordinator, mailoutbox, django_capture_on_commit_callbacks):
    from citemploi.accounts.otp import recovery_codes_generate

    TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    code = recovery_codes_generate(user=coordinator)[0]
    client = _password_only_client(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:otp_verify"), {"token": code.lower(), "next": HOME})
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200
    assert "Code de secours utilisé" in mailoutbox[0].subject
    again = _password_only_client(coordinator)
    refused = again.post(reverse("accounts:otp_verify"), {"token": code, "next": HOME})
    assert "Code incorrect ou déjà utilisé" in refused.content.decode()
    assert again.get(HOME).status_code == 302


def test_removing_a_device_needs_a_verified_session_and_a_current_code(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    # (The spare is created first: the verify page tries devices in order, and django-otp briefly throttles a
    # device after a code it did not produce.)
    spare = TOTPDevice.objects.create(user=coordinator, name="spare", confirmed=True)
    device = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    url = reverse("accounts:otp_device_remove", args=[device.pk])
    assert _password_only_client(coordinator).post(url, {"token": current_code(device)}).status_code == 302
    assert TOTPDevice.objects.filter(pk=device.pk).exists()  # sent to the verify page, nothing removed
    client = _verified_client(coordinator, spare)
    with django_capture_on_commit_callbacks(execute=True):
        removed = client.post(url, {"token": current_code(device)}, follow=True)
    assert "L&#x27;appareil est retiré" in removed.content.decode(), removed.content.decode()
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert [m.subject for m in mailoutbox] == ["[Cité de l'emploi] Appareil de double authentification retiré"]
    refused = client.post(reverse("accounts:otp_device_remove", args=[spare.pk]), {"token": "000000"}, follow=True)
    assert "Code incorrect" in refused.content.decode()
    assert TOTPDevice.objects.filter(pk=spare.pk).exists()


def test_only_an_admin_resets_someone_elses_second_factor_and_it_is_logged(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    from citemploi.accounts.models import SecondFactorReset
    from citemploi.accounts.otp import recovery_codes_generate, second_factor_reset
    from citemploi.core.errors import PermissionDenied

    admin = user_with_role(Role.ADMIN, email="admin@exemple.test")
    TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    recovery_codes_generate(user=coordinator)
    other_coordinator = user_with_role(Role.COORDINATOR, email="coord2@exemple.test")
    with pytest.raises(PermissionDenied):
        second_factor_reset(actor=other_coordinator, user=coordinator)
    with pytest.raises(PermissionDenied):
        second_factor_reset(actor=admin, user=admin)
    with django_capture_on_commit_callbacks(execute=True):
        second_factor_reset(actor=admin, user=coordinator)
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert not coordinator.recovery_codes.exists()
    log = SecondFactorReset.objects.get()
    assert (log.user, log.reset_by) == (coordinator, admin) and log.at is not None
    assert mailoutbox[0].to == [coordinator.email] and "réinitialisée" in mailoutbox[0].subject
    # At the next login, the coordinator pairs a new app (and only then).
    client = _password_only_client(coordinator)
    assert client.get(HOME)["Location"].startswith(reverse("accounts:otp_setup"))
