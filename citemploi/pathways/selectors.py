"""Read functions of the pathways domain, all scoped to the viewer (DESIGN.md §3.2) and with a number of queries
that does not grow with the cohort (pinned in tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

from citemploi.accounts.permissions import is_coordinator
from citemploi.core.access import log_access_if_outside, log_accesses
from citemploi.core.errors import NotFound
from citemploi.core.validators import search_words
from citemploi.pathways.choices import SENSITIVE_FREIN_THEMES, HandoffShare
from citemploi.pathways.models import Handoff, Pathway, Person, TimelineEvent
from citemploi.pathways.names import normalise
from citemploi.pathways.permissions import NO_SIGHT, Level, Sight, can_see_note, hidden_fields, sight_of
from citemploi.pathways.states import OPEN_PATHWAY_STATES, HandoffState

#: Timeline kinds that belong to a shareable section (hidden from a hand-off receiver who was not given it).
_SECTION_OF_KIND = {"frein": HandoffShare.FREINS, "mobilisation": HandoffShare.SCHEMES, "job": HandoffShare.JOBS}


def cohort(user: Any, *, filters: dict[str, Any] | None = None) -> QuerySet[Person]:
    """The people ``user`` may see, filtered (QPV, relais, structure, referent, state, alert, name search)."""
    filters = filters or {}
    people = Person.objects.visible_to(user).select_related("pathway__structure", "pathway__referent", "qpv")
    if filters.get("q"):
        for word in search_words(normalise(filters["q"])):
            people = people.filter(search_name__contains=word)
    if filters.get("qpv"):
        people = people.filter(qpv=filters["qpv"])
    if filters.get("relais"):
        people = people.filter(reperages__structure=filters["relais"]).distinct()
    if filters.get("structure"):
        people = people.filter(pathway__structure=filters["structure"])
    if filters.get("referent"):
        people = people.filter(pathway__referent=filters["referent"])
    if filters.get("state"):
        people = people.filter(pathway__state=filters["state"])
    if filters.get("alert"):
        people = people.filter(_alert_condition(filters["alert"]))
    return people.order_by("search_name", "id")  # French collation on every database (core.collation)


def _alert_condition(alert: str) -> Q:
    today = timezone.localdate()
    if alert == "no_referent":
        return Q(pathway__referent__isnull=True) & ~Q(pathway__state__in=["sorti", "refus"])
    if alert == "no_contact":
        limit = timezone.now() - timedelta(days=settings.PATHWAYS_NO_CONTACT_DAYS)
        return Q(pathway__state__in=OPEN_PATHWAY_STATES) & (
            Q(pathway__last_contact_at__lt=limit) | Q(pathway__last_contact_at__isnull=True)
        )
    if alert == "handoff_pending":
        return Q(handoffs__state=HandoffState.SENT)
    if alert == "followup_due":
        return Q(exits__followups__done_on__isnull=True, exits__followups__due_on__lte=today)
    return Q()


ALERT_CHOICES = [
    ("no_referent", _("Sans référent")),
    ("no_contact", _("Sans contact récent")),
    ("handoff_pending", _("Orientation en attente")),
    ("followup_due", _("Suivi après sortie à faire")),
]


def visible_person(user: Any) -> QuerySet[Person]:
    """The queryset the person page fetches from (views add get_object_or_404)."""
    handoffs = Handoff.objects.select_related("from_structure", "to_structure", "sent_by", "mobilisation__scheme")
    return (
        Person.objects.visible_to(user)
        .select_related("pathway__structure", "pathway__referent", "qpv")
        .prefetch_related(Prefetch("handoffs", queryset=handoffs))
    )


@dataclass(frozen=True)
class ViewedPerson:
    """A person as one viewer may see them: the record, the viewer's sight, and the fields it hides."""

    person: Person
    sight: Sight

    @property
    def hidden_fields(self) -> frozenset[str]:
        return hidden_fields(self.sight)


def person_for_viewer(user: Any, public_id: Any, *, reason: str = "consultation", path: str = "") -> ViewedPerson:
    """The one way to open a person's record, for the pages and the API: the person if ``user`` may see them (else
    ``NotFound``, the same 404 as a missing record), with what they see; a read from outside the referent's
    structure is written to the access log (``core.access``) with ``reason`` and ``path``."""
    person = visible_person(user).filter(public_id=public_id).first()
    sight = sight_of(user, person) if person is not None else NO_SIGHT
    if person is None or sight.level == Level.NONE:
        raise NotFound
    if sight.outside:
        log_access_if_outside(
            user=user, record=person, owner_structure_id=person.pathway.structure_id, reason=reason, path=path
        )
    return ViewedPerson(person, sight)


def people_for_viewer(user: Any, people: list[Person], *, reason: str = "API", path: str = "") -> dict[int, Sight]:
    """What ``user`` sees of each person of a page already scoped by ``visible_to`` (by primary key); the reads
    from outside the referent's structure are written to the access log in one query."""
    sights = {p.pk: sight_of(user, p) for p in people}
    log_accesses(user=user, records=[p for p in people if sights[p.pk].outside], reason=reason, path=path)
    return sights


