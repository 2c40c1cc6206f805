"""``unionaid import``, ``unionaid export`` and ``unionaid worker``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from unionaid.core.cli_access import (
    CommandError,
    acting_as,
    checked_vault,
    run_job_here,
    run_with_db,
)
from unionaid.core.config import Settings
from unionaid.core.host import PluginHost
from unionaid.core.jobs import error_in


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from unionaid.core.imports import jobs as import_jobs
    from unionaid.core.imports.report import write_errors
    from unionaid.core.imports.run import import_kinds, may_import
    from unionaid.core.jobs import JobContext

    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    content = path.read_bytes()
    if len(content) > import_jobs.MAX_UPLOAD:
        raise CommandError(f"{path}: larger than {import_jobs.MAX_UPLOAD // 2**20} MB")

    host = PluginHost.load()

    async def work() -> int:
        if args.kind not in import_kinds(host):
            known = ", ".join(import_kinds(host))
            raise CommandError(f"unknown import kind {args.kind!r}: {known}")
        actor = await acting_as(args.as_user, required=True, why="imports are audited")
        await may_import(actor, args.kind, host)
        ctx = JobContext(host, checked_vault())
        now = ctx.clock()
        upload = await import_jobs.save_upload(actor, path.name, content, now)
        job = await import_jobs.queue_import(
            actor, upload, args.kind, now, encoding=args.encoding, strict=args.strict
        )
        outcome = {}

        async def handler(claimed, ctx, progress) -> dict:
            outcome["result"] = await import_jobs.execute_import(claimed, ctx, progress)
            return outcome["result"].as_json()

        try:
            await run_job_here(job, ctx, handler, f"import {args.kind}")
        except import_jobs.ImportRefused as exc:
            print(f"unionaid: {error_in(str(exc), 'en')}", file=sys.stderr)
            return 1
        result = outcome["result"]
        print(result.summary())
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        for e in result.errors[:20]:
            print(f"row {e.row} {e.column}: {e.code.value} {e.text('en')}", file=sys.stderr)
        if len(result.errors) > 20:
            print(f"... {len(result.errors) - 20} more", file=sys.stderr)
        if args.errors:
            write_errors(Path(args.errors), result.errors)
            print(f"errors written to {args.errors}", file=sys.stderr)
        return 1 if result.errors else 0

    return run_with_db(settings, work)


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    import unionaid.core.imports.jobs
    import unionaid.core.services.campaign_jobs  # noqa: F401  (and the campaign handlers)
    from unionaid.core.jobs import JobContext, drain, work

    async def run() -> int:
        ctx = JobContext(PluginHost.load(), checked_vault())
        if args.once:
            print(f"ran {await drain(ctx)} job(s)")
            return 0
        print(f"worker {ctx.worker} polling every {args.poll}s", flush=True)
        await work(ctx, poll=args.poll)
        return 0

    return run_with_db(settings, run)


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from unionaid.core.imports.export import CORE_EXPORTS, export_rows, write_file
    from unionaid.core.imports.program_export import export_program_rows
    from unionaid.core.jobs import utc_now
    from unionaid.core.timezone import today_in_shanghai

    host = PluginHost.load()
    kinds = [*CORE_EXPORTS, *host.export_kinds()]

    async def work() -> int:
        if args.kind not in kinds:
            raise CommandError(f"unknown export kind {args.kind!r}: {', '.join(kinds)}")
        actor = await acting_as(args.as_user, required=True, why="exports are audited")
        if args.kind in CORE_EXPORTS:
            header, rows = await export_rows(
                args.kind,
                actor,
                checked_vault(),
                district_code=args.district,
                full_id_numbers=args.full_id_numbers,
                purpose=args.purpose or "",
            )
        else:
            now = utc_now()
            header, rows = await export_program_rows(
                args.kind, actor, host, now, today_in_shanghai(now), district_code=args.district
            )
        fmt = args.format or ("xlsx" if args.out.lower().endswith(".xlsx") else "csv")
        write_file(Path(args.out), fmt, header, rows)
        print(f"{len(rows)} {args.kind} written to {args.out}", file=sys.stderr)
        return 0

    return run_with_db(settings, work)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser("import", help="import a register (CSV or XLSX) as a job")
    imp.add_argument("kind", help="districts, enterprises, members, students or a program's kind")
    imp.add_argument("file")
    imp.add_argument("--as", dest="as_user", help="who imports (required, audited)")
    imp.add_argument("--encoding", help="CSV encoding (default: UTF-8, else GBK)")
    imp.add_argument("--strict", action="store_true", help="all rows or nothing")
    imp.add_argument("--errors", help="write every rejected row to this CSV")
    imp.set_defaults(func=cmd_import)

    exp = sub.add_parser("export", help="export members, enterprises or a program's data")
    exp.add_argument("kind", help="members, enterprises or a program's kind")
    exp.add_argument("--out", required=True, help="FILE.csv or FILE.xlsx")
    exp.add_argument("--format", choices=("csv", "xlsx"))
    exp.add_argument("--district", help="only this district")
    exp.add_argument("--as", dest="as_user", help="who exports (required, audited)")
    exp.add_argument("--full-id-numbers", action="store_true", help="unmasked (logged)")
    exp.add_argument("--purpose", help="why full ID numbers are needed (required with them)")
    exp.set_defaults(func=cmd_export)

    worker = sub.add_parser("worker", help="run queued jobs (imports, campaigns)")
    worker.add_argument("--once", action="store_true", help="run what is queued, then exit")
    worker.add_argument("--poll", type=float, default=2.0, help="seconds between polls")
    worker.set_defaults(func=cmd_worker)
