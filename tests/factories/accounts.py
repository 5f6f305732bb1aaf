import factory
from factory.django import DjangoModelFactory

from citemploi.accounts.models import Membership, Role, Structure, StructureKind, User

TEST_PASSWORD = "mot-de-passe-de-test-1234"


class StructureFactory(DjangoModelFactory):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"Structure de test {n}")
    kind = StructureKind.ASSOCIATION

    class Params:
        relais = factory.Trait(kind=StructureKind.RELAIS_EMPLOI, name=factory.Sequence(lambda n: f"Relais emploi {n}"))
        mission_locale = factory.Trait(
            kind=StructureKind.MISSION_LOCALE, name="Mission Locale de test", bound_by_secret=True
        )
        coordination = factory.Trait(kind=StructureKind.SEM_SERVICE, name="Coordination Cité de l'emploi")
        state = factory.Trait(kind=StructureKind.STATE_SERVICE, name="Délégation du préfet")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"agent{n}@exemple.test")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(StructureFactory)
    role = Role.RELAIS_AGENT


def user_with_role(role: str, structure: Structure | None = None, **kwargs) -> User:
    """A user holding ``role`` in ``structure`` (a new structure when none is given)."""
    membership = MembershipFactory(role=role, structure=structure or StructureFactory(), user=UserFactory(**kwargs))
    return membership.user
