"""Every error code unionaid answers with, and its message in Chinese and English.

The channel rule (the same for every issue):

* What a scalar rejects (``Money``, ``Date``), authentication (the request's token),
  authorization (``FORBIDDEN``) and query limits are top-level GraphQL errors carrying
  ``extensions.code``.
* Everything a mutation validates (ID numbers, credit codes, phones, business rules, scope: an
  object you cannot see is ``NOT_FOUND``, and a failed sign-in) is a ``userErrors`` entry
  ``{field code message}`` in the mutation's payload, and nothing is written.

Messages are Chinese by default and English when the request's Accept-Language asks for it.
Codes are part of the API contract: add new ones, never rename or reuse one.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Code(StrEnum):
    # input format
    INVALID_AMOUNT = "INVALID_AMOUNT"
    INVALID_DATE = "INVALID_DATE"
    INVALID_ID_NUMBER = "INVALID_ID_NUMBER"
    INVALID_USCC = "INVALID_USCC"
    INVALID_PHONE = "INVALID_PHONE"
    INVALID_CURSOR = "INVALID_CURSOR"
    INVALID_SETTINGS = "INVALID_SETTINGS"
    INVALID_PERIOD = "INVALID_PERIOD"
    INVALID_INPUT = "INVALID_INPUT"
    REQUIRED = "REQUIRED"
    # files (import)
    EMPTY_FILE = "EMPTY_FILE"
    UNREADABLE_FILE = "UNREADABLE_FILE"
    MISSING_COLUMNS = "MISSING_COLUMNS"
    CELL_TOO_LONG = "CELL_TOO_LONG"
    FORMULA_NOT_ALLOWED = "FORMULA_NOT_ALLOWED"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    # state and business rules
    DUPLICATE = "DUPLICATE"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    INSUFFICIENT_FUNDS = "INSUFFICIENT_FUNDS"
    SAME_FUND = "SAME_FUND"
    PROGRAM_NOT_ENABLED = "PROGRAM_NOT_ENABLED"
    INVALID_STATE = "INVALID_STATE"
    SELF_APPROVAL = "SELF_APPROVAL"
    SELF_VERIFICATION = "SELF_VERIFICATION"
    NOT_APPROVED = "NOT_APPROVED"
    WRONG_FUND = "WRONG_FUND"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    UNKNOWN_PROGRAM = "UNKNOWN_PROGRAM"
    # access
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS"
    # GraphQL request itself
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    PAGE_SIZE_EXCEEDED = "PAGE_SIZE_EXCEEDED"
    QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
    TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
    TOO_MANY_DIRECTIVES = "TOO_MANY_DIRECTIVES"
    TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
    QUERY_TOO_COSTLY = "QUERY_TOO_COSTLY"
    REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"
    VARIABLES_TOO_DEEP = "VARIABLES_TOO_DEEP"
    QUERY_TIMEOUT = "QUERY_TIMEOUT"
    RATE_LIMITED = "RATE_LIMITED"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    INTERNAL_ERROR = "INTERNAL_ERROR"


# code -> (Chinese, English); ``{name}`` placeholders are filled from the error's params.
MESSAGES: dict[Code, tuple[str, str]] = {
    Code.INVALID_AMOUNT: (
        '金额格式不正确：应为不含指数、最多两位小数的非负数字字符串，如 "3500.00"',
        'Invalid amount: a non-negative decimal string with at most two decimals, e.g. "3500.00"',
    ),
    Code.INVALID_DATE: ("日期格式不正确：应为 YYYY-MM-DD", "Invalid date: use YYYY-MM-DD"),
    Code.INVALID_ID_NUMBER: (
        "居民身份证号码无效（应为18位，校验码与出生日期正确）",
        "Invalid resident ID number (18 characters, valid check digit and birth date)",
    ),
    Code.INVALID_USCC: (
        "统一社会信用代码无效（应为18位，校验码正确）",
        "Invalid Unified Social Credit Code (18 characters with a valid check character)",
    ),
    Code.INVALID_PHONE: ("手机号码无效（应为11位大陆手机号）", "Invalid mobile phone number"),
    Code.INVALID_CURSOR: ("分页游标无效", "Invalid pagination cursor"),
    Code.INVALID_SETTINGS: ("项目设置无效：{detail}", "Invalid program settings: {detail}"),
    Code.INVALID_PERIOD: (
        "期间 {period} 无效：应为 2027-03、2027-Q1、2027、2027-spring-festival 或 2027-mid-autumn",
        "Invalid period {period}: use 2027-03, 2027-Q1, 2027, 2027-spring-festival or "
        "2027-mid-autumn",
    ),
    Code.INVALID_INPUT: ("输入无效：{detail}", "Invalid input: {detail}"),
    Code.REQUIRED: ("必填项不能为空", "This field is required"),
    Code.EMPTY_FILE: ("文件没有数据行", "The file has no data rows"),
    Code.UNREADABLE_FILE: ("无法读取文件：{detail}", "Cannot read the file: {detail}"),
    Code.MISSING_COLUMNS: ("缺少必需的列：{columns}", "Required columns missing: {columns}"),
    Code.CELL_TOO_LONG: ("单元格超过 {max} 个字符", "Cell longer than {max} characters"),
    Code.FORMULA_NOT_ALLOWED: (
        "单元格不能是公式（以 = 开头）",
        "Formulas (cells starting with =) are not accepted",
    ),
    Code.FILE_TOO_LARGE: ("文件超过 {max} MB", "File larger than {max} MB"),
    Code.DUPLICATE: ("记录已存在：{detail}", "Already exists: {detail}"),
    Code.NOT_FOUND: ("未找到{what}", "{what} not found"),
    Code.CONFLICT: (
        "记录已被他人修改，请刷新后重试",
        "The record was changed by someone else; reload and try again",
    ),
    Code.INSUFFICIENT_FUNDS: (
        "资金余额不足（余额 {balance} 元）",
        "Insufficient funds (balance ¥{balance})",
    ),
    Code.SAME_FUND: ("转出与转入资金不能相同", "Source and target fund must differ"),
    Code.PROGRAM_NOT_ENABLED: (
        "该区未启用项目 {program}",
        "Program {program} is not enabled in this district",
    ),
    Code.INVALID_STATE: (
        "当前状态为 {status}，不能{action}",
        "The campaign is {status}: cannot {action}",
    ),
    Code.SELF_APPROVAL: (
        "不能审批自己经办的活动（创建、测算或添加过待遇）",
        "You cannot approve a campaign you made (created, evaluated or added an entitlement to)",
    ),
    Code.SELF_VERIFICATION: (
        "不能核实自己登记的档案，须由另一人核实",
        "You cannot verify a file you registered: someone else must",
    ),
    Code.NOT_APPROVED: (
        "该待遇在最近一次审批之后加入，须重新审批后才能支付",
        "This entitlement was added after the last approval: it is paid only once approved",
    ),
    Code.WRONG_FUND: (
        "该资金不能用于此活动（须为活动所在区或市总的资金）",
        "This fund cannot pay this campaign (use the district's own fund or a city fund)",
    ),
    Code.IDEMPOTENCY_KEY_REUSED: (
        "幂等键已用于另一请求",
        "This idempotency key was used for a different request",
    ),
    Code.UNKNOWN_PROGRAM: ("未知项目 {program}", "Unknown program {program}"),
    Code.UNAUTHENTICATED: ("未登录或凭证无效", "Not authenticated"),
    Code.FORBIDDEN: ("无权执行此操作", "You are not allowed to do this"),
    Code.INVALID_CREDENTIALS: ("用户名或密码错误", "Wrong user name or password"),
    Code.TOO_MANY_ATTEMPTS: (
        "登录失败次数过多，请 {minutes} 分钟后再试",
        "Too many failed sign-ins; try again in {minutes} minutes",
    ),
    Code.GRAPHQL_PARSE_FAILED: ("查询语法错误", "The query could not be parsed"),
    Code.GRAPHQL_VALIDATION_FAILED: ("查询无效", "The query is invalid"),
    Code.BAD_USER_INPUT: ("参数无效", "Invalid argument"),
    Code.PAGE_SIZE_EXCEEDED: ("每页最多 {max} 条", "At most {max} items per page"),
    Code.QUERY_TOO_DEEP: ("查询嵌套过深（{detail}）", "Query too deep ({detail})"),
    Code.TOO_MANY_ALIASES: ("查询别名过多（{detail}）", "Too many aliases ({detail})"),
    Code.TOO_MANY_DIRECTIVES: ("查询指令过多（{detail}）", "Too many directives ({detail})"),
    Code.TOO_MANY_TOKENS: ("查询过长", "Query has too many tokens"),
    Code.QUERY_TOO_COSTLY: (
        "查询代价过高（{detail}），请分页或减少字段",
        "Query too costly ({detail}); page or select less",
    ),
    Code.REQUEST_TOO_LARGE: ("请求体超过 {max} KB", "Request body larger than {max} KB"),
    Code.VARIABLES_TOO_DEEP: ("变量嵌套过深", "Variables nested too deeply"),
    Code.QUERY_TIMEOUT: ("查询超时（{seconds} 秒）", "Query timed out ({seconds} s)"),
    Code.RATE_LIMITED: ("请求过于频繁，请稍后再试", "Too many requests; slow down"),
    Code.SERVICE_UNAVAILABLE: ("服务暂不可用，请稍后再试", "Service unavailable, try again later"),
    Code.INTERNAL_ERROR: (
        "服务器内部错误（请求号 {request_id}）",
        "Internal server error (request id {request_id})",
    ),
}


def message(code: Code, lang: str = "zh", **params: Any) -> str:
    zh, en = MESSAGES[code]
    template = en if lang == "en" else zh
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def language(accept_language: str | None) -> str:
    """'en' when the client prefers English over Chinese, else 'zh'."""
    if not accept_language:
        return "zh"
    best, best_q = "zh", -1.0
    for part in accept_language.split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        tag = tag.strip().lower()
        lang = "en" if tag.startswith("en") else "zh" if tag.startswith("zh") else None
        if lang and weight > best_q:
            best, best_q = lang, weight
    return best


class DomainError(Exception):
    """An expected failure: becomes a ``userErrors`` entry in a mutation payload."""

    def __init__(self, code: Code, field: str | None = None, **params: Any) -> None:
        super().__init__(code.value)
        self.code = code
        self.field = field
        self.params = params


class DomainErrors(Exception):
    """Several expected failures found at once (validation reports every bad field)."""

    def __init__(self, errors: list[DomainError]) -> None:
        super().__init__(", ".join(e.code for e in errors))
        self.errors = errors


class TopLevelError(Exception):
    """A failure that must surface as a top-level GraphQL error with ``extensions.code``."""

    def __init__(self, code: Code, **params: Any) -> None:
        super().__init__(code.value)
        self.code = code
        self.params = params
