"""What pydantic says about a program's settings, in both languages: pydantic's messages are
English, so each error type it raises for settings models gets its Chinese here."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from unionaid.core.errors import Code, DomainError, DomainErrors, Words

# pydantic error type -> Chinese, formatted with the error's ``ctx``
CHINESE = {
    "missing": "缺少此项",
    "extra_forbidden": "没有这个设置项",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "须大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "须小于 {lt}",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_places": "最多 {decimal_places} 位小数",
    "decimal_max_digits": "最多 {max_digits} 位数字",
    "finite_number": "应为有限的数字",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "dict_type": "应为对象",
    "list_type": "应为列表",
    "date_parsing": "应为日期 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期 YYYY-MM-DD",
    "date_type": "应为日期 YYYY-MM-DD",
}
GENERAL = "值无效"


def settings_errors(exc: ValidationError) -> DomainErrors:
    """One ``INVALID_SETTINGS`` per problem, its field the setting's path."""
    errors = []
    for err in exc.errors():
        path = ".".join(str(p) for p in err["loc"])
        zh, en = _reason(err)
        detail = Words(f"{path}：{zh}", f"{path}: {en}")
        errors.append(DomainError(Code.INVALID_SETTINGS, f"settings.{path}", detail=detail))
    return DomainErrors(errors)


def _reason(err: Any) -> tuple[str, str]:
    ctx = dict(err.get("ctx") or {})
    raised = ctx.get("error")
    if isinstance(raised, ValueError) and raised.args and isinstance(raised.args[0], Words):
        return raised.args[0].zh, raised.args[0].en  # a validator of ours said it in both
    if "expected" in ctx:  # "'difficult' or 'extreme'": the values are codes
        ctx["expected"] = str(ctx["expected"]).replace(" or ", ", ").replace(", ", "、")
    try:
        zh = CHINESE[err["type"]].format(**ctx)
    except (KeyError, IndexError):
        zh = GENERAL
    return zh, err["msg"]
