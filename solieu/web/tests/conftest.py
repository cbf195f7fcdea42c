"""The browser fixtures live in solieu/conftest.py, shared with the collection tests."""

from solieu.conftest import CHROMIUM  # noqa: F401
