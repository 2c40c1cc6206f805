"""The kit from the outside: a third-party plugin's tests get every fixture from unionaid's
``pytest11`` entry point, with nothing but a conftest naming the plugin (a separate pytest run,
as in the plugin's own repository)."""

CONFTEST = """
import pytest
import strawberry
from unionaid.core import GraphQLContribution, ProgramInfo, hookimpl, program_scope


@strawberry.type
class KitQuery:
    @strawberry.field
    async def kit_districts(self, info: strawberry.Info) -> list[str]:
        return sorted((await program_scope(info, "kitprobe")).district_codes)


class KitProbe:
    @hookimpl
    def register_program(self):
        return ProgramInfo(id="kitprobe", name="探针", name_en="Probe", version="1",
                           contract_versions=("2",))

    @hookimpl
    def register_graphql(self):
        return GraphQLContribution(query=KitQuery)


PROBE = KitProbe()


@pytest.fixture
def unionaid_plugin():
    return PROBE


@pytest.fixture
def program_districts():
    return ("320206", "320211")
"""

TESTS = """
from unionaid.testing import NOW, GQL


async def test_the_app_has_the_plugin_enabled_where_asked(gql, host):
    assert list(host.programs) == ["kitprobe"]
    assert await gql.ok("{ kitDistricts }") == {"kitDistricts": ["320206", "320211"]}


async def test_clients_per_role_and_district(login_as, anonymous):
    theirs = await login_as("caseworker", ("320211",))
    assert isinstance(theirs, GQL)
    assert await theirs.ok("{ kitDistricts }") == {"kitDistricts": ["320211"]}
    refused = await anonymous("{ kitDistricts }")
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_members_statements_and_the_clock(add_member, sql_counter, app_clock, orm):
    sql_counter.count = 0
    member = await add_member("320211", name="李四")
    assert member.district_id == "320211" and sql_counter.count > 0
    assert app_clock() == NOW
"""

BARE = """
async def test_without_naming_a_plugin(gql):
    pass
"""

INI = """[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = function
asyncio_default_test_loop_scope = function
"""


def test_a_plugins_own_tests_get_the_kit_by_installing_unionaid(pytester):
    pytester.makeini(INI)
    plugin = pytester.mkdir("plugin")
    (plugin / "conftest.py").write_text(CONFTEST)
    (plugin / "test_probe.py").write_text(TESTS)
    bare = pytester.mkdir("bare")
    (bare / "test_bare.py").write_text(BARE)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*define a fixture `unionaid_plugin` in your conftest.py*"])
