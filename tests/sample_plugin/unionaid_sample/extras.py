"""The sample's uses of the contract's second-edition hooks: its own error code and action, a
node type, a public field and a period kind the city dates. Only ``unionaid.core`` imports."""

from __future__ import annotations

import re
from dataclasses import dataclass

import strawberry
from strawberry.types import Info

from unionaid.core import (
    ActionSpec,
    DomainError,
    ErrorCode,
    Node,
    NodeType,
    PeriodKind,
    UserError,
    principal,
    program_scope,
    require,
    run_mutation,
    to_global_id,
)

QUOTA_EXCEEDED = ErrorCode(
    "SAMPLE_QUOTA_EXCEEDED", "每次最多问候 {max} 人", "At most {max} greetings at a time"
)
GREET = ActionSpec("sample.greet", "发送问候", "Send greetings", {"district_admin", "caseworker"})
HOLIDAY = PeriodKind("holiday-season", "假期", "holiday season")
MAX_GREETINGS = 3
_WUXI = re.compile(r"3202\d\d")


@strawberry.type(description="The sample program's card for a district (a node type)")
class SampleDistrictCard(Node):
    district_code: str
    greeting: str


@dataclass(frozen=True)
class Card:
    id: str
    district_code: str
    greeting: str


async def load_cards(pks: list[int]) -> dict[int, Card]:
    """A card per Wuxi district code, computed: the sample stores nothing."""
    return {
        pk: Card(to_global_id("SampleDistrictCard", pk), str(pk), f"你好，{pk}")
        for pk in pks
        if _WUXI.fullmatch(str(pk))
    }


CARDS = NodeType(SampleDistrictCard, load_cards)


@strawberry.input
class SampleGreetInput:
    district_code: str
    count: int


@strawberry.type
class SampleGreetPayload:
    greeted: int | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SampleGreetMutation:
    @strawberry.mutation(description="Greet members (needs the sample.greet action)")
    async def sample_greet(self, info: Info, input: SampleGreetInput) -> SampleGreetPayload:
        async def action():
            (await program_scope(info, "sample")).require(input.district_code, "districtCode")
            require(principal(info), GREET.name, input.district_code, "districtCode")
            if input.count > MAX_GREETINGS:
                raise DomainError(QUOTA_EXCEEDED, "count", max=MAX_GREETINGS)
            return {"greeted": input.count}

        return await run_mutation(info, SampleGreetPayload, action)


@strawberry.type
class SampleNoticeQuery:
    @strawberry.field(description="Districts where the sample runs: public, no token needed")
    async def sample_notice(self, info: Info) -> list[str]:
        return sorted((await program_scope(info, "sample")).district_codes)
