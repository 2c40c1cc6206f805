"""A mutation is all or nothing (issue 15 item 11): ``run_mutation`` runs its action in one
transaction, so an unexpected exception after a write leaves nothing written — for core and
plugin mutations alike — and the jobs a mutation queues start only once it has committed."""

import logging

import httpx
import pytest
import strawberry
from strawberry.types import Info

from tests.factories import ACTOR, fixed_clock, id_number, token_for
from unionaid.core import (
    GraphQLContribution,
    ProgramInfo,
    UserError,
    hookimpl,
    principal,
    program_scope,
    record_audit,
    run_mutation,
)
from unionaid.core.app import create_app
from unionaid.core.host import PluginHost
from unionaid.core.models import AuditEntry, Job, Member
from unionaid.core.unit_of_work import after_commit, unit_of_work

HUISHAN = "320206"


@strawberry.input
class BrokenWriteInput:
    district_code: str


@strawberry.type
class BrokenWritePayload:
    written: bool = False
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class BrokenMutation:
    @strawberry.mutation
    async def broken_write(self, info: Info, input: BrokenWriteInput) -> BrokenWritePayload:
        async def action():
            (await program_scope(info, "broken")).require(input.district_code, "districtCode")
            await record_audit(
                principal(info),
                "brokenWrite",
                object_type="Program",
                object_id="broken",
                district_code=input.district_code,
            )
            raise RuntimeError("a bug after the write")

        return await run_mutation(info, BrokenWritePayload, action)


class BrokenPlugin:
    """A test-only program whose one mutation writes, then fails unexpectedly."""

    @hookimpl
    def register_program(self) -> ProgramInfo:
        return ProgramInfo(
            id="broken", name="故障项目", name_en="Broken", version="1.0", contract_versions=("2",)
        )

    @hookimpl
    def register_graphql(self) -> GraphQLContribution:
        return GraphQLContribution(mutation=BrokenMutation)


@pytest.fixture
async def broken_gql(settings, orm):
    host = PluginHost.load(builtin_only=True)
    host.register(BrokenPlugin())
    host.check()
    app = create_app(settings, host, manage_db=False, rate_limit=0, clock=fixed_clock)
    token = await token_for("city_admin")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:

        async def call(query, variables=None):
            response = await c.post(
                "/graphql",
                json={"query": query, "variables": variables or {}},
                headers={"Authorization": f"Bearer {token}"},
            )
            return response.json()

        yield call


async def test_a_plugin_mutation_that_fails_after_writing_leaves_nothing(broken_gql, caplog):
    enabled = await broken_gql(
        'mutation { enableProgram(input: {programId: "broken", districtCode: "320206"}) '
        "{ userErrors { code } } }"
    )
    assert enabled["data"]["enableProgram"]["userErrors"] == []
    with caplog.at_level(logging.CRITICAL, logger="unionaid.graphql"):
        body = await broken_gql(
            'mutation { brokenWrite(input: {districtCode: "320206"}) { written } }'
        )
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_ERROR"
    assert await AuditEntry.filter(operation="brokenWrite").count() == 0


async def test_a_core_mutation_that_fails_after_its_service_committed_leaves_nothing(
    gql, monkeypatch, caplog
):
    import unionaid.core.graphql.mutations as mutations

    async def broken(*args, **kwargs):
        raise RuntimeError("a bug while shaping the answer")

    monkeypatch.setattr(mutations, "member_by_pk", broken)
    number = id_number()
    with caplog.at_level(logging.CRITICAL, logger="unionaid.graphql"):
        body = await gql(
            "mutation($i: CreateMemberInput!) { createMember(input: $i) { member { id } } }",
            {"i": {"name": "张三", "idNumber": number, "districtCode": HUISHAN}},
        )
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_ERROR"
    assert await Member.all().count() == 0
    assert await AuditEntry.filter(operation="createMember").count() == 0


async def test_a_refusal_keeps_only_what_the_service_records_on_purpose(anonymous):
    """Expected failures commit: a refused sign-in is still counted and audited."""
    body = await anonymous(
        'mutation { login(input: {username: "nobody", password: "wrong"}) '
        "{ token userErrors { code } } }"
    )
    assert body["data"]["login"]["userErrors"] == [{"code": "INVALID_CREDENTIALS"}]
    assert await AuditEntry.filter(operation="login", outcome="refused").count() == 1


