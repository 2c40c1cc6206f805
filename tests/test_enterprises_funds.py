from decimal import Decimal

import pytest
from tortoise.functions import Sum

from tests.factories import nodes, uscc
from unionaid.core.models import Enterprise, LedgerEntry

CREATE_ENTERPRISE = """
mutation($input: CreateEnterpriseInput!) {
  createEnterprise(input: $input) { enterprise { id name uscc isCaring district { code } } userErrors { field code } }
}"""
CREATE_FUND = """
mutation($input: CreateFundInput!) { createFund(input: $input) { fund { id code balance } userErrors { field code } } }"""
CONTRIBUTE = """
mutation($input: ContributeToFundInput!) { contributeToFund(input: $input) { fund { balance } userErrors { field code message } } }"""
TRANSFER = """
mutation($input: TransferBetweenFundsInput!) {
  transferBetweenFunds(input: $input) { fromFund { balance } toFund { balance } userErrors { field code message } }
}"""


async def test_create_enterprise_and_list(gql):
    code = uscc()
    made = await gql.ok(
        CREATE_ENTERPRISE,
        {
            "input": {
                "name": "无锡爱心纺织有限公司",
                "uscc": code,
                "districtCode": "320206",
                "isCaring": True,
            }
        },
    )
    assert made["createEnterprise"]["enterprise"]["uscc"] == code
    listed = await gql.ok(
        '{ enterprises(districtCode: "320206") { totalCount edges { node { name isCaring district { code } } } } }'
    )
    assert listed["enterprises"]["totalCount"] == 1
    assert listed["enterprises"]["edges"][0]["node"]["isCaring"] is True


@pytest.mark.parametrize(
    "mutate",
    [
        lambda c: c[:-1] + ("0" if c[-1] != "0" else "1"),
        lambda c: c[:5] + "I" + c[6:],
        lambda c: c[:-2],
    ],
)
async def test_bad_credit_codes(gql, mutate):
    made = await gql.ok(
        CREATE_ENTERPRISE,
        {"input": {"name": "甲公司", "uscc": mutate(uscc()), "districtCode": "320206"}},
    )
    assert made["createEnterprise"]["userErrors"] == [{"field": "uscc", "code": "INVALID_USCC"}]
    assert await Enterprise.all().count() == 0


async def test_duplicate_credit_code(gql):
    code = uscc()
    await gql.ok(
        CREATE_ENTERPRISE, {"input": {"name": "甲公司", "uscc": code, "districtCode": "320206"}}
    )
    again = await gql.ok(
        CREATE_ENTERPRISE, {"input": {"name": "乙公司", "uscc": code, "districtCode": "320211"}}
    )
    assert again["createEnterprise"]["userErrors"] == [{"field": "uscc", "code": "DUPLICATE"}]


async def make_funds(gql):
    city = (await gql.ok(CREATE_FUND, {"input": {"code": "CITY", "name": "市总帮扶资金"}}))[
        "createFund"
    ]["fund"]
    huishan = (
        await gql.ok(
            CREATE_FUND, {"input": {"code": "HS", "name": "惠山帮扶资金", "districtCode": "320206"}}
        )
    )["createFund"]["fund"]
    return city, huishan


async def ledger_total(fund_pk):
    row = await LedgerEntry.filter(fund_id=fund_pk).annotate(t=Sum("amount")).first().values("t")
    return Decimal(row["t"] or 0)


async def test_contribute_and_transfer(gql):
    city, huishan = await make_funds(gql)
    given = await gql.ok(
        CONTRIBUTE, {"input": {"fundId": city["id"], "amount": "1570000", "memo": "2021 自筹"}}
    )
    assert given["contributeToFund"]["fund"]["balance"] == "1570000.00"
    moved = await gql.ok(
        TRANSFER,
        {"input": {"fromFundId": city["id"], "toFundId": huishan["id"], "amount": "3500.005"[:-1]}},
    )
    assert moved["transferBetweenFunds"]["fromFund"]["balance"] == "1566500.00"
    assert moved["transferBetweenFunds"]["toFund"]["balance"] == "3500.00"
    funds = await gql.ok("{ funds { edges { node { code balance } } } }")
    assert {f["code"]: f["balance"] for f in nodes(funds["funds"])} == {
        "CITY": "1566500.00",
        "HS": "3500.00",
    }
    assert await ledger_total(1) == Decimal("1566500.00")
    last = await LedgerEntry.filter(fund_id=1).order_by("-id").first()
    assert last.balance_after == Decimal("1566500.00")


async def test_transfer_larger_than_balance_writes_nothing(gql):
    city, huishan = await make_funds(gql)
    await gql.ok(CONTRIBUTE, {"input": {"fundId": city["id"], "amount": "100.00"}})
    refused = await gql.ok(
        TRANSFER,
        {"input": {"fromFundId": city["id"], "toFundId": huishan["id"], "amount": "100.01"}},
    )
    errors = refused["transferBetweenFunds"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [("amount", "INSUFFICIENT_FUNDS")]
    assert "100.00" in errors[0]["message"]
    assert await LedgerEntry.all().count() == 1


async def test_zero_same_fund_and_unknown_fund(gql):
    city, _ = await make_funds(gql)
    zero = await gql.ok(CONTRIBUTE, {"input": {"fundId": city["id"], "amount": "0"}})
    assert zero["contributeToFund"]["userErrors"][0]["code"] == "INVALID_AMOUNT"
    same = await gql.ok(
        TRANSFER, {"input": {"fromFundId": city["id"], "toFundId": city["id"], "amount": "1"}}
    )
    assert same["transferBetweenFunds"]["userErrors"][0]["code"] == "SAME_FUND"
    unknown = await gql.ok(CONTRIBUTE, {"input": {"fundId": "RnVuZDo5OQ==", "amount": "1"}})
    assert unknown["contributeToFund"]["userErrors"][0]["code"] == "NOT_FOUND"
    assert await LedgerEntry.all().count() == 0


@pytest.mark.parametrize(
    "bad", ["-1", "NaN", "Infinity", "1e3", "1.234", "1_000", " 1", "１２", "1,000"]
)
async def test_money_scalar_refuses_bad_forms(gql, bad):
    city, _ = await make_funds(gql)
    body = await gql(CONTRIBUTE, {"input": {"fundId": city["id"], "amount": bad}})
    assert body["errors"][0]["extensions"]["code"] == "INVALID_AMOUNT"
    assert await LedgerEntry.all().count() == 0


async def test_money_scalar_refuses_numbers_and_bad_literals(gql):
    city, _ = await make_funds(gql)
    body = await gql(CONTRIBUTE, {"input": {"fundId": city["id"], "amount": 12.5}})
    assert body["errors"][0]["extensions"]["code"] == "INVALID_AMOUNT"
    literal = await gql(
        'mutation { contributeToFund(input: {fundId: "x", amount: "1e5"}) { userErrors { code } } }'
    )
    assert literal["errors"][0]["extensions"]["code"] == "INVALID_AMOUNT"


@pytest.mark.parametrize(
    "bad", ["20240101", "2024-W01-1", "2024-02-30", "2024-1-01", "２０２４-01-01"]
)
async def test_date_scalar_refuses_bad_forms(gql, bad):
    body = await gql(
        'mutation($d: Date) { configureProgram(input: {programId: "hardship", settings: {}, validFrom: $d}) { settingsVersion } }',
        {"d": bad},
    )
    assert body["errors"][0]["extensions"]["code"] == "INVALID_DATE"
