async def test_districts_exist_after_migrating(gql):
    data = await gql.ok("{ districts { code name } }")
    assert {d["code"]: d["name"] for d in data["districts"]}["320206"] == "惠山区"
    assert len(data["districts"]) == 8
