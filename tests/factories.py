"""Small, valid test data made here (the project never needs ../shared to test): the kit's
factories (:mod:`unionaid.testing.factories`), under the names the suite has always used."""

from unionaid.testing.factories import ACTOR, NOW, fixed_clock, id_number, token_for, uscc

__all__ = ["ACTOR", "NOW", "fixed_clock", "id_number", "nodes", "token_for", "uscc"]


def nodes(connection: dict) -> list:
    """The items of a connection's page, as answered (``edges { node { … } }``)."""
    return [edge["node"] for edge in connection["edges"]]
