"""Promotion of the Cité de l'emploi (issue 15 §7): what the public newsletter and the agenda widget show.

Public reads only: public meetings of the steering instances, published public actions of the census, published
veille notes, and the people reached this year by QPV *masked* (statistical secrecy, as for any output below the
coordinator — the public is below everyone). Nothing here takes a user: these reads are the same for everyone.

The letter of month M (docs/promotion.md):
- « Agenda » — the public meetings and the actions' sessions (or sessionless actions) dated in M;
- « Nouveautés » — the public actions added to the census during the month before M (still running in M), and
  the veille notes published during the month before M: a letter prepared at the end of a month, or sent early
  in M, announces M's events and what appeared since the previous letter, and two letters never repeat a novelty.
- « Personnes accompagnées » — the registry's « Personnes repérées » indicator on the calendar year up to today,
  by QPV of residence, masked with secondary suppression.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.core.errors import PermissionDenied
from citemploi.core.secrecy import display
from citemploi.evaluation import outputs, registry
from citemploi.evaluation.periods import Period, month_of
from citemploi.evaluation.selectors import group_labels
from citemploi.governance.models import Meeting
from citemploi.governance.permissions import can_prepare_newsletter
from citemploi.partners.models import Action
from citemploi.partners.selectors import AgendaItem, agenda, public_actions
from citemploi.pathways.exits import add_months
from citemploi.schemes.models import VeilleEntry

#: The registry indicator behind the public « people reached » figures (not a computation of its own).
REACH_INDICATOR = "spotted"
#: How long the public figures are kept (they change slowly; a new repérage shows within 15 minutes).
REACH_CACHE_SECONDS = 900
#: How many days ahead the agenda widget looks, and how many entries it lists at most.
WIDGET_DAYS = 90
WIDGET_ITEMS = 8


@dataclass(frozen=True)
class Figure:
    """A published count: ``value`` None when masked; ``text`` as it reads (« 1 234 », « < 6 »)."""

    label: str
    value: int | None

    @property
    def text(self) -> str:
        return display(self.value)


@dataclass(frozen=True)
class Reach:
    """People reached in ``period`` by QPV of residence, as published (statistical secrecy applied)."""

    period: Period
    rows: list[Figure]
    total: Figure

    @property
    def masked(self) -> bool:
        return any(f.value is None for f in [*self.rows, self.total])


@dataclass(frozen=True)
class Newsletter:
    month: Period
    news: Period
    agenda: list[AgendaItem]
    meetings: list[Meeting]
    new_actions: list[Action]
    veille: list[VeilleEntry]
    reach: Reach

    @property
    def is_empty(self) -> bool:
        return not (self.agenda or self.meetings or self.new_actions or self.veille)


def public_meetings(start: dt.date, end: dt.date) -> list[Meeting]:
    """The public meetings of the steering instances (not cancelled), between start and end inclusive."""
    return list(
        Meeting.objects.public()
        .filter(starts_at__date__gte=start, starts_at__date__lte=end)
        .select_related("instance")
        .order_by("starts_at")
    )


def public_reach(today: dt.date | None = None) -> Reach:
    """The people reached (« Personnes repérées ») since January 1st, by QPV, masked. Three queries, then cached
    for ``REACH_CACHE_SECONDS`` in this process: the public pages must not run the registry on every anonymous
    hit (docs/performance.md measures the registry at seconds per indicator on 100,000 people)."""
    today = today or timezone.localdate()
    key = f"citemploi:public-reach:{today.isoformat()}"
    cached = cache.get(key)
    if isinstance(cached, Reach):
        return cached
    reach = _reach(today)
    cache.set(key, reach, REACH_CACHE_SECONDS)
    return reach


def _reach(today: dt.date) -> Reach:
    period = Period(dt.date(today.year, 1, 1), today, "range")
    result = outputs.mask(registry.compute(registry.get(REACH_INDICATOR), period, by="qpv"))
    labels = group_labels("qpv", list(result.groups))
    rows = sorted((Figure(labels[k], _int(cell.value)) for k, cell in result.groups.items()), key=lambda f: f.label)
    return Reach(period, rows, Figure(_("Total"), _int(result.total.value)))


def _int(value: float | int | None) -> int | None:
    return None if value is None else int(value)


def newsletter(month: Period, *, today: dt.date | None = None) -> Newsletter:
    """The letter of ``month`` (see the module docstring). A fixed number of queries whatever the data size."""
    news = month_of(add_months(month.start, -1))
    tz = timezone.get_current_timezone()
    lower = dt.datetime.combine(news.start, dt.time.min, tzinfo=tz)
    upper = dt.datetime.combine(news.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    new_actions = (
        public_actions()
        .filter(created_at__gte=lower, created_at__lt=upper, ends_on__gte=month.start)
        .select_related("carrier")
        .order_by("starts_on", "title", "id")
    )
    veille = VeilleEntry.objects.published().filter(published_at__gte=lower, published_at__lt=upper)
    return Newsletter(
        month=month,
        news=news,
        agenda=agenda(public_actions(), month.start, month.end),
        meetings=public_meetings(month.start, month.end),
        new_actions=list(new_actions),
        veille=list(veille.order_by("-published_at", "-id")),
        reach=public_reach(today),
    )


def widget_agenda(today: dt.date | None = None) -> tuple[list[AgendaItem], list[Meeting]]:
    """The next public events for the widget: at most ``WIDGET_ITEMS`` sessions/actions and the public meetings
    of the next ``WIDGET_DAYS`` days. Three queries."""
    today = today or timezone.localdate()
    end = today + dt.timedelta(days=WIDGET_DAYS)
    return agenda(public_actions(), today, end)[:WIDGET_ITEMS], public_meetings(today, end)[:WIDGET_ITEMS]


def newsletter_for_mailing(user: object, month: Period) -> Newsletter:
    """The letter for its e-mail version: the coordinator only."""
    if not can_prepare_newsletter(user):
        raise PermissionDenied(_("La version courriel de la lettre est préparée par la coordination."))
    return newsletter(month)
