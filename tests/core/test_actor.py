"""Every write knows its actor (issue 9 item 5): the web form, the API with a token, an operator's command."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from citemploi.api.base import AuditedView
from citemploi.core.selectors import actor_label
from citemploi.pathways import services
from citemploi.pathways.models import Handoff, Person
from tests.factories.pathways import make_person

pytestmark = pytest.mark.django_db


def _last_update(person):
    return LogEntry.objects.get_for_object(Person.objects.get(pk=person.pk)).filter(action=1).latest("id")


def test_a_web_form_write_is_recorded_with_its_author(world, clients):
    person = make_person(by=world.users["referent"], first_name="Ana", last_name="Lopes")
    form = {
        "first_name": "Anna",
        "last_name": "Lopes",
        "birth_date": "1999-05-04",
        "rsa": "non",
        "version": person.version,
    }
    response = clients["referent"].post(reverse("pathways:person_edit", args=[person.public_id]), form)
    assert response.status_code == 302
    assert _last_update(person).actor == world.users["referent"]


def test_a_token_api_write_is_recorded_with_the_token_owner(world):
    person = make_person(by=world.users["referent"])
    key = Token.objects.create(user=world.users["referent"]).key
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    patched = client.patch(f"/api/v1/persons/{person.public_id}/", {"phone": "0611"}, content_type="application/json")
    assert patched.status_code == 200
    entry = _last_update(person)
    assert entry.actor == world.users["referent"] and entry.remote_addr == "127.0.0.1"


def _stale_handoff(world):
    person = make_person(by=world.users["referent"])
    handoff = services.handoff_send(
        by=world.users["referent"], person=person, to_structure=world.other_relais, reason="emploi", shared=[]
    )
    Handoff.objects.filter(pk=handoff.pk).update(sent_at=timezone.now() - dt.timedelta(days=60))
    return handoff


def _expiry(handoff):
    return LogEntry.objects.get_for_object(handoff).filter(action=LogEntry.Action.UPDATE).latest("id")


def test_a_command_write_is_recorded_as_the_operators(world):
    handoff = _stale_handoff(world)
    call_command("handoffs", "expire")
    entry = _expiry(handoff)
    assert entry.actor is None and entry.cid == "commande : handoffs expire"
    assert actor_label(entry) == "commande : handoffs expire"


def test_a_command_may_name_the_account_it_acts_for(world):
    handoff = _stale_handoff(world)
    call_command("handoffs", "expire", "--by", world.users["coordinator"].email)
    assert _expiry(handoff).actor == world.users["coordinator"]


def _views(resolver: URLResolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern)
        elif isinstance(pattern, URLPattern):
            yield pattern


def test_every_api_view_sets_the_actor():
    api = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "api")
    checked = 0
    for pattern in _views(api):
        view = getattr(pattern.callback, "cls", None)
        if view is None or pattern.name == "schema":  # the schema is read-only documentation
            continue
        assert issubclass(view, AuditedView), pattern.name
        checked += 1
    assert checked >= 8
