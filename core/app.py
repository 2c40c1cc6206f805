"""The Starlette application: /graphql, /healthz, /readyz."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from collections.abc import Callable
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.types import ExecutionResult

from unionaid.core import db, keys, ratelimit, ui
from unionaid.core.config import Settings
from unionaid.core.crypto import Vault
from unionaid.core.errors import Code, language
from unionaid.core.files import export_endpoint, upload_endpoint
from unionaid.core.graphql.context import Context
from unionaid.core.graphql.errors import shape_error
from unionaid.core.graphql.limits import Limits
from unionaid.core.graphql.schema import build_schema
from unionaid.core.graphql.statements import begin_counting, count_statements
from unionaid.core.guard import GraphQLGuard, Guards
from unionaid.core.headers import SecurityHeaders, page_policy
from unionaid.core.host import PluginHost
from unionaid.core.http import bearer_token, request_id_of
from unionaid.core.jobs import InProcessRunner, JobContext, work
from unionaid.core.observability import Metrics, observing, protect_logs
from unionaid.core.services import (
    accounts,
    campaign_jobs,  # noqa: F401  (registers its job handlers)
)
from unionaid.core.timezone import today_in_shanghai


class BrowserPage:
    """GET /graphql from a browser (outside production): GraphiQL or the offline console."""

    def __init__(self, app: Any, production: bool) -> None:
        self.app = app
        self.production = production

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("method") == "GET" and not self.production:
            request = Request(scope)
            # A browser navigating here (GraphiQL links carry ?query=…); API clients that GET a
            # query ask for JSON.
            if "text/html" in request.headers.get("accept", ""):
                console = "console" in request.query_params
                html = ui.console() if console else ui.page()
                policy = {"Content-Security-Policy": page_policy(html)}
                await HTMLResponse(html, headers=policy)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class GraphQLApp(GraphQL):
    def __init__(
        self,
        schema: Any,
        host: PluginHost,
        vault: Vault,
        production: bool,
        clock: Callable[[], dt.datetime] = utc_now,
        rate_limit: int | None = None,
    ) -> None:
        # Never strawberry's page: it loads GraphiQL from a CDN (see core/ui for ours).
        super().__init__(schema, graphql_ide=None)
        self.host = host
        self.vault = vault
        self.clock = clock
        self.jobs = InProcessRunner(JobContext(host, vault, clock))
        self.rate_limit = ratelimit.limit_per_minute() if rate_limit is None else rate_limit
        self.count_statements = not production

    async def get_context(self, request: Request, response: Response) -> Context:
        if self.count_statements:  # from here: signing in counts too
            begin_counting()
        request_id = request_id_of(request)
        response.headers["X-Request-ID"] = request_id
        now = self.clock()
        token = bearer_token(request)
        refusal = None
        principal = None
        try:
            principal = await accounts.authenticate(token, now, request_id) if token else None
            who = token if principal else (request.client.host if request.client else "")
            if not await ratelimit.spend(who, now, self.rate_limit):
                refusal = Code.RATE_LIMITED
                response.status_code = 429
        except Exception as exc:
            if not db.is_unavailable(exc):
                raise
            refusal = Code.SERVICE_UNAVAILABLE
            response.status_code = 503
        return Context(
            principal=principal,
            lang=language(request.headers.get("accept-language")),
            today=today_in_shanghai(now),
            host=self.host,
            vault=self.vault,
            now=now,
            request_id=request_id,
            client=request.client.host if request.client else "",
            token=token if principal else None,
            credentials_refused=token is not None and principal is None and refusal is None,
            refusal=refusal,
            jobs=self.jobs,
            request=request,
            response=response,
        )

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        if result.errors:
            lang = language(request.headers.get("accept-language"))
            rid = request_id_of(request)
            result.errors = [shape_error(e, lang, rid) for e in result.errors]
        return process_result(result)


def create_app(
    settings: Settings | None = None,
    host: PluginHost | None = None,
    *,
    manage_db: bool = True,
    clock: Callable[[], dt.datetime] = utc_now,
    guards: Guards | None = None,
    rate_limit: int | None = None,
    limits: Limits | None = None,
) -> Starlette:
    """The ASGI app. ``manage_db=False`` when the caller already initialised the ORM (tests);
    ``clock`` gives "now" for token expiry and sign-in throttling (tests pass a fixed one);
    ``rate_limit`` requests per token and minute (default ``UNIONAID_RATE_LIMIT``, 0: none)."""
    settings = settings or Settings.from_env()
    host = host or PluginHost.load()
    protect_logs()
    if not settings.production:
        count_statements()  # each response's extensions.sqlStatements
    metrics = Metrics()
    schema = build_schema(
        host, production=settings.production, limits=limits, observer=observing(metrics)
    )
    # With the database managed here, the keys are known after the startup check (lifespan).
    vault = Vault() if manage_db else Vault(settings.data_key, settings.new_data_key or None)
    graphql = GraphQLApp(schema, host, vault, settings.production, clock, rate_limit)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        if await db.ping_within(settings.ready_timeout):
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "database unavailable"}, status_code=503)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        if manage_db:
            try:
                vault.take_keys(await db.open_checked(settings, host))
            except keys.KeyRefused as exc:
                print(exc.text(), file=sys.stderr, flush=True)
                raise
        stop = asyncio.Event()
        # Every server process also works the queue (jobs whose worker died, jobs queued by
        # other processes); dedicated `unionaid worker` processes share it.
        worker = asyncio.create_task(work(graphql.jobs.ctx, stop=stop)) if manage_db else None
        try:
            yield
        finally:
            stop.set()
            if worker is not None:
                await worker
            if manage_db:
                await db.close_db()

    app = Starlette(
        routes=[
            Route(
                "/graphql",
                BrowserPage(
                    GraphQLGuard(graphql, guards or Guards.from_env()), settings.production
                ),
                methods=["GET", "POST"],
            ),
            Route("/imports", upload_endpoint(clock, host), methods=["POST"]),
            Route("/exports/{kind}.{fmt}", export_endpoint(vault, clock, host), methods=["GET"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics.endpoint),
            *(
                []
                if settings.production
                else [Mount("/graphiql", StaticFiles(directory=ui.STATIC, check_dir=False))]
            ),
        ],
        lifespan=lifespan,
        middleware=[Middleware(SecurityHeaders)],
    )
    app.state.schema = schema
    app.state.host = host
    app.state.jobs = graphql.jobs
    app.state.metrics = metrics
    return app
