"""Demo register of uncovered needs (fictitious, issue 15 §6), loaded by ``governance.demo`` after the cohort:

- « aucune solution » orientations of demo people (pathways' ``UnmetOrientation``) and freins marked « non levable »
  (mobility, family, digital), turned into needs by the synchronisation (``needs.sync.needs_sync``), as in real use;
- manual reports by relais agents (``needs.services.need_report``);
- needs in every state: reported, qualified, solution proposed, experimented, covered, dropped (services only);
- solutions: one proposal adopted by a decision of the past COPIL and carried by a census action with demo people
  registered (the experiment's results have content), one proposed and not yet adopted, one set aside.

Idempotent: each part is skipped when its demo rows exist. Everything goes through the services, with the demo
coordinator as actor.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TextIO

from django.utils import timezone

from citemploi.accounts.models import Structure, User
from citemploi.governance.models import Decision, Meeting, Need, NeedSignal, Proposal, RoadmapAction
from citemploi.governance.needs import services, solutions
from citemploi.governance.needs.states import NeedState, SignalSource
from citemploi.governance.needs.sync import needs_sync
from citemploi.governance.services_decisions import decision_record
from citemploi.partners.models import Action, ActionKind, ActionStatus, Registration
from citemploi.pathways.choices import FreinTheme, UnmetSource
from citemploi.pathways.models import Frein, Person, PersonRegistration, UnmetOrientation
from citemploi.pathways.states import FreinState
from citemploi.pathways.unmet import age_band_of, situation_of

DEMO = "(démonstration, fictif)"
PERSON_DOMAIN = "demo-personne.invalid"
#: (source, thématique) of the « aucune solution » orientations, in turn
NO_SOLUTION = [
    (UnmetSource.HANDOFF, "mobilite--preparer-un-permis"),
    (UnmetSource.HANDOFF, "famille--garde-denfants"),
    (UnmetSource.SCHEME, "mobilite--preparer-un-permis"),
    (UnmetSource.HANDOFF, "numerique--acquerir-un-equipement"),
]
NOT_LIFTABLE_THEMES = [FreinTheme.MOBILITY, FreinTheme.FAMILY, FreinTheme.DIGITAL]
ACTION_TITLE = f"Auto-école sociale en pied d'immeuble {DEMO}"


def _demo_people() -> list[Person]:
    return list(
        Person.objects.filter(email__endswith=f"@{PERSON_DOMAIN}", qpv__isnull=False)
        .select_related("qpv", "pathway")
        .order_by("pk")
    )


def _month_back(today: dt.date, n: int) -> dt.date:
    day = today.replace(day=1)
    for _ in range(n):
        day = (day - dt.timedelta(days=1)).replace(day=1)
    return day + dt.timedelta(days=9)


def _no_solution(people: list[Person], coordinator: User) -> int:
    """« Aucune solution » orientations of the first demo people of the three first QPV (several per need)."""
    if UnmetOrientation.objects.exists():
        return 0
    today = timezone.localdate()
    codes = sorted({p.qpv.code for p in people if p.qpv})[:3]
    chosen = [p for p in people if p.qpv and p.qpv.code in codes][:60]
    rows = []
    for i, person in enumerate(chosen):
        source, thematique = NO_SOLUTION[i % len(NO_SOLUTION)]
        on = min(_month_back(today, i % 6), today)
        rows.append(
            UnmetOrientation(
                source=source,
                thematique=thematique,
                qpv_code=person.qpv.code if person.qpv else "",
                age_band=age_band_of(person.birth_year, on),
                situation=situation_of(person),
                on=on,
                structure_id=person.pathway.structure_id,
                person=person,
                recorded_by=coordinator,
            )
        )
    UnmetOrientation.objects.bulk_create(rows)
    return len(rows)


def _not_liftable(people: list[Person]) -> int:
    """Some mobility, family and digital freins of demo people found « non levable » (closed on a past day)."""
    if Frein.objects.filter(state=FreinState.NOT_LIFTABLE).exists():
        return 0
    today = timezone.localdate()
    freins = list(
        Frein.objects.filter(person__in=people, theme__in=NOT_LIFTABLE_THEMES)
        .exclude(state=FreinState.LIFTED)
        .order_by("pk")[:40]
    )
    for i, frein in enumerate(freins):
        frein.state = FreinState.NOT_LIFTABLE
        frein.closed_on = max(frein.identified_on, min(_month_back(today, i % 5), today))
    Frein.objects.bulk_update(freins, ["state", "closed_on"])
    return len(freins)


def _reports(relais: list[Structure]) -> None:
    """Three manual reports by relais agents (their estimate of people with the need this month)."""
    if NeedSignal.objects.filter(source=SignalSource.MANUAL, note__endswith=DEMO).exists():
        return
    lines = [
        ("mobilite--acceder-a-un-vehicule", "26_49", "demandeurs-emploi", 8, "Horaires décalés sans transport"),
        ("famille--garde-denfants", "tous", "familles", 12, "Pas de garde pour les entretiens d'embauche"),
        ("numerique--maitriser-les-fondamentaux-du-numerique", "50_plus", "seniors", 4, "Candidatures en ligne"),
    ]
    for n, (thematique, age, situation, count, note) in enumerate(lines):
        structure = relais[n % len(relais)]
        agent = User.objects.filter(memberships__structure=structure, is_active=True).order_by("pk").first()
        qpv = structure.profile.qpvs_served.order_by("code").first() if hasattr(structure, "profile") else None
        if agent is None:
            continue
        services.need_report(
            by=agent,
            thematique=thematique,
            age_band=age,
            situation=situation,
            qpv_code=qpv.code if qpv else "",
            count=count,
            note=f"{note} {DEMO}",
            structure=structure,
        )


def _qualify(need: Need, coordinator: User, volume: int) -> Need:
    return services.need_qualify(
        by=coordinator,
        need=need,
        estimated_volume=volume,
        evidence=f"Orientations sans solution et freins non levables relevés par les relais {DEMO}.",
    )


def _states(coordinator: User) -> list[Need]:
    """Needs by decreasing evidence: the three first get solutions; then one covered, one dropped, one qualified;
    the others stay « signalé »."""
    if Need.objects.filter(evidence__endswith=DEMO).exists():
        return []
    needs = list(Need.objects.filter(state=NeedState.REPORTED).prefetch_related("signals").order_by("pk"))
    needs.sort(key=lambda n: -sum(s.count for s in n.signals.all()))
    if len(needs) < 6:
        return []
    for need in needs[:6]:
        _qualify(need, coordinator, volume=20 + need.pk % 30)
    covered, dropped = needs[3], needs[4]
    for target in (NeedState.SOLUTION_PROPOSED, NeedState.EXPERIMENTED, NeedState.COVERED):
        services.need_transition(by=coordinator, need=covered, target=target)
    services.need_transition(by=coordinator, need=dropped, target=NeedState.DROPPED)
    return needs[:3]


def _census_action(carrier: Structure, partners: list[Structure], people: list[Person]) -> Action:
    """The census action that carries the adopted solution, with demo people of the cohort registered to it."""
    today = timezone.localdate()
    action, created = Action.objects.get_or_create(
        title=ACTION_TITLE,
        defaults={
            "kind": ActionKind.TRAINING,
            "description": f"Code et conduite accompagnés pour les demandeurs d'emploi du quartier {DEMO}.",
            "carrier": carrier,
            "axis": 3,
            "starts_on": today - dt.timedelta(days=45),
            "ends_on": today + dt.timedelta(days=120),
            "city": carrier.city or "Saint-Étienne",
            "insee_code": carrier.insee_code or "42218",
            "thematiques": ["mobilite--preparer-un-permis"],
            "publics": ["demandeurs-emploi"],
            "capacity": 12,
            "status": ActionStatus.RUNNING,
            "is_published": True,
        },
    )
    if created:
        action.partners.set(partners)
        for person in people[:9]:
            registration = Registration.objects.create(
                action=action, first_name=person.first_name, last_name=person.last_name, lives_in_qpv=True
            )
            PersonRegistration.objects.create(person=person, registration=registration)
    return action


def _solutions(
    needs: list[Need], coordinator: User, copil: Meeting, partners: list[Structure], people: list[Person]
) -> None:
    if Proposal.objects.filter(text__endswith=DEMO).exists() or len(needs) < 3:
        return
    roadmap = RoadmapAction.objects.filter(ref="3.1.a", objective__axis__version__adopted_on__isnull=False).first()
    first = solutions.proposal_add(
        by=coordinator,
        need=needs[0],
        fields=solutions.ProposalFields(
            text=f"Auto-école sociale en pied d'immeuble, avec une aide au financement du permis {DEMO}",
            partners=partners,
            cost=Decimal("18000"),
            roadmap_action=roadmap,
        ),
        census_action=_census_action(partners[0], partners[1:], people),
    )
    deadline = timezone.localtime(copil.starts_at).date() + dt.timedelta(days=90)
    decision_record(
        by=coordinator,
        meeting=copil,
        text=f"Expérimenter l'auto-école sociale pendant six mois {DEMO}",
        owner_structure=partners[0],
        deadline=deadline,
        roadmap_action=roadmap,
        proposal=first,
    )
    solutions.proposal_add(
        by=coordinator,
        need=needs[1],
        fields=solutions.ProposalFields(
            text=f"Places de crèche réservées pour les rendez-vous d'embauche {DEMO}",
            partners=partners[:1],
            cost=Decimal("9500"),
        ),
    )
    aside = solutions.proposal_add(
        by=coordinator,
        need=needs[2],
        fields=solutions.ProposalFields(text=f"Prêt de matériel informatique par la médiathèque {DEMO}"),
    )
    solutions.proposal_set_aside(by=coordinator, proposal=aside)


def load_needs_demo(*, stdout: TextIO, coordinator: User, copil: Meeting, partners: list[Structure]) -> None:
    people = _demo_people()
    if not people or not partners:
        return
    no_solution = _no_solution(people, coordinator)
    not_liftable = _not_liftable(people)
    needs_sync()
    _reports(partners)
    opened = _states(coordinator)
    _solutions(opened, coordinator, copil, partners, people)
    stdout.write(
        f"Démo : besoins non couverts — {Need.objects.count()} besoins ({no_solution} orientations sans solution, "
        f"{not_liftable} freins non levables ajoutés), {Proposal.objects.count()} propositions, "
        f"{Decision.objects.filter(pk__in=Proposal.objects.values('decision')).count()} adoptée(s) en réunion.\n"
    )
