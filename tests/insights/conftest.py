import pytest

from tests.factories import GuestOwnerFactory

from .helpers import as_guest


@pytest.fixture
def guest(client):
    """A guest owner whose session the test client carries."""
    return as_guest(client, GuestOwnerFactory())
