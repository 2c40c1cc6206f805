"""A third-party program as an outside developer writes one: only ``unionaid.core`` imports."""

from __future__ import annotations

import strawberry
from pydantic import BaseModel, ConfigDict
from strawberry.types import Info

from unionaid.core import (
    GraphQLContribution,
    ProgramInfo,
    UserError,
    hookimpl,
    program_scope,
    run_mutation,
)

CALLS: list[tuple[str, str]] = []


class SampleSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    greeting: str = "你好"


@strawberry.type
class SampleMemberFields:
    @strawberry.field(description="A greeting for the member (sample program)")
    async def sample_greeting(self, info: Info) -> str | None:
        return f"{info.context.host.programs['sample'].info.name}: {self.name}"


@strawberry.type
class SampleQuery:
    @strawberry.field(description="Districts where the sample program runs for you")
    async def sample_districts(self, info: Info) -> list[str]:
        return sorted((await program_scope(info, "sample")).district_codes)


@strawberry.input
class SampleTouchInput:
    district_code: str


@strawberry.type
class SampleTouchPayload:
    touched: str | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SampleMutation:
    @strawberry.mutation
    async def sample_touch(self, info: Info, input: SampleTouchInput) -> SampleTouchPayload:
        async def action():
            (await program_scope(info, "sample")).require(input.district_code, "districtCode")
            return {"touched": input.district_code}

        return await run_mutation(info, SampleTouchPayload, action)


@hookimpl
def register_program() -> ProgramInfo:
    return ProgramInfo(id="sample", name="示例项目", name_en="Sample", version="1.0")


@hookimpl
def register_settings() -> type[SampleSettings]:
    return SampleSettings


@hookimpl
def register_graphql() -> GraphQLContribution:
    return GraphQLContribution(
        query=SampleQuery, mutation=SampleMutation, member_fields=SampleMemberFields
    )


@hookimpl
def on_program_enabled(district_code: str, actor: str) -> None:
    CALLS.append(("enabled", district_code))


@hookimpl
def on_program_disabled(district_code: str, actor: str) -> None:
    CALLS.append(("disabled", district_code))
