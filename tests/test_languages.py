"""Issue 15.13: one language per message. English may carry Chinese only in data put into it
(names), Chinese may carry Latin letters only in codes, ids, formats and units. Checked for
every error code's messages with their parameters filled in, every built-in rule's conditions,
every two-language text the code base writes (``Words(zh, en)``), and every call site that
hands an error a parameter that is words (it must give both languages)."""

from __future__ import annotations

import ast
import datetime as dt
import re
import string
from pathlib import Path

import pytest

from tests.factories import id_number
from tests.rule_kit import MEMBERS, ON, facts_of, rules, settings_variants
from unionaid.core.errors import MESSAGES, Code, ErrorCode, Words, message
from unionaid.core.host import PluginHost
from unionaid.core.models import CampaignStatus, EntitlementStatus
from unionaid.core.services.states import ACTIONS, STATUSES, invalid_state

ROOT = Path(__file__).parent.parent
SOURCES = [ROOT / "core", ROOT / "plugins", ROOT / "tests" / "sample_plugin"]

CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
LATIN = re.compile(r"[A-Za-z]")
# What Chinese text may spell in Latin letters: codes, ids, formats, units.
CODES_IDS_UNITS = re.compile(
    r"""
      \d{4}(?:-[A-Za-z0-9]+)+          # periods: 2027-Q1, 2027-spring-festival, 2027-spring-term
    | YYYY-MM-DD
    | --[a-z][a-z-]*                   # command-line options
    | \bunionaid(?:\ [a-z][a-z-]*)+     # commands: unionaid keys rotate
    | \b[A-Z][A-Z0-9_]+\b(?:-\d+)?     # codes and formats: INVALID_PERIOD, XLSX, UTF-8
    | \b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b  # keys: spring_festival_amount
    | \b\d+(?:m|h|d|s)\b               # durations: 90m, 12h, 30d
    | \b(?:KB|MB)\b
    | \b(?:true|false)\b               # spellings a user types
    | '[a-z0-9_]+'                     # a quoted value: 'extreme'
    """,
    re.VERBOSE,
)
# Parameters that are data (amounts, codes, ids, counts), the same in both languages; every
# other parameter (``what``, ``detail``, ``status``, ``action``…) is words, given in both.
DATA_PARAMS = {
    "period",
    "program",
    "balance",
    "max",
    "minutes",
    "seconds",
    "request_id",
    "columns",
    "since",
    "until",
    "where",
    "date",
    "floor",
    "today",
    "amount",
}
DATA = "〔数据data〕"  # stands for interpolated data (names, ids): removed before checking


def english_problem(text: str) -> str | None:
    left = text.replace(DATA, "")
    return f"Chinese in English: {text!r}" if CHINESE.search(left) else None


def chinese_problem(text: str) -> str | None:
    left = CODES_IDS_UNITS.sub("", text.replace(DATA, ""))
    return f"Latin letters in Chinese: {text!r}" if LATIN.search(left) else None


def problems(zh: str, en: str) -> list[str]:
    return [p for p in (chinese_problem(zh), english_problem(en)) if p]


def _filled(code: Code | ErrorCode) -> dict[str, object]:
    templates = (code.zh, code.en) if isinstance(code, ErrorCode) else MESSAGES[code]
    names = {
        field
        for template in templates
        for _, field, _, _ in string.Formatter().parse(template)
        if field
    }
    return {n: DATA if n in DATA_PARAMS else Words("某项", "something") for n in names}


@pytest.mark.parametrize("code", list(Code))
def test_every_code_speaks_one_language_per_message(code):
    assert code in MESSAGES
    params = _filled(code)
    zh, en = message(code, "zh", **params), message(code, "en", **params)
    assert "{" not in zh + en, (zh, en)  # every parameter filled
    assert problems(zh, en) == []


def test_the_checks_catch_mixed_messages():
    """The issue's examples fail the checks above."""
    assert chinese_problem("记录已存在：hardship file")
    assert chinese_problem("当前状态为 evaluated，不能pay")
    assert english_problem("hardship level extreme (季度补贴 needs extreme)")
    assert not chinese_problem("期间 2027-spring-festival 无效，INVALID_PERIOD，最多 5 MB")
    assert not english_problem(f"Not found: {DATA}")


