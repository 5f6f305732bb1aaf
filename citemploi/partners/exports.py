"""Rows of the census exports (structures, services, actions). No personal data: registrations stay out."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from citemploi.partners import referentials as ref
from citemploi.partners.coverage import completeness_table
from citemploi.partners.models import Action, ActionFunder, Service


def _join(values: list[str], labels: dict[str, str]) -> str:
    return ", ".join(ref.labels(values, labels))


def structures() -> tuple[list[str], Iterator[list[Any]]]:
    header = [
        _("Structure"),
        _("Type"),
        _("SIRET"),
        _("Commune"),
        _("QPV de l'adresse"),
        _("Réseaux"),
        _("Services publiés"),
        _("Actions"),
        _("Complétude (%)"),
        _("Manque"),
        _("Dernière mise à jour"),
    ]

    def rows() -> Iterator[list[Any]]:
        for row in completeness_table():
            s, p = row.structure, row.profile
            yield [
                s.name, s.get_kind_display(), s.siret, (p.city if p else s.city), (p.qpv_code if p else ""),
                _join(p.reseaux_porteurs, ref.RESEAU_LABELS) if p else "", s.n_services, s.n_actions,  # type: ignore[attr-defined]
                row.score, ", ".join(row.missing), row.last_update.date().isoformat() if row.last_update else "",
            ]  # fmt: skip

    return header, rows()


def services() -> tuple[list[str], Iterator[list[Any]]]:
    header = [
        _("Structure"),
        _("Service"),
        _("Type"),
        _("Thématiques"),
        _("Publics"),
        _("Frais"),
        _("Commune"),
        _("QPV"),
        _("Zone d'éligibilité"),
        _("Publié"),
        _("Source"),
        _("Mis à jour le"),
    ]
    qs = (
        Service.objects.filter(structure__is_active=True)
        .select_related("structure")
        .order_by("structure__sort_name", "name")
    )

    def rows() -> Iterator[list[Any]]:
        for s in qs.iterator(chunk_size=500):
            yield [
                s.structure.name, s.name, ref.TYPE_SERVICE_LABELS.get(s.type, s.type), _join(s.thematiques, ref.THEMATIQUE_LABELS),
                _join(s.publics, ref.PUBLIC_LABELS), s.frais, s.city, s.qpv_code, ", ".join(s.zone_eligibilite),
                _("oui") if s.is_published else _("non"), s.source, s.updated_at.date().isoformat(),
            ]  # fmt: skip

    return header, rows()


def actions() -> tuple[list[str], Iterator[list[Any]]]:
    header = [
        _("Action"),
        _("Type"),
        _("Porteur"),
        _("Axe"),
        _("Début"),
        _("Fin"),
        _("Statut"),
        _("Commune"),
        _("QPV du lieu"),
        _("Places"),
        _("Inscrits"),
        _("Personnes touchées"),
        _("Dont QPV"),
        _("Financements (€)"),
        _("Thématiques"),
        _("Publiée"),
    ]
    from django.db.models import Count, DecimalField, OuterRef, Subquery, Sum

    funding = Subquery(
        ActionFunder.objects.filter(action=OuterRef("pk"))
        .order_by()
        .values("action")
        .annotate(t=Sum("amount"))
        .values("t"),
        output_field=DecimalField(),
    )
    qs = (
        Action.objects.select_related("carrier")
        .annotate(n_reg=Count("registrations", distinct=True), funding=funding)
        .order_by("starts_on", "title")
    )

    def rows() -> Iterator[list[Any]]:
        for a in qs:
            yield [
                a.title, a.get_kind_display(), a.carrier.name, a.axis, a.starts_on.isoformat(), a.ends_on.isoformat(),
                a.get_status_display(), a.city, a.qpv_code, a.capacity, a.n_reg, a.people_reached, a.people_from_qpv,
                float(a.funding) if a.funding is not None else None, _join(a.thematiques, ref.THEMATIQUE_LABELS),
                _("oui") if a.is_published else _("non"),
            ]  # fmt: skip

    return header, rows()


EXPORTS: dict[str, Callable[[], tuple[list[str], Iterator[list[Any]]]]] = {
    "structures": structures,
    "services": services,
    "actions": actions,
}
