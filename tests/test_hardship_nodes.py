"""Hardship files and visits by global ID (``node(id:)``): the core checks the scope as for its
own nodes — another district's is NOT_FOUND, an enterprise contact never reads one, a district
that switched the program off answers PROGRAM_NOT_ENABLED — and the node fields of one request
load each type in one statement."""

import pytest

from tests.factories import id_number, nodes, uscc
from tests.test_hardship import (  # noqa: F401 (fixtures)
    BINHU,
    HUISHAN,
    MEMBER,
    REGISTER,
    VERIFY,
    VISIT,
    registered_story,
    story,
)
from unionaid.core import to_global_id

NODE = "query($id: ID!) { node(id: $id) { id __typename ... on %s { %s } } }"
FILE_ID = "query($m: ID!) { member(id: $m) { hardship { id } } }"
DISABLE = """mutation($d: String!) { disableProgram(input: {programId: "hardship",
  districtCode: $d}) { userErrors { code } } }"""


def _codes(body: dict) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


async def _node(client, type_name: str, fields: str, id: str) -> dict:
    return await client(NODE % (type_name, fields), {"id": id})


async def _file_id(client, member: str) -> str:
    return (await client.ok(FILE_ID, {"m": member}))["member"]["hardship"]["id"]


async def _visit(client, district: str, name: str, **more) -> str:
    """A visit without cash in ``district``: its global ID."""
    done = await client.ok(
        VISIT.replace("visit {", "visit { id"),
        {
            "i": {
                "districtCode": district,
                "visitedBy": "区总工会主席",
                "visitedOn": "2026-11-20",
                "occasion": "OTHER",
                "visiteeName": name,
                "visiteeKind": "FRONTLINE",
                **more,
            }
        },
    )
    assert done["recordVisit"]["userErrors"] == [], done
    return done["recordVisit"]["visit"]["id"]


@pytest.fixture
async def known(story):  # noqa: F811 (the fixture)
    """The story (``tests.test_hardship``), with the ids of the files of 特困甲 (惠山区) and
    滨湖特困 (滨湖区), and of a visit in each district."""
    city, people, members, _fund = story
    return story, {
        "huishan_file": await _file_id(city, members["特困甲"]),
        "binhu_file": await _file_id(city, members["滨湖特困"]),
        "huishan_visit": await _visit(people["maker"], HUISHAN, "环卫工人王某"),
        "binhu_visit": await _visit(people["binhu"], BINHU, "交警李某"),
    }


async def test_files_and_visits_resolve_by_id_with_their_fields(known):
    (city, _people, _members, _), ids = known
    found = await _node(city, "HardshipFile", "level stage member { name }", ids["huishan_file"])
    assert found["data"]["node"] == {
        "id": ids["huishan_file"],
        "__typename": "HardshipFile",
        "level": "EXTREME",
        "stage": "VERIFIED",
        "member": {"name": "特困甲"},
    }
    visit = await _node(city, "Visit", "districtCode visiteeName", ids["huishan_visit"])
    assert visit["data"]["node"] == {
        "id": ids["huishan_visit"],
        "__typename": "Visit",
        "districtCode": HUISHAN,
        "visiteeName": "环卫工人王某",
    }
    # The lists hand out the same ids node(id:) takes.
    listed = await city.ok(
        f'{{ hardshipFiles(districtCode: "{HUISHAN}") {{ edges {{ node {{ id }} }} }} }}'
    )
    assert ids["huishan_file"] in [n["id"] for n in nodes(listed["hardshipFiles"])]
    visits = await city.ok(
        f'{{ visits(districtCode: "{HUISHAN}") {{ edges {{ node {{ id }} }} }} }}'
    )
    assert nodes(visits["visits"]) == [{"id": ids["huishan_visit"]}]
    for missing in (to_global_id("HardshipFile", 99999), to_global_id("Visit", 99999)):
        gone = await city(NODE % ("Visit", "cash"), {"id": missing})
        assert (gone["data"]["node"], _codes(gone)) == (None, ["NOT_FOUND"])


