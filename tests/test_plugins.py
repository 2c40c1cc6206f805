"""The plugin host: entry-point loading, validation at startup, and the enablement gate."""

import httpx
import pluggy
import pytest
import strawberry

from tests.factories import fixed_clock, id_number, token_for
from unionaid.core import ProgramInfo, hookimpl
from unionaid.core.app import create_app
from unionaid.core.graphql.schema import build_schema
from unionaid.core.host import PluginError, PluginHost


@pytest.fixture
async def sample_gql(settings, orm, sample_installed):
    host = PluginHost.load(only={"sample", "hardship"})
    app = create_app(settings, host, manage_db=False, clock=fixed_clock)
    token = await token_for("city_admin")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:

        async def call(query, variables=None):
            response = await c.post(
                "/graphql",
                json={"query": query, "variables": variables or {}},
                headers={"Authorization": f"Bearer {token}"},
            )
            return response.json()

        yield call


def test_builtins_load_from_the_entry_point_group():
    host = PluginHost.load(builtin_only=True)
    assert sorted(host.programs) == ["hardship", "jobs4050", "mutualaid", "yuanmeng"]
    assert all(p.builtin for p in host.programs.values())


def test_builtin_only_ignores_installed_plugins(sample_installed):
    assert "sample" in PluginHost.load().programs
    assert "sample" not in PluginHost.load(builtin_only=True).programs


class Misspelled:
    @hookimpl
    def register_program(self):
        return ProgramInfo(
            id="typo", name="错", name_en="Typo", version="1", contract_versions=("2",)
        )

    @hookimpl
    def register_setings(self):  # misspelled on purpose
        return None


def test_misspelled_hook_fails_at_startup():
    host = PluginHost()
    host.register(Misspelled())
    with pytest.raises(PluginError, match="register_setings"):
        host.check()


def test_missing_program_info_and_duplicate_ids_fail():
    class Nameless:
        @hookimpl
        def register_settings(self):
            return None

    with pytest.raises(PluginError, match="register_program"):
        PluginHost().register(Nameless())

    class Twin:
        @hookimpl
        def register_program(self):
            return ProgramInfo(
                id="hardship", name="双", name_en="Twin", version="1", contract_versions=("2",)
            )

    host = PluginHost.load(builtin_only=True)
    with pytest.raises(PluginError, match="hardship"):
        host.register(Twin())


def test_field_clash_fails_at_startup():
    from unionaid.core import GraphQLContribution

    @strawberry.type
    class Clash:
        @strawberry.field
        def members(self) -> int | None:
            return 1

    class Clashing:
        @hookimpl
        def register_program(self):
            return ProgramInfo(
                id="clash", name="冲突", name_en="Clash", version="1", contract_versions=("2",)
            )

        @hookimpl
        def register_graphql(self):
            return GraphQLContribution(query=Clash)

    host = PluginHost()
    host.register(Clashing())
    with pytest.raises(PluginError, match="members"):
        build_schema(host)


def test_hook_contract_is_documented():
    from unionaid.core import hookspecs

    hooks = [
        name
        for name in dir(hookspecs)
        if callable(getattr(hookspecs, name)) and hasattr(getattr(hookspecs, name), "unionaid_spec")
    ]
    assert set(hooks) >= {
        "register_program",
        "register_models",
        "register_settings",
        "register_graphql",
        "register_rules",
        "on_program_enabled",
        "on_program_disabled",
        "export_personal_data",
        "on_member_anonymised",
        "register_import_columns",
    }
    for name in hooks:
        doc = getattr(hookspecs, name).__doc__
        assert doc and len(doc) > 80, name
    assert isinstance(hookspecs.hookimpl, pluggy.HookimplMarker)


async def test_installed_plugin_appears_and_is_reachable_only_where_enabled(sample_gql):
    programs = await sample_gql("{ programs { id name } }")
    assert {"id": "sample", "name": "示例项目"} in programs["data"]["programs"]
    for code, name in (("320206", "惠山"), ("320211", "滨湖")):
        await sample_gql(
            "mutation($i: CreateMemberInput!) { createMember(input: $i) { userErrors { code } } }",
            {"i": {"name": name, "idNumber": id_number(), "districtCode": code}},
        )
    enabled = await sample_gql(
        'mutation { enableProgram(input: {programId: "sample", districtCode: "320206"}) { userErrors { code } } }'
    )
    assert enabled["data"]["enableProgram"]["userErrors"] == []

    body = await sample_gql(
        "{ members { edges { node { name district { code } sampleGreeting } } } }"
    )
    by_district = {
        e["node"]["district"]["code"]: e["node"] for e in body["data"]["members"]["edges"]
    }
    assert by_district["320206"]["sampleGreeting"] == "示例项目: 惠山"
    assert by_district["320211"]["sampleGreeting"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["PROGRAM_NOT_ENABLED"]

    listed = await sample_gql("{ sampleDistricts }")
    assert listed["data"]["sampleDistricts"] == ["320206"]

    touch = "mutation($c: String!) { sampleTouch(input: {districtCode: $c}) { touched userErrors { code } } }"
    ok = await sample_gql(touch, {"c": "320206"})
    assert ok["data"]["sampleTouch"] == {"touched": "320206", "userErrors": []}
    refused = await sample_gql(touch, {"c": "320211"})
    assert refused["data"]["sampleTouch"] == {
        "touched": None,
        "userErrors": [{"code": "PROGRAM_NOT_ENABLED"}],
    }


async def test_lifecycle_hooks_run_once_per_change(sample_gql):
    import unionaid_sample.plugin as sample

    sample.CALLS.clear()
    enable = 'mutation { enableProgram(input: {programId: "sample", districtCode: "320206"}) { userErrors { code } } }'
    await sample_gql(enable)
    await sample_gql(enable)  # already on: no second call
    await sample_gql(
        'mutation { disableProgram(input: {programId: "sample", districtCode: "320206"}) { userErrors { code } } }'
    )
    assert sample.CALLS == [("enabled", "320206"), ("disabled", "320206")]


def test_rules_are_handed_out_only_where_the_program_is_enabled():
    import datetime as dt
    from decimal import Decimal

    from unionaid.core import Decision, Schedule, Unit

    class FlatRule:
        code, name, name_en = "flat", "定额", "Flat"
        schedule, unit = Schedule.ANNUAL, Unit.MEMBER

        def evaluate(self, facts, settings, on: dt.date) -> Decision:
            return Decision(True, Decimal("1.00"), [])

    class Ruled:
        @hookimpl
        def register_program(self):
            return ProgramInfo(
                id="ruled", name="规则", name_en="Ruled", version="1", contract_versions=("2",)
            )

        @hookimpl
        def register_rules(self):
            return [FlatRule()]

    host = PluginHost()
    host.register(Ruled())
    enabled = {("ruled", "320206")}
    assert [(p, r.code) for p, r in host.rules_for("320206", enabled)] == [("ruled", "flat")]
    assert host.rules_for("320211", enabled) == []
