"""Issue 10 item 3: the pathway state follows the records — the derivation table (pure) and the journey from
« repéré » to « sorti » through the services, the header of the person page showing each state in turn."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from citemploi.core.errors import ValidationFailed
from citemploi.pathways import services
from citemploi.pathways.derivation import Facts, derive_state, planned_moves
from citemploi.pathways.models import Pathway
from citemploi.pathways.states import InvalidTransition
from tests.conftest import login_client
from tests.factories.pathways import make_person, scheme

NOW = dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("facts", "state"),
    [
        (Facts(), "repere"),
        (Facts(contacted=True), "contacte"),
        (Facts(diagnosed=True), "diagnostique"),
        (Facts(contacted=True, diagnosed=True), "diagnostique"),
        (Facts(oriented=True), "oriente"),
        (Facts(contacted=True, diagnosed=True, oriented=True), "oriente"),
        (Facts(in_pathway=True), "en_parcours"),
        (Facts(contacted=True, oriented=True, in_pathway=True), "en_parcours"),
        (Facts(exited=True), "sorti"),
        (Facts(contacted=True, diagnosed=True, oriented=True, in_pathway=True, exited=True), "sorti"),
    ],
)
def test_derivation_table(facts, state):
    assert derive_state(facts) == state


@pytest.mark.parametrize(
    ("current", "facts", "changed_at", "moves"),
    [
        ("repere", Facts(), None, []),
        ("repere", Facts(contacted=True), None, ["contacte"]),
        # every milestone whose fact holds is walked through, « contacté » always
        ("repere", Facts(diagnosed=True), None, ["contacte", "diagnostique"]),
        ("repere", Facts(oriented=True), None, ["contacte", "oriente"]),
        ("repere", Facts(diagnosed=True, oriented=True, in_pathway=True), None,
         ["contacte", "diagnostique", "oriente", "en_parcours"]),
        ("contacte", Facts(contacted=True, in_pathway=True, exited=True), None, ["en_parcours", "sorti"]),
        # forward only: the records never move the pathway back
        ("en_parcours", Facts(contacted=True, oriented=True), None, []),
        ("oriente", Facts(contacted=True, oriented=True), None, []),
        ("sorti", Facts(exited=True, contacted=True), None, []),
        # manual states: stay, unless a contact after the move (resume) or an exit
        ("perdu_de_vue", Facts(contacted=True, oriented=True, last_contact_at=NOW), NOW, []),
        ("perdu_de_vue", Facts(contacted=True, oriented=True, last_contact_at=NOW + dt.timedelta(hours=1)), NOW,
         ["contacte", "oriente"]),
        ("refus", Facts(contacted=True, last_contact_at=NOW + dt.timedelta(days=1)), NOW, ["contacte"]),
        ("refus", Facts(contacted=True, exited=True), NOW, ["sorti"]),
    ],
)  # fmt: skip
def test_planned_moves_go_forward_through_the_state_machine(current, facts, changed_at, moves):
    assert planned_moves(current, facts, state_changed_at=changed_at) == moves


def _state(person):
    return Pathway.objects.get(person=person).state


def _header(client, person):
    html = client.get(reverse("pathways:person", args=[person.public_id])).content.decode()
    start = html.index('class="pathway-state">')  # the summary band (issue 10, item 8)
    return html[start : html.index("</strong>", start)]


@pytest.mark.django_db
def test_journey_from_spotted_to_exited_moves_the_header_at_each_step(world, mission_locale):
    """The journey of the issue: notice, referent, frein, CEJ proposal, hand-off, acknowledgement, first meeting
    and CEJ entry, then the exit."""
    agent, ml_ref = world.users["referent"], world.users["ml_referent"]
    client = login_client(agent)
    person = make_person(by=agent, referent=False, birth_date=dt.date.today().replace(year=dt.date.today().year - 20))
    assert "repéré" in _header(client, person)
    steps = [
        (lambda: services.notice_record(by=agent, person=person, informed_on=dt.date.today(), notice_version="v1"),
         "contacte", "contacté"),
        (lambda: services.referent_assign(by=agent, person=person, referent=agent), "contacte", "contacté"),
        (lambda: services.frein_identify(by=agent, person=person, theme="mobilite"), "diagnostique", "diagnostiqué"),
        (lambda: services.mobilisation_propose(by=agent, person=person, scheme=scheme("cej"), structure=mission_locale),
         "oriente", "orienté"),
    ]  # fmt: skip
    for step, state, label in steps:
        step()
        assert _state(person) == state
        assert label in _header(client, person)
    cej = person.mobilisations.get()
    handoff = services.handoff_send(
        by=agent, person=person, to_structure=mission_locale, reason="CEJ", shared=["contact"], mobilisation=cej
    )
    services.handoff_acknowledge(by=ml_ref, handoff=handoff)
    assert _state(person) == "oriente"
    services.handoff_first_meeting(by=ml_ref, handoff=handoff, met_on=dt.date.today(), enter_scheme=True)
    assert _state(person) == "en_parcours"
    assert "en parcours" in _header(client, person)
    assert Pathway.objects.get(person=person).entered_on == dt.date.today()
    services.exit_record(by=agent, person=person, exited_on=dt.date.today(), situation="cdi")
    assert _state(person) == "sorti"
    assert "sorti" in _header(client, person)
    moves = list(person.timeline.filter(kind="pathway.state").order_by("at", "id").values_list("label", flat=True))
    assert moves == [
        "Parcours : repéré → contacté",
        "Parcours : contacté → diagnostiqué",
        "Parcours : diagnostiqué → orienté",
        "Parcours : orienté → en parcours",
        "Parcours : en parcours → sorti",
    ]


@pytest.mark.django_db
def test_contact_of_kind_diagnostic_reaches_diagnosed_and_a_plain_contact_does_not(world):
    agent = world.users["referent"]
    person = make_person(by=agent)
    services.contact_record(by=agent, person=person, kind="appel", happened_at=timezone.now())
    assert _state(person) == "contacte"
    services.contact_record(by=agent, person=person, kind="diagnostic", happened_at=timezone.now())
    assert _state(person) == "diagnostique"


@pytest.mark.django_db
def test_manual_moves_need_a_reason_and_only_lost_or_refusal(world):
    agent = world.users["referent"]
    person = make_person(by=agent)
    services.contact_record(by=agent, person=person, kind="rdv", happened_at=timezone.now() - dt.timedelta(hours=2))
    with pytest.raises(ValidationFailed, match="motif") as error:
        services.pathway_transition(by=agent, person=person, target="perdu_de_vue", reason=" ")
    assert error.value.field == "reason"
    with pytest.raises(InvalidTransition, match="suit les événements"):
        services.pathway_transition(by=agent, person=person, target="oriente", reason="x")
    assert _state(person) == "contacte"
    services.pathway_transition(by=agent, person=person, target="perdu_de_vue", reason="Injoignable depuis 2 mois")
    assert _state(person) == "perdu_de_vue"
    assert person.timeline.filter(label__endswith="motif : Injoignable depuis 2 mois").exists()
    # an old contact recorded late does not resume the pathway; a new one does
    services.contact_record(by=agent, person=person, kind="appel", happened_at=timezone.now() - dt.timedelta(hours=1))
    assert _state(person) == "perdu_de_vue"
    services.contact_record(by=agent, person=person, kind="appel", happened_at=timezone.now())
    assert _state(person) == "contacte"
    # refusal, then an exit « refus » closes the pathway
    services.pathway_transition(by=agent, person=person, target="refus", reason="Ne souhaite pas être accompagnée")
    services.exit_record(by=agent, person=person, exited_on=dt.date.today(), situation="refus")
    assert _state(person) == "sorti"


@pytest.mark.django_db
def test_state_screen_offers_only_the_manual_moves_with_a_reason(world):
    agent = world.users["referent"]
    person = make_person(by=agent)
    client = login_client(agent)
    url = reverse("pathways:pathway_state", args=[person.public_id])
    form = client.get(url).context["form"]
    assert [c for c, _label in form.fields["target"].choices] == ["", "perdu_de_vue", "refus"]  # nothing preselected
    response = client.post(url, {"target": "refus", "reason": ""})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    assert client.post(url, {"target": "refus", "reason": "Refuse l'accompagnement"}).status_code == 302
    assert _state(person) == "refus"


@pytest.mark.django_db
def test_follow_command_catches_up_existing_pathways(world):
    from io import StringIO

    from django.core.management import call_command

    from citemploi.pathways.models import Contact

    agent = world.users["referent"]
    person = make_person(by=agent)
    # a record written before the rules: a contact, the pathway still « repéré »
    Contact.objects.create(person=person, kind="rdv", happened_at=timezone.now(), by=agent, structure=world.relais)
    out = StringIO()
    call_command("pathways", "follow", "--dry-run", stdout=out)
    assert "1 parcours avanceraient" in out.getvalue() and _state(person) == "repere"
    call_command("pathways", "follow", stdout=out)
    assert _state(person) == "contacte"
    call_command("pathways", "follow", stdout=(again := StringIO()))
    assert "0 parcours ont avancé" in again.getvalue()
