"""Write services of the register of uncovered needs: a partner's report, the coordinator's qualification and the
lifecycle (governance/needs/states.py). Each checks its permission first; a refusal changes nothing."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citemploi.accounts.models import Structure, User
from citemploi.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from citemploi.governance.needs.coverage import coverage_of
from citemploi.governance.needs.models import Need, NeedSignal
from citemploi.governance.needs.states import NEED_TRANSITIONS, NeedState, SignalSource
from citemploi.governance.permissions import can_manage_needs, can_report_need
from citemploi.partners import referentials as ref
from citemploi.pathways.choices import AgeBand
from citemploi.territory.models import QPV

THEMATIQUES = {value for value, _label in ref.THEMATIQUE_CHOICES} | {value for value, _l in ref.CATEGORIE_CHOICES}
SITUATIONS = {value for value, _label in ref.PUBLIC_CHOICES}


def _check_key(thematique: str, age_band: str, situation: str, qpv_code: str) -> None:
    if thematique not in THEMATIQUES:
        raise ValidationFailed(_("Choisissez une thématique de la liste."), field="thematique")
    if age_band not in AgeBand.values:
        raise ValidationFailed(_("Choisissez une tranche d'âge de la liste."), field="age_band")
    if situation not in SITUATIONS:
        raise ValidationFailed(_("Choisissez une situation de la liste."), field="situation")
    if qpv_code and not QPV.objects.filter(code=qpv_code).exists():
        raise ValidationFailed(_("QPV inconnu."), field="qpv_code")


def need_for(*, thematique: str, age_band: str, situation: str, qpv_code: str, by: User | None = None) -> Need:
    """The need of this key, created « signalé » when it does not exist (two reports racing get the same one)."""
    key = {"thematique": thematique, "age_band": age_band, "situation": situation, "qpv_code": qpv_code}
    need = Need.objects.filter(**key).first()
    if need is not None:
        return need
    try:
        with transaction.atomic():
            return Need.objects.create(**key, created_by=by)
    except IntegrityError:
        return Need.objects.get(**key)


@transaction.atomic
def need_report(
    *,
    by: User,
    thematique: str,
    age_band: str,
    situation: str,
    qpv_code: str,
    count: int,
    note: str = "",
    structure: Structure | None = None,
) -> NeedSignal:
    """A manual report by a partner or a relais: ``count`` people (an estimate) with this need this month. The
    description stays with the coordinator; it must not name anyone (the form says so)."""
    if not can_report_need(by):
        raise PermissionDenied(
            _("Seuls les comptes des partenaires, des relais et la coordination signalent un besoin.")
        )
    _check_key(thematique, age_band, situation, qpv_code)
    if count < 1 or count > 100_000:
        raise ValidationFailed(_("Indiquez un nombre de personnes entre 1 et 100 000."), field="count")
    if structure is not None and structure.pk not in by.structure_ids:
        raise PermissionDenied(_("Vous ne pouvez pas signaler au nom de %(structure)s.") % {"structure": structure})
    need = need_for(thematique=thematique, age_band=age_band, situation=situation, qpv_code=qpv_code, by=by)
    return NeedSignal.objects.create(
        need=need,
        source=SignalSource.MANUAL,
        month=timezone.localdate().replace(day=1),
        count=count,
        structure=structure or by.primary_structure,
        reported_by=by,
        note=note.strip(),
    )


def _locked(need: Need) -> Need:
    return Need.objects.select_for_update(of=("self",)).get(pk=need.pk)


def _move(need: Need, target: str) -> None:
    if target not in NEED_TRANSITIONS.get(need.state, frozenset()):
        raise InvalidTransition(
            _("Un besoin « %(state)s » ne peut pas passer à « %(target)s ».")
            % {
                "state": need.get_state_display(),
                "target": NeedState(target).label if target in NeedState.values else target,
            }
        )
    need.state = target
    need.state_changed_at = timezone.now()


@transaction.atomic
def need_qualify(*, by: User, need: Need, estimated_volume: int | None, evidence: str) -> Need:
    """The coordinator qualifies a reported need: its volume, its evidence, and the census' answer at that moment
    (stored; pages compute it again at read time)."""
    if not can_manage_needs(by):
        raise PermissionDenied(_("Seule la coordination qualifie les besoins."))
    need = _locked(need)
    if not evidence.strip():
        raise ValidationFailed(_("Décrivez les éléments qui établissent le besoin."), field="evidence")
    if estimated_volume is not None and estimated_volume < 0:
        raise ValidationFailed(_("Le volume estimé ne peut pas être négatif."), field="estimated_volume")
    _move(need, NeedState.QUALIFIED)
    now = timezone.now()
    need.estimated_volume, need.evidence = estimated_volume, evidence.strip()
    need.coverage, need.coverage_checked_at = coverage_of([need])[need.pk], now
    need.qualified_at, need.qualified_by = now, by
    need.save(update_fields=[*_QUALIFY_FIELDS, "updated_at"])
    return need


_QUALIFY_FIELDS = [
    "state",
    "state_changed_at",
    "estimated_volume",
    "evidence",
    "coverage",
    "coverage_checked_at",
    "qualified_at",
    "qualified_by",
]


@transaction.atomic
def need_transition(*, by: User, need: Need, target: str) -> Need:
    """Move a qualified need along its lifecycle (solution proposée → expérimentée → couvert | abandonné)."""
    if not can_manage_needs(by):
        raise PermissionDenied(_("Seule la coordination fait avancer un besoin."))
    need = _locked(need)
    if target == NeedState.QUALIFIED:
        raise InvalidTransition(_("Qualifiez le besoin par son formulaire (volume et éléments probants)."))
    _move(need, target)
    need.coverage, need.coverage_checked_at = coverage_of([need])[need.pk], timezone.now()
    need.save(update_fields=["state", "state_changed_at", "coverage", "coverage_checked_at", "updated_at"])
    return need
