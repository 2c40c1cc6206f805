"""Files over HTTP, beside /graphql: ``POST /imports`` takes a register to import (the
``startImport`` mutation then refers to it) and ``GET /exports/{kind}.{csv|xlsx}`` returns a
scoped list. Both need a bearer token, like every GraphQL request."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from unionaid.core.crypto import Vault
from unionaid.core.errors import Code, TopLevelError, Words, language, message
from unionaid.core.global_ids import to_global_id
from unionaid.core.host import PluginHost
from unionaid.core.http import bearer_token, request_id_of
from unionaid.core.imports.export import CORE_EXPORTS, export_rows, write_file
from unionaid.core.imports.jobs import MAX_UPLOAD, save_upload
from unionaid.core.imports.program_export import export_program_rows
from unionaid.core.imports.run import may_upload
from unionaid.core.principal import Principal
from unionaid.core.services import accounts
from unionaid.core.timezone import today_in_shanghai

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _refuse(request: Request, status: int, code: Code, **params: object) -> JSONResponse:
    lang = language(request.headers.get("accept-language"))
    return JSONResponse(
        {"code": code.value, "message": message(code, lang, **params)}, status_code=status
    )


async def _principal(request: Request, now: dt.datetime) -> Principal | None:
    token = bearer_token(request)
    return await accounts.authenticate(token, now, request_id_of(request)) if token else None


def upload_endpoint(clock: Callable[[], dt.datetime], host: PluginHost):
    async def upload(request: Request) -> Response:
        now = clock()
        who = await _principal(request, now)
        if who is None:
            return _refuse(request, 401, Code.UNAUTHENTICATED)
        if not may_upload(who, host):  # the kind's action is checked again by startImport
            return _refuse(request, 403, Code.FORBIDDEN)
        limit_mb = MAX_UPLOAD // 2**20
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > MAX_UPLOAD:
            return _refuse(request, 413, Code.FILE_TOO_LARGE, max=limit_mb)
        body = bytearray()
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > MAX_UPLOAD:
                return _refuse(request, 413, Code.FILE_TOO_LARGE, max=limit_mb)
        if not body:
            return _refuse(request, 400, Code.EMPTY_FILE)
        filename = Path(request.query_params.get("filename", "upload.csv")).name
        saved = await save_upload(who, filename, bytes(body), now)
        return JSONResponse(
            {
                "uploadId": to_global_id("Upload", saved.id),
                "size": saved.size,
                "sha256": saved.sha256,
            },
            status_code=201,
        )

    return upload


def export_endpoint(vault: Vault, clock: Callable[[], dt.datetime], host: PluginHost):
    async def export(request: Request) -> Response:
        now = clock()
        who = await _principal(request, now)
        if who is None:
            return _refuse(request, 401, Code.UNAUTHENTICATED)
        kind, fmt = request.path_params["kind"], request.path_params["fmt"]
        known = kind in CORE_EXPORTS or host.export_kind(kind) is not None
        if not known or fmt not in MEDIA:
            return _refuse(
                request,
                404,
                Code.NOT_FOUND,
                what=Words(f"导出文件 {kind}.{fmt}", f"export {kind}.{fmt}"),
            )
        params = request.query_params
        try:
            if kind in CORE_EXPORTS:
                header, rows = await export_rows(
                    kind,
                    who,
                    vault,
                    district_code=params.get("district"),
                    full_id_numbers=params.get("fullIdNumbers") in ("1", "true"),
                    purpose=params.get("purpose", ""),
                )
            else:
                header, rows = await export_program_rows(
                    kind,
                    who,
                    host,
                    now,
                    today_in_shanghai(now),
                    district_code=params.get("district"),
                )
        except TopLevelError as exc:
            status = 404 if exc.code == Code.NOT_FOUND else 403
            return _refuse(request, status, exc.code, **exc.params)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{kind}.{fmt}"
            write_file(path, fmt, header, rows)
            content = path.read_bytes()
        return Response(
            content,
            media_type=MEDIA[fmt],
            headers={"Content-Disposition": f'attachment; filename="{kind}.{fmt}"'},
        )

    return export
