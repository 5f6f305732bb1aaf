"""The register of uncovered needs (issue 15 item 3): sources, grouping, coverage against the census, lifecycle,
permissions, and no name anywhere."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from citemploi.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from citemploi.governance.needs import services
from citemploi.governance.needs.coverage import coverage_of
from citemploi.governance.needs.models import Need, NeedSignal
from citemploi.governance.needs.states import Coverage, NeedState, SignalSource
from citemploi.governance.needs.sync import needs_sync
from citemploi.pathways.models import UnmetOrientation
from tests.factories.partners import ActionFactory, RegistrationFactory
from tests.governance.needs_world import QPV_CODE, no_solution, not_liftable, qpv, resident, signals

pytestmark = pytest.mark.django_db
MONTH = timezone.localdate().replace(day=1)


def _need(thematique: str) -> Need:
    return Need.objects.get(thematique=thematique, qpv_code=QPV_CODE)


def test_a_no_solution_handoff_and_two_not_liftable_freins_feed_one_need_each(world):
    signals(world)
    assert Need.objects.count() == 2
    permis, mobility = _need("mobilite--preparer-un-permis"), _need("mobilite")
    assert (permis.age_band, permis.situation, permis.state) == ("26_49", "tous-publics", NeedState.REPORTED)
    assert list(permis.signals.values_list("source", "month", "count")) == [(SignalSource.NO_SOLUTION, MONTH, 1)]
    assert list(mobility.signals.values_list("source", "month", "count")) == [(SignalSource.NOT_LIFTABLE, MONTH, 2)]


def test_the_synchronisation_is_idempotent_and_never_lowers_a_count(world):
    signals(world)
    report = needs_sync()
    assert (report.needs_created, report.signals_created, report.signals_updated) == (0, 0, 0)
    not_liftable(world, resident(world))
    assert needs_sync().signals_updated == 1
    assert _need("mobilite").signals.get().count == 3
    # Retention deletes the freins of people never accompanied: what was counted stays.
    from citemploi.pathways.models import Frein

    Frein.objects.all().delete()
    needs_sync()
    assert _need("mobilite").signals.get().count == 3


def test_a_signal_recorded_enqueues_the_synchronisation(world, django_capture_on_commit_callbacks):
    person = resident(world)
    with django_capture_on_commit_callbacks(execute=True):
        no_solution(world, person)
    assert _need("mobilite--preparer-un-permis").signals.get().count == 1  # the immediate backend of the tests


def test_people_in_another_situation_or_age_band_make_another_need(world):
    no_solution(world, resident(world, rsa="non_majore"))
    no_solution(world, resident(world, birth_date=dt.date(1960, 5, 1)))
    no_solution(world, resident(world))
    needs_sync()
    keys = set(Need.objects.values_list("age_band", "situation"))
    assert keys == {
        ("26_49", "beneficiaires-des-minimas-sociaux"),
        ("50_plus", "tous-publics"),
        ("26_49", "tous-publics"),
    }


def test_justice_freins_never_reach_the_register(world):
    not_liftable(world, resident(world), theme="justice")
    needs_sync()
    assert not Need.objects.exists()


def test_a_manual_report_feeds_the_same_need(world):
    signals(world)
    signal = services.need_report(
        by=world.users["outsider"], thematique="mobilite", age_band="26_49", situation="tous-publics",
        qpv_code=QPV_CODE, count=4, note="Pas de transport le dimanche",
    )  # fmt: skip
    assert signal.need == _need("mobilite")
    assert signal.structure == world.other_relais
    assert Need.objects.count() == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("thematique", "cuisine"),
        ("age_band", "12_15"),
        ("situation", "martiens"),
        ("qpv_code", "QN00000X"),
        ("count", 0),
    ],
)
def test_a_bad_report_is_refused_and_changes_nothing(world, field, value):
    qpv()
    data = {"thematique": "mobilite", "age_band": "tous", "situation": "tous-publics", "qpv_code": QPV_CODE, "count": 2}
    data[field] = value
    with pytest.raises(ValidationFailed):
        services.need_report(by=world.users["referent"], **data)
    assert not Need.objects.exists() and not NeedSignal.objects.exists()


def test_an_account_without_structure_cannot_report(world):
    from tests.factories.accounts import UserFactory

    with pytest.raises(PermissionDenied):
        services.need_report(
            by=UserFactory(), thematique="mobilite", age_band="tous", situation="tous-publics", qpv_code="", count=1
        )
    assert not Need.objects.exists()


def test_the_coordinator_qualifies_then_moves_the_need_along(world):
    signals(world)
    need = _need("mobilite")
    ActionFactory()  # the census has offers, none for mobility
    coordinator = world.users["coordinator"]
    need = services.need_qualify(by=coordinator, need=need, estimated_volume=40, evidence="Trois relais le constatent.")
    assert (need.state, need.coverage, need.qualified_by) == (NeedState.QUALIFIED, Coverage.NONE, coordinator)
    for target in (NeedState.SOLUTION_PROPOSED, NeedState.EXPERIMENTED, NeedState.COVERED):
        need = services.need_transition(by=coordinator, need=need, target=target)
    assert Need.objects.get(pk=need.pk).state == NeedState.COVERED


def test_an_invalid_transition_is_refused_and_changes_nothing(world):
    signals(world)
    need = _need("mobilite")
    with pytest.raises(InvalidTransition):
        services.need_transition(by=world.users["coordinator"], need=need, target=NeedState.COVERED)
    with pytest.raises(InvalidTransition):
        services.need_transition(by=world.users["coordinator"], need=need, target=NeedState.QUALIFIED)
    with pytest.raises(ValidationFailed):
        services.need_qualify(by=world.users["coordinator"], need=need, estimated_volume=3, evidence=" ")
    assert Need.objects.get(pk=need.pk).state == NeedState.REPORTED
    assert Need.objects.get(pk=need.pk).evidence == ""


@pytest.mark.parametrize("persona", ["referent", "state_copilot", "steering_member"])
def test_only_the_coordinator_qualifies_and_moves_needs(world, persona):
    signals(world)
    need = _need("mobilite")
    with pytest.raises(PermissionDenied):
        services.need_qualify(by=world.users[persona], need=need, estimated_volume=1, evidence="x")
    with pytest.raises(PermissionDenied):
        services.need_transition(by=world.users[persona], need=need, target=NeedState.DROPPED)
    assert Need.objects.get(pk=need.pk).state == NeedState.REPORTED


def test_the_coverage_changes_when_a_matching_action_is_added_to_the_census(world):
    signals(world)
    need = _need("mobilite")
    ActionFactory(thematiques=["trouver-un-emploi--repondre-a-des-offres-demploi"])  # another thématique
    assert coverage_of([need])[need.pk] == Coverage.NONE
    action = ActionFactory(thematiques=["mobilite--preparer-un-permis"], capacity=1)
    assert coverage_of([need])[need.pk] == Coverage.COVERED
    RegistrationFactory(action=action)  # now full
    assert coverage_of([need])[need.pk] == Coverage.PARTIAL


def test_an_offer_far_from_the_qpv_covers_it_partially_and_an_unknown_qpv_is_unknown(world):
    signals(world)
    need = _need("mobilite")
    ActionFactory(thematiques=["mobilite--acceder-a-un-vehicule"], insee_code="42095", qpv_code="")
    assert coverage_of([need])[need.pk] == Coverage.PARTIAL
    need.qpv_code = "QN99999Z"
    assert coverage_of([need])[need.pk] == Coverage.UNKNOWN


def test_the_census_without_offer_is_unknown_never_not_covered(world):
    signals(world)
    need = _need("mobilite")
    assert coverage_of([need])[need.pk] == Coverage.UNKNOWN


def test_the_unmet_record_keeps_the_aggregate_not_the_name(world):
    no_solution(world, resident(world))
    record = UnmetOrientation.objects.get()
    assert (record.qpv_code, record.structure, record.thematique) == (
        QPV_CODE,
        world.relais,
        "mobilite--preparer-un-permis",
    )


# --- pages ------------------------------------------------------------------------------------------------------


def _names(world) -> list[str]:
    from citemploi.pathways.models import Person

    return [n for p in Person.objects.all() for n in (p.first_name, p.last_name)]


@pytest.mark.parametrize("persona", ["coordinator", "steering_member"])
def test_no_name_in_the_register_pages(world, clients, persona):
    signals(world)
    services.need_report(
        by=world.users["referent"], thematique="mobilite", age_band="26_49", situation="tous-publics",
        qpv_code=QPV_CODE, count=2,
    )  # fmt: skip
    client = clients[persona]
    pages = [client.get(reverse("governance:needs"))]
    pages += [client.get(reverse("governance:need", args=[n.public_id])) for n in Need.objects.all()]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert "Préparer un permis" in html or "Mobilité" in html
        for name in _names(world):
            assert name not in html


def test_the_steering_member_reads_masked_counts(world, clients):
    signals(world)
    html = clients["steering_member"].get(reverse("governance:needs")).content.decode()
    assert "&lt; 6" in html
    html = clients["coordinator"].get(reverse("governance:needs")).content.decode()
    assert "&lt; 6" not in html


def test_the_list_filters(world, clients):
    signals(world)
    page = clients["coordinator"].get(reverse("governance:needs"), {"origine": SignalSource.NOT_LIFTABLE})
    assert [r.need.thematique for r in page.context["rows"]] == ["mobilite"]
    page = clients["coordinator"].get(reverse("governance:needs"), {"thematique": "sante", "qpv": QPV_CODE})
    assert page.context["rows"] == []


def test_a_partner_reports_through_the_form(world, clients):
    qpv()
    data = {
        "thematique": "numerique",
        "qpv_code": QPV_CODE,
        "age_band": "tous",
        "situation": "tous-publics",
        "count": 3,
    }
    response = clients["outsider"].post(reverse("governance:need_report"), data)
    assert response.status_code == 302
    assert Need.objects.get().signals.get().count == 3
    response = clients["outsider"].post(reverse("governance:need_report"), {**data, "count": "-1"})
    assert response.status_code == 400 and NeedSignal.objects.count() == 1


def test_the_coordinator_qualifies_through_the_page(world, clients):
    signals(world)
    need = _need("mobilite")
    url = reverse("governance:need_qualify", args=[need.public_id])
    assert (
        clients["coordinator"].post(url, {"estimated_volume": "12", "evidence": "Constat partagé"}).status_code == 302
    )
    assert Need.objects.get(pk=need.pk).state == NeedState.QUALIFIED
    url = reverse("governance:need_transition", args=[need.public_id])
    assert clients["coordinator"].post(url, {"target": NeedState.COVERED}).status_code == 303  # refused: a message
    assert Need.objects.get(pk=need.pk).state == NeedState.QUALIFIED


@pytest.mark.parametrize("rounds", [1, 4])
def test_the_list_runs_a_fixed_number_of_queries(world, clients, max_queries, rounds):
    signals(world, rounds)
    for i in range(rounds):
        services.need_report(
            by=world.users["referent"], thematique="sante", age_band="tous", situation="tous-publics",
            qpv_code=QPV_CODE if i % 2 else "", count=i + 1,
        )  # fmt: skip
    client = clients["coordinator"]
    client.get(reverse("governance:needs"))  # warm the session
    with max_queries(18):  # + the data version the nav's alert count is kept under (core/freshness.py)
        assert client.get(reverse("governance:needs")).status_code == 200
