"""The alerts inbox at real volume (issue 10, item 9): one list of every alert the user must act on, filtered by
type, relais, referent and age, paginated in the database, each with its reason in plain French.

Each alert type is a queryset of its own model (hand-offs, appointments, pathways, follow-ups) reduced to three
columns — type, row id, « depuis » (the date the age of the alert counts from) — and the types are joined by one
SQL UNION: counting and paging are one query each whatever the volume, then the rows of the page are read with one
query per model. The same count feeds the counter of the menu and the to-dos of the home page.

| type                   | who sees it                              | depuis                          |
|------------------------|------------------------------------------|---------------------------------|
| orientation à accuser  | the receiving structure                  | the sending date                |
| sans premier rendez-vous | both structures (acknowledged more than PATHWAYS_HANDOFF_MEETING_WORKING_DAYS working days ago, nothing planned) | the acknowledgement |
| rendez-vous prévu      | both structures                          | the day it was planned          |
| rendez-vous à confirmer| both structures (its time has passed, not recorded held) | the appointment's day |
| sans contact récent    | the referent's structure (no contact for PATHWAYS_NO_CONTACT_DAYS days) | the last contact (or the last state change) |
| sans référent          | the referent's structure                 | the pathway's creation          |
| suivi après la sortie  | the referent's structure (due within PATHWAYS_FOLLOWUP_NOTICE_DAYS) | the due date |

The coordinator sees every structure's alerts. Anonymised people never raise alerts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db.models import CharField, DateField, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citemploi.accounts.permissions import is_coordinator
from citemploi.core import freshness
from citemploi.pathways.models import Appointment, AppointmentState, FollowUp, Handoff, Pathway
from citemploi.pathways.states import OPEN_PATHWAY_STATES, HandoffState, PathwayState
from citemploi.pathways.workdays import working_days_before

TO_ACKNOWLEDGE = "a_accuser"
WITHOUT_MEETING = "sans_rdv"
PLANNED = "rdv_prevu"
TO_CONFIRM = "rdv_a_confirmer"
WITHOUT_CONTACT = "sans_contact"
WITHOUT_REFERENT = "sans_referent"
FOLLOWUP_DUE = "suivi"

KIND_CHOICES = [
    (TO_ACKNOWLEDGE, gettext_lazy("Orientation à accuser")),
    (WITHOUT_MEETING, gettext_lazy("Orientation sans premier rendez-vous")),
    (PLANNED, gettext_lazy("Rendez-vous prévu")),
    (TO_CONFIRM, gettext_lazy("Rendez-vous à confirmer")),
    (WITHOUT_CONTACT, gettext_lazy("Sans contact récent")),
    (WITHOUT_REFERENT, gettext_lazy("Sans référent")),
    (FOLLOWUP_DUE, gettext_lazy("Suivi après la sortie")),
]
KIND_LABELS = dict(KIND_CHOICES)

AGE_CHOICES = [
    ("7", gettext_lazy("Moins de 7 jours")),
    ("30", gettext_lazy("De 7 à 30 jours")),
    ("plus", gettext_lazy("Plus de 30 jours")),
]


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    relais: Any = None  # a Structure
    referent: Any = None  # a User
    age: str = ""
    person: Any = None  # a Person: the open alerts of one record (the summary band of the person page)


@dataclass
class Alert:
    kind: str
    since: date
    person: Any
    reason: str
    structure: str
    referent: Any
    action_label: str = ""
    action_url: str = ""
    #: Read after the action by screen readers (« Désigner le référent — Inès FICTIVE »); empty when the label
    #: already names the person.
    action_context: str | None = None

    def __post_init__(self) -> None:
        if self.action_context is None:
            self.action_context = str(self.person)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def age_days(self) -> int:
        return (timezone.localdate() - self.since).days


def _fmt(day: date) -> str:
    return f"{day:%d/%m/%Y}"


class _Inbox:
    """The querysets of each alert type for one user, filtered; ``today`` fixed for the whole request."""

    def __init__(self, user: Any, filters: Filters, today: date) -> None:
        self.user, self.filters, self.today = user, filters, today
        self.everyone = is_coordinator(user)
        self.mine = list(user.structure_ids)
        self.now = timezone.now()

    # -- scoping --------------------------------------------------------------------------------------------------
    def _handoffs(self, *, received_only: bool = False) -> QuerySet[Handoff]:
        rows = Handoff.objects.filter(person__anonymised_at__isnull=True)
        if not self.everyone:
            scope = Q(to_structure_id__in=self.mine)
            rows = rows.filter(scope if received_only else scope | Q(from_structure_id__in=self.mine))
        if self.filters.relais is not None:
            rows = rows.filter(Q(from_structure=self.filters.relais) | Q(to_structure=self.filters.relais))
        if self.filters.referent is not None:
            rows = rows.filter(person__pathway__referent=self.filters.referent)
        if self.filters.person is not None:
            rows = rows.filter(person=self.filters.person)
        return rows

    def _appointments(self) -> QuerySet[Appointment]:
        rows = Appointment.objects.filter(state=AppointmentState.PLANNED, person__anonymised_at__isnull=True)
        if not self.everyone:
            rows = rows.filter(Q(structure_id__in=self.mine) | Q(handoff__from_structure_id__in=self.mine))
        if self.filters.relais is not None:
            rows = rows.filter(Q(structure=self.filters.relais) | Q(handoff__from_structure=self.filters.relais))
        if self.filters.referent is not None:
            rows = rows.filter(person__pathway__referent=self.filters.referent)
        if self.filters.person is not None:
            rows = rows.filter(person=self.filters.person)
        return rows

    def _pathways(self) -> QuerySet[Pathway]:
        rows = Pathway.objects.filter(person__anonymised_at__isnull=True)
        if not self.everyone:
            rows = rows.filter(structure_id__in=self.mine)
        if self.filters.relais is not None:
            rows = rows.filter(structure=self.filters.relais)
        if self.filters.referent is not None:
            rows = rows.filter(referent=self.filters.referent)
        if self.filters.person is not None:
            rows = rows.filter(person=self.filters.person)
        return rows

    def _followups(self) -> QuerySet[FollowUp]:
        rows = FollowUp.objects.filter(done_on__isnull=True, exit__person__anonymised_at__isnull=True)
        if not self.everyone:
            rows = rows.filter(exit__person__pathway__structure_id__in=self.mine)
        if self.filters.relais is not None:
            rows = rows.filter(exit__person__pathway__structure=self.filters.relais)
        if self.filters.referent is not None:
            rows = rows.filter(exit__person__pathway__referent=self.filters.referent)
        if self.filters.person is not None:
            rows = rows.filter(exit__person=self.filters.person)
        return rows

    # -- the alert types ------------------------------------------------------------------------------------------
    def querysets(self) -> dict[str, QuerySet[Any]]:
        meeting_limit = working_days_before(self.today, settings.PATHWAYS_HANDOFF_MEETING_WORKING_DAYS)
        contact_limit = self.now - timedelta(days=settings.PATHWAYS_NO_CONTACT_DAYS)
        planned = Appointment.objects.filter(handoff=OuterRef("pk"), state=AppointmentState.PLANNED)
        day: DateField[date, date] = DateField()
        return {
            TO_ACKNOWLEDGE: self._handoffs(received_only=True)
            .filter(state=HandoffState.SENT)
            .annotate(since=TruncDate("sent_at", output_field=day)),
            WITHOUT_MEETING: self._handoffs()
            .filter(state=HandoffState.ACKNOWLEDGED, acknowledged_at__date__lt=meeting_limit)
            .filter(~Exists(planned))
            .annotate(since=TruncDate("acknowledged_at", output_field=day)),
            PLANNED: self._appointments()
            .filter(starts_at__gte=self.now)
            .annotate(since=TruncDate("created_at", output_field=day)),
            TO_CONFIRM: self._appointments()
            .filter(starts_at__lt=self.now)
            .annotate(since=TruncDate("starts_at", output_field=day)),
            WITHOUT_CONTACT: self._pathways()
            .filter(state__in=OPEN_PATHWAY_STATES)
            .filter(
                Q(last_contact_at__lt=contact_limit)
                | Q(last_contact_at__isnull=True, state_changed_at__lt=contact_limit)
            )
            .annotate(since=TruncDate(Coalesce("last_contact_at", "state_changed_at"), output_field=day)),
            WITHOUT_REFERENT: self._pathways()
            .filter(referent__isnull=True)
            .exclude(state__in=[PathwayState.EXITED, PathwayState.REFUSED])
            .annotate(since=TruncDate("created_at", output_field=day)),
            FOLLOWUP_DUE: self._followups()
            .filter(due_on__lte=self.today + timedelta(days=settings.PATHWAYS_FOLLOWUP_NOTICE_DAYS))
            .annotate(since=F("due_on")),
        }

    def _aged(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        age = self.filters.age
        if age == "7":
            return rows.filter(since__gt=self.today - timedelta(days=7))
        if age == "30":
            return rows.filter(since__lte=self.today - timedelta(days=7), since__gt=self.today - timedelta(days=30))
        if age == "plus":
            return rows.filter(since__lte=self.today - timedelta(days=30))
        return rows

    def union(self) -> QuerySet[Any] | None:
        parts = [
            self._aged(rows)
            .annotate(kind=Value(kind, output_field=CharField()))
            .order_by()
            .values_list("kind", "pk", "since")
            for kind, rows in self.querysets().items()
            if not self.filters.kind or self.filters.kind == kind
        ]
        if not parts:
            return None
        first, *others = parts
        combined: QuerySet[Any] = first.union(*others, all=True) if others else first
        return combined


def alert_rows(user: Any, *, filters: Filters | None = None, today: date | None = None) -> QuerySet[Any] | None:
    """The (type, id, depuis) rows of the user's alerts, oldest first: count it and slice it (a page)."""
    union = _Inbox(user, filters or Filters(), today or timezone.localdate()).union()
    return None if union is None else union.order_by("since", "kind", "pk")


