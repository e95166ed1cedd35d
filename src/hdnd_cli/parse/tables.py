"""Spreadsheets for `hdnd import`: CSV and XLSX -> rows of values, each with its row number."""
from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date, datetime
from typing import Any, NamedTuple

from ..messages import fold
from ..model import UserError

Row = tuple[int, dict[str, Any]]


class Table(NamedTuple):
    columns: list[str]  # the header row's names, as written
    rows: list[Row]
    encoding: str | None = None  # a CSV's, when it was not UTF-8 (the fallback said aloud)


def read_rows(data: bytes, path: str, header_row: int | None = None, encoding: str | None = None) -> Table:
    """The data rows of a spreadsheet's bytes (`path` is its name: .csv or .xlsx) under the header
    row, numbered as the spreadsheet numbers them. The header is row `header_row`, else the first row
    with two or more cells filled: the title rows above a register's table ("SỔ THEO DÕI ...") are
    passed over."""
    if path.lower().endswith(".xlsx"):
        return _table(path, _xlsx_cells(data, path), header_row)
    cells, used = _csv_cells(data, path, encoding)
    return _table(path, cells, header_row)._replace(encoding=used)


SUFFIXES = (".csv", ".xlsx")


FALLBACK = "cp1258"  # what Excel on Vietnamese Windows saves "CSV" in


def _csv_cells(data: bytes, path: str, encoding: str | None) -> tuple[list[list[Any]], str | None]:
    """The cells of a CSV file (comma, semicolon or tab), UTF-8 unless it cannot be: then cp1258."""
    try:
        text, used = data.decode(encoding or "utf-8-sig"), encoding
    except (UnicodeDecodeError, LookupError) as error:
        if encoding:
            raise UserError("not-utf8", path=path, error=str(error)) from None
        text, used = data.decode(FALLBACK, errors="replace"), FALLBACK
    text = unicodedata.normalize("NFC", text)  # cp1258 writes tone marks apart: "Tra\u0302\u0300n" is "Trần"
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        return [[cell.strip() for cell in row] for row in reader], used
    except csv.Error as error:  # a field longer than the csv module allows, a NUL byte...
        raise UserError("bad-spreadsheet", path=f"{path}:{reader.line_num}", error=str(error)) from None


def _xlsx_cells(data: bytes, path: str) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:  # openpyxl raises many kinds for a file that is not a workbook, some only while reading rows
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        cells = [[_cell(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
    except UserError:
        raise
    except Exception as error:
        raise UserError("bad-spreadsheet", path=path, error=str(error)[:200]) from None
    return cells


def _table(path: str, cells: list[list[Any]], header_row: int | None) -> Table:
    filled = [sum(v not in (None, "") for v in row) for row in cells]
    if header_row is None:
        header_row = next((n for n, count in enumerate(filled, 1) if count >= 2), 1)
    if not 1 <= header_row <= max(len(cells), 1):
        raise UserError("bad-option", option="--header-row", value=header_row, choices=f"1-{len(cells)}")
    header = _header(path, [str(h).strip() if h is not None else "" for h in (cells[header_row - 1] if cells else [])])
    rows = []
    for number, row in enumerate(cells[header_row:], header_row + 1):
        values = {h: v for h, v in zip(header, row) if h}
        if any(v not in (None, "") for v in values.values()):
            rows.append((number, values))
    return Table([h for h in header if h], rows)


def _header(path: str, header: list[str]) -> list[str]:
    """The header row; a column named twice would lose one of them, so it is refused."""
    named = [fold(h) for h in header if h]
    twice = sorted({h for h in header if h and named.count(fold(h)) > 1})
    if twice:
        raise UserError("duplicate-column", path=str(path), names=", ".join(twice))
    return header


def _cell(value: Any) -> Any:
    """Spreadsheet cells as text, whole numbers or dates (a datetime at midnight is a date)."""
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (int, date)) or value is None:
        return value
    return str(value).strip()
