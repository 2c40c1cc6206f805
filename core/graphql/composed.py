"""Types composed at schema build time from the core and the plugins (set by schema.build), and
the lazy reference to them every other module uses."""

from typing import Annotated

import strawberry

Member: type

# "Member" is composed at build time (schema.py), so it is only ever named lazily.
MemberRef = Annotated["Member", strawberry.lazy("unionaid.core.graphql.composed")]  # noqa: F821
