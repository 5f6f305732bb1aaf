"""Enumerations of the person's record (DOMAIN.md §4–5)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from citemploi.schemes.engine.profile import LOW_EDUCATION_CODES


class Sex(models.TextChoices):
    FEMALE = "F", _("Femme")
    MALE = "M", _("Homme")


class EducationLevel(models.TextChoices):
    """ASP codes of the education level, with the ASP labels (ref_niveau_formation_v3, as les-emplois and the
    eligibility engine read them: citemploi.schemes.engine.profile.EDUCATION_LEVELS), in increasing level order
    (not the codes' order): forms and displays show the label only, lowest level first."""

    L01 = "01", _("Jamais scolarisé")
    L70 = "70", _("Pas de formation au-delà de la scolarité obligatoire")
    L00 = "00", _("Personne avec qualifications non certifiantes")
    L60 = "60", _("Formation courte d'une durée d'un an")
    L50 = "50", _("Formation de niveau BEP ou CAP")
    L51 = "51", _("Diplôme obtenu CAP ou BEP")
    L40 = "40", _("Formation de niveau bac")
    L41 = "41", _("Brevet de technicien ou baccalauréat professionnel")
    L30 = "30", _("Formation de niveau BTS ou DUT")
    L20 = "20", _("Formation de niveau licence")
    L10 = "10", _("Troisième cycle ou école d'ingénieur")


#: Rank of each code in increasing level order (0 = lowest), for sorting and comparing levels.
EDUCATION_LEVEL_RANK = {code: rank for rank, code in enumerate(EducationLevel.values)}


#: CAP/BEP or below (DOMAIN.md §4): the engine's one definition, re-exported for the record and the indicators.
LOW_EDUCATION_LEVELS = frozenset(LOW_EDUCATION_CODES)


class FTCategory(models.TextChoices):
    A = "A", _("A")
    B = "B", _("B")
    C = "C", _("C")
    D = "D", _("D")
    E = "E", _("E")
    F = "F", _("F")
    G = "G", _("G")


class RSA(models.TextChoices):
    NO = "non", _("Non")
    MAJORE = "majore", _("RSA majoré")
    NON_MAJORE = "non_majore", _("RSA non majoré")


class BoeTitle(models.TextChoices):
    """Titles of the employment obligation (art. L.5212-13 C. trav.) other than RQTH and AAH (own fields); the
    engine reads them for Cap emploi (citemploi.schemes.engine.profile.BOE_TITLES)."""

    NONE = "none", _("Aucun autre titre")
    AT_MP = "at_mp", _("Rente AT/MP (incapacité d'au moins 10 %)")
    INVALIDITY = "invalidity", _("Pension d'invalidité")
    MILITARY = "military", _("Pension militaire d'invalidité ou de victime de guerre")
    FIREFIGHTER = "firefighter", _("Allocation ou rente de sapeur-pompier volontaire")
    CMI = "cmi", _("Carte mobilité inclusion « invalidité »")


class Housing(models.TextChoices):
    OWN = "autonome", _("Logement autonome")
    FAMILY = "famille", _("Hébergé par la famille ou des proches")
    SHELTER = "hebergement", _("Hébergement d'urgence ou d'insertion")
    HOMELESS = "sans_abri", _("Sans domicile")
    OTHER = "autre", _("Autre")


class QPVStatus(models.TextChoices):
    IN = "in", _("Dans un QPV")
    OUT = "out", _("Hors QPV")
    UNKNOWN = "unknown", _("Inconnu")
    CHECK = "check", _("À vérifier")
    ERROR = "error", _("Adresse non localisée")
    PENDING = "pending", _("À vérifier — adresse non localisée pour l'instant")


class Channel(models.TextChoices):
    PERMANENCE = "permanence", _("Permanence du relais")
    STREET = "aller_vers", _("Rue, aller-vers")
    EVENT = "evenement", _("Événement")
    PARTNER = "partenaire", _("Orientation par un partenaire")
    LANDLORD = "bailleur", _("Bailleur social")
    SOCIAL_CENTRE = "centre_social", _("Centre social")
    SELF = "spontane", _("Venue spontanée")
    CROSS_CHECK = "croisement", _("Croisement de listes")


class FreinTheme(models.TextChoices):
    HOUSING = "logement", _("Logement")
    SHELTER = "hebergement", _("Hébergement")
    EMPLOYMENT = "emploi", _("Emploi")
    TRAINING = "formation", _("Formation")
    ADMIN = "administratif", _("Difficulté administrative")
    MONEY = "financier", _("Difficulté financière")
    MOBILITY = "mobilite", _("Mobilité")
    HEALTH = "sante", _("Santé")
    FAMILY = "famille", _("Contraintes familiales (dont garde d'enfants)")
    FRENCH = "francais", _("Maîtrise du français")
    DIGITAL = "numerique", _("Numérique")
    JUSTICE = "justice", _("Justice")
    CONFIDENCE = "confiance", _("Confiance en soi, remobilisation")
    RIGHTS = "non_recours", _("Non-recours aux droits")


#: Frein themes that are sensitive (DESIGN.md §4): only the referent's structure and the coordinator see them.
SENSITIVE_FREIN_THEMES = frozenset({FreinTheme.JUSTICE})


class ContactKind(models.TextChoices):
    MEETING = "rdv", _("Rendez-vous")
    CALL = "appel", _("Appel téléphonique")
    WORKSHOP = "atelier", _("Atelier")
    MESSAGE = "message", _("Courriel ou SMS")
    VISIT = "visite", _("Visite, aller-vers")
    #: A diagnostic interview: the pathway reaches « diagnostiqué » (citemploi.pathways.derivation).
    DIAGNOSTIC = "diagnostic", _("Entretien de diagnostic")


class ExitSituation(models.TextChoices):
    """What the person does at exit (and at each follow-up). The outcome category is computed from it."""

    CDI = "cdi", _("CDI")
    CDD = "cdd", _("CDD")
    INTERIM = "interim", _("Intérim")
    TITULARISATION = "titularisation", _("Titularisation")
    CREATION = "creation", _("Création d'entreprise")
    SUBSIDISED = "contrat_aide", _("Contrat aidé chez un employeur ordinaire")
    TRAINING = "formation", _("Formation qualifiante ou pré-qualifiante")
    SIAE = "siae", _("Embauche par une SIAE")
    UNEMPLOYED = "chomage", _("Chômage")
    INACTIVE = "inactivite", _("Inactivité")
    LOST = "perdu_de_vue", _("Perdu de vue")
    REFUSAL = "refus", _("Refus de l'accompagnement")
    MOVED = "demenagement", _("Déménagement")
    HEALTH = "sante", _("Raison de santé")
    DEATH = "deces", _("Décès")
    RETIREMENT = "retraite", _("Retraite")


class ExitCategory(models.TextChoices):
    DURABLE = "emploi_durable", _("Emploi durable")
    TRANSITION = "emploi_transition", _("Emploi de transition")
    POSITIVE = "sortie_positive", _("Sortie positive (autre)")
    OTHER = "autre", _("Autre sortie")
    NEUTRAL = "neutre", _("Sortie neutre")


#: Contracts whose category depends on their duration.
DATED_CONTRACTS = frozenset({ExitSituation.CDD, ExitSituation.INTERIM})


class HandoffShare(models.TextChoices):
    """What a sender may share with the receiving structure. Sensitive facts and notes are never in this list."""

    CONTACT = "contact", _("Coordonnées (téléphone, courriel)")
    ADDRESS = "address", _("Adresse et QPV")
    SITUATION = "situation", _("Situation (diplôme, inscription France Travail, minima sociaux)")
    FREINS = "freins", _("Catégories de freins (hors justice)")
    SCHEMES = "schemes", _("Dispositifs mobilisés")
    JOBS = "jobs", _("Métiers recherchés")


class AgeBand(models.TextChoices):
    """Age bands of a public (the evaluation's breakdown keys, plus « tous âges » for a need not tied to one)."""

    UNDER_26 = "moins_26", _("Moins de 26 ans")
    FROM_26_TO_49 = "26_49", _("26 à 49 ans")
    FROM_50 = "50_plus", _("50 ans et plus")
    ALL = "tous", _("Tous âges")


class UnmetSource(models.TextChoices):
    """Where an orientation could not be made because no action answers (« aucune solution »)."""

    HANDOFF = "orientation", _("Orientation vers une structure")
    SCHEME = "dispositif", _("Proposition d'un dispositif")


class DigestMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Un courriel à chaque événement")
    DAILY = "daily", _("Un résumé quotidien")
