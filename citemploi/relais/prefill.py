"""What citemploi already knows of a relais' month, to prefill its report (docs/relais.md, « préremplissage »).

Each figure is one aggregated query (no loop over people):
- people received: the people with a contact recorded by the relais in the month (rendez-vous, atelier, visite,
  entretien de diagnostic — calls and messages are not « reçues »), by their current QPV (blank: outside or
  unknown) and sex; « nouvelles » when the relais had never recorded a contact with them before the month;
- appointments: the relais' contacts « rendez-vous » and « entretien de diagnostic » of the month;
- workshops: the sessions in the month of the census actions the relais carries of kind atelier or information
  collective (an action without sessions counts once, in the month it starts); attendance: the registrations
  marked present to them;
- orientations: the hand-offs the relais sent in the month, by type of the destination structure;
- events: the census actions of kind forum, job dating or visite d'entreprise that the relais carries or takes
  part in, overlapping the month (cancelled ones left out).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q

from citemploi.accounts.models import Structure
from citemploi.partners.models import Action, ActionKind, ActionSession, ActionStatus, Attendance, Registration
from citemploi.pathways.choices import ContactKind
from citemploi.pathways.models import Contact, Handoff, Person
from citemploi.relais.months import bounds, first_day, last_day
from citemploi.relais.values import Reception, ReportChanges

RECEIVED_KINDS = (ContactKind.MEETING, ContactKind.WORKSHOP, ContactKind.VISIT, ContactKind.DIAGNOSTIC)
APPOINTMENT_KINDS = (ContactKind.MEETING, ContactKind.DIAGNOSTIC)
WORKSHOP_KINDS = (ActionKind.WORKSHOP, ActionKind.INFO_SESSION)
EVENT_KINDS = (ActionKind.FORUM, ActionKind.JOB_DATING, ActionKind.VISIT)


def receptions(relais: Structure, month: date) -> tuple[Reception, ...]:
    start, end = bounds(month)
    contacts = Contact.objects.filter(structure=relais, kind__in=RECEIVED_KINDS)
    seen = contacts.filter(happened_at__gte=start, happened_at__lt=end).values("person_id")
    before = contacts.filter(person_id=OuterRef("pk"), happened_at__lt=start)
    rows = (
        Person.objects.filter(pk__in=seen)
        .annotate(back=Exists(before))
        .values("qpv__code", "sex", "back")
        .annotate(n=Count("pk"))
        .order_by()
    )
    lines: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        line = lines.setdefault((row["qpv__code"] or "", row["sex"] or ""), [0, 0])
        line[1 if row["back"] else 0] += row["n"]
    return tuple(Reception(qpv, sex, new, back) for (qpv, sex), (new, back) in sorted(lines.items()))


def appointments(relais: Structure, month: date) -> int:
    start, end = bounds(month)
    return Contact.objects.filter(
        structure=relais, kind__in=APPOINTMENT_KINDS, happened_at__gte=start, happened_at__lt=end
    ).count()


def _workshop_filter(relais: Structure, month: date) -> tuple[Q, Q]:
    """(sessions of the month, actions without sessions starting in the month) of the relais' workshops."""
    start, end = bounds(month)
    actions = Q(carrier=relais, kind__in=WORKSHOP_KINDS) & ~Q(status=ActionStatus.CANCELLED)
    sessions = Q(starts_at__gte=start, starts_at__lt=end)
    lone = (
        actions
        & Q(starts_on__gte=first_day(month), starts_on__lte=last_day(month))
        & ~Q(Exists(ActionSession.objects.filter(action_id=OuterRef("pk"))))
    )
    return sessions & Q(action__in=Action.objects.filter(actions)), lone


def workshops(relais: Structure, month: date) -> tuple[int, int]:
    """(workshops, attendance)."""
    sessions, lone = _workshop_filter(relais, month)
    session_ids = ActionSession.objects.filter(sessions).values("pk")
    lone_ids = Action.objects.filter(lone).values("pk")
    count = ActionSession.objects.filter(sessions).count() + Action.objects.filter(lone).count()
    present = Registration.objects.filter(attendance=Attendance.PRESENT).filter(
        Q(session__in=session_ids) | Q(session__isnull=True, action__in=lone_ids)
    )
    return count, present.count()


def orientations(relais: Structure, month: date) -> tuple[tuple[str, int], ...]:
    start, end = bounds(month)
    rows = (
        Handoff.objects.filter(from_structure=relais, sent_at__gte=start, sent_at__lt=end)
        .values("to_structure__kind")
        .annotate(n=Count("pk"))
        .order_by("to_structure__kind")
    )
    return tuple((row["to_structure__kind"], row["n"]) for row in rows)


def events(relais: Structure, month: date) -> int:
    taking_part = Q(carrier=relais) | Q(partners=relais)
    overlap = Q(starts_on__lte=last_day(month), ends_on__gte=first_day(month))
    found = Action.objects.filter(taking_part, overlap, kind__in=EVENT_KINDS).exclude(status=ActionStatus.CANCELLED)
    return found.values("pk").distinct().count()


def prefill(relais: Structure, month: date) -> ReportChanges:
    """The report as citemploi knows it (7 queries whatever the volume); free texts empty."""
    count, attendance = workshops(relais, month)
    return ReportChanges(
        receptions=receptions(relais, month),
        orientations=orientations(relais, month),
        appointments=appointments(relais, month),
        workshops=count,
        workshop_attendance=attendance,
        events=events(relais, month),
    )