def test_every_status_and_operation_is_said_in_both_languages():
    for status in [*CampaignStatus, *EntitlementStatus]:
        assert status.value in STATUSES, status
        err = invalid_state("campaignId", status, "pay")
        zh, en = (message(err.code, lang, **err.params) for lang in ("zh", "en"))
        assert problems(zh, en) == [], (zh, en)
    err = invalid_state("campaignId", CampaignStatus.EVALUATED, "pay")
    assert message(err.code, "zh", **err.params) == "当前状态为已评估，不能发放"
    assert message(err.code, "en", **err.params) == "The status is evaluated: cannot pay"


def test_every_operation_refused_by_state_is_said_in_both_languages():
    """The operations campaigns.py checks a status for (``checked(…, "pay")``) all have words."""
    tree = ast.parse((ROOT / "core" / "services" / "campaigns.py").read_text(encoding="utf-8"))
    named = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node) in ("checked", "_require_state"):
            for arg in node.args[-1:]:
                for leaf in ast.walk(arg):
                    if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str):
                        named.add(leaf.value)
    assert {"evaluate", "approve", "reject", "pay", "cancel", "close"} <= named
    assert named - set(ACTIONS) == set()


@pytest.fixture
def every_program(sample_installed) -> PluginHost:
    return PluginHost.load()


def test_every_programs_code_speaks_one_language_per_message(every_program):
    """Programs' own codes (``register_error_codes``), like the core's."""
    codes = every_program.error_codes()
    assert "SAMPLE_QUOTA_EXCEEDED" in codes
    for code in codes.values():
        params = _filled(code)
        zh, en = message(code, "zh", **params), message(code, "en", **params)
        assert "{" not in zh + en, (zh, en)
        assert problems(zh, en) == [], code.name
    mixed = ErrorCode("MIXED", "名额已满 quota", "full")
    assert problems(message(mixed, "zh"), message(mixed, "en"))


def test_every_rule_explains_itself_in_one_language_per_text(every_program):
    said = 0
    for program, rule, model in rules(every_program):
        for settings in settings_variants(model):
            for member in MEMBERS:
                for condition in rule.evaluate(facts_of(member), settings, ON).conditions:
                    where = (program, rule.code, member)
                    assert problems(condition.zh, condition.en) == [], where
                    python = re.compile(r"\b(?:True|False|None)\b")  # Python's words, not ours
                    assert not python.search(condition.zh + condition.en), (condition, where)
                    said += 1
    assert said > 100


def _text(node: ast.expr) -> str | None:
    """A string literal's text, interpolations standing as data; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else DATA for v in node.values)
    return None


def _calls() -> list[tuple[str, ast.Call]]:
    found = []
    for folder in SOURCES:
        for path in sorted(folder.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call):
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return found


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def test_every_two_language_text_in_the_code_is_one_language_each():
    checked = 0
    for where, call in _calls():
        if _name(call) in ("Words", "Condition") and len(call.args) >= 2:
            zh, en = _text(call.args[-2]), _text(call.args[-1])
            if zh is not None and en is not None:
                assert problems(zh, en) == [], where
                checked += 1
    assert checked > 50


# Functions that make a parameter's words in both languages.
TWO_LANGUAGES = {"Words", "status_words", "action_words", "reason_of", "one_of"}


def test_error_parameters_that_are_words_come_in_both_languages():
    """Where an error gets a parameter that is words (``what``, ``detail``…), it is
    ``Words(zh, en)`` (or made by a function that returns them), or a plain value that is data
    — a code, a name — never a text in one language (a literal, an f-string, ``str(exc)``)."""
    wrong = []
    for where, call in _calls():
        is_error = _name(call) in ("DomainError", "TopLevelError") or any(
            isinstance(a, ast.Attribute) and isinstance(a.value, ast.Name) and a.value.id == "Code"
            for a in call.args
        )  # a program's code is a name (``DomainError(QUOTA_EXCEEDED, ...)``), not ``Code.X``
        if is_error:
            for keyword in call.keywords:
                value = keyword.value
                if keyword.arg not in DATA_PARAMS | {"field"} and not (
                    isinstance(value, (ast.Name, ast.Attribute))
                    or (isinstance(value, ast.Call) and _name(value) in TWO_LANGUAGES)
                ):
                    wrong.append(f"{where}: {keyword.arg}={ast.unparse(value)}")
        elif _name(call) in ("require", "require_visible"):  # policy: ``what`` by position
            for arg in call.args:
                text = _text(arg)
                if text is not None and CHINESE.search(text):
                    wrong.append(f"{where}: {ast.unparse(arg)}")
    assert wrong == []


async def _both(client, query: str, variables: dict) -> tuple[list[dict], list[dict]]:
    """A mutation's userErrors asked in Chinese and in English (it fails the same both times)."""
    answers = []
    for lang in ("zh-CN", "en"):
        body = await client(query, variables, **{"Accept-Language": lang})
        assert "errors" not in body, body
        (payload,) = body["data"].values()
        answers.append(payload["userErrors"])
    return answers[0], answers[1]


