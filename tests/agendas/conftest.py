import pytest

from permanence.roles import Role


@pytest.fixture
def social_worker_client(client, make_user):
    client.force_login(make_user(Role.SOCIAL_WORKER))
    return client


@pytest.fixture
def administrator_client(client, administrator):
    client.force_login(administrator)
    return client
