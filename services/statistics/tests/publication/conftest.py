# SPDX-License-Identifier: EUPL-1.2
"""Fixtures of the publication's integration tests: the parent conftest's real statistics
service and catalogue owners, with the demo tenants' public URLs set."""
import pytest

PUBLIC_URLS = {"LOKET_MUSTERSTADT_PUBLIC_URL": "https://termine.musterstadt.example",
               "LOKET_BEISPIELSTADT_PUBLIC_URL": "http://beispielstadt.localhost"}


@pytest.fixture
def public_urls(monkeypatch):
    """The demo tenants' public URLs, for these tests only."""
    for name, value in PUBLIC_URLS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def start_statistics(start_statistics, public_urls):
    """The parent's :func:`start_statistics`, the public URLs set first."""
    return start_statistics
