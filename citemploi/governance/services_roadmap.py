"""The roadmap (feuille de route), versioned: axes → objectives → actions → indicator targets (issue 14 §4).

Only the coordinator edits it. Adapting it copies the last version into a new draft; the draft is edited, then
adopted at a meeting (with the decision that adopted it) and never changes again. Elements keep their ``ref`` from
one version to the next, which is how ``roadmap.diff`` tells what changed.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from citemploi.accounts.models import User
from citemploi.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from citemploi.governance.models import (
    Decision,
    Meeting,
    RoadmapAction,
    RoadmapAxis,
    RoadmapObjective,
    RoadmapTarget,
    RoadmapVersion,
)
from citemploi.governance.permissions import can_manage_governance


def _require_coordinator(by: User) -> None:
    if not can_manage_governance(by):
        raise PermissionDenied(_("Seule la coordination modifie la feuille de route."))


def _draft(version: RoadmapVersion) -> RoadmapVersion:
    locked = RoadmapVersion.objects.select_for_update(of=("self",)).get(pk=version.pk)
    if locked.adopted_on is not None:
        raise InvalidTransition(_("Cette version est adoptée : adaptez la feuille de route dans une nouvelle version."))
    return locked


@transaction.atomic
def roadmap_draft(*, by: User, title: str, note: str = "") -> RoadmapVersion:
    """A new draft version, copied from the last version (or empty for the first); one draft at a time."""
    _require_coordinator(by)
    versions = RoadmapVersion.objects.select_for_update(of=("self",)).order_by("-number")
    last = versions.first()
    if last is not None and last.adopted_on is None:
        raise InvalidTransition(_("Une version en projet existe déjà : modifiez-la ou adoptez-la."))
    try:
        with transaction.atomic():  # two coordinators adapting at the same moment: the second one is told
            draft = RoadmapVersion.objects.create(
                number=(last.number + 1) if last else 1, title=title.strip(), note=note, created_by=by
            )
    except IntegrityError as taken:
        raise Conflict(_("Une autre version vient d'être créée : rechargez la feuille de route.")) from taken
    if last is not None:
        copy_version(last, draft)
    return draft


def copy_version(source: RoadmapVersion, target: RoadmapVersion) -> None:
    """Every axis, objective, action and target of ``source`` into ``target`` (same refs)."""
    for axis in source.axes.prefetch_related("objectives__actions__targets"):
        new_axis = RoadmapAxis.objects.create(version=target, ref=axis.ref, title=axis.title, position=axis.position)
        for objective in axis.objectives.all():
            new_objective = RoadmapObjective.objects.create(
                axis=new_axis, ref=objective.ref, title=objective.title, position=objective.position
            )
            for action in objective.actions.all():
                new_action = RoadmapAction.objects.create(
                    objective=new_objective,
                    ref=action.ref,
                    title=action.title,
                    position=action.position,
                    census_action=action.census_action,
                )
                RoadmapTarget.objects.bulk_create(
                    [
                        RoadmapTarget(
                            action=new_action,
                            indicator=t.indicator,
                            qpv_code=t.qpv_code,
                            period_from=t.period_from,
                            period_to=t.period_to,
                            value=t.value,
                        )
                        for t in action.targets.all()
                    ]
                )


@transaction.atomic
def roadmap_axis_add(*, by: User, version: RoadmapVersion, ref: str, title: str) -> RoadmapAxis:
    _require_coordinator(by)
    version = _draft(version)
    return RoadmapAxis.objects.create(
        version=version, ref=_ref(ref), title=title.strip(), position=version.axes.count()
    )


@transaction.atomic
def roadmap_objective_add(*, by: User, axis: RoadmapAxis, ref: str, title: str) -> RoadmapObjective:
    _require_coordinator(by)
    _draft(axis.version)
    return RoadmapObjective.objects.create(
        axis=axis, ref=_ref(ref), title=title.strip(), position=axis.objectives.count()
    )


@transaction.atomic
def roadmap_action_add(
    *, by: User, objective: RoadmapObjective, ref: str, title: str, census_action: object = None
) -> RoadmapAction:
    _require_coordinator(by)
    _draft(objective.axis.version)
    return RoadmapAction.objects.create(
        objective=objective,
        ref=_ref(ref),
        title=title.strip(),
        position=objective.actions.count(),
        census_action=census_action,  # type: ignore[misc]
    )


@transaction.atomic
def roadmap_target_set(
    *,
    by: User,
    action: RoadmapAction,
    indicator: str,
    qpv_code: str,
    period_from: dt.date,
    period_to: dt.date,
    value: float,
) -> RoadmapTarget:
    """Set the target of an action on an indicator of the registry, for a QPV or the territory, over a period."""
    from citemploi.governance.progress import known_indicator

    _require_coordinator(by)
    _draft(action.objective.axis.version)
    if not known_indicator(indicator):
        raise ValidationFailed(_("Indicateur inconnu du registre."), field="indicator")
    if period_to < period_from:
        raise ValidationFailed(_("La fin de la période doit suivre son début."), field="period_to")
    target, _created = RoadmapTarget.objects.update_or_create(
        action=action,
        indicator=indicator,
        qpv_code=qpv_code,
        period_from=period_from,
        period_to=period_to,
        defaults={"value": value},
    )
    return target


@transaction.atomic
def roadmap_adopt(
    *, by: User, version: RoadmapVersion, meeting: Meeting, decision: Decision | None = None
) -> RoadmapVersion:
    """Adopt the draft at a meeting (the decision that adopted it, if recorded); it is then frozen."""
    _require_coordinator(by)
    version = _draft(version)
    if decision is not None and decision.meeting_id != meeting.pk:
        raise ValidationFailed(_("La décision doit avoir été prise à cette réunion."), field="decision")
    if not version.axes.exists():
        raise InvalidTransition(_("Une feuille de route sans axe ne peut être adoptée."))
    version.adopted_on = meeting.starts_at.date()
    version.adopted_at = meeting
    version.decision = decision
    version.save(update_fields=["adopted_on", "adopted_at", "decision", "updated_at"])
    return version


def _ref(ref: str) -> str:
    ref = ref.strip()
    if not ref:
        raise ValidationFailed(_("Donnez un repère (ex. « 2.1 »)."), field="ref")
    return ref[:20]
