"""The small value types plugins hand to the host through the hooks in :mod:`hookspecs`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PROGRAM_ID = re.compile(r"[a-z][a-z0-9]{1,30}")


@dataclass(frozen=True)
class ProgramInfo:
    id: str
    name: str
    name_en: str
    version: str
    description: str = ""

    def __post_init__(self) -> None:
        if not _PROGRAM_ID.fullmatch(self.id) or self.id == "core":
            raise ValueError(f"invalid program id {self.id!r}: lowercase letters and digits")


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
