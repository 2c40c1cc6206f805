"""unionaid's test kit for program plugins: a pytest plugin (:mod:`unionaid.testing.fixtures`,
loaded automatically wherever unionaid is installed) and the helpers its fixtures use.

A plugin's ``conftest.py`` names the plugin under test and, if it likes, where it is on::

    @pytest.fixture
    def unionaid_plugin():
        return "eldercare"  # its entry-point name, or the plugin module itself

Then tests take ``gql``, ``login_as``, ``add_member``, ``sql_counter``... (docs/plugins.md,
"Testing a program", lists them all)."""

from unionaid.testing.client import GQL, StatementCounter
from unionaid.testing.factories import ACTOR, NOW, fixed_clock, id_number, token_for, uscc

__all__ = [
    "ACTOR",
    "GQL",
    "NOW",
    "StatementCounter",
    "fixed_clock",
    "id_number",
    "token_for",
    "uscc",
]
