"""The small value types plugins hand to the host through the hooks in :mod:`hookspecs`."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

_PROGRAM_ID = re.compile(r"[a-z][a-z0-9]{1,30}")
ROLES = frozenset(
    {"city_admin", "district_admin", "caseworker", "approver", "auditor", "enterprise", "service"}
)
# Who a program serves unless it says otherwise: the federation's own staff and machine
# accounts. An enterprise contact's scope is its own employees' register data; a program where
# enterprises act (placements, postings, enrolments) adds "enterprise" itself.
STAFF_ROLES = ROLES - {"enterprise"}


@dataclass(frozen=True)
class ProgramInfo:
    id: str
    name: str
    name_en: str
    version: str
    description: str = ""
    serves: frozenset[str] = STAFF_ROLES  # the roles whose users see and use the program

    def __post_init__(self) -> None:
        if not _PROGRAM_ID.fullmatch(self.id) or self.id == "core":
            raise ValueError(f"invalid program id {self.id!r}: lowercase letters and digits")
        object.__setattr__(self, "serves", frozenset(self.serves))
        if not self.serves <= ROLES:
            unknown = sorted(self.serves - ROLES)
            raise ValueError(f"program {self.id!r} serves unknown roles {unknown}")


@dataclass(frozen=True)
class ModelsSpec:
    modules: list[str]
    migrations: str


@dataclass(frozen=True)
class GraphQLContribution:
    query: type | None = None
    mutation: type | None = None
    member_fields: type | None = None
    types: list[type] = field(default_factory=list)  # extra types not reachable from fields


@dataclass(frozen=True)
class EncryptedColumn:
    """A column of a program's table holding ciphertexts of the core's vault
    (``Vault.encrypt``); ``hash_column``, if any, holds ``Vault.lookup_hash`` of the same
    plaintext. ``unionaid keys rotate`` re-encrypts (and re-hashes) them under a new data key.
    The table needs an integer primary key ``id``; NULL values are left alone."""

    table: str
    column: str
    hash_column: str | None = None


@dataclass(frozen=True)
class ImportColumn:
    """A column of an import file that belongs to a program (e.g. ``hardship_level``).

    ``parse`` turns a non-empty cell into a value, raising ValueError for a bad one: with
    ``Words(zh, en)`` the row's error report says why in both languages (a plain text is
    taken as English). After the file's rows are written, ``store`` receives
    ``{member database id: value}`` for every accepted row that has the column, and the
    importing principal; it must be idempotent (importing the same file twice changes nothing)
    and return how many of the program's records it created or changed."""

    kind: str  # "members", "enterprises", "students" or "districts"
    name: str
    parse: Callable[[str], Any]
    store: Callable[[dict[int, Any], Any], Awaitable[int]]
