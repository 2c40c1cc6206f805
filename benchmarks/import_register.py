"""Import the reference register (districts, enterprises, members, students) into a fresh
database through the real import code, then import it again; prints rows per second.

    python ../shared/data/gen_data.py --out /tmp/reg --members 100000
    python benchmarks/import_register.py --data /tmp/reg
        [--database-url postgres://postgres@127.0.0.1:5432/ua_import_bench]

SQLite goes to a temporary file. A PostgreSQL database named in --database-url is dropped and
created afresh (it must not be one you keep). Not a test: it asserts nothing about time; it
checks that the database holds as many rows as the files and that the second run changes
nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path

from register import KINDS, fresh_database

from unionaid.core import db
from unionaid.core.config import decode_key, is_postgres, new_key
from unionaid.core.crypto import Vault
from unionaid.core.host import PluginHost
from unionaid.core.imports.run import import_file
from unionaid.core.models import Dependent, Enterprise, Member
from unionaid.core.principal import Principal
from unionaid.core.services import accounts


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="folder written by gen_data.py")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = await fresh_database(args.database_url)
    host = PluginHost.load()
    await db.migrate(url, host)
    await db.init_db(url, host)
    vault = Vault(decode_key(new_key()))
    system = Principal.system("bench")
    await accounts.create_user(system, accounts.NewUser("bench", "city_admin", []))
    actor = await accounts.principal_for_user("bench", "bench-import")
    files = {kind: (Path(args.data) / f"{kind}.csv").read_bytes() for kind in KINDS}
    print(f"database: {'PostgreSQL' if is_postgres(url) else 'SQLite'}")
    for label in ("first import", "second import"):
        total_rows, started = 0, time.perf_counter()
        for kind in KINDS:
            t = time.perf_counter()
            result = await import_file(kind, files[kind], f"{kind}.csv", actor, vault, host)
            seconds = time.perf_counter() - t
            total_rows += result.rows
            rate = result.rows / seconds
            print(f"  {label:<14} {result.summary()}  {seconds:6.2f} s  {rate:9.0f} rows/s")
        seconds = time.perf_counter() - started
        print(f"{label}: {total_rows} rows in {seconds:.2f} s = {total_rows / seconds:.0f} rows/s")
    lines = {kind: files[kind].count(b"\n") - 1 for kind in KINDS}
    held = {
        "enterprises": await Enterprise.all().count(),
        "members": await Member.all().count(),
        "students": await Dependent.all().count(),
    }
    for kind, count in held.items():
        print(f"{kind}: {count} in the database, {lines[kind]} rows in the file")
    await db.close_db()


if __name__ == "__main__":
    asyncio.run(main())
