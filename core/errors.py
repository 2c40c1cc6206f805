"""Every error code unionaid answers with, and its message in Chinese and English.

The channel rule (the same for every issue):

* What a scalar rejects (``Money``, ``Date``), authentication (the request's token),
  authorization (``FORBIDDEN``) and query limits are top-level GraphQL errors carrying
  ``extensions.code``.
* Everything a mutation validates (ID numbers, credit codes, phones, business rules, scope: an
  object you cannot see is ``NOT_FOUND``, and a failed sign-in) is a ``userErrors`` entry
  ``{field code message}`` in the mutation's payload, and nothing is written.

Messages are Chinese by default and English when the request's Accept-Language asks for it,
one language per message: a parameter that is words rather than data (``what``, ``detail``,
``status``, ``action``…) is given in both languages as :class:`Words`, and each message takes
its own language's (``tests/test_languages.py`` checks every code and every call site).
Codes are part of the API contract: add new ones, never rename or reuse one.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple


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
    INVALID_DATE_RANGE = "INVALID_DATE_RANGE"
    INVALID_TEXT = "INVALID_TEXT"
    TEXT_TOO_LONG = "TEXT_TOO_LONG"
    IMPLAUSIBLE_BIRTH_DATE = "IMPLAUSIBLE_BIRTH_DATE"
    INCOME_TOO_HIGH = "INCOME_TOO_HIGH"
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
    INVALID_TRANSITION = "INVALID_TRANSITION"
    MAKER_CANNOT_CHECK = "MAKER_CANNOT_CHECK"
    SELF_APPROVAL = "SELF_APPROVAL"
    SELF_VERIFICATION = "SELF_VERIFICATION"
    NOT_APPROVED = "NOT_APPROVED"
    EVENT_PAYMENT = "EVENT_PAYMENT"
    WRONG_FUND = "WRONG_FUND"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    UNKNOWN_PROGRAM = "UNKNOWN_PROGRAM"
    NOT_ELIGIBLE = "NOT_ELIGIBLE"
    # the data key (a process refusing to start, or a write during a key rotation)
    DATA_KEY_MISMATCH = "DATA_KEY_MISMATCH"
    DATA_KEY_MISSING = "DATA_KEY_MISSING"
    KEY_ROTATION_UNFINISHED = "KEY_ROTATION_UNFINISHED"
    KEY_ROTATION_IN_PROGRESS = "KEY_ROTATION_IN_PROGRESS"
    DATABASE_NOT_MIGRATED = "DATABASE_NOT_MIGRATED"
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
    DOCUMENT_TOO_LARGE = "DOCUMENT_TOO_LARGE"
    REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"
    VARIABLES_TOO_DEEP = "VARIABLES_TOO_DEEP"
    QUERY_TIMEOUT = "QUERY_TIMEOUT"
    RATE_LIMITED = "RATE_LIMITED"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    INTERNAL_ERROR = "INTERNAL_ERROR"


# code -> (Chinese, English); ``{name}`` placeholders are filled from the error's params.
MESSAGES: dict[Code, tuple[str, str]] = {
    Code.DATA_KEY_MISMATCH: (
        "数据密钥与数据库不符：该数据库的身份证号由另一把密钥加密，{where} 中的密钥不是它的。"
        "为免重复登记和无法解密，本进程拒绝启动，未写入任何数据",
        "The data key does not match the database: its ID numbers were encrypted with another "
        "key than the one in {where}. To avoid duplicate members and unreadable ID numbers this "
        "process refuses to start; nothing was written",
    ),
    Code.DATA_KEY_MISSING: (
        "此数据库已有数据密钥，但 {where} 中没有：请把该数据库的密钥放在那里，"
        "或设置 UNIONAID_DATA_KEY。未写入任何数据",
        "This database has a data key, but {where} holds none: put the database's key there or "
        "set UNIONAID_DATA_KEY. Nothing was written",
    ),
    Code.KEY_ROTATION_UNFINISHED: (
        "数据密钥轮换尚未完成：进程需同时持有旧密钥和新密钥（UNIONAID_NEW_DATA_KEY），"
        "或先运行 unionaid keys rotate 完成轮换",
        "A data-key rotation is unfinished: a process needs both the old key and the new one "
        "(UNIONAID_NEW_DATA_KEY), or finish the rotation with unionaid keys rotate",
    ),
    Code.KEY_ROTATION_IN_PROGRESS: (
        "正在轮换数据密钥（或本进程的密钥已被替换）：轮换完成并以新密钥重启后才能登记或导入会员",
        "A data-key rotation is in progress (or this process's key was replaced): members can "
        "be registered or imported once it is finished and processes run with the new key",
    ),
    Code.DATABASE_NOT_MIGRATED: (
        "数据库尚未迁移到当前版本：请先运行 unionaid migrate",
        "The database is not migrated to this version: run unionaid migrate first",
    ),
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
        "期间 {period} 无效：应为{accepted}",
        "Invalid period {period}: use {accepted}",
    ),
    Code.INVALID_INPUT: ("输入无效：{detail}", "Invalid input: {detail}"),
    Code.INVALID_DATE_RANGE: (
        "起始日期 {since} 晚于截止日期 {until}",
        "The start date {since} is after the end date {until}",
    ),
    Code.INVALID_TEXT: ("文本含有不允许的字符：{kind}", "The text contains a forbidden {kind}"),
    Code.TEXT_TOO_LONG: ("不能超过 {max} 个字符", "At most {max} characters"),
    Code.IMPLAUSIBLE_BIRTH_DATE: (
        "出生日期 {date} 不合理：应在 {floor} 至 {today} 之间",
        "Implausible birth date {date}: it must be between {floor} and {today}",
    ),
    Code.INCOME_TOO_HIGH: (
        "月收入 {amount} 元超过上限 {max} 元",
        "Monthly income ¥{amount} is above the limit of ¥{max}",
    ),
    Code.REQUIRED: ("必填项不能为空", "This field is required"),
    Code.EMPTY_FILE: ("文件没有数据行", "The file has no data rows"),
    Code.UNREADABLE_FILE: ("无法读取文件：{detail}", "Cannot read the file: {detail}"),
    Code.MISSING_COLUMNS: ("缺少必需的列：{columns}", "Required columns missing: {columns}"),
    Code.CELL_TOO_LONG: ("单元格超过 {max} 个字符", "Cell longer than {max} characters"),
    Code.FORMULA_NOT_ALLOWED: (
        "不能以 = 开头（电子表格会当作公式执行）",
        "Text starting with = is not accepted (a spreadsheet would run it as a formula)",
    ),
    Code.FILE_TOO_LARGE: ("文件超过 {max} MB", "File larger than {max} MB"),
    Code.DUPLICATE: ("记录已存在：{detail}", "Already exists: {detail}"),
    Code.NOT_FOUND: ("未找到{what}", "Not found: {what}"),
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
        "当前状态为{status}，不能{action}",
        "The status is {status}: cannot {action}",
    ),
    Code.INVALID_TRANSITION: (
        "当前状态为{status}，不能{action}",
        "The record is {status}: cannot {action} it",
    ),
    Code.MAKER_CANNOT_CHECK: (
        "您已办理过此记录的前面步骤，此步须由另一人办理",
        "You took an earlier step on this record: someone else must take this one",
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
    Code.EVENT_PAYMENT: (
        "这是一笔事件支付，只能在其记录上审批和办理",
        "This is an event payment: it is approved and handled on its own record only",
    ),
    Code.NOT_ELIGIBLE: ("该会员不符合规则 {rule} 的条件", "The member does not meet rule {rule}"),
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
    Code.DOCUMENT_TOO_LARGE: (
        "查询文档超过 {max} 字节（注释和空白也计入）",
        "Query document larger than {max} bytes (comments and whitespace count)",
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


_CODE_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*")


def placeholders(template: str) -> frozenset[str]:
    return frozenset(f for _, f, _, _ in string.Formatter().parse(template) if f)


@dataclass(frozen=True)
class ErrorCode:
    """A program's own error code (``register_error_codes``): a stable UPPER_SNAKE name and
    its message templates, ``{param}`` placeholders as in :data:`MESSAGES`. Raise it like a
    core code: ``DomainError(CLAIM_TOO_LATE, "admittedOn", days=Words(...))``."""

    name: str
    zh: str
    en: str

    def __post_init__(self) -> None:
        if not _CODE_NAME.fullmatch(self.name):
            raise ValueError(f"error code {self.name!r}: UPPER_SNAKE letters and digits")
        if not self.zh or not self.en:
            raise ValueError(f"error code {self.name}: a Chinese and an English message")
        if placeholders(self.zh) != placeholders(self.en):
            raise ValueError(f"error code {self.name}: zh and en take different parameters")

    @property
    def value(self) -> str:  # what ``Code`` members answer too: the code as the API spells it
        return self.name

    def __str__(self) -> str:
        return self.name


AnyCode = Code | ErrorCode


class Words(NamedTuple):
    """A message parameter that is words rather than data (data: a name, a code, an amount),
    given in both languages; each message takes its own (``Words("会员", "member")``)."""

    zh: str
    en: str

    def say(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def __str__(self) -> str:  # where no language is chosen (logs, exceptions): English
        return self.en


def one_of(values: list[str]) -> Words:
    """Words for a value that must be one of ``values`` (codes, quoted in both languages)."""
    quoted = [f"'{v}'" for v in values]
    return Words(f"应为以下之一：{'、'.join(quoted)}", f"expected one of {', '.join(quoted)}")


def reason_of(exc: BaseException) -> Words:
    """Why a parser refused a value, in both languages: what it raised ``ValueError(Words(…))``
    with, or (a bare exception's text is English) a general reason in Chinese."""
    said = exc.args[0] if exc.args else None
    if isinstance(said, Words):
        return said
    return Words("格式不正确", str(exc) or "malformed")


def message(code: AnyCode, lang: str = "zh", **params: Any) -> str:
    zh, en = (code.zh, code.en) if isinstance(code, ErrorCode) else MESSAGES[code]
    template = en if lang == "en" else zh
    said = {k: v.say(lang) if isinstance(v, Words) else v for k, v in params.items()}
    try:
        return template.format(**said)
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

    def __init__(self, code: AnyCode, field: str | None = None, **params: Any) -> None:
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

    def __init__(self, code: AnyCode, **params: Any) -> None:
        super().__init__(code.value)
        self.code = code
        self.params = params
