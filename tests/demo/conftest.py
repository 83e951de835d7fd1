import pytest

from backend.demo.district import read_fixture


@pytest.fixture(scope="session")
def fixture_data() -> dict:
    return read_fixture()
