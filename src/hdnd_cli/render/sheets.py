"""XLSX workbooks in the office's language: the history, the audit (with a chart) and the morning list.

Each sheet opens with a title row saying what it is, for whom and as of when; the header below it is
frozen and filtered; dates are real dates shown dd/mm/yyyy; body names stand beside their ids; columns
are as wide as their text; and it prints on A4 landscape, one page wide, repeating the header.
"""
from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from ..messages import phrase, status
from ..model import Obligation, Workspace
from .text import period_text, recorded

HISTORY = ("id", "rule", "title", "obligor_name", "obligor", "recipient", "due", "original_due", "extensions",
           "status", "done_date", "done_ref", "done_recorded_at", "done_recorded_by", "done_file", "done_sha256",
           "days_late", "days_left", "basis", "source")
DUE = ("status", "due", "days_left", "obligor_name", "obligor", "title", "id", "basis", "source")
AUDIT = ("key", "name", "total", "done", "late", "overdue", "waived", "open", "on_time_rate", "median_days_late",
         "max_days_late")


About = Sequence[tuple[str, str]]  # what a file says of itself, (label, value), in the chosen language


def history_workbook(obligations: list[Obligation], workspace: Workspace, as_of: date, start: date | None,
                     end: date | None, lang: str, about: About = ()) -> bytes:
    title = phrase("sheet.history-title", lang, period=period_text(start, end, lang), office=_office(workspace),
                   as_of=as_of)
    return _book(phrase("sheet.named-history", lang), title, HISTORY, (_row(o, workspace, lang) for o in obligations),
                 lang, about)


def due_workbook(obligations: list[Obligation], workspace: Workspace, as_of: date, lang: str, about: About = ()) -> bytes:
    title = phrase("sheet.due-title", lang, office=_office(workspace), as_of=as_of)
    return _book(phrase("sheet.named-due", lang), title, DUE, (_row(o, workspace, lang) for o in obligations), lang,
                 about)


def audit_workbook(document: dict[str, Any], workspace: Workspace | None, lang: str, about: About = ()) -> bytes:
    from openpyxl.chart import BarChart, Reference

    start, end = (date.fromisoformat(document[k]) if document[k] else None for k in ("from", "to"))
    title = phrase("sheet.audit-title", lang, by=phrase(f"sheet.by-{document['by']}", lang),
                   period=period_text(start, end, lang), office=_office(workspace), as_of=date.fromisoformat(document["as_of"]))
    rows = ({**group, "name": workspace.group_name(document["by"], group["key"], lang) if workspace is not None
             else ""} for group in document["groups"])
    book = _workbook(phrase("sheet.named-audit", lang), title, AUDIT, rows, lang, about)
    sheet = book.active
    if document["groups"]:
        chart = BarChart()
        chart.type = "bar"
        chart.title = phrase("report.rate", lang)
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
        last = len(document["groups"]) + 2
        rate = AUDIT.index("on_time_rate") + 1
        chart.add_data(Reference(sheet, min_col=rate, min_row=2, max_row=last), titles_from_data=True)
        named = workspace is not None and document["by"] in ("obligor", "rule")
        chart.set_categories(Reference(sheet, min_col=AUDIT.index("name") + 1 if named else 1, min_row=3, max_row=last))
        chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl hides both axes, and the groups' names, unless told
        sheet.add_chart(chart, f"B{last + 3}")
    return _bytes(book)


def _row(o: Obligation, workspace: Workspace, lang: str) -> dict[str, Any]:
    return {"id": o.id, "rule": o.rule.id if o.rule else None, "title": (o.title_en or o.title) if lang == "en" else o.title,
            "obligor_name": workspace.body_name(o.obligor, lang), "obligor": o.obligor,
            "recipient": workspace.body_name(o.recipient, lang) if o.recipient else None, "due": o.due,
            "original_due": o.original_due, "extensions": len(o.extensions), "status": status(o.status, lang),
            "done_date": o.done.date if o.done else None, "done_ref": o.done.ref if o.done else None,
            **{f"done_{k}": v for k, v in (recorded(o.done) if o.done else {}).items()},
            "days_late": o.days_late, "days_left": o.days_left, "basis": o.basis, "source": o.source}


def _office(workspace: Workspace | None) -> str:
    return workspace.settings.office.get("name", "hdnd") if workspace is not None else "hdnd"


def _book(name: str, title: str, columns: tuple[str, ...], rows: Iterable[dict[str, Any]], lang: str,
          about: About = ()) -> bytes:
    return _bytes(_workbook(name, title, columns, rows, lang, about))


def _workbook(name: str, title: str, columns: tuple[str, ...], rows: Iterable[dict[str, Any]], lang: str,
              about: About = ()) -> Any:
    """An openpyxl workbook (the library is untyped): the rows under a title, and a second sheet saying
    what the file is (`about`: the office, the day, what `--known-on` left out, the law's version), so
    it stands alone once it leaves the office."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = name[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    headers = [phrase(f"sheet.{c}", lang) for c in columns]
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [len(h) for h in headers]
    for row in rows:
        values = [row.get(c) for c in columns]
        sheet.append(values)
        for index, value in enumerate(values):
            widths[index] = max(widths[index], 10 if isinstance(value, date) else len(str(value or "")))
    for column in sheet.iter_cols(min_row=3):
        for cell in column:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
            elif columns[cell.column - 1] == "on_time_rate":
                cell.number_format = "0.0%"
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 6) + 2, 60)
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A2:{last}{max(sheet.max_row, 2)}"
    sheet.freeze_panes = "A3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "2:2"
    if about:
        notes = book.create_sheet(phrase("sheet.named-about", lang))
        for label, value in about:
            notes.append([label, value])
            notes.cell(notes.max_row, 1).font = Font(bold=True)
        notes.column_dimensions["A"].width = max(len(label) for label, _ in about) + 2
        notes.column_dimensions["B"].width = 80
    return book


def _bytes(book: Any) -> bytes:
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
