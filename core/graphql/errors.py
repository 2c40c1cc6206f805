"""The two error channels: ``userErrors`` in mutation payloads, and top-level GraphQL errors with
``extensions.code`` (see :mod:`unionaid.core.errors`)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.types import Info
from tortoise.exceptions import ValidationError as ColumnRefused

from unionaid.core.errors import Code, DomainError, DomainErrors, TopLevelError, message
from unionaid.core.services.validation import screen
from unionaid.core.unit_of_work import unit_of_work

log = logging.getLogger("unionaid.graphql")
P = TypeVar("P")


@strawberry.type(description="An expected failure of a mutation; nothing was written")
class UserError:
    field: str | None = strawberry.field(description="The input field at fault, if one is")
    code: str = strawberry.field(description="Stable machine code, e.g. INVALID_ID_NUMBER")
    message: str = strawberry.field(description="Human message, Chinese or English")


def user_error(err: DomainError, lang: str) -> UserError:
    return UserError(
        field=err.field, code=err.code.value, message=message(err.code, lang, **err.params)
    )


async def run_mutation(
    info: Info, payload: Callable[..., P], action: Callable[[], Awaitable[dict[str, Any]]]
) -> P:
    """Run ``action`` as one unit of work and shape its outcome as a payload.

    Any unexpected exception rolls back everything the action wrote, core and plugin writes
    alike (the services' own transactions are savepoints inside it). Expected failures become
    ``userErrors``: the service that refused rolled its own part back, and only what it records
    on purpose (a refused sign-in) is kept. Every text argument is screened first (no NUL, bidi
    override, zero-width character…, in any mutation, a plugin's too); the services check each
    field further."""
    lang = info.context.lang
    async with unit_of_work():
        try:
            screen(info.selected_fields[0].arguments)
            return payload(**await action())
        except DomainError as err:
            return payload(user_errors=[user_error(err, lang)])
        except DomainErrors as errs:
            return payload(user_errors=[user_error(e, lang) for e in errs.errors])


def top_level(code: Code, info_or_lang: Info | str, **params: Any) -> GraphQLError:
    lang = info_or_lang if isinstance(info_or_lang, str) else info_or_lang.context.lang
    return GraphQLError(message(code, lang, **params), extensions={"code": code.value})


def _original(error: GraphQLError) -> BaseException | None:
    seen = error.original_error
    while isinstance(seen, GraphQLError) and seen.original_error is not None:
        seen = seen.original_error
    return seen


def shape_error(
    error: GraphQLError, lang: str, request_id: str, *, log_bugs: bool = True
) -> GraphQLError:
    """Give every error a stable code; hide the text of unexpected exceptions, logging them
    unless ``log_bugs`` is false (a caller that only counts codes: the answer's shaping logs)."""
    from unionaid.core.graphql.scalars import ScalarError

    original = _original(error)
    extensions = dict(error.extensions or {})
    if isinstance(original, ScalarError):
        extensions["code"] = original.code.value
        msg = message(original.code, lang)
        return GraphQLError(
            msg, error.nodes, error.source, error.positions, error.path, None, extensions
        )
    if isinstance(original, DomainErrors):  # several problems at once, in a query
        first = original.errors[0]
        extensions["code"] = first.code.value
        extensions["errors"] = [{"field": e.field, "code": e.code.value} for e in original.errors]
        msg = "; ".join(message(e.code, lang, **e.params) for e in original.errors)
        return GraphQLError(
            msg, error.nodes, error.source, error.positions, error.path, None, extensions
        )
    if isinstance(original, (TopLevelError, DomainError)):
        extensions["code"] = original.code.value
        msg = message(original.code, lang, **original.params)
        return GraphQLError(
            msg, error.nodes, error.source, error.positions, error.path, None, extensions
        )
    if isinstance(original, ColumnRefused):
        # A filter argument no column could hold (a district code of 300 characters): the
        # ORM refuses it before the database; the caller sent it, so it is not a bug.
        extensions = {"code": Code.BAD_USER_INPUT.value}
        return GraphQLError(
            message(Code.BAD_USER_INPUT, lang),
            error.nodes,
            error.source,
            error.positions,
            error.path,
            None,
            extensions,
        )
    if original is not None and not isinstance(original, GraphQLError):
        from unionaid.core.db import is_unavailable

        if is_unavailable(original):
            log.warning(
                "database unavailable (request %s): %s", request_id, type(original).__name__
            )
            extensions = {"code": Code.SERVICE_UNAVAILABLE.value, "requestId": request_id}
            msg = message(Code.SERVICE_UNAVAILABLE, lang)
            return GraphQLError(
                msg, error.nodes, error.source, error.positions, error.path, None, extensions
            )
    if "code" in extensions:
        if "detail" in extensions:  # one of our limits: say it in the request's language
            code = Code(extensions["code"])
            msg = message(code, lang, detail=extensions.pop("detail"))
            return GraphQLError(
                msg, error.nodes, error.source, error.positions, error.path, None, extensions
            )
        return error
    if error.path is not None or (original is not None and not isinstance(original, GraphQLError)):
        # Raised while executing and not one of ours: a bug. Log it, show only the request id.
        # The type and the stack, never the message: it may quote an input.
        kind = type(original).__name__ if original is not None else "GraphQLError"
        if log_bugs:
            log.error("unexpected error (request %s): %s", request_id, kind, exc_info=original)
        extensions = {"code": Code.INTERNAL_ERROR.value, "requestId": request_id}
        msg = message(Code.INTERNAL_ERROR, lang, request_id=request_id)
        return GraphQLError(
            msg, error.nodes, error.source, error.positions, error.path, None, extensions
        )
    if "contains more than" in error.message and "tokens" in error.message:
        code = Code.TOO_MANY_TOKENS
    elif error.message.startswith("Syntax Error"):
        code = Code.GRAPHQL_PARSE_FAILED
    elif error.message.startswith("Variable") and "invalid value" in error.message:
        code = Code.BAD_USER_INPUT
    else:
        code = Code.GRAPHQL_VALIDATION_FAILED
    extensions["code"] = code.value
    return GraphQLError(
        error.message, error.nodes, error.source, error.positions, error.path, None, extensions
    )
