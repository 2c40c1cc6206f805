"""The sample program's own tests use unionaid's kit (``unionaid.testing``) exactly as a
third-party plugin's do: this file names the plugin under test and where it is on."""

import importlib
import sys
from pathlib import Path

import pytest

INSTALLED = Path(__file__).parents[1]  # the package and its dist-info, as pip leaves them
PACKAGE = "unionaid_sample"


@pytest.fixture(scope="session")
def sample_modules() -> dict:
    # A plugin installed with pip is found by its entry-point name ("sample"). This one lives
    # in unionaid's tests, so it is imported from its folder and then taken out of sys.path and
    # sys.modules again: no other test of the session sees it installed.
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(INSTALLED))
        importlib.import_module("unionaid_sample.plugin")
    return {name: sys.modules.pop(name) for name in list(sys.modules) if name.startswith(PACKAGE)}


@pytest.fixture
def sample_plugin_module(sample_modules, monkeypatch):
    for name, module in sample_modules.items():  # back for this test (strawberry looks there)
        monkeypatch.setitem(sys.modules, name, module)
    return sample_modules["unionaid_sample.plugin"]


@pytest.fixture
def unionaid_plugin(sample_plugin_module):
    return sample_plugin_module


@pytest.fixture
def program_districts() -> tuple[str, ...]:
    return ("320206",)  # 惠山区; 320211 (滨湖区) stays off