async def test_work_after_commit_waits_for_the_commit_and_never_follows_a_rollback(orm):
    ran: list[str] = []
    async with unit_of_work():
        after_commit(lambda: ran.append("committed"))
        await Job.all().count()  # inside the transaction
        assert ran == []
    assert ran == ["committed"]
    with pytest.raises(RuntimeError):
        async with unit_of_work():
            after_commit(lambda: ran.append("rolled back"))
            raise RuntimeError("undo")
    assert ran == ["committed"]
    after_commit(lambda: ran.append("no unit"))
    assert ran == ["committed", "no unit"]


async def test_a_queued_job_starts_after_the_commit_and_a_failed_mutation_queues_none(
    gql, app, monkeypatch, caplog
):
    import unionaid.core.graphql.campaigns as campaigns

    await gql.ok(
        'mutation { enableProgram(input: {programId: "hardship", districtCode: "320206"}) '
        "{ userErrors { code } } }"
    )
    fund = await gql.ok(
        'mutation { createFund(input: {code: "HS", name: "惠山帮扶", districtCode: "320206"}) '
        "{ fund { id } } }"
    )
    made = await gql.ok(
        """mutation($i: CreateCampaignInput!) { createCampaign(input: $i) {
          campaign { id } userErrors { code } } }""",
        {
            "i": {
                "name": "春节送温暖",
                "programId": "hardship",
                "ruleCode": "spring_festival",
                "period": "2027-spring-festival",
                "districtCodes": [HUISHAN],
                "fundId": fund["createFund"]["fund"]["id"],
            }
        },
    )
    campaign = made["createCampaign"]["campaign"]["id"]
    evaluate = """mutation($c: ID!) { evaluateCampaign(input: {campaignId: $c}) {
      job { id status } userErrors { code } } }"""
    shape = campaigns.job_of

    def broken(row):
        raise RuntimeError("a bug after the job was queued")

    monkeypatch.setattr(campaigns, "job_of", broken)
    with caplog.at_level(logging.CRITICAL, logger="unionaid.graphql"):
        body = await gql(evaluate, {"c": campaign})
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_ERROR"
    await app.state.jobs.idle()
    assert await Job.all().count() == 0

    monkeypatch.setattr(campaigns, "job_of", shape)
    queued = (await gql.ok(evaluate, {"c": campaign}))["evaluateCampaign"]
    assert queued["userErrors"] == [] and queued["job"]["status"] == "QUEUED"
    await app.state.jobs.idle()
    done = await gql.ok("query($c: ID!) { campaign(id: $c) { status } }", {"c": campaign})
    assert done["campaign"]["status"] == "EVALUATED"


async def test_signing_in_hashes_the_password_outside_the_transaction(anonymous, monkeypatch):
    """argon2 takes tens of milliseconds by design: no connection (SQLite has one) waits on it."""
    from tortoise import connections
    from tortoise.backends.base.client import TransactionalDBClient

    from unionaid.core.services import accounts

    await accounts.create_user(
        ACTOR, accounts.NewUser("wang", "caseworker", [HUISHAN], password="a-long-password-1")
    )
    verify, inside = accounts._verify, []

    def watched(stored: str, password: str) -> bool:
        inside.append(isinstance(connections.get("default"), TransactionalDBClient))
        return verify(stored, password)

    monkeypatch.setattr(accounts, "_verify", watched)
    for password in ("a-long-password-1", "wrong"):
        body = await anonymous(
            'mutation($p: String!) { login(input: {username: "wang", password: $p}) '
            "{ token userErrors { code } } }",
            {"p": password},
        )
        assert "errors" not in body, body
    assert inside == [False, False]


async def test_an_unexpected_error_is_logged_once(broken_gql, caplog):
    """The request log's code counting shaped every error too, and so logged each bug (with
    its stack) twice: once per request now."""
    await broken_gql(
        'mutation { enableProgram(input: {programId: "broken", districtCode: "320206"}) '
        "{ userErrors { code } } }"
    )
    with caplog.at_level(logging.ERROR, logger="unionaid.graphql"):
        body = await broken_gql(
            'mutation { brokenWrite(input: {districtCode: "320206"}) { written } }'
        )
    request_id = body["errors"][0]["extensions"]["requestId"]
    logged = [r for r in caplog.records if r.getMessage().startswith("unexpected error")]
    assert [r.getMessage() for r in logged] == [
        f"unexpected error (request {request_id}): RuntimeError"
    ]
