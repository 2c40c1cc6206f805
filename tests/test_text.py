"""Names and text are clean (issue 18): one check for every way in, with one code per problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLNonNull,
    GraphQLScalarType,
    build_schema,
)

from tests.factories import id_number, uscc
from unionaid.core.errors import Code, DomainError, message
from unionaid.core.models import AuditEntry, Dependent, Enterprise, Fund, LedgerEntry, Member
from unionaid.core.services.validation import TextKind, clean_text
from unionaid.plugins.hardship.models import Visit

NAME = {"max_length": 50, "kind": TextKind.NAME, "required": True}


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("张\x00伟", "控制字符", "control character"),
        ("张\x07伟", "控制字符", "control character"),
        ("张\n伟", "换行符", "line break"),
        ("张\r伟", "换行符", "line break"),
        ("张\u2028伟", "换行符", "line break"),
        ("张\u202e伟", "双向文本控制符", "bidirectional override"),
        ("张\u2066伟", "双向文本控制符", "bidirectional override"),
        ("张\u200b伟", "零宽字符", "zero-width character"),
        ("张\u200d伟", "零宽字符", "zero-width character"),
        ("张\ufeff伟", "字节顺序标记", "byte order mark"),
        ("张\ud800伟", "孤立代理码位", "lone surrogate"),
    ],
)
def test_each_class_of_forbidden_character_is_named_in_either_language(text, zh, en):
    with pytest.raises(DomainError) as caught:
        clean_text(text, "name", **NAME)
    err = caught.value
    assert (err.code, err.field) == (Code.INVALID_TEXT, "name")
    assert message(err.code, "zh", **err.params) == f"文本含有不允许的字符：{zh}"
    assert message(err.code, "en", **err.params) == f"The text contains a forbidden {en}"


def test_a_note_may_break_lines_and_a_name_may_not():
    assert clean_text("第一行\n第二行\t完", "reason", max_length=200, kind=TextKind.NOTE) == (
        "第一行\n第二行\t完"
    )
    with pytest.raises(DomainError):
        clean_text("第一行\n第二行", "memo", max_length=200)
    with pytest.raises(DomainError):
        clean_text("理由\x00", "reason", max_length=200, kind=TextKind.NOTE)


@pytest.mark.parametrize("dot", ["\u2022", "\u30fb", "\uff65", "\u2027", "\u00b7"])
def test_names_are_nfc_with_the_middle_dot_of_minority_names(dot):
    assert clean_text(f" 阿卜杜拉{dot}艾尼 ", "name", **NAME) == "阿卜杜拉\u00b7艾尼"
    decomposed = "Jose\u0301"  # e + combining acute accent
    assert clean_text(decomposed, "name", **NAME) == "Jos\u00e9"
    # Only names unify dots: a memo keeps what was typed.
    assert clean_text(f"a{dot}b", "memo", max_length=10) == f"a{dot}b"


def test_length_formula_and_required():
    assert clean_text("张" * 50, "name", **NAME) == "张" * 50
    with pytest.raises(DomainError) as caught:
        clean_text("张" * 51, "name", **NAME)
    assert (caught.value.code, caught.value.params) == (Code.TEXT_TOO_LONG, {"max": 50})
    with pytest.raises(DomainError) as caught:
        clean_text('=HYPERLINK("http://evil","点我")', "name", **NAME)
    assert caught.value.code == Code.FORMULA_NOT_ALLOWED
    with pytest.raises(DomainError) as caught:
        clean_text("  ", "name", **NAME)
    assert caught.value.code == Code.REQUIRED


CREATE = """mutation($i: CreateMemberInput!) {
  createMember(input: $i) { member { id name } userErrors { field code message } } }"""


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("张\x00伟", "INVALID_TEXT"),  # PostgreSQL refuses a NUL: it must never get there
        ("张" * 51, "TEXT_TOO_LONG"),  # varchar(50): today INTERNAL_ERROR on PostgreSQL
        ("张\u202e伟", "INVALID_TEXT"),
        ('=HYPERLINK("http://evil","点我")', "FORMULA_NOT_ALLOWED"),
    ],
)
async def test_create_member_refuses_bad_names_as_user_errors(login_as, name, code):
    gql = await login_as("city_admin")
    body = await gql.ok(
        CREATE, {"i": {"name": name, "idNumber": id_number(), "districtCode": "320206"}}
    )
    result = body["createMember"]
    assert result["member"] is None
    assert [(e["field"], e["code"]) for e in result["userErrors"]] == [("name", code)]
    assert await Member.all().count() == 0


async def test_create_member_stores_the_clean_name(gql):
    body = await gql.ok(
        CREATE, {"i": {"name": "阿卜杜拉・艾尼", "idNumber": id_number(), "districtCode": "320206"}}
    )
    assert body["createMember"]["member"]["name"] == "阿卜杜拉·艾尼"
    assert await Member.get().values_list("name", flat=True) == "阿卜杜拉·艾尼"


async def test_the_message_names_the_class_in_the_requests_language(gql):
    variables = {"i": {"name": "张\u200b伟", "idNumber": id_number(), "districtCode": "320206"}}
    zh = (await gql(CREATE, variables))["data"]["createMember"]["userErrors"][0]["message"]
    en = (await gql(CREATE, variables, **{"Accept-Language": "en"}))["data"]["createMember"]
    assert zh == "文本含有不允许的字符：零宽字符"
    assert en["userErrors"][0]["message"] == "The text contains a forbidden zero-width character"


# -- every mutation -----------------------------------------------------------------------------


def _filler(type_, schema) -> object:
    """A well-formed value of an input type (what the mutation does with it does not matter)."""
    if isinstance(type_, GraphQLNonNull):
        return _filler(type_.of_type, schema)
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        return {
            name: _filler(field.type, schema)
            for name, field in type_.fields.items()
            if isinstance(field.type, GraphQLNonNull)
        }
    if hasattr(type_, "of_type"):  # a list
        return [_filler(type_.of_type, schema)]
    assert isinstance(type_, GraphQLScalarType)
    return {
        "String": "a",
        "ID": "TWVtYmVyOjE=",
        "Int": 1,
        "Boolean": True,
        "Money": "1.00",
        "Date": "2027-01-01",
        "JSON": {},
    }[type_.name]


def _text_fields(type_, path=()):
    """Paths of every String field of an input type, nested inputs included."""
    while isinstance(type_, GraphQLNonNull) or (
        hasattr(type_, "of_type") and not isinstance(type_, GraphQLInputObjectType)
    ):
        type_ = type_.of_type
    if isinstance(type_, GraphQLInputObjectType):
        for name, field in type_.fields.items():
            yield from _text_fields(field.type, (*path, name))
    elif isinstance(type_, GraphQLScalarType) and type_.name == "String":
        yield path


SDL = build_schema((Path(__file__).parent.parent / "schema" / "schema.graphql").read_text())


def _cases():
    schema = SDL
    for name, field in schema.mutation_type.fields.items():
        if "input" not in field.args:
            continue
        for path in _text_fields(field.args["input"].type):
            yield name, path


def _set(value: dict, path: tuple[str, ...], text: str) -> None:
    for key in path[:-1]:
        value = value.setdefault(key, {})
    current = value.get(path[-1])
    value[path[-1]] = [text] if isinstance(current, list) else text


@pytest.mark.parametrize(("mutation", "path"), list(_cases()))
async def test_no_mutation_lets_a_nul_or_a_bidi_override_through(gql, app, mutation, path):
    schema = SDL
    field = schema.mutation_type.fields[mutation]
    input_type = field.args["input"].type
    audited = await AuditEntry.all().count()
    for bad in ("a\x00b", "a\u202eb"):
        value = _filler(input_type, schema)
        _set(value, path, bad)
        query = f"mutation($i: {input_type}) {{ {mutation}(input: $i) {{ userErrors {{ field code }} }} }}"
        body = await gql(query, {"i": value})
        assert "errors" not in body, body
        assert body["data"][mutation]["userErrors"] == [
            {"field": path[-1], "code": "INVALID_TEXT"}
        ], (mutation, path, bad)
    assert await AuditEntry.all().count() == audited  # nothing was done


# -- every free-text field against its column -----------------------------------------------------

SCENARIO = """
mutation($m: CreateMemberInput!) {
  enableProgram(input: {programId: "hardship", districtCode: "320206"}) { userErrors { code } }
  createMember(input: $m) { member { id } userErrors { code } }
  a: createFund(input: {code: "F-A", name: "甲", districtCode: "320206"}) { fund { id } }
  b: createFund(input: {code: "F-B", name: "乙", districtCode: "320206"}) { fund { id } }
}"""


def _too_long(model, field: str) -> tuple[str, int]:
    limit = model._meta.fields_map[field].max_length
    return "字" * (limit + 1), limit


# (mutation, input type, field, model and column whose max_length bounds it, other input)
FIELDS = [
    ("createMember", "CreateMemberInput", "name", Member, "name", "new_member"),
    ("updateMember", "UpdateMemberInput", "name", Member, "name", "member_version"),
    ("addDependent", "AddDependentInput", "name", Dependent, "name", "dependent"),
    ("addDependent", "AddDependentInput", "school", Dependent, "school", "dependent"),
    ("createEnterprise", "CreateEnterpriseInput", "name", Enterprise, "name", "enterprise"),
    (
        "createEnterprise",
        "CreateEnterpriseInput",
        "contactName",
        Enterprise,
        "contact_name",
        "enterprise",
    ),
    ("createFund", "CreateFundInput", "code", Fund, "code", "fund"),
    ("createFund", "CreateFundInput", "name", Fund, "name", "fund"),
    ("createFund", "CreateFundInput", "purpose", Fund, "purpose", "fund"),
    ("contributeToFund", "ContributeToFundInput", "memo", LedgerEntry, "memo", "contribution"),
    (
        "contributeToFund",
        "ContributeToFundInput",
        "reference",
        LedgerEntry,
        "reference",
        "contribution",
    ),
    ("transferBetweenFunds", "TransferBetweenFundsInput", "memo", LedgerEntry, "memo", "transfer"),
    ("createCampaign", "CreateCampaignInput", "name", "core.Campaign", "name", "campaign"),
    ("approveCampaign", "CampaignInput", "reason", AuditEntry, "purpose", "campaign_id"),
    ("rejectCampaign", "CampaignInput", "reason", AuditEntry, "purpose", "campaign_id"),
    ("cancelCampaign", "CampaignInput", "reason", AuditEntry, "purpose", "campaign_id"),
    ("reverseEntitlement", "ReverseEntitlementInput", "reason", AuditEntry, "purpose", "reversal"),
    ("exportPersonalData", "PersonalDataInput", "reason", AuditEntry, "purpose", "member_id"),
    ("anonymiseMember", "PersonalDataInput", "reason", AuditEntry, "purpose", "member_id"),
    ("recordVisit", "RecordVisitInput", "visiteeName", Visit, "visitee_name", "visit"),
    ("recordVisit", "RecordVisitInput", "visitedBy", Visit, "visited_by", "visit"),
    ("recordVisit", "RecordVisitInput", "workplace", Visit, "workplace", "visit"),
    ("recordVisit", "RecordVisitInput", "gifts", Visit, "gifts", "visit"),
    (
        "closeHardshipFile",
        "CloseHardshipFileInput",
        "reason",
        "hardship.HardshipProfile",
        "close_reason",
        "member_id",
    ),
]


def _model(ref):
    if not isinstance(ref, str):
        return ref
    from tortoise import Tortoise

    app, name = ref.split(".")
    return Tortoise.apps[app][name]


@pytest.mark.parametrize(("mutation", "input_type", "field", "model", "column", "base"), FIELDS)
async def test_a_text_over_its_columns_length_is_a_user_error(
    gql, mutation, input_type, field, model, column, base
):
    made = await gql.ok(
        SCENARIO, {"m": {"name": "张伟", "idNumber": id_number(), "districtCode": "320206"}}
    )
    member = made["createMember"]["member"]["id"]
    fund_a, fund_b = made["a"]["fund"]["id"], made["b"]["fund"]["id"]
    inputs = {
        "new_member": {"name": "a", "idNumber": id_number(), "districtCode": "320206"},
        "member_version": {"id": member, "version": 1},
        "dependent": {"memberId": member, "name": "小明", "relation": "CHILD"},
        "enterprise": {"name": "无锡某厂", "uscc": uscc(), "districtCode": "320206"},
        "fund": {"code": "F-C", "name": "丙", "districtCode": "320206"},
        "contribution": {"fundId": fund_a, "amount": "10.00"},
        "transfer": {"fromFundId": fund_a, "toFundId": fund_b, "amount": "1.00"},
        "campaign": {
            "name": "春节",
            "programId": "hardship",
            "ruleCode": "spring_festival",
            "period": "2027-spring-festival",
            "districtCodes": ["320206"],
            "fundId": fund_a,
        },
        "campaign_id": {"campaignId": "Q2FtcGFpZ246OTk5"},  # Campaign:999
        "reversal": {"entitlementId": "RW50aXRsZW1lbnQ6OTk5", "idempotencyKey": "k", "reason": "r"},
        "member_id": {"memberId": member, "reason": "r"},
        "visit": {
            "districtCode": "320206",
            "visiteeName": "王五",
            "visiteeKind": "FRONTLINE",
            "visitedBy": "李主席",
            "visitedOn": "2026-01-01",
            "occasion": "OTHER",
        },
    }
    text, limit = _too_long(_model(model), column)
    value = inputs[base] | {field: text}
    query = f"""mutation($i: {input_type}!) {{ {mutation}(input: $i) {{
        userErrors {{ field code message }} }} }}"""
    body = await gql(query, {"i": value}, **{"Accept-Language": "en"})
    assert "errors" not in body, body
    assert body["data"][mutation]["userErrors"] == [
        {"field": field, "code": "TEXT_TOO_LONG", "message": f"At most {limit} characters"}
    ]


@pytest.mark.parametrize(("mutation", "path"), list(_cases()))
async def test_no_mutation_fails_on_a_long_text(gql, mutation, path):
    """Any text field, however long, is a coded answer, never INTERNAL_ERROR."""
    input_type = SDL.mutation_type.fields[mutation].args["input"].type
    value = _filler(input_type, SDL)
    _set(value, path, "字" * 1000)
    query = f"mutation($i: {input_type}) {{ {mutation}(input: $i) {{ userErrors {{ code }} }} }}"
    body = await gql(query, {"i": value})
    assert "errors" not in body, (mutation, path, body)
    assert body["data"][mutation]["userErrors"], (mutation, path)


async def test_a_plugin_cleans_its_names_with_the_cores_check(gql):
    """hardship records visits through ``unionaid.core.clean_text``: names come out as the core's."""
    await gql.ok(
        'mutation { enableProgram(input: {programId: "hardship", districtCode: "320206"}) '
        "{ userErrors { code } } }"
    )
    visit = {
        "districtCode": "320206",
        "visiteeName": " 阿卜杜拉\u30fb艾尼 ",
        "visiteeKind": "FRONTLINE",
        "visitedBy": "李主席",
        "visitedOn": "2026-01-01",
        "occasion": "OTHER",
        "gifts": "米\u3001油",
    }
    body = await gql.ok(
        "mutation($i: RecordVisitInput!) { recordVisit(input: $i) { userErrors { code } } }",
        {"i": visit},
    )
    assert body["recordVisit"]["userErrors"] == []
    assert await Visit.all().values_list("visitee_name", "gifts") == [("阿卜杜拉·艾尼", "米、油")]


async def test_a_query_never_hands_the_database_a_nul(gql):
    # PostgreSQL refuses a NUL in text: the search used to end in INTERNAL_ERROR there.
    by_variable = await gql(
        "query($s: String) { members(first: 5, search: $s) { totalCount } }", {"s": "张\x00"}
    )
    by_literal = await gql('{ members(first: 5, search: "张\\u0000") { totalCount } }')
    for body in (by_variable, by_literal):
        assert body["data"] is None
        assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID_TEXT"]
        assert body["errors"][0]["message"] == "文本含有不允许的字符：控制字符"
    fine = await gql.ok(
        "query($s: String) { members(first: 5, search: $s) { totalCount } }", {"s": "张"}
    )
    assert fine["members"]["totalCount"] == 0
