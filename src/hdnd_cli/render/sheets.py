"""XLSX workbooks for auditors: a history sheet they can filter, an audit sheet with a chart."""
from __future__ import annotations

import io
from typing import Any

from .text import item

HISTORY_COLUMNS = ("id", "rule", "title", "obligor", "recipient", "key", "due", "original_due", "extensions",
                   "status", "done_date", "done_ref", "days_late", "days_left", "basis", "source")


def history_workbook(obligations, as_of) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "history"
    sheet.append(list(HISTORY_COLUMNS))
    for o in obligations:
        row = item(o)
        done = row.pop("done") or {}
        row.update(due=o.due, original_due=o.original_due, done_date=o.done.date if o.done else None,
                   done_ref=done.get("ref"), extensions=len(o.extensions))
        sheet.append([row.get(c) for c in HISTORY_COLUMNS])
    for column in ("G", "H", "K"):
        for cell in sheet[column][1:]:
            cell.number_format = "DD/MM/YYYY"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.freeze_panes = "A2"
    sheet["A1"].parent.column_dimensions["C"].width = 60
    return _bytes(book)


def audit_workbook(document: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    book = Workbook()
    sheet = book.active
    sheet.title = "audit"
    columns = ["key", "total", "done", "late", "overdue", "waived", "open", "on_time_rate", "median_days_late",
               "max_days_late"]
    sheet.append(columns)
    for group in document["groups"]:
        sheet.append([group[c] for c in columns])
    for cell in sheet["H"][1:]:
        cell.number_format = "0.0%"
    sheet.auto_filter.ref = sheet.dimensions
    if document["groups"]:
        chart = BarChart()
        chart.type = "bar"
        chart.title = "Tỷ lệ đúng hạn"
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
        rows = len(document["groups"]) + 1
        chart.add_data(Reference(sheet, min_col=8, min_row=1, max_row=rows), titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows))
        sheet.add_chart(chart, "L2")
    meta = book.create_sheet("period")
    for key in ("from", "to", "as_of", "by"):
        meta.append([key, document[key]])
    return _bytes(book)


def _bytes(book) -> bytes:
    """The workbook's bytes, with every cell that openpyxl took for a formula (text starting with
    `=`, from a title typed or imported) kept as the text it is."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
