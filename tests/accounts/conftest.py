"""Users in each role, as the roles service makes them."""

import pytest

from accounts.services import ADMIN, ANALYST, user_grant_role
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def analyst(db):
    user = UserFactory(username="analyst")
    user_grant_role(user=user, role=ANALYST)
    return user


@pytest.fixture
def admin_user(db):
    """An admin made the way a deployment makes one: the Admin role, which also makes them staff."""
    user = UserFactory(username="admin")
    user_grant_role(user=user, role=ADMIN)
    return user


@pytest.fixture
def reader(db):
    """Signed in, but in no role."""
    return UserFactory(username="reader")
