"""Demo structures and accounts (fictitious people; structure names follow the real network of the territory
so the demo is plausible, every address and person is invented). Idempotent."""

from __future__ import annotations

from dataclasses import dataclass
from io import TextIOBase

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify

from citemploi.accounts.models import Role, Structure, StructureKind, User
from citemploi.accounts.services import membership_add, user_create

DEMO_PASSWORD = "demo-citemploi-2026"
DEMO_DOMAIN = "demo.citemploi.test"

#: The 12 relais emploi of the demo: (quarter, QPV code, commune INSEE code, commune, postcode).
RELAIS = [
    ("Montreynaud", "QN04213M", "42218", "Saint-Étienne", "42000"),
    ("Tarentaize-Beaubrun", "QN04212M", "42218", "Saint-Étienne", "42000"),
    ("Crêt de Roc", "QN04214M", "42218", "Saint-Étienne", "42000"),
    ("Quartiers Sud-Est", "QN04215M", "42218", "Saint-Étienne", "42100"),
    ("Cotonne-Montferré", "QN04211M", "42218", "Saint-Étienne", "42100"),
    ("Terrenoire", "QN04216M", "42218", "Saint-Étienne", "42100"),
    ("La Chapelle", "QN04202M", "42005", "Andrézieux-Bouthéon", "42160"),
    ("Saint-Julien", "QN04210M", "42207", "Saint-Chamond", "42400"),
    ("Grand Pont", "QN04207M", "42186", "Rive-de-Gier", "42800"),
    ("Firminy Vert", "QN04223N", "42095", "Firminy", "42700"),
    ("Montcel", "QN04206M", "42183", "La Ricamarie", "42150"),
    ("La Romière", "QN04203M", "42044", "Le Chambon-Feugerolles", "42500"),
]

OTHER_STRUCTURES = [
    ("Coordination de la Cité de l'emploi", StructureKind.SEM_SERVICE, "42218", "Saint-Étienne", "42000", True),
    (
        "Délégation du préfet — Politique de la ville",
        StructureKind.STATE_SERVICE,
        "42218",
        "Saint-Étienne",
        "42000",
        True,
    ),
    ("Mission Locale Loire Sud", StructureKind.MISSION_LOCALE, "42218", "Saint-Étienne", "42000", True),
    ("PLIE de Saint-Étienne Métropole", StructureKind.PLIE, "42218", "Saint-Étienne", "42000", True),
    (
        "France Travail Saint-Étienne Châteaucreux",
        StructureKind.FRANCE_TRAVAIL,
        "42218",
        "Saint-Étienne",
        "42000",
        True,
    ),
    ("France Travail Firminy", StructureKind.FRANCE_TRAVAIL, "42095", "Firminy", "42700", True),
    ("Cap emploi Loire", StructureKind.CAP_EMPLOI, "42218", "Saint-Étienne", "42000", True),
]

#: (e-mail local part, first name, last name, role, structure name)
ACCOUNTS = [
    ("coordination", "Camille", "Démo-Coordination", Role.COORDINATOR, "Coordination de la Cité de l'emploi"),
    ("etat", "Étienne", "Démo-État", Role.STATE_COPILOT, "Délégation du préfet — Politique de la ville"),
    ("relais", "Rania", "Démo-Relais", Role.RELAIS_AGENT, "Relais emploi Montreynaud"),
    ("mission-locale", "Mathis", "Démo-Mission-Locale", Role.PARTNER_REFERENT, "Mission Locale Loire Sud"),
    ("plie", "Pauline", "Démo-PLIE", Role.PARTNER_REFERENT, "PLIE de Saint-Étienne Métropole"),
    ("copil", "Colette", "Démo-COPIL", Role.STEERING_MEMBER, "Délégation du préfet — Politique de la ville"),
    ("admin", "Adrien", "Démo-Admin", Role.ADMIN, "Coordination de la Cité de l'emploi"),
]


#: Fictitious first names of the other caseworkers: one agent per relais (referent only in their own relais) and
#: one referent in each partner structure without a printed account.
AGENT_FIRST_NAMES = ["Inès", "Julien", "Sarah", "Karim", "Léa", "Thomas", "Nadia", "Hugo", "Amina", "Lucas", "Chloé",
                     "Yanis", "Manon", "Samir", "Élise"]  # fmt: skip


@dataclass(frozen=True)
class DemoAccounts:
    structures: dict[str, Structure]
    users: list[tuple[User, str]]  # (user, role label)


def _structure(name: str, kind: str, insee: str, city: str, postcode: str, secret: bool) -> Structure:
    structure, _created = Structure.objects.update_or_create(
        name=name,
        defaults={"kind": kind, "insee_code": insee, "city": city, "postcode": postcode, "bound_by_secret": secret},
    )
    return structure


@transaction.atomic
def load_demo_accounts(*, stdout: TextIOBase | None = None) -> DemoAccounts:
    structures = {}
    for quarter, _qpv, insee, city, postcode in RELAIS:
        name = f"Relais emploi {quarter}"
        structures[name] = _structure(name, StructureKind.RELAIS_EMPLOI, insee, city, postcode, False)
    for name, kind, insee, city, postcode, secret in OTHER_STRUCTURES:
        structures[name] = _structure(name, kind, insee, city, postcode, secret)
    users = []
    for local, first, last, role, structure_name in ACCOUNTS:
        email = f"{local}@{DEMO_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = user_create(
                email=email, password=DEMO_PASSWORD, first_name=first, last_name=last, is_demo_account=True
            )
        membership_add(user=user, structure=structures[structure_name], role=role)
        users.append((user, str(Role(role).label)))
    agents = _caseworkers(structures, {name for *_rest, role, name in ACCOUNTS if role in CASEWORK})
    if stdout:
        stdout.write(f"Démo : {len(structures)} structures, {len(users)} comptes de démonstration.\n")
        stdout.write(f"Démo : {agents} autres professionnels (agent-<structure>@{DEMO_DOMAIN}, même mot de passe).\n")
    return DemoAccounts(structures=structures, users=users)


CASEWORK = {Role.RELAIS_AGENT, Role.PARTNER_REFERENT}


def _caseworkers(structures: dict[str, Structure], staffed: set[str]) -> int:
    """One caseworker for each relais and partner structure that has none among ACCOUNTS (idempotent)."""
    kinds = {StructureKind.MISSION_LOCALE, StructureKind.PLIE, StructureKind.FRANCE_TRAVAIL, StructureKind.CAP_EMPLOI}
    password = make_password(DEMO_PASSWORD)  # hashed once for all of them
    count = 0
    for n, (name, structure) in enumerate(sorted(structures.items())):
        is_relais = structure.kind == StructureKind.RELAIS_EMPLOI
        if name in staffed or not (is_relais or structure.kind in kinds):
            continue
        slug = slugify(name.removeprefix("Relais emploi "))[:40]
        email = f"agent-{slug}@{DEMO_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            first = AGENT_FIRST_NAMES[n % len(AGENT_FIRST_NAMES)]
            user = user_create(email=email, password=None, first_name=first, last_name=f"Démo-{slug.title()}",
                               is_demo_account=True)  # fmt: skip
            user.password = password
            user.save(update_fields=["password"])
        role = Role.RELAIS_AGENT if is_relais else Role.PARTNER_REFERENT
        membership_add(user=user, structure=structure, role=role)
        count += 1
    return count
