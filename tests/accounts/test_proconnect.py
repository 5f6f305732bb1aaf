"""ProConnect login against a fake identity provider (no network)."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from citemploi.accounts.models import Role
from tests.factories.accounts import user_with_role
from tests.fakes.oidc import FakeProvider

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    with FakeProvider(client_id="citemploi-test") as fake:
        base = fake.base_url
        with override_settings(
            USE_PROCONNECT=True,
            OIDC_RP_CLIENT_ID="citemploi-test",
            OIDC_RP_CLIENT_SECRET="secret",
            OIDC_RP_SIGN_ALGO="RS256",
            OIDC_OP_AUTHORIZATION_ENDPOINT=f"{base}/authorize",
            OIDC_OP_TOKEN_ENDPOINT=f"{base}/token",
            OIDC_OP_USER_ENDPOINT=f"{base}/userinfo",
            OIDC_OP_JWKS_ENDPOINT=f"{base}/jwks",
        ):
            yield fake


def sign_in(client: Client, provider: FakeProvider, email: str):
    start = client.get(reverse("proconnect:authenticate"))
    assert start.status_code == 302
    params = parse_qs(urlparse(start["Location"]).query)
    assert params["acr_values"] == ["eidas1"] and params["code_challenge_method"] == ["S256"]
    provider.nonce = params["nonce"][0]
    provider.claims = {"email": email, "given_name": "Inès", "usual_name": "Agent"}
    return client.get(reverse("proconnect:callback"), {"code": "code-1", "state": params["state"][0]})


def test_known_agent_signs_in_with_proconnect_and_names_are_updated(provider):
    agent = user_with_role(Role.PARTNER_REFERENT, email="ines.agent@exemple.test", first_name="", last_name="")
    client = Client()
    response = sign_in(client, provider, "Ines.Agent@exemple.test")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == agent.pk
    assert provider.token_requests[0]["code_verifier"]  # PKCE
    agent.refresh_from_db()
    assert (agent.first_name, agent.last_name) == ("Inès", "Agent")


def test_unknown_agent_gets_no_account(provider):
    client = Client()
    response = sign_in(client, provider, "inconnu@exemple.test")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_proconnect_routes_answer_404_when_disabled():
    assert Client().get(reverse("proconnect:authenticate")).status_code == 404
