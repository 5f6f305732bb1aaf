"""Login, lockout, session expiry and CSRF: bad input answers in French and changes nothing."""

import time

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from citemploi.accounts.models import Role
from citemploi.www.middleware import LAST_SEEN_KEY
from tests.factories.accounts import TEST_PASSWORD, user_with_role

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


@pytest.fixture
def agent():
    return user_with_role(Role.RELAIS_AGENT, email="agent@exemple.test")


def post_login(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR="10.0.0.1")


def test_right_password_logs_in_and_lands_on_home(agent):
    client = Client()
    response = post_login(client, agent.email, TEST_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("www:home")
    assert client.get(reverse("www:home")).status_code == 200


def test_wrong_password_says_so_in_french_and_does_not_log_in(agent):
    client = Client()
    response = post_login(client, agent.email, "pas-le-bon")
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()
    assert "_auth_user_id" not in client.session
    agent.refresh_from_db()
    assert agent.last_login is None


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_even_with_the_right_password(agent):
    client = Client()
    for _ in range(3):
        post_login(client, agent.email, "pas-le-bon")
    response = post_login(client, agent.email, TEST_PASSWORD)
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_anonymous_request_to_a_private_page_goes_to_login():
    response = Client().get(reverse("www:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN + "?next=")


def test_idle_session_expires_with_a_message(agent):
    client = Client()
    client.force_login(agent)
    client.get(reverse("www:home"))
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - 31 * 60  # default SESSION_IDLE_MINUTES is 30
    session.save()
    response = client.get(reverse("www:home"), follow=True)
    assert response.redirect_chain[0][1] == 302
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "Votre session a expiré" in response.content.decode()


def test_active_session_stays_open(agent):
    client = Client()
    client.force_login(agent)
    client.get(reverse("www:home"))
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - 5 * 60
    session.save()
    assert client.get(reverse("www:home")).status_code == 200


def test_post_without_csrf_token_is_refused_in_french_and_changes_nothing(agent):
    client = Client(enforce_csrf_checks=True)
    response = post_login(client, agent.email, TEST_PASSWORD)
    assert response.status_code == 403
    assert "Formulaire expiré ou incomplet" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_that_works(agent, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves once the transaction commits
        Client().post(reverse("accounts:password_reset"), {"email": agent.email})
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    link = next(line for line in body.splitlines() if "/mot-de-passe/nouveau/" in line).strip()
    client = Client()
    form_page = client.get(link, follow=True)
    assert "Nouveau mot de passe" in form_page.content.decode()
    new = "un-nouveau-mot-de-passe-solide-42"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    agent.refresh_from_db()
    assert agent.check_password(new)


def test_password_reset_for_unknown_email_reveals_nothing(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(reverse("accounts:password_reset"), {"email": "personne@exemple.test"})
    assert response.status_code == 302
    assert mailoutbox == []
