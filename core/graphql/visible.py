"""What the caller may see: the member and enterprise querysets every list, node and loader
starts from. Below the loaders and the root queries, which both use them."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from unionaid.core import policy
from unionaid.core.graphql.auth import principal
from unionaid.core.models import Enterprise, Member


def visible_members(info: Info) -> Any:
    return Member.filter(**policy.member_scope(principal(info)))


def visible_enterprises(info: Info) -> Any:
    return Enterprise.filter(**policy.enterprise_scope(principal(info)))
