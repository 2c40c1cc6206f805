"""Strict scalars. strawberry's built-in Decimal accepts NaN, 1e309 and full-width digits and its
Date accepts ``20240101``: money and dates here accept exactly one spelling each."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import NewType

import strawberry
from graphql import StringValueNode, ValueNode

from unionaid.core.errors import Code
from unionaid.core.money import format_money, parse_money

Money = NewType("Money", Decimal)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


class ScalarError(ValueError):
    """A value a scalar refuses; its code reaches the client as ``extensions.code``."""

    def __init__(self, code: Code) -> None:
        super().__init__(code.value)
        self.code = code


def parse_money_value(value: object) -> Decimal:
    amount = parse_money(value)
    if amount is None:
        raise ScalarError(Code.INVALID_AMOUNT)
    return amount


def parse_date_value(value: object) -> dt.date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ScalarError(Code.INVALID_DATE)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ScalarError(Code.INVALID_DATE) from None


def _literal(parse):
    def parse_literal(node: ValueNode, variables: dict | None = None):
        if not isinstance(node, StringValueNode):
            parse(None)  # raises with the scalar's code
        return parse(node.value)

    return parse_literal


def _serialize_money(value: Decimal) -> str:
    return format_money(Decimal(value))


MONEY = strawberry.scalar(
    name="Money",
    description='Yuan as a string with at most two decimals in, exactly two out ("3500.00")',
    serialize=_serialize_money,
    parse_value=parse_money_value,
    parse_literal=_literal(parse_money_value),
)

DATE = strawberry.scalar(
    name="Date",
    description="A calendar date, YYYY-MM-DD only",
    serialize=lambda value: value.isoformat(),
    parse_value=parse_date_value,
    parse_literal=_literal(parse_date_value),
)

SCALAR_MAP = {Money: MONEY, dt.date: DATE}
