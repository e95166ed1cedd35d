"""Spreadsheets for `hdnd import`: CSV and XLSX -> rows of values, each with its row number."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .messages import fold
from .model import UserError

Row = tuple[int, dict[str, Any]]


def read_rows(path: Path) -> list[Row]:
    """The data rows under the header row, numbered as the spreadsheet numbers them (header = 1)."""
    if not path.is_file():
        raise UserError("no-such-file", path=str(path))
    if path.suffix.lower() == ".xlsx":
        return _xlsx_rows(path)
    if path.suffix.lower() == ".csv":
        return _csv_rows(path)
    raise UserError("bad-option", option="FILE", value=path.name, choices=".csv, .xlsx")


def _csv_rows(path: Path) -> list[Row]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise UserError("not-utf8", path=str(path), error=str(error)) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = _header(path, [h.strip() for h in next(reader, [])])
        return [(number, dict(zip(header, (cell.strip() for cell in row))))
                for number, row in enumerate(reader, 2) if any(cell.strip() for cell in row)]
    except csv.Error as error:  # a field longer than the csv module allows, a NUL byte...
        raise UserError("bad-spreadsheet", path=f"{path}:{reader.line_num}", error=str(error)) from None


def _header(path: Path, header: list[str]) -> list[str]:
    """The header row; a column named twice would lose one of them, so it is refused."""
    named = [fold(h) for h in header if h]
    twice = sorted({h for h in header if h and named.count(fold(h)) > 1})
    if twice:
        raise UserError("duplicate-column", path=str(path), names=", ".join(twice))
    return header


def _xlsx_rows(path: Path) -> list[Row]:
    from openpyxl import load_workbook

    try:  # openpyxl raises many kinds for a file that is not a workbook, some only while reading rows
        book = load_workbook(path, read_only=True, data_only=True)
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = _header(path, [str(h).strip() if h is not None else "" for h in next(rows, ())])
        found = []
        for number, row in enumerate(rows, 2):
            values = {h: _cell(v) for h, v in zip(header, row) if h}
            if any(v not in (None, "") for v in values.values()):
                found.append((number, values))
        book.close()
    except UserError:
        raise
    except Exception as error:
        raise UserError("bad-spreadsheet", path=str(path), error=str(error)[:200]) from None
    return found


def _cell(value: Any) -> Any:
    """Spreadsheet cells as text, whole numbers or dates (a datetime at midnight is a date)."""
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (int, date)) or value is None:
        return value
    return str(value).strip()