#: The menu and the home page count the alerts up to this many (shown « 999+ »): every page shows the counter, so
#: it must not cost more with 20,000 alerts than with 300 (issue 16 §5).
ALERT_COUNT_CAP = 1000


def alert_count(user: Any) -> int:
    """The number of alerts of the user, at most ALERT_COUNT_CAP (the counter of the menu and of the home page):
    one query, which stops after ALERT_COUNT_CAP rows; kept until the data changes or the minute ends
    (core.freshness: the alerts that age into being — a contact now overdue — appear within the minute)."""
    cached = getattr(user, "_alert_count", None)  # the menu and the home page ask in the same request
    if cached is None:
        minute = timezone.now().replace(second=0, microsecond=0)
        cached = freshness.remember(("alert_count", user.pk, minute), partial(_count, user), seconds=60)
        user._alert_count = cached
    return int(cached)


def _count(user: Any) -> int:
    rows = alert_rows(user)
    return 0 if rows is None else rows.order_by()[:ALERT_COUNT_CAP].count()


def person_alert_count(user: Any, person: Any) -> int:
    """The number of the user's alerts about one person (the summary band of the person page): one query."""
    rows = alert_rows(user, filters=Filters(person=person))
    return 0 if rows is None else rows.count()


def kind_counts(user: Any, kinds: Iterable[str]) -> dict[str, int]:
    """The number of alerts of each of ``kinds`` (the to-dos of the home page): one query."""
    inbox = _Inbox(user, Filters(), timezone.localdate())
    wanted = list(kinds)
    querysets = inbox.querysets()
    parts = [
        querysets[kind].annotate(kind=Value(kind, output_field=CharField())).order_by().values_list("kind", "pk")
        for kind in wanted
    ]
    if not parts:
        return {}
    first, *others = parts
    union = first.union(*others, all=True) if others else first
    counts = dict.fromkeys(wanted, 0)
    for kind, _pk in union:
        counts[kind] += 1
    return counts


