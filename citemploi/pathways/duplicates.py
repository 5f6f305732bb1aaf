"""The duplicate check of a new registration (issue 9 item 6).

A lookup by name + birth date, e-mail or phone searches every record, but answers only with the records the
user may open. Records followed by another structure are never revealed — not even their number: when the person
is registered anyway, a review item goes to the coordinator (`DuplicateReview`, ids only), and the form says
once for all that the coordination checks the duplicates across structures. Each lookup is throttled per user and
per IP (THROTTLE_RATES ``duplicate_check_user``/``duplicate_check_ip``), logged on a dedicated log line (counts,
never the typed identity) and in the access log for each record it matched.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import Role, User
from citemploi.accounts.permissions import is_caseworker, is_coordinator
from citemploi.core.access import log_access
from citemploi.core.errors import InvalidTransition, NotFound, PermissionDenied
from citemploi.core.mail import mail_later
from citemploi.core.throttle import throttle_hit
from citemploi.pathways import selectors
from citemploi.pathways.models import DuplicateReview, Person

logger = logging.getLogger("citemploi.pathways.duplicates")

LOOKUP_REASON = "contrôle de doublon (création d'une fiche)"


@dataclass(frozen=True)
class DuplicateCheck:
    #: Similar records the user may open (shown with details).
    visible: list[Person] = field(default_factory=list)
    #: Similar records the user may not open (never shown; a review is requested if the person is registered).
    hidden_ids: list[int] = field(default_factory=list)


def duplicate_check(
    *,
    actor: User,
    first_name: str,
    last_name: str,
    birth_date: dt.date | None,
    email: str = "",
    phone: str = "",
    client_ip: str = "",
    path: str = "",
) -> DuplicateCheck:
    """Look for records that may be the same person (raises `Throttled` past the rate)."""
    throttle_hit(scope="duplicate_check_user", key=str(actor.pk))
    if client_ip:
        throttle_hit(scope="duplicate_check_ip", key=client_ip)
    similar = selectors.similar_people(
        first_name=first_name, last_name=last_name, birth_date=birth_date, email=email, phone=phone
    )
    visible_ids = set(
        Person.objects.visible_to(actor).filter(pk__in=[p.pk for p in similar]).values_list("pk", flat=True)
    )
    for person in similar:
        log_access(user=actor, record=person, reason=LOOKUP_REASON, path=path)
    result = DuplicateCheck(
        visible=[p for p in similar if p.pk in visible_ids],
        hidden_ids=[p.pk for p in similar if p.pk not in visible_ids],
    )
    logger.info(
        "contrôle de doublon : utilisateur %s, %d fiche(s) visible(s), %d autre(s)",
        actor.pk,
        len(result.visible),
        len(result.hidden_ids),
    )
    return result


@transaction.atomic
def duplicate_reviews_request(*, actor: User, person: Person, candidate_ids: list[int]) -> list[DuplicateReview]:
    """Ask the coordination to check ``person`` against records of other structures (after its registration)."""
    if not candidate_ids:
        return []
    if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise PermissionDenied
    reviews = DuplicateReview.objects.bulk_create(
        [
            DuplicateReview(requested_by=actor, structure=actor.primary_structure, person=person, candidate_id=pk)
            for pk in candidate_ids
            if pk != person.pk
        ],
        ignore_conflicts=True,
    )
    coordinators = (
        User.objects.filter(
            memberships__role=Role.COORDINATOR, memberships__is_active=True, memberships__structure__is_active=True
        )
        .exclude(pk=actor.pk)
        .distinct()
        .values_list("email", flat=True)
    )
    from django.conf import settings
    from django.urls import reverse

    mail_later(
        to=list(coordinators),
        subject=_("Doublon possible à vérifier"),
        body=_(
            "Bonjour,\n\nUne fiche vient d'être créée alors qu'une fiche semblable est suivie par une autre "
            "structure. Vérifiez s'il s'agit de la même personne :\n%(url)s\n"
        )
        % {"url": settings.SITE_URL + reverse("pathways:duplicate_reviews")},
    )
    return reviews


def _reviews_in_sight(actor: User) -> QuerySet[DuplicateReview]:
    """Open reviews ``actor`` may decide: all for the coordinator; for a caseworker, those whose two records they
    may both open (the referent structure within its sight: a pair never reveals a record it could not see)."""
    if is_coordinator(actor):
        reviews = DuplicateReview.objects.all()
    elif is_caseworker(actor):
        visible = Person.objects.visible_to(actor).values("pk")
        reviews = DuplicateReview.objects.filter(person__in=visible, candidate__in=visible)
    else:
        raise PermissionDenied
    return reviews.filter(resolved_at__isnull=True)


def duplicate_reviews_open(actor: User) -> list[DuplicateReview]:
    """The possible duplicates still to check that ``actor`` may decide (coordinator: all)."""
    return list(
        _reviews_in_sight(actor)
        .select_related("requested_by", "structure", "person__pathway__structure", "candidate__pathway__structure")
        .order_by("-created_at", "-id")
    )


def duplicate_review_for(actor: User, pk: int) -> DuplicateReview:
    """One open review in ``actor``'s sight (else NotFound: the same answer as a missing one)."""
    review = _reviews_in_sight(actor).filter(pk=pk).first()
    if review is None:
        raise NotFound
    return review


@transaction.atomic
def duplicate_review_merge(*, actor: User, review: DuplicateReview) -> Person:
    """« Même personne » : the record created later is merged into the other one by the atomic merge of
    ``person_merge`` (its own rule applies: the coordinator, or the structure that follows both records)."""
    from citemploi.pathways.services import person_merge

    locked = _reviews_in_sight(actor).select_for_update(of=("self",)).filter(pk=review.pk).first()
    if locked is None:
        raise InvalidTransition(_("Ce doublon possible a déjà été vérifié."))
    return person_merge(by=actor, keep=locked.candidate, absorb=locked.person)


@transaction.atomic
def duplicate_review_resolve(*, actor: User, review: DuplicateReview) -> DuplicateReview:
    """Checked: not the same person — remembered, so that the pair is not proposed again (a merge removes the
    review by itself). The coordinator, or a caseworker who sees both records."""
    if not is_coordinator(actor) and not _reviews_in_sight(actor).filter(pk=review.pk).exists():
        raise PermissionDenied
    locked = DuplicateReview.objects.select_for_update(of=("self",)).get(pk=review.pk)
    if locked.resolved_at is not None:
        raise InvalidTransition(_("Ce doublon possible a déjà été vérifié."))
    locked.resolved_at, locked.resolved_by = timezone.now(), actor
    locked.save(update_fields=["resolved_at", "resolved_by"])
    return locked