def timeline(user: Any, person: Person, sight: Sight) -> list[TimelineEvent]:
    """The person's timeline, in order, with who did it; sensitive lines and unshared sections filtered out."""
    events = person.timeline.select_related("actor", "structure").order_by("at", "id")
    if not sight.full:
        events = events.filter(visibility=TimelineEvent.Visibility.SHARED)
    elif not is_coordinator(user):
        events = events.exclude(
            Q(visibility=TimelineEvent.Visibility.STRUCTURE) & ~Q(structure_id__in=list(user.structure_ids))
        )
    return [e for e in events if sight.full or _SECTION_OF_KIND.get(e.kind.split(".")[0], "") in ("", *sight.sections)]


@dataclass
class PersonPage:
    timeline: list[TimelineEvent]
    freins: list[Any] = field(default_factory=list)
    mobilisations: list[Any] = field(default_factory=list)
    handoffs: list[Any] = field(default_factory=list)
    contacts: list[Any] = field(default_factory=list)
    exits: list[Any] = field(default_factory=list)
    notices: list[Any] = field(default_factory=list)
    consents: list[Any] = field(default_factory=list)
    referents: list[Any] = field(default_factory=list)
    jobs: list[Any] = field(default_factory=list)


def person_page(user: Any, person: Person, sight: Sight) -> PersonPage:
    """Everything the person page shows, limited to what ``sight`` allows (a fixed number of queries)."""
    page = PersonPage(timeline=timeline(user, person, sight))
    page.handoffs = (
        list(person.handoffs.all())
        if sight.full
        else [h for h in person.handoffs.all() if h.to_structure_id in user.structure_ids]
    )
    # The receiver's replies and planned meetings, shown on each hand-off to both structures (issue 10, item 7).
    prefetch_related_objects(page.handoffs, "replies__structure", "appointments")
    page.contacts = list(person.contacts.select_related("by", "structure"))
    for contact in page.contacts:
        contact.visible_note = contact.note if can_see_note(user, contact.structure_id) else ""
    if sight.shows(HandoffShare.FREINS):
        freins = person.freins.select_related("structure")
        page.freins = [f for f in freins if sight.full or f.theme not in SENSITIVE_FREIN_THEMES]
        for frein in page.freins:
            frein.visible_comment = frein.comment if can_see_note(user, frein.structure_id) else ""
    if sight.shows(HandoffShare.SCHEMES):
        page.mobilisations = list(person.mobilisations.select_related("scheme", "structure"))
    if sight.shows(HandoffShare.JOBS):
        page.jobs = list(person.target_jobs.select_related("rome"))
    if sight.full:
        page.exits = list(person.exits.select_related("recorded_by").prefetch_related("followups"))
        page.notices = list(person.notices.select_related("informed_by"))
        page.consents = list(person.consents.select_related("partner"))
        page.referents = list(person.referent_history.select_related("referent", "structure", "assigned_by"))
    return page


def caseload(user: Any) -> list[dict[str, Any]]:
    """Open pathways per referent (for balancing): referent, structure, count by state."""
    pathways = Pathway.objects.filter(state__in=OPEN_PATHWAY_STATES | {"repere"}, person__anonymised_at__isnull=True)
    if not is_coordinator(user):
        pathways = pathways.filter(structure_id__in=list(user.structure_ids))
    rows = (
        pathways.values("structure__name", "referent__first_name", "referent__last_name", "referent__email")
        .annotate(total=Count("id"), in_pathway=Count("id", filter=Q(state="en_parcours")))
        .order_by("structure__sort_name", "referent__sort_name")
    )
    return list(rows)


def similar_people(
    *,
    first_name: str,
    last_name: str,
    birth_date: date | None,
    email: str = "",
    phone: str = "",
    exclude_id: int | None = None,
) -> list[Person]:
    """Records that may be the same person: same normalised names and birth date, close names (rapidfuzz ≥ 85)
    with the same birth date, or the same e-mail or phone. Searched among all records (not only the visible ones)
    so that a duplicate in another structure is found; the caller decides what to show."""
    wanted = normalise(f"{last_name} {first_name}")
    condition = Q()
    if birth_date:
        condition |= Q(birth_date=birth_date)
    if email:
        condition |= Q(email__iexact=email)
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) >= 9:
        condition |= Q(phone__endswith=digits[-9:])
    if not condition:
        return []
    candidates = Person.objects.filter(condition, anonymised_at__isnull=True).select_related("pathway__structure")[:200]
    found = []
    for person in candidates:
        if person.pk == exclude_id:
            continue
        same_contact = (email and person.email.lower() == email.lower()) or (
            len(digits) >= 9 and person.phone.endswith(digits[-9:])
        )
        close = (
            birth_date and person.birth_date == birth_date and fuzz.token_sort_ratio(wanted, person.search_name) >= 85
        )
        if same_contact or close:
            found.append(person)
    return found
