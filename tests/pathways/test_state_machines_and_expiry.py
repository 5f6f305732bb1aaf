"""The state machines' transition tables, every (from, to) pair, allowed and forbidden (issue 9 §22), and the daily
``citemploi handoffs expire`` command."""

from __future__ import annotations

import datetime as dt
import itertools
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from citemploi.core.errors import DomainError
from citemploi.pathways import services, states
from citemploi.pathways.models import Handoff, Person
from citemploi.pathways.states import HandoffState, InvalidTransition, allowed_targets, check_transition
from citemploi.pathways.workdays import working_days_before
from tests.factories.pathways import make_person

#: The tables as the product's documentation states them (DOMAIN.md): a change of the code must change this copy.
ACTIVE_ENDS = {"perdu_de_vue", "refus", "sorti"}
EXPECTED = {
    "pathway": {
        "repere": {"contacte", "perdu_de_vue", "refus"},
        "contacte": {"diagnostique", "oriente", "en_parcours"} | ACTIVE_ENDS,
        "diagnostique": {"oriente", "en_parcours"} | ACTIVE_ENDS,
        "oriente": {"en_parcours"} | ACTIVE_ENDS,
        "en_parcours": {"oriente"} | ACTIVE_ENDS,
        "perdu_de_vue": {"contacte", "sorti"},  # « perdu de vue » and « refus » are also exits
        "refus": {"contacte", "sorti"},
        "sorti": set(),
    },
    "frein": {
        "identifie": {"en_cours", "leve", "non_levable"},
        "en_cours": {"leve", "non_levable"},
        "leve": set(),
        "non_levable": set(),
    },
    "mobilisation": {
        "proposee": {"orientee", "refusee"},
        "orientee": {"acceptee", "refusee"},
        "acceptee": {"entree", "abandon"},
        "refusee": set(),
        "entree": {"sortie", "abandon"},
        "sortie": set(),
        "abandon": set(),
    },
    "handoff": {
        "envoyee": {"accusee", "refusee", "expiree"},
        "accusee": {"premier_rdv", "refusee"},
        "premier_rdv": set(),
        "refusee": set(),
        "expiree": set(),
    },
}
ENUMS = {
    "pathway": states.PathwayState,
    "frein": states.FreinState,
    "mobilisation": states.MobilisationState,
    "handoff": states.HandoffState,
}
PAIRS = [
    (machine, current, target)
    for machine, enum in ENUMS.items()
    for current, target in itertools.product(enum.values, enum.values)
]


def test_every_state_of_each_machine_is_in_its_table():
    for machine, enum in ENUMS.items():
        assert set(EXPECTED[machine]) == set(enum.values), machine


@pytest.mark.parametrize(("machine", "current", "target"), PAIRS, ids=["{}:{}→{}".format(*p) for p in PAIRS])
def test_each_pair_is_allowed_or_refused_as_declared(machine, current, target):
    allowed = target in EXPECTED[machine][current]
    assert (target in allowed_targets(machine, current)) == allowed
    if allowed:
        check_transition(machine, current, target)
        return
    with pytest.raises(InvalidTransition) as refused:
        check_transition(machine, current, target)
    assert isinstance(refused.value, DomainError)
    assert refused.value.message.startswith("Impossible")  # French, shown as is


# --- handoffs expire (the daily cron) ----------------------------------------------------------------------------


def _sent(world, mission_locale, *, working_days_ago: int) -> Handoff:
    person = make_person(by=world.users["referent"])
    handoff = services.handoff_send(
        by=world.users["referent"], person=person, to_structure=mission_locale, reason="x", shared=[]
    )
    day = working_days_before(timezone.localdate(), working_days_ago)
    sent_at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    Handoff.objects.filter(pk=handoff.pk).update(sent_at=sent_at)
    return Handoff.objects.get(pk=handoff.pk)


def _expire(*args: str) -> str:
    out = StringIO()
    call_command("handoffs", "expire", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_handoffs_expire_warns_then_expires_and_is_idempotent(
    world, mission_locale, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PATHWAYS_HANDOFF_ACK_WORKING_DAYS, settings.PATHWAYS_HANDOFF_EXPIRY_WORKING_DAYS = 5, 20
    fresh = _sent(world, mission_locale, working_days_ago=2)
    late = _sent(world, mission_locale, working_days_ago=7)
    stale = _sent(world, mission_locale, working_days_ago=25)
    answered = _sent(world, mission_locale, working_days_ago=25)
    services.handoff_acknowledge(by=world.users["ml_referent"], handoff=answered)
    mailoutbox.clear()

    assert "Simulation" in _expire("--dry-run")
    assert set(Handoff.objects.values_list("state", flat=True)) == {"envoyee", "accusee"}

    with django_capture_on_commit_callbacks(execute=True):
        assert "1 relance(s), 1 orientation(s) expirée(s)." in _expire()
    for handoff in (fresh, late, stale, answered):
        handoff.refresh_from_db()
    assert (fresh.state, fresh.expiry_warned_at) == (HandoffState.SENT, None)
    assert late.state == HandoffState.SENT and late.expiry_warned_at is not None
    assert stale.state == HandoffState.EXPIRED and stale.expired_at is not None
    assert answered.state == HandoffState.ACKNOWLEDGED
    line = stale.person.timeline.get(kind="handoff.expired")
    assert line.actor is None and line.structure == world.relais
    # The receiving structure was reminded, the sender told of the expiry.
    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    assert recipients == sorted(["ml-referent@exemple.test", "referente@exemple.test", "collegue@exemple.test"])
    # An expired hand-off no longer opens the record to the receiving structure.
    assert not Person.objects.visible_to(world.users["ml_referent"]).filter(pk=stale.person_id).exists()

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert "0 relance(s), 0 orientation(s) expirée(s)." in _expire()  # daily: a second run changes nothing
    assert not mailoutbox
