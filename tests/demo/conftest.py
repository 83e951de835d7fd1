import pytest

from backend.demo.district import read_fixture


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The demo creates seven users; real hashing would dominate the test time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def fixture_data() -> dict:
    return read_fixture()
