"""Loopback servers that tests talk to instead of mocks."""
