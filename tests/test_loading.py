"""A page of members costs the same number of SQL statements whatever its size."""

from tests.factories import ACTOR, id_number, uscc
from unionaid.core.crypto import Vault
from unionaid.core.services import enterprises, members

PAGE = """query($n: Int) { members(first: $n) { edges { node {
  name idNumber householdSize district { code name } enterprise { name uscc district { code } }
} } } }"""


async def test_statements_do_not_grow_with_page_size(gql, sql_counter, settings):
    vault = Vault(settings.data_key)
    firm = await enterprises.create_enterprise(
        ACTOR, enterprises.NewEnterprise(name="无锡一号公司", uscc=uscc(), district_code="320206")
    )
    for i in range(60):
        await members.create_member(
            ACTOR,
            vault,
            members.NewMember(
                name=f"会员{i}",
                id_number=id_number(),
                district_code="320206",
                enterprise_id=firm.id if i % 2 else None,
            ),
        )
    counts = {}
    for size in (5, 50):
        sql_counter.count = 0
        data = await gql.ok(PAGE, {"n": size})
        assert len(data["members"]["edges"]) == size
        counts[size] = sql_counter.count
    assert counts[5] == counts[50], counts
    # token+user, rate budget, members+joins, household sizes (members, dependents)
    assert counts[50] <= 5, counts
