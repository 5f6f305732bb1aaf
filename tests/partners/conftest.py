import pytest


@pytest.fixture(autouse=True)
def _local_geocoder(settings):
    """Never reach the BAN web API from the census tests: the local back-end answers from the database."""
    settings.GEOCODER = "ban_local"
