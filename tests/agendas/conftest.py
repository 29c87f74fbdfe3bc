import pytest

from permanence.roles import Role


@pytest.fixture
def social_worker_client(client, make_user):
    client.force_login(make_user(Role.SOCIAL_WORKER))
    return client