def materialise(rows: Iterable[tuple[str, int, date]]) -> list[Alert]:
    """The alerts of one page, with their person, reason and action: one query per model concerned."""
    rows = list(rows)
    ids: dict[str, set[int]] = {}
    for kind, pk, _since in rows:
        ids.setdefault(_MODEL_OF[kind], set()).add(pk)
    # One query per model whatever the page holds (an empty id list still queries): the count is constant.
    objects: dict[tuple[str, int], Any] = {}
    querysets: dict[str, QuerySet[Any]] = {
        "handoff": Handoff.objects.select_related("person__pathway__referent", "from_structure", "to_structure"),
        "appointment": Appointment.objects.select_related(
            "person__pathway__referent", "structure", "handoff__from_structure"
        ),
        "pathway": Pathway.objects.select_related("person", "structure", "referent"),
        "followup": FollowUp.objects.select_related(
            "exit__person__pathway__referent", "exit__person__pathway__structure"
        ),
    }
    for model, queryset in querysets.items():
        for item in queryset.filter(pk__in=sorted(ids.get(model, ())) or [0]):
            objects[model, item.pk] = item
    alerts = []
    for kind, pk, since in rows:
        item = objects.get((_MODEL_OF[kind], pk))
        if item is not None:
            alerts.append(_BUILDERS[kind](item, since))
    return alerts


_MODEL_OF = {
    TO_ACKNOWLEDGE: "handoff",
    WITHOUT_MEETING: "handoff",
    PLANNED: "appointment",
    TO_CONFIRM: "appointment",
    WITHOUT_CONTACT: "pathway",
    WITHOUT_REFERENT: "pathway",
    FOLLOWUP_DUE: "followup",
}


def _person_url(name: str, person: Any, *args: Any) -> str:
    return reverse(f"pathways:{name}", args=[person.public_id, *args])


