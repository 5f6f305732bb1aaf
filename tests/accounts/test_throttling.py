"""« Mot de passe oublié » is limited per address and per IP, with a French 429 page; its mail goes through
mail_later (after commit; a mail outage fails nothing)."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories.accounts import user_with_role

pytestmark = pytest.mark.django_db
URL = reverse("accounts:password_reset")


@override_settings(THROTTLE_RATES={"password_reset_email": "3/h", "password_reset_ip": "100/h"})
def test_password_reset_is_limited_per_address(mailoutbox, django_capture_on_commit_callbacks):
    user_with_role("relais_agent", email="agente@exemple.test")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert client.post(URL, {"email": "Agente@exemple.test"}).status_code == 302
    assert len(mailoutbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(URL, {"email": "agente@exemple.test"})
    assert refused.status_code == 429
    assert "Trop de demandes" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert len(mailoutbox) == 3  # nothing sent past the limit
    # Another address, and an address without an account, are answered the same way as before.
    assert client.post(URL, {"email": "inconnue@exemple.test"}).status_code == 302


@override_settings(THROTTLE_RATES={"password_reset_email": "100/h", "password_reset_ip": "4/h"})
def test_password_reset_is_limited_per_ip_whatever_the_address():
    client = Client(REMOTE_ADDR="203.0.113.7")
    for index in range(4):
        assert client.post(URL, {"email": f"essai{index}@exemple.test"}).status_code == 302
    assert client.post(URL, {"email": "encore@exemple.test"}).status_code == 429
    assert Client(REMOTE_ADDR="203.0.113.8").post(URL, {"email": "x@exemple.test"}).status_code == 302


class _SmtpDown:
    """An e-mail backend whose server does not answer."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP injoignable")


@override_settings(EMAIL_BACKEND="tests.accounts.test_throttling._SmtpDown")
def test_password_reset_answers_normally_when_the_mail_server_is_down(django_capture_on_commit_callbacks):
    user_with_role("relais_agent", email="agente@exemple.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(URL, {"email": "agente@exemple.test"})
    assert response.status_code == 302
