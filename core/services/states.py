"""Campaign and entitlement statuses and the operations on them, in words of both languages:
what an ``INVALID_STATE`` error says ("当前状态为已审批，不能评估")."""

from __future__ import annotations

from enum import Enum

from unionaid.core.errors import Code, DomainError, Words

STATUSES: dict[str, Words] = {
    # campaigns
    "draft": Words("草稿", "draft"),
    "evaluated": Words("已评估", "evaluated"),
    "approved": Words("已审批", "approved"),
    "partly_paid": Words("部分发放", "partly paid"),
    "paid": Words("已发放", "paid"),
    "closed": Words("已关闭", "closed"),
    "cancelled": Words("已取消", "cancelled"),
    "rejected": Words("已驳回", "rejected"),
    # entitlements (paid and cancelled as above)
    "entitled": Words("待发放", "entitled"),
    "reversed": Words("已冲回", "reversed"),
}

ACTIONS: dict[str, Words] = {
    "evaluate": Words("评估", "evaluate"),
    "approve": Words("审批", "approve"),
    "reject": Words("驳回", "reject"),
    "pay": Words("发放", "pay"),
    "cancel": Words("取消", "cancel"),
    "close": Words("关闭", "close"),
    "reverse": Words("冲回", "reverse"),
    "add to": Words("添加待遇", "add to"),
}


def status_words(status: str | Enum) -> Words:
    value = str(getattr(status, "value", status))
    return STATUSES.get(value) or Words(value, value.replace("_", " "))


def action_words(action: str) -> Words:
    return ACTIONS.get(action) or Words("执行此操作", action)


def invalid_state(field: str, status: str | Enum, action: str) -> DomainError:
    """``INVALID_STATE``: ``action`` is not possible while the object has ``status``."""
    return DomainError(
        Code.INVALID_STATE, field, status=status_words(status), action=action_words(action)
    )
