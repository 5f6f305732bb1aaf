"""Factories of the census of the offer (profiles, services, actions)."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from citemploi.partners.models import Action, ActionSession, Registration, Service, StructureProfile
from tests.factories.accounts import StructureFactory


class ProfileFactory(DjangoModelFactory):
    class Meta:
        model = StructureProfile

    structure = factory.SubFactory(StructureFactory)
    description = "Accueil et accompagnement vers l'emploi."
    city = "Saint-Étienne"
    postcode = "42000"
    insee_code = "42218"
    is_published = True


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service

    structure = factory.SubFactory(StructureFactory)
    name = factory.Sequence(lambda n: f"Atelier CV n° {n}")
    description = "Un atelier pour rédiger son CV et sa lettre de motivation."
    type = "atelier"
    thematiques = factory.LazyFunction(
        lambda: ["preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"]
    )
    publics = factory.LazyFunction(lambda: ["demandeurs-emploi"])
    zone_eligibilite = factory.LazyFunction(lambda: ["42218"])
    is_published = True


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Job dating n° {n}")
    kind = "job_dating"
    carrier = factory.SubFactory(StructureFactory)
    axis = 2
    starts_on = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=10))
    ends_on = factory.LazyAttribute(lambda a: a.starts_on)
    city = "Saint-Étienne"
    insee_code = "42218"
    thematiques = factory.LazyFunction(lambda: ["trouver-un-emploi--repondre-a-des-offres-demploi"])
    publics = factory.LazyFunction(lambda: ["tous-publics"])
    is_published = True
    is_public = True

    @factory.post_generation
    def partners(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.partners.set(extracted)


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = ActionSession

    action = factory.SubFactory(ActionFactory)
    starts_at = factory.LazyAttribute(lambda s: dt.datetime.combine(s.action.starts_on, dt.time(9, 30), tzinfo=dt.UTC))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(hours=3))


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    action = factory.SubFactory(ActionFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
