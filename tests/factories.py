import factory
from django.contrib.auth import get_user_model

from accounts.models import Owner


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"candidate{n}")
    password = factory.django.Password("correct horse battery staple")


class OwnerFactory(factory.django.DjangoModelFactory):
    """An account's owner; use GuestOwnerFactory for a guest."""

    class Meta:
        model = Owner

    user = factory.SubFactory(UserFactory)


class GuestOwnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Owner

    user = None
    guest_token = factory.Sequence(lambda n: f"guest-token-{n:08d}")
