"""The monthly report's services: states, who may do what, refusals that change nothing, stale edits."""

from __future__ import annotations

import pytest

from citemploi.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from citemploi.relais import services
from citemploi.relais.models import ActivityReport, ReceptionLine, ReportState
from citemploi.relais.values import Reception, ReportChanges

CHANGES = ReportChanges(
    receptions=(Reception("QN04213M", "F", 3, 2), Reception("", "M", 1, 0)),
    orientations=(("mission_locale", 2),),
    appointments=7,
    workshops=1,
    workshop_attendance=6,
    highlights="Forum de l'emploi",
)


def _save(world, month, version=0, changes=CHANGES, by="referent"):
    return services.report_save(by=world.users[by], relais=world.relais, month=month, version=version, changes=changes)


def test_draft_submit_validate(world, qpvs, last_month):
    report = _save(world, last_month)
    assert report.state == ReportState.DRAFT and report.version == 1
    assert sorted(ReceptionLine.objects.filter(report=report).values_list("qpv_code", "sex", "new", "returning")) == [
        ("", "M", 1, 0),
        ("QN04213M", "F", 3, 2),
    ]
    report = services.report_submit(by=world.users["colleague"], report=report, version=1)
    assert report.state == ReportState.SUBMITTED and report.submitted_by == world.users["colleague"]
    with pytest.raises(InvalidTransition):
        _save(world, last_month, version=report.version)
    report = services.report_validate(by=world.users["coordinator"], report=report, version=report.version)
    assert report.state == ReportState.VALIDATED
    with pytest.raises(InvalidTransition):
        services.report_return(by=world.users["coordinator"], report=report, version=report.version, comment="x")


def test_returned_report_is_edited_and_submitted_again(
    world, qpvs, last_month, mailoutbox, django_capture_on_commit_callbacks
):
    report = services.report_submit(by=world.users["referent"], report=_save(world, last_month), version=1)
    with pytest.raises(ValidationFailed):
        services.report_return(by=world.users["coordinator"], report=report, version=report.version, comment="  ")
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_return(
            by=world.users["coordinator"], report=report, version=report.version, comment="Ateliers à vérifier"
        )
    assert report.state == ReportState.RETURNED and report.return_comment == "Ateliers à vérifier"
    assert {m.to[0] for m in mailoutbox} == {world.users["referent"].email, world.users["colleague"].email}
    report = _save(world, last_month, version=report.version, changes=ReportChanges(appointments=9))
    assert report.appointments == 9 and not report.receptions.exists()
    report = services.report_submit(by=world.users["referent"], report=report, version=report.version)
    assert report.state == ReportState.SUBMITTED


@pytest.mark.parametrize(
    ("by", "error"),
    [("outsider", PermissionDenied), ("coordinator", PermissionDenied), ("state_copilot", PermissionDenied)],
)
def test_only_the_relais_agents_write_its_report(world, qpvs, last_month, by, error):
    with pytest.raises(error):
        _save(world, last_month, by=by)
    assert not ActivityReport.objects.exists()


def test_only_the_coordinator_reviews(world, qpvs, last_month):
    report = services.report_submit(by=world.users["referent"], report=_save(world, last_month), version=1)
    for persona in ("referent", "outsider", "state_copilot", "admin"):
        with pytest.raises(PermissionDenied):
            services.report_validate(by=world.users[persona], report=report, version=report.version)
    assert ActivityReport.objects.get().state == ReportState.SUBMITTED


@pytest.mark.parametrize(
    "changes",
    [
        ReportChanges(appointments=-1),
        ReportChanges(receptions=(Reception("QN99999X", "F", 1, 0),)),
        ReportChanges(receptions=(Reception("", "F", 1, 0), Reception("", "F", 2, 0))),
        ReportChanges(receptions=(Reception("", "Z", 1, 0),)),
        ReportChanges(orientations=(("nimporte", 1),)),
        ReportChanges(workshops=0, workshop_attendance=4),
    ],
)
def test_bad_content_is_refused_and_changes_nothing(world, qpvs, last_month, changes):
    report = _save(world, last_month)
    with pytest.raises(ValidationFailed):
        _save(world, last_month, version=report.version, changes=changes)
    stored = ActivityReport.objects.get()
    assert stored.version == 1 and stored.appointments == 7 and stored.receptions.count() == 2


def test_stale_edit_is_a_conflict(world, qpvs, last_month):
    report = _save(world, last_month)
    _save(world, last_month, version=1, changes=ReportChanges(appointments=3), by="colleague")
    with pytest.raises(Conflict):
        _save(world, last_month, version=1, changes=ReportChanges(appointments=4))
    with pytest.raises(Conflict):
        services.report_submit(by=world.users["referent"], report=report, version=1)
    assert ActivityReport.objects.get().appointments == 3


def test_second_creation_of_the_month_is_a_conflict(world, qpvs, last_month):
    _save(world, last_month)
    with pytest.raises(Conflict):
        _save(world, last_month, by="colleague")
    assert ActivityReport.objects.count() == 1


def test_current_month_cannot_be_reported(world, qpvs, last_month):
    from django.utils import timezone

    with pytest.raises(ValidationFailed):
        _save(world, timezone.localdate())
