"""The row-level error report written by ``--errors FILE``."""

from __future__ import annotations

import csv
from pathlib import Path

from unionaid.core.imports.engine import RowError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text a spreadsheet must never run as a formula (CSV injection) gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_errors(path: Path, errors: list[RowError], lang: str = "zh") -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as out:  # BOM: Excel reads UTF-8
        writer = csv.writer(out)
        writer.writerow(["row", "column", "code", "message"])
        for e in errors:
            writer.writerow([e.row, safe_cell(e.column), e.code.value, safe_cell(e.text(lang))])
