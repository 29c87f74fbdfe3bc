import factory
from django.contrib.auth.models import Group

from permanence.models import ClosureDay, Team, User
from tracker.models import Child

DEFAULT_PASSWORD = "a-long-test-password"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Children in Care Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"officer{n}@council.example")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: transactional tests (browser, worker) flush the migration's groups.
            self.groups.add(*(Group.objects.get_or_create(name=str(role))[0] for role in extracted))


class ClosureDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosureDay

    description = "Council closure"


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    case_number = factory.Sequence(lambda n: f"CN{n:06d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