async def test_another_districts_file_or_visit_is_not_found(known):
    (_city, people, _members, _), ids = known
    binhu = people["binhu"]
    for kind in ("file", "visit"):
        type_name = "HardshipFile" if kind == "file" else "Visit"
        hidden = await _node(binhu, type_name, "id", ids[f"huishan_{kind}"])
        assert (hidden["data"]["node"], _codes(hidden)) == (None, ["NOT_FOUND"])
        own = await _node(binhu, type_name, "id", ids[f"binhu_{kind}"])
        assert own["data"]["node"]["id"] == ids[f"binhu_{kind}"] and _codes(own) == []


async def test_an_enterprise_contact_never_reads_a_file_or_visit_even_of_its_employee(
    known, login_as
):
    (city, people, _members, _), _ids = known
    firm = await city.ok(
        """mutation($i: CreateEnterpriseInput!) { createEnterprise(input: $i) {
          enterprise { id uscc } userErrors { code } } }""",
        {"i": {"name": "惠山机械厂", "uscc": uscc(), "districtCode": HUISHAN}},
    )
    enterprise = firm["createEnterprise"]["enterprise"]
    made = await city.ok(
        MEMBER,
        {
            "i": {
                "name": "职工戊",
                "idNumber": id_number(),
                "districtCode": HUISHAN,
                "enterpriseId": enterprise["id"],
            }
        },
    )
    member = made["createMember"]["member"]["id"]
    registered = await people["maker"].ok(
        REGISTER, {"i": {"memberId": member, "level": "DIFFICULT", "reasons": ["LOW_INCOME"]}}
    )
    assert registered["registerHardshipFile"]["userErrors"] == []
    assert (await people["huishan_admin"].ok(VERIFY, {"m": member}))["verifyHardshipFile"][
        "userErrors"
    ] == []
    file_id = await _file_id(city, member)
    visit_id = await _visit(
        people["maker"], HUISHAN, "职工戊", memberId=member, visiteeKind="HOUSEHOLD"
    )
    contact = await login_as("enterprise", enterprise=enterprise["uscc"])
    for type_name, id in (("HardshipFile", file_id), ("Visit", visit_id)):
        body = await _node(contact, type_name, "id", id)
        assert (body["data"]["node"], _codes(body)) == (None, ["NOT_FOUND"])
    # The city sees both: the refusal is the contact's, not a missing record.
    assert (await _node(city, "Visit", "visiteeName", visit_id))["data"]["node"]["visiteeName"]


async def test_where_the_program_was_switched_off_a_file_or_visit_is_program_not_enabled(
    known,
):
    (city, people, _members, _), ids = known
    assert (await city.ok(DISABLE, {"d": BINHU}))["disableProgram"]["userErrors"] == []
    for type_name, id in (("HardshipFile", ids["binhu_file"]), ("Visit", ids["binhu_visit"])):
        off = await _node(city, type_name, "id", id)
        assert (off["data"]["node"], _codes(off)) == (None, ["PROGRAM_NOT_ENABLED"])
        # Out of reach stays NOT_FOUND: whether the program runs there is not told.
        hidden = await _node(people["maker"], type_name, "id", id)
        assert _codes(hidden) == ["NOT_FOUND"]
    on = await _node(city, "HardshipFile", "level", ids["huishan_file"])
    assert on["data"]["node"]["level"] == "EXTREME"


async def test_several_node_fields_load_files_and_visits_in_one_batch(known, sql_counter):
    (city, people, members, _), ids = known
    files = [ids["huishan_file"], await _file_id(city, members["困难乙"])]
    files.append(await _file_id(city, members["劳模丙"]))
    visits = [ids["huishan_visit"]]
    for name in ("保洁张某", "快递员赵某"):
        visits.append(await _visit(people["maker"], HUISHAN, name))
    shape = "... on HardshipFile { level } ... on Visit { visiteeName }"

    def query(ids: list[str]) -> str:
        return (
            "{ "
            + " ".join(f'n{i}: node(id: "{id}") {{ id {shape} }}' for i, id in enumerate(ids))
            + " }"
        )

    await city.ok(query([files[0], visits[0]]))  # warm the token's caches alike
    sql_counter.count = 0
    one_each = await city.ok(query([files[0], visits[0]]))
    alone = sql_counter.count
    sql_counter.count = 0
    many = await city.ok(query(files + visits))
    assert sql_counter.count == alone
    assert len(one_each) == 2 and [many[f"n{i}"]["id"] for i in range(6)] == files + visits
    assert [many[f"n{i}"]["level"] for i in range(3)] == ["EXTREME", "DIFFICULT", "DIFFICULT"]
