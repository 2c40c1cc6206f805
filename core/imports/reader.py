"""Reading an uploaded register into rows of text, whatever Excel made of it.

CSV comes as UTF-8 (with or without a BOM) or, from Excel in China, GBK: tried in that order
unless the caller names the encoding. XLSX is read without evaluating anything: a formula cell
arrives as its ``=...`` text and is refused row by row later."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from unionaid.core.errors import Code, Words

XLSX_MAGIC = b"PK\x03\x04"
FALLBACK_ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 is a superset of GBK and GB2312


class FileProblem(Exception):
    """The file as a whole cannot be imported; nothing is written."""

    def __init__(self, code: Code, **params: object) -> None:
        super().__init__(code.value)
        self.code = code
        self.params = params


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)
    encoding: str
    warnings: list[str] = field(default_factory=list)


def read_table(content: bytes, filename: str = "", encoding: str | None = None) -> Table:
    if content.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        header, rows = _read_xlsx(content)
        used = "xlsx"
    else:
        text, used = _decode(content, encoding)
        header, rows = _read_csv(text)
    if not header or not any(header):
        raise FileProblem(Code.EMPTY_FILE)
    if not rows:
        raise FileProblem(Code.EMPTY_FILE)
    return Table([h.strip().lower() for h in header], rows, used)


def _decode(content: bytes, encoding: str | None) -> tuple[str, str]:
    for candidate in (encoding,) if encoding else FALLBACK_ENCODINGS:
        try:
            return content.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
        except LookupError as exc:
            raise FileProblem(
                Code.UNREADABLE_FILE,
                detail=Words(f"未知编码 {candidate}", f"unknown encoding {candidate}"),
            ) from exc
    raise FileProblem(
        Code.UNREADABLE_FILE,
        detail=Words(
            "不是 UTF-8 或 GBK 文本，请用 --encoding 指定编码",
            "not UTF-8 or GBK text; pass --encoding",
        ),
    )


def _read_csv(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        rows = []
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise FileProblem(
            Code.UNREADABLE_FILE,
            detail=Words(
                f"CSV 第 {reader.line_num} 行格式错误", f"CSV line {reader.line_num}: {exc}"
            ),
        ) from exc
    return header, rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(content: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    from openpyxl import load_workbook

    try:
        # data_only=False: formulas stay text and are never evaluated.
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem(
            Code.UNREADABLE_FILE,
            detail=Words("不是有效的 XLSX 工作簿", "not a valid XLSX workbook"),
        ) from exc
    try:
        sheet = book.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = [_cell_text(v) for v in next(lines, ())]
        rows = []
        for number, values in enumerate(lines, start=2):
            cells = [_cell_text(v) for v in values]
            if any(c.strip() for c in cells):
                rows.append((number, cells))
    finally:
        book.close()
    return header, rows
