"""factory_boy factories shared by every test module."""

import factory
from django.contrib.auth.models import Group

from ipgar.accounts.constants import OrganisationKind
from ipgar.accounts.models import Organisation, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"ORG{n}")
    name = factory.Sequence(lambda n: f"Testorganisatie {n}")
    kind = OrganisationKind.OTHER


class UserFactory(factory.django.DjangoModelFactory):
    """`UserFactory(roles=["regisseur"])` gives a user holding those roles."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda u: f"{u.username}@test.invalid")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", "een-goed-wachtwoord-2026")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if extracted:
            self.groups.set([Group.objects.get_or_create(name=role)[0] for role in extracted])
            self.__dict__.pop("role_names", None)
        self.save()
