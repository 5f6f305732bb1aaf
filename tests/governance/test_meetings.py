"""Instances, meetings, invitations with .ics, replies, attendance, minutes, documents, decisions (issue 14)."""

from __future__ import annotations

import datetime as dt
import io

import icalendar
import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from citemploi.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from citemploi.core.uploads import FileRefused
from citemploi.governance import minutes, selectors, services, services_decisions
from citemploi.governance.models import (
    Decision,
    DecisionState,
    InstanceKind,
    Invitation,
    MeetingDocument,
    Reply,
)
from tests.factories.governance import copil, invite, meeting

pytestmark = pytest.mark.django_db


def _fields(days: int = 10, **extra) -> services.MeetingFields:
    start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=days)
    return services.MeetingFields(
        title=extra.pop("title", "COPIL"),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="Salle",
        **extra,
    )


def test_the_coordinator_prepares_a_copil_and_members_receive_the_ics(world, django_capture_on_commit_callbacks):
    coordinator = world.users["coordinator"]
    instance = copil(world)
    session = services.meeting_create(by=coordinator, instance=instance, fields=_fields(title="COPIL de juin"))
    for title in ("Bilan du semestre", "Entonnoir par QPV", "Feuille de route"):
        services.agenda_item_add(by=coordinator, meeting=session, title=title)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.meeting_invite(by=coordinator, meeting=session)
    # the co-chair, the steering member, and the two agents of the member relais
    expected = {world.users[p].email for p in ("state_copilot", "steering_member", "referent", "colleague")}
    assert sent == 4 and {m.to[0] for m in mail.outbox} == expected
    ics = mail.outbox[0].attachments[0]
    assert ics[0] == "reunion.ics" and ics[2] == "text/calendar"
    event = icalendar.Calendar.from_ical(ics[1]).walk("VEVENT")[0]
    assert "COPIL de juin" in str(event["SUMMARY"]) and event.decoded("DTSTART") == session.starts_at
    assert [i.title for i in session.items.all()] == ["Bilan du semestre", "Entonnoir par QPV", "Feuille de route"]
    # inviting again sends nothing more
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_invite(by=coordinator, meeting=session) == 0
    assert len(mail.outbox) == 4


def test_a_member_who_is_not_co_chair_cannot_prepare(world):
    instance = copil(world)
    with pytest.raises(PermissionDenied):
        services.meeting_create(by=world.users["steering_member"], instance=instance, fields=_fields())
    # the co-chair can
    assert services.meeting_create(by=world.users["state_copilot"], instance=instance, fields=_fields()).pk


def test_meeting_dates_and_place_are_checked(world):
    instance = copil(world)
    start = timezone.now() + dt.timedelta(days=3)
    with pytest.raises(ValidationFailed, match="fin"):
        services.meeting_create(
            by=world.users["coordinator"],
            instance=instance,
            fields=services.MeetingFields(title="x", starts_at=start, ends_at=start, place="Salle"),
        )
    with pytest.raises(ValidationFailed, match="lieu"):
        services.meeting_create(
            by=world.users["coordinator"],
            instance=instance,
            fields=services.MeetingFields(title="x", starts_at=start, ends_at=start + dt.timedelta(hours=1)),
        )


def test_replies_present_excused_represented(world):
    session = meeting(copil(world))
    (invitation,) = invite(session, world.users["steering_member"])
    with pytest.raises(ValidationFailed, match="représente"):
        services.invitation_reply(by=world.users["steering_member"], invitation=invitation, reply=Reply.REPRESENTED)
    with pytest.raises(PermissionDenied):
        services.invitation_reply(by=world.users["coordinator"], invitation=invitation, reply=Reply.PRESENT)
    services.invitation_reply(
        by=world.users["steering_member"], invitation=invitation, reply=Reply.REPRESENTED, represented_by="M. Adjoint"
    )
    invitation.refresh_from_db()
    assert invitation.reply == Reply.REPRESENTED and invitation.represented_by == "M. Adjoint"


def test_attendance_is_recorded_on_the_day_not_before(world):
    instance = copil(world)
    coming, past = meeting(instance, days=5), meeting(instance, days=-1)
    (later,) = invite(coming, world.users["steering_member"])
    (earlier,) = invite(past, world.users["steering_member"])
    with pytest.raises(InvalidTransition, match="jour"):
        services.attendance_record(by=world.users["coordinator"], meeting=coming, present={later.pk: True})
    assert services.attendance_record(by=world.users["coordinator"], meeting=past, present={earlier.pk: True}) == 1
    assert Invitation.objects.get(pk=earlier.pk).attended is True


def test_two_decisions_then_the_next_cotech_lists_them_and_the_late_one_is_on_the_board(world):
    coordinator = world.users["coordinator"]
    instance = copil(world)
    held = meeting(instance, days=-30, title="COPIL de mars")
    late = services_decisions.decision_record(
        by=coordinator,
        meeting=held,
        text="Ouvrir une permanence emploi au centre social",
        owner_structure=world.relais,
        deadline=timezone.localdate() - dt.timedelta(days=2),
    )
    on_time = services_decisions.decision_record(
        by=coordinator,
        meeting=held,
        text="Présenter l'entonnoir par QPV",
        owner=world.users["state_copilot"],
        deadline=timezone.localdate() + dt.timedelta(days=20),
    )
    cotech = services.instance_create(by=coordinator, kind=InstanceKind.COTECH, name="COTECH")
    services.instance_member_add(by=coordinator, instance=cotech, structure=world.relais)
    next_cotech = services.meeting_create(by=coordinator, instance=cotech, fields=_fields(days=3, title="COTECH"))
    assert [d.pk for d in selectors.previous_decisions(next_cotech)] == [late.pk, on_time.pk]  # late first
    groups = selectors.board(coordinator)
    assert groups[0].owner == world.relais.name and groups[0].late == 1
    assert [d.pk for g in groups for d in g.decisions if d.late] == [late.pk]
    # the relais (owner) moves its own decision; a member who does not own it only comments
    services_decisions.decision_follow(
        by=world.users["referent"], decision=late, state=DecisionState.DOING, comment="Local trouvé."
    )
    with pytest.raises(PermissionDenied):
        services_decisions.decision_follow(by=world.users["referent"], decision=on_time, state=DecisionState.DONE)
    services_decisions.decision_follow(by=world.users["referent"], decision=on_time, comment="Données envoyées.")
    assert Decision.objects.get(pk=on_time.pk).state == DecisionState.TODO
    assert [c.text for c in late.comments.all()] == ["Local trouvé."]


