"""Users and the seed documents for the fact-check pages."""

from pathlib import Path

import pytest

from solieu.collection.tests.factories import user_with

SEEDS = Path(__file__).parent / "seeds"


def seed(prefix):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return path.name, path.read_bytes()


@pytest.fixture
def people(catalog, db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return {"analyst": user_with("fc-tonghop", "analyst"), "hanoi": user_with("fc-so01", "reporter", "SKHCN-01")}
