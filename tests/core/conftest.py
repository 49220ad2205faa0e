"""Fixtures for the core tests."""

from tests.core.incident_world import world  # noqa: F401 - the fixture, for every core test
