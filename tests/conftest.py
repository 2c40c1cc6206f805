"""Test set-up: the kit's fixtures (:mod:`unionaid.testing.fixtures`, a real migrated database
per test, the app, clients per role, a statement counter, a fixed clock) with the built-in
programs installed and none enabled; tests enable what they need. SQLite by default,
PostgreSQL with ``UNIONAID_TEST_DATABASE_URL=postgres://...``."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from unionaid.core.host import PluginHost
from unionaid.testing import GQL, StatementCounter
from unionaid.testing.database import ON_POSTGRES, PG_URL, database_named, pg_admin

# Older names, still imported by tests.
_pg_admin, _pg_parts = pg_admin, database_named
__all__ = ["GQL", "ON_POSTGRES", "PG_URL", "StatementCounter"]

pytest_plugins = ["pytester"]  # tests/test_kit.py runs a plugin's own test session

SAMPLE = Path(__file__).parent / "sample_plugin"
BUILTINS = ("hardship", "jobs4050", "mutualaid", "yuanmeng")


@pytest.fixture
def unionaid_plugin() -> tuple[str, ...]:
    return BUILTINS


@pytest.fixture
def program_districts() -> tuple[str, ...]:
    return ()


@pytest.fixture
def builtin_host(unionaid_host: PluginHost) -> PluginHost:
    return unionaid_host


@pytest.fixture
def sample_installed(monkeypatch):
    """Install the sample plugin the way pip does: a dist-info with an entry point on sys.path."""
    monkeypatch.syspath_prepend(str(SAMPLE))
    importlib.invalidate_caches()
    yield
    for name in [m for m in sys.modules if m.startswith("unionaid_sample")]:
        del sys.modules[name]