def _to_acknowledge(h: Handoff, since: date) -> Alert:
    late = since < working_days_before(timezone.localdate(), settings.PATHWAYS_HANDOFF_ACK_WORKING_DAYS)
    reason = _("Orientation reçue de %(sender)s le %(date)s : à accuser réception.") % {
        "sender": h.from_structure.name,
        "date": _fmt(since),
    }
    if late:
        reason += " " + _("Le délai de %(days)s jours ouvrés est dépassé.") % {
            "days": settings.PATHWAYS_HANDOFF_ACK_WORKING_DAYS
        }
    return Alert(
        TO_ACKNOWLEDGE, since, h.person, reason, h.to_structure.name, h.person.pathway.referent,
        _("Accuser réception de l'orientation de %(person)s") % {"person": h.person},
        _person_url("handoff_acknowledge", h.person, h.public_id), action_context="",
    )  # fmt: skip


def _without_meeting(h: Handoff, since: date) -> Alert:
    reason = _(
        "Orientation vers %(receiver)s accusée le %(date)s : aucun premier rendez-vous prévu ni tenu depuis plus de "
        "%(days)s jours ouvrés."
    ) % {"receiver": h.to_structure.name, "date": _fmt(since), "days": settings.PATHWAYS_HANDOFF_MEETING_WORKING_DAYS}
    return Alert(
        WITHOUT_MEETING, since, h.person, reason, h.to_structure.name, h.person.pathway.referent,
        _("Voir l'orientation"), _person_url("person", h.person) + "#orientations",
    )  # fmt: skip


def _planned(a: Appointment, since: date) -> Alert:
    start = timezone.localtime(a.starts_at)
    reason = _("Rendez-vous prévu le %(date)s à %(time)s à %(structure)s%(place)s.") % {
        "date": _fmt(start.date()),
        "time": f"{start:%H:%M}",
        "structure": a.structure.name,
        "place": f" ({a.place})" if a.place else "",
    }
    return Alert(
        PLANNED, since, a.person, reason, a.structure.name, a.person.pathway.referent,
        _("Voir l'agenda"), reverse("pathways:agenda"),
    )  # fmt: skip


def _to_confirm(a: Appointment, since: date) -> Alert:
    start = timezone.localtime(a.starts_at)
    reason = _(
        "Le rendez-vous du %(date)s à %(time)s à %(structure)s est passé : indiquez s'il a eu lieu, ou annulez-le."
    ) % {"date": _fmt(start.date()), "time": f"{start:%H:%M}", "structure": a.structure.name}
    return Alert(
        TO_CONFIRM, since, a.person, reason, a.structure.name, a.person.pathway.referent,
        _("Enregistrer le rendez-vous"), _person_url("appointment_hold", a.person, a.public_id),
    )  # fmt: skip


def _without_contact(p: Pathway, since: date) -> Alert:
    if p.last_contact_at is None:
        reason = _("Aucun contact enregistré ; parcours à l'état « %(state)s » depuis le %(date)s.") % {
            "state": p.get_state_display(),
            "date": _fmt(since),
        }
    else:
        reason = _("Dernier contact le %(date)s : plus de %(days)s jours sans nouvelles.") % {
            "date": _fmt(since),
            "days": settings.PATHWAYS_NO_CONTACT_DAYS,
        }
    return Alert(
        WITHOUT_CONTACT, since, p.person, reason, p.structure.name, p.referent,
        _("Enregistrer un contact"), _person_url("contact_new", p.person),
    )  # fmt: skip


def _without_referent(p: Pathway, since: date) -> Alert:
    reason = _("Personne suivie depuis le %(date)s sans référent unique désigné.") % {"date": _fmt(since)}
    return Alert(
        WITHOUT_REFERENT, since, p.person, reason, p.structure.name, None,
        _("Désigner le référent"), _person_url("referent", p.person),
    )  # fmt: skip


def _followup_due(f: FollowUp, since: date) -> Alert:
    person = f.exit.person
    reason = _("Suivi à %(months)s mois après la sortie du %(exit)s : à faire le %(date)s.") % {
        "months": f.months,
        "exit": _fmt(f.exit.exited_on),
        "date": _fmt(since),
    }
    return Alert(
        FOLLOWUP_DUE, since, person, reason, person.pathway.structure.name, person.pathway.referent,
        _("Enregistrer le suivi"), _person_url("followup", person, f.public_id),
    )  # fmt: skip


_BUILDERS: dict[str, Callable[[Any, date], Alert]] = {
    TO_ACKNOWLEDGE: _to_acknowledge,
    WITHOUT_MEETING: _without_meeting,
    PLANNED: _planned,
    TO_CONFIRM: _to_confirm,
    WITHOUT_CONTACT: _without_contact,
    WITHOUT_REFERENT: _without_referent,
    FOLLOWUP_DUE: _followup_due,
}