CONFIGURE = """mutation($s: JSON!) { configureProgram(input: {programId: "hardship",
  districtCode: "320206", settings: $s}) { userErrors { field code message } } }"""


async def test_settings_that_do_not_validate_are_refused_in_both_languages(gql):
    zh, en = await _both(
        gql,
        CONFIGURE,
        {
            "s": {
                "spring_festival_amount": "-1",
                "quarterly_subsidy_multiplier": "abc",
                "spring_festival_levels": ["poor"],
                "price_subsidy_includes_difficult": "maybe",
                "no_such_setting": 1,
            }
        },
    )
    assert [e["field"] for e in zh] == [e["field"] for e in en]
    assert len(zh) == 5 and {e["code"] for e in zh} == {"INVALID_SETTINGS"}
    for chinese, english in zip(zh, en, strict=True):
        assert problems(chinese["message"], english["message"]) == [], (chinese, english)
    said = {e["field"]: e["message"] for e in zh}
    assert said["settings.spring_festival_amount"] == (
        "项目设置无效：spring_festival_amount：应为不小于 0 的金额"
    )
    assert said["settings.no_such_setting"] == "项目设置无效：no_such_setting：没有这个设置项"


async def test_the_issues_mixed_messages_are_one_language_now(gql):
    """记录已存在：hardship file / 当前状态为 evaluated，不能pay — through the API."""
    await gql.ok(
        'mutation { enableProgram(input: {programId: "hardship", districtCode: "320206"})'
        " { userErrors { code } } }"
    )
    member = await gql.ok(
        "mutation($i: CreateMemberInput!) { createMember(input: $i) { member { id } } }",
        {
            "i": {
                "name": "特困甲",
                "idNumber": id_number(dt.date(1970, 1, 1)),
                "districtCode": "320206",
            }
        },
    )
    register = """mutation($m: ID!) { registerHardshipFile(input: {memberId: $m, level: EXTREME,
      reasons: [LOW_INCOME]}) { userErrors { field code message } } }"""
    variables = {"m": member["createMember"]["member"]["id"]}
    await gql.ok(register, variables)
    zh, en = await _both(gql, register, variables)
    assert (zh[0]["message"], en[0]["message"]) == (
        "记录已存在：困难职工档案",
        "Already exists: hardship file",
    )

    fund = await gql.ok(
        'mutation { createFund(input: {code: "HS", name: "惠山", districtCode: "320206"})'
        " { fund { id } } }"
    )
    made = await gql.ok(
        """mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { campaign { id } } }""",
        {
            "i": {
                "name": "春节",
                "programId": "hardship",
                "ruleCode": "spring_festival",
                "period": "2027-spring-festival",
                "districtCodes": ["320206"],
                "fundId": fund["createFund"]["fund"]["id"],
            }
        },
    )
    pay = """mutation($c: ID!) { payCampaign(input: {campaignId: $c}) {
      userErrors { code message } } }"""
    zh, en = await _both(gql, pay, {"c": made["createCampaign"]["campaign"]["id"]})
    assert (zh[0]["code"], zh[0]["message"], en[0]["message"]) == (
        "INVALID_STATE",
        "当前状态为草稿，不能发放",
        "The status is draft: cannot pay",
    )