def test_a_closed_decision_cannot_jump_back_to_to_do(world):
    held = meeting(copil(world), days=-1)
    decision = services_decisions.decision_record(
        by=world.users["coordinator"], meeting=held, text="x", owner_structure=world.relais
    )
    services_decisions.decision_follow(by=world.users["coordinator"], decision=decision, state=DecisionState.DONE)
    with pytest.raises(InvalidTransition):
        services_decisions.decision_follow(by=world.users["coordinator"], decision=decision, state=DecisionState.TODO)
    assert Decision.objects.get(pk=decision.pk).state == DecisionState.DONE


def test_minutes_with_script_or_javascript_links_are_sanitised(world):
    held = meeting(copil(world), days=-1)
    text = (
        "## Relevé\n<script>alert(1)</script>\n[clic](javascript:alert(2)) et "
        '<a href="javascript:alert(3)">lien</a> <img src=x onerror=alert(4)> [ok](https://exemple.test)'
    )
    held = services.minutes_save(by=world.users["coordinator"], meeting=held, text=text)
    html = minutes.render(held.minutes)
    # what the parser did not turn into markup stays visible as text, escaped: never a tag, never a link
    tags, hrefs = _markup(html)
    assert tags <= {"h2", "p", "a"} and hrefs == ["https://exemple.test"]
    assert "&lt;script&gt;" in html
    assert '<a href="https://exemple.test" rel="noopener noreferrer nofollow">ok</a>' in html
    assert "<h2>Relevé</h2>" in html


def _markup(html: str) -> tuple[set[str], list[str]]:
    from html.parser import HTMLParser

    class Collect(HTMLParser):
        tags: set[str] = set()
        hrefs: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.tags.add(tag)
            self.hrefs += [value for name, value in attrs if name == "href"]
            assert not [name for name, _ in attrs if name.startswith("on")]

    parser = Collect()
    parser.tags, parser.hrefs = set(), []
    parser.feed(html)
    return parser.tags, parser.hrefs


def test_the_minutes_of_a_commission_name_people_only_to_those_who_may_see_them(world):
    from tests.factories.pathways import make_person

    person = make_person(by=world.users["referent"], first_name="Inès", last_name="Fictive")
    text = f"Situation de [[personne:{person.public_id}]] : orientation vers le PLIE."
    shown = minutes.render(text, selectors.people_names(world.users["referent"], minutes.person_refs(text)))
    hidden = minutes.render(text, selectors.people_names(world.users["steering_member"], minutes.person_refs(text)))
    assert "Inès Fictive" in shown
    assert "Inès" not in hidden and "Fictive" not in hidden and minutes.ANONYMOUS in hidden


@override_settings(DOCUMENT_MAX_MB=1)
def test_documents_over_the_limit_or_of_a_forbidden_type_are_refused(world):
    held = meeting(copil(world), days=-1)
    by = world.users["coordinator"]
    big = b"%PDF-1.7\n" + b"x" * (1024 * 1024 + 1)
    with pytest.raises(FileRefused, match="trop volumineux"):
        services.document_add(by=by, meeting=held, name="gros.pdf", size=len(big), content=io.BytesIO(big))
    with pytest.raises(FileRefused, match="Type de document refusé"):
        services.document_add(by=by, meeting=held, name="script.exe", size=4, content=io.BytesIO(b"MZ.."))
    with pytest.raises(FileRefused, match="ne correspond pas"):
        services.document_add(by=by, meeting=held, name="faux.pdf", size=9, content=io.BytesIO(b"<script>x"))
    assert MeetingDocument.objects.count() == 0
    ok = services.document_add(by=by, meeting=held, name="cr.pdf", size=9, content=io.BytesIO(b"%PDF-1.7\n"))
    assert ok.size == 9 and MeetingDocument.objects.count() == 1


def test_a_cancelled_meeting_warns_the_invitees(world, django_capture_on_commit_callbacks):
    coordinator = world.users["coordinator"]
    session = services.meeting_create(by=coordinator, instance=copil(world), fields=_fields())
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(by=coordinator, meeting=session)
        services.meeting_cancel(by=coordinator, meeting=session)
    cancelled = [m for m in mail.outbox if m.subject.startswith("[") and "annulée" in m.subject]
    assert len(cancelled) == 4
    event = icalendar.Calendar.from_ical(cancelled[0].attachments[0][1]).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED"


def test_instances_and_meetings_are_scoped_to_members(world):
    instance = copil(world)
    session = meeting(instance)
    assert list(selectors.instances_for(world.users["outsider"])) == []
    with pytest.raises(type(session).DoesNotExist):
        selectors.meeting_for(world.users["outsider"], session.public_id)
    assert selectors.meeting_for(world.users["colleague"], session.public_id) == session  # through the relais
