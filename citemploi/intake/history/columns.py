"""The shape of the history workbook (issue 12 §4b): its sheets, their exact column names, what each column means
and the codes it takes — the codes come from the models' choices, so the template's notice never goes stale."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from citemploi.pathways.choices import RSA, Channel, ContactKind, EducationLevel, ExitSituation, FreinTheme, FTCategory
from citemploi.pathways.states import MobilisationState, PathwayState


@dataclass(frozen=True)
class Column:
    name: str
    help: str | Promise
    required: bool = False
    #: The codes the column takes (code → French label), when it is a code.
    codes: Callable[[], list[tuple[str, str]]] | None = None
    #: The column may be absent from the sheet (a workbook written before it existed): absent = every cell empty,
    #: « non renseigné », never « non ».
    optional: bool = False


def _choices(enum: type[models.TextChoices]) -> Callable[[], list[tuple[str, str]]]:
    return lambda: [(str(value), str(label)) for value, label in enum.choices]


def scheme_codes() -> list[tuple[str, str]]:
    """The scheme codes of the catalogue (read from the database when the notice is written)."""
    from citemploi.schemes.models import Scheme

    return [(code, name) for code, name in Scheme.objects.order_by("code").values_list("code", "name")]


#: The outcomes of a mobilisation the workbook may give (empty: still running).
OUTCOMES = (MobilisationState.EXITED, MobilisationState.ABANDONED, MobilisationState.REFUSED)


def _outcomes() -> list[tuple[str, str]]:
    labels = dict(MobilisationState.choices)
    return [(str(code), str(labels[code])) for code in OUTCOMES]


def manual_state_codes() -> list[tuple[str, str]]:
    labels = dict(PathwayState.choices)
    return [(str(code), str(labels[code])) for code in (PathwayState.LOST, PathwayState.REFUSED)]


def _yes_no() -> list[tuple[str, str]]:
    return [("oui", str(_("oui"))), ("non", str(_("non")))]


def qpv_codes(*, territory_only: bool = True) -> list[tuple[str, str]]:
    """The QPV codes (read from the database when the notice is written: the territory's; when a workbook is read:
    every QPV of the reference list, a person may have lived elsewhere), and « hors QPV »."""
    from citemploi.territory.models import QPV

    qpvs = QPV.objects.filter(in_territory=True) if territory_only else QPV.objects.all()
    return [
        *((code, name) for code, name in qpvs.order_by("code").values_list("code", "name")),
        (OUTSIDE_QPV, str(_("hors QPV"))),
    ]


#: The ``qpv_entree`` code of a person living outside any QPV at entry.
OUTSIDE_QPV = "hors_qpv"


def _cat(*parts: str | Promise) -> str | Promise:
    return format_lazy("{}" * len(parts), *parts)


_DATE = _("date (JJ/MM/AAAA ou AAAA-MM-JJ)")
_STRUCTURE = _("nom ou SIRET d'une structure déjà enregistrée dans citemploi")

SHEETS: dict[str, tuple[Column, ...]] = {
    "personnes": (
        Column(
            "ref", _("Identifiant de la personne dans votre tableau (obligatoire, unique) : relie les feuilles."), True
        ),
        Column("nom", _("Nom (obligatoire)."), True),
        Column("prenom", _("Prénom (obligatoire)."), True),
        Column("date_naissance", _DATE),
        Column("sexe", _("F ou M.")),
        Column("adresse", _("Adresse (numéro et voie) : elle est géocodée puis située dans ou hors QPV.")),
        Column("code_postal", _("Code postal (5 chiffres).")),
        Column("commune", _("Commune.")),
        Column("lon", _("Longitude WGS84 (facultative) : avec lat, utilisée à la place du géocodage.")),
        Column("lat", _("Latitude WGS84 (facultative) : avec lon, utilisée à la place du géocodage.")),
        Column("telephone", _("Téléphone.")),
        Column("email", _("Courriel.")),
        Column("structure_referente", _cat(_STRUCTURE, _(" (obligatoire) : la structure qui suit la personne.")), True),
        Column("date_reperage", _cat(_DATE, _(" (obligatoire).")), True),
        Column(
            "canal_reperage", _("Canal du repérage (obligatoire) : un des codes ci-dessous."), True, _choices(Channel)
        ),
        # Optional columns (absent from workbooks written before them: absent = « non renseigné »).
        Column(
            "qpv_entree",
            _(
                "QPV de résidence à l'entrée dans le parcours, tel que votre tableau l'a noté : code du QPV ou "
                "hors_qpv ; vide : calculé d'après l'adresse (ou lon/lat) au premier contact, comme dans citemploi."
            ),
            codes=qpv_codes,
            optional=True,
        ),
        Column(
            "rsa",
            _("Allocataire du RSA : un des codes ci-dessous ; vide : non renseigné."),
            codes=_choices(RSA),
            optional=True,
        ),
        Column(
            "inscrit_france_travail",
            _("Inscrit à France Travail : oui ou non ; vide : non renseigné."),
            codes=_yes_no,
            optional=True,
        ),
        Column(
            "categorie_france_travail",
            _("Catégorie d'inscription à France Travail (A à G) ; vide : non renseigné."),
            codes=_choices(FTCategory),
            optional=True,
        ),
        Column(
            "inscrit_france_travail_depuis",
            _cat(_DATE, _(" d'inscription à France Travail (durée de chômage : DELD, DETLD).")),
            optional=True,
        ),
        Column(
            "rqth",
            _(
                "Reconnaissance de la qualité de travailleur handicapé : oui ou non ; vide : non renseigné. Fait "
                "sensible : lu par la seule structure référente et la coordination."
            ),
            codes=_yes_no,
            optional=True,
        ),
        Column(
            "niveau_formation",
            _("Niveau de formation : un des codes ci-dessous ; vide : non renseigné."),
            codes=_choices(EducationLevel),
            optional=True,
        ),
        Column(
            "referent",
            _(
                "Courriel du référent unique actuel : un compte qui accompagne dans la structure référente ; vide : "
                "aucun référent désigné."
            ),
            optional=True,
        ),
        Column(
            "date_referent",
            _cat(_DATE, _(" de désignation de ce référent (obligatoire avec referent).")),
            optional=True,
        ),
        Column(
            "etat_manuel",
            _(
                "État posé à la main en dernier : un des codes ci-dessous ; vide : l'état suit les événements. Il "
                "suit le dernier événement de la personne (un contact après lui reprend le parcours)."
            ),
            codes=manual_state_codes,
            optional=True,
        ),
        Column(
            "date_etat_manuel",
            _cat(_DATE, _(" de ce changement d'état (obligatoire avec etat_manuel).")),
            optional=True,
        ),
        Column(
            "motif_etat_manuel",
            _("Motif du changement d'état ; vide : « État repris de l'historique »."),
            optional=True,
        ),
    ),
    "contacts": (
        Column("ref", _("Identifiant de la personne (feuille personnes)."), True),
        Column("date", _cat(_DATE, _(" (obligatoire) : le premier contact est l'entrée dans le parcours.")), True),
        Column("type", _("Type de contact (obligatoire) : un des codes ci-dessous."), True, _choices(ContactKind)),
        Column(
            "initiative_personne",
            _("À l'initiative de la personne : oui ou non (vide : non renseigné)."),
            False,
            _yes_no,
        ),
    ),
    "orientations": (
        Column("ref", _("Identifiant de la personne (feuille personnes)."), True),
        Column("structure_emettrice", _cat(_STRUCTURE, _(" ; vide : la structure référente."))),
        Column("structure_destinataire", _cat(_STRUCTURE, _(" (obligatoire).")), True),
        Column("date_envoi", _cat(_DATE, _(" (obligatoire).")), True),
        Column("date_accuse", _cat(_DATE, _(" de l'accusé de réception."))),
        Column("date_premier_rdv", _cat(_DATE, _(" du premier rendez-vous tenu (après l'accusé de réception)."))),
        Column("date_refus", _cat(_DATE, _(" du refus par la structure destinataire."))),
        Column("motif_refus", _("Motif du refus (obligatoire quand date_refus est remplie).")),
        Column("date_expiration", _cat(_DATE, _(" : l'orientation a expiré sans réponse."))),
    ),
    "mobilisations": (
        Column("ref", _("Identifiant de la personne (feuille personnes)."), True),
        Column("dispositif", _("Code du dispositif dans le catalogue (obligatoire)."), True, scheme_codes),
        Column("structure", _cat(_STRUCTURE, _(" : la structure en charge ; vide : la structure référente."))),
        Column("date_proposition", _cat(_DATE, _(" (obligatoire).")), True),
        Column("date_entree", _cat(_DATE, _(" d'entrée dans le dispositif."))),
        Column("date_fin", _cat(_DATE, _(" de fin (obligatoire avec une issue)."))),
        Column(
            "issue", _("Issue : un des codes ci-dessous ; vide tant que le dispositif est en cours."), False, _outcomes
        ),
    ),
    "freins": (
        Column("ref", _("Identifiant de la personne (feuille personnes)."), True),
        Column("theme", _("Thème du frein (obligatoire) : un des codes ci-dessous."), True, _choices(FreinTheme)),
        Column("date_identification", _cat(_DATE, _(" (obligatoire).")), True),
        Column("date_levee", _cat(_DATE, _(" : le frein est levé (ou jugé non levable, avec non_levable = oui)."))),
        Column(
            "non_levable",
            _("oui : le frein a été jugé non levable à la date_levee ; vide : non renseigné."),
            False,
            _yes_no,
        ),
    ),
    "sorties": (
        Column("ref", _("Identifiant de la personne (une sortie au plus par personne)."), True),
        Column("date_sortie", _cat(_DATE, _(" (obligatoire).")), True),
        Column(
            "situation",
            _("Situation à la sortie (obligatoire) : un des codes ci-dessous."),
            True,
            _choices(ExitSituation),
        ),
        Column("debut_contrat", _cat(_DATE, _(" de début du contrat (vide : la date de sortie)."))),
        Column(
            "fin_contrat",
            _cat(_DATE, _(" de fin prévue du contrat (obligatoire pour un CDD ou une mission d'intérim).")),
        ),
        Column("heures_hebdo", _("Heures par semaine du contrat (nombre, par exemple 35 ou 17,5).")),
    ),
}

#: The sheet of the template that explains every column; ignored when reading.
NOTICE_SHEET = "notice"


def column_names(sheet: str) -> list[str]:
    return [column.name for column in SHEETS[sheet]]


def required_column_names(sheet: str) -> list[str]:
    """The columns a sheet must have in its header (every column but the optional ones)."""
    return [column.name for column in SHEETS[sheet] if not column.optional]
