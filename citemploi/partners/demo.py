"""Demo census: profiles for the lead's demo structures, fictitious associations and SIAE, ~150 services and
~80 actions over the last and next 12 months. Idempotent (stable names and source ids), Faker fr_FR seeded.
Places come with coordinates (no geocoding call); the QPV answer comes from the loaded perimeters, if any."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TextIO

from data_inclusion.schema import v1
from django.db import transaction
from django.utils import timezone
from faker import Faker

from citemploi.accounts.models import Structure, StructureKind
from citemploi.partners.interop import RESEAU_BY_KIND
from citemploi.partners.models import Action, ActionFunder, ActionKind, ActionSession, ActionStatus, Service
from citemploi.partners.services import ProfileChanges, place_locate, profile_save

SOURCE = "demo"
#: Approximate town centres (WGS84) of the demo communes; points are jittered around them.
CENTRES = {
    "42218": (4.3872, 45.4397),
    "42005": (4.2603, 45.5264),
    "42207": (4.5153, 45.4775),
    "42186": (4.6178, 45.5289),
    "42095": (4.2886, 45.3883),
    "42183": (4.3669, 45.4036),
    "42044": (4.3247, 45.3917),
}
CITIES = {"42218": ("Saint-Étienne", "42000"), "42005": ("Andrézieux-Bouthéon", "42160"), "42207": ("Saint-Chamond", "42400"),
          "42186": ("Rive-de-Gier", "42800"), "42095": ("Firminy", "42700"), "42183": ("La Ricamarie", "42150"),
          "42044": ("Le Chambon-Feugerolles", "42500")}  # fmt: skip
EXTRA_STRUCTURES = [
    ("Association Passerelle Emploi (démo)", StructureKind.ASSOCIATION),
    ("Centre social Les Tilleuls (démo)", StructureKind.CENTRE_SOCIAL),
    ("Atelier chantier d'insertion Jardins du Furan (démo)", StructureKind.SIAE_ACI),
    ("Entreprise d'insertion Recyclerie du Gier (démo)", StructureKind.SIAE_EI),
    ("Association intermédiaire Coup de Main (démo)", StructureKind.SIAE_AI),
    ("ETTI Intérim Solidaire (démo)", StructureKind.SIAE_ETTI),
    ("Mobilité Pour Tous 42 (démo)", StructureKind.ASSOCIATION),
    ("Lire et Écrire Ensemble (démo)", StructureKind.ASSOCIATION),
]
SERVICE_TITLES = ["Atelier CV", "Permanence emploi", "Accompagnement renforcé", "Atelier numérique", "Aide au permis",
                  "Cours de français à visée professionnelle", "Découverte des métiers", "Simulation d'entretien",
                  "Accès aux droits", "Garde d'enfants ponctuelle", "Coaching confiance en soi", "Information formation"]  # fmt: skip
ACTION_TITLES = {ActionKind.JOB_DATING: "Job dating", ActionKind.FORUM: "Forum de l'emploi", ActionKind.WORKSHOP: "Atelier",
                 ActionKind.INFO_SESSION: "Information collective", ActionKind.TRAINING: "Session de formation",
                 ActionKind.VISIT: "Visite d'entreprise"}  # fmt: skip
FUNDERS = [
    "État — politique de la ville",
    "Saint-Étienne Métropole",
    "Département de la Loire",
    "Fonds social européen",
]


def _point(rng: random.Random, insee: str) -> tuple[float, float]:
    lon, lat = CENTRES.get(insee, CENTRES["42218"])
    return round(lon + rng.uniform(-0.01, 0.01), 6), round(lat + rng.uniform(-0.006, 0.006), 6)


def _working_day(day: dt.date) -> dt.date:
    """Actions happen on working days: a weekend day moves to the next Monday."""
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _structures() -> list[Structure]:
    existing = list(
        Structure.objects.filter(is_active=True).exclude(kind__in=[StructureKind.STATE_SERVICE]).order_by("name")
    )
    for name, kind in EXTRA_STRUCTURES:
        structure, _ = Structure.objects.get_or_create(
            name=name, defaults={"kind": kind, "insee_code": "42218", "city": "Saint-Étienne", "postcode": "42000"}
        )
        if structure not in existing:
            existing.append(structure)
    return existing


def _profile(structure: Structure, rng: random.Random, fake: Faker) -> None:
    from citemploi.accounts.demo import RELAIS

    insee = structure.insee_code if structure.insee_code in CENTRES else "42218"
    lon, lat = _point(rng, insee)
    qpvs = [code for quarter, code, *_ in RELAIS if structure.name == f"Relais emploi {quarter}"]
    slots = [(d, dt.time(9), dt.time(12)) for d in range(5)] + [(d, dt.time(13, 30), dt.time(17)) for d in (0, 1, 3)]
    reseau = RESEAU_BY_KIND.get(StructureKind(structure.kind))
    data = {
        "description": f"{structure.name} accueille et accompagne les habitants vers l'emploi (données fictives).",
        "address": fake.street_address(), "postcode": CITIES[insee][1], "city": CITIES[insee][0], "insee_code": insee,
        "longitude": lon, "latitude": lat, "contact_email": f"contact-{structure.public_id.hex[:8]}@demo.example.org",
        "contact_phone": "04 77 00 00 00", "reseaux_porteurs": [reseau] if reseau else [],
        "accessibility_url": "https://acceslibre.beta.gouv.fr/" if rng.random() < 0.5 else "",
    }  # fmt: skip
    profile_save(actor=None, structure=structure, changes=ProfileChanges.of(data), slots=slots, qpv_codes=qpvs)


def _services(structure: Structure, n: int, rng: random.Random) -> int:
    thematiques = [t.value for t in v1.Thematique]
    publics = [p.value for p in v1.Public if p.value != "tous-publics"]
    created = 0
    # Each title at most once per structure (no duplicate service), chosen by a stream of the structure's own.
    titles = random.Random(structure.name).sample(SERVICE_TITLES, min(n, len(SERVICE_TITLES)))  # noqa: S311
    for i, title in enumerate(titles):
        source_id = f"{SOURCE}--{structure.public_id.hex[:8]}-{i}"
        if Service.objects.filter(source=SOURCE, source_id=source_id).exists():
            continue
        insee = structure.insee_code if structure.insee_code in CENTRES else "42218"
        lon, lat = _point(rng, insee)
        service = Service(
            structure=structure, source=SOURCE, source_id=source_id, is_published=rng.random() < 0.9,
            name=f"{title} — {structure.name.split(' (')[0]}"[:150],
            description="Service fictif de démonstration : accueil, conseils et orientation vers les partenaires.",
            type=rng.choice([t.value for t in v1.TypeService]), thematiques=rng.sample(thematiques, 2),
            publics=rng.sample(publics, 2) if rng.random() < 0.7 else ["tous-publics"], frais="gratuit",
            modes_accueil=["en-presentiel"], modes_mobilisation=["se-presenter", "telephoner"],
            mobilisable_par=["usagers", "professionnels"],
            zone_eligibilite=rng.choice([[insee], ["244200770"], []]), city=CITIES[insee][0], postcode=CITIES[insee][1],
            insee_code=insee, longitude=lon, latitude=lat, date_maj=timezone.localdate(),
        )  # fmt: skip
        place_locate(service)
        service.save()
        created += 1
    return created


def _action(structure: Structure, partners: list[Structure], i: int, fake: Faker) -> bool:
    kinds = list(ACTION_TITLES)
    kind = kinds[i % len(kinds)]
    title = f"{ACTION_TITLES[kind]} n° {i + 1} (démo)"
    if Action.objects.filter(title=title).exists():
        return False
    rng = random.Random(1000 + i)  # noqa: S311 — one stream per action: the same action whatever ran before
    today = timezone.localdate()
    start = _working_day(today + dt.timedelta(days=rng.randint(-365, 365)))
    status = ActionStatus.DONE if start < today - dt.timedelta(days=7) else ActionStatus.PLANNED
    insee = rng.choice(list(CENTRES))
    lon, lat = _point(rng, insee)
    action = Action(
        title=title, kind=kind, carrier=structure, axis=rng.choice([1, 2, 2, 3]), starts_on=start,
        ends_on=_working_day(start + dt.timedelta(days=rng.choice([0, 0, 1, 14]))), place_name=f"Salle {fake.last_name()}",
        address=fake.street_address(), city=CITIES[insee][0], postcode=CITIES[insee][1], insee_code=insee,
        longitude=lon, latitude=lat, publics=["demandeurs-emploi"], capacity=rng.choice([12, 20, 40, None]),
        thematiques=[rng.choice(["trouver-un-emploi--repondre-a-des-offres-demploi", "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite", "preparer-sa-candidature--valoriser-ses-competences"])],
        status=ActionStatus.CANCELLED if rng.random() < 0.05 else status, is_public=kind in {ActionKind.JOB_DATING, ActionKind.FORUM, ActionKind.WORKSHOP},
        is_published=True, description="Action fictive de démonstration.",
    )  # fmt: skip
    if status == ActionStatus.DONE:
        action.people_reached = rng.randint(5, 40)
        action.people_from_qpv = rng.randint(0, action.people_reached)
    place_locate(action)
    action.save()
    action.partners.set(rng.sample(partners, 2))
    tz = timezone.get_current_timezone()
    begins = dt.datetime.combine(start, dt.time(9, 30), tzinfo=tz)
    ActionSession.objects.create(action=action, starts_at=begins, ends_at=begins + dt.timedelta(hours=3))
    ActionFunder.objects.create(action=action, name=rng.choice(FUNDERS), amount=Decimal(rng.randrange(500, 15000, 100)))
    return True


@transaction.atomic
def load_demo(*, stdout: TextIO) -> None:
    rng = random.Random(42)  # noqa: S311 — demo data, not security
    fake = Faker("fr_FR")
    fake.seed_instance(42)
    structures = _structures()
    for structure in structures:
        _profile(structure, rng, fake)
    services = sum(_services(s, 150 // len(structures) + 1, rng) for s in structures)
    carriers = [s for s in structures if s.kind != StructureKind.SEM_SERVICE] or structures
    actions = sum(_action(carriers[i % len(carriers)], structures, i, fake) for i in range(80))
    stdout.write(f"Recensement : {len(structures)} structures, {services} services et {actions} actions créés.\n")
