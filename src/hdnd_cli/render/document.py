"""`hdnd report -o bao-cao.docx`: the report as an administrative document the office edits and signs.

Laid out as Nghị định 30/2020/NĐ-CP, Phụ lục I asks: A4, margins 20 mm top and bottom, 30 mm left,
15 mm right; Times New Roman; at the top, the issuing body (with the body above it) on the left and
the Quốc hiệu and tiêu ngữ on the right, each underlined by a short rule, the number (Số: …/BC-…)
under the issuer and the place and date under the motto; then the document's name (BÁO CÁO) and its
subject; the sections and figures of the HTML report; at the foot, nơi nhận on the left and the
signer's authority, title and name on the right. python-docx is imported only here.
"""
from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from ..engine.audit import audit, figures
from ..messages import moment_text, phrase, status, vn_date
from ..model import Obligation, Workspace
from .report import header, rate_text, sources

FONT = "Times New Roman"


def report_docx(obligations: list[Obligation], workspace: Workspace, start: date, end: date, as_of: date,
                known_on: datetime | None = None, left_out: int = 0, lang: str = "vi",
                offices: list[tuple[str, Workspace, list[Obligation]]] | None = None, so: str | None = None,
                today: date | None = None) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    head = header(workspace, start, end, lang, so, today or as_of)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(13)
    normal.element.rPr.rFonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", FONT)
    normal.paragraph_format.space_after = Pt(3)

    def line(cell_or_doc: Any, text: str, bold: bool = False, italic: bool = False, size: int = 13, upper: bool = False,
             center: bool = True, underline_rule: bool = False) -> Any:
        paragraph = cell_or_doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text.upper() if upper else text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
        if underline_rule:  # the short rule under the issuer and under the motto
            rule = cell_or_doc.add_paragraph("────────")
            rule.alignment = WD_ALIGN_PARAGRAPH.CENTER
            rule.paragraph_format.space_after = Pt(0)
            rule.runs[0].font.size = Pt(8)
        return paragraph

    top = _columns(document, Mm(62), Mm(103))  # the Quốc hiệu on one line, as the decree's sample has it
    left, right = top.rows[0].cells
    if head.parent:
        line(left, head.parent, upper=True, size=12)
    line(left, head.issuer, bold=True, upper=True, size=12, underline_rule=True)
    line(left, head.number, size=13)
    line(right, phrase("doc.nation", lang), bold=True, size=12)
    line(right, phrase("doc.motto", lang), bold=True, size=13, underline_rule=True)
    line(right, head.place_date, italic=True, size=13)

    title = line(document, phrase("doc.title", lang), bold=True, size=14)
    title.paragraph_format.space_before = Pt(18)
    line(document, head.subject, bold=True, size=14)

    total = figures(obligations)
    period = phrase("report.period", lang, start=start, end=end, as_of=as_of, law=workspace.law.version)
    if known_on is not None:
        period += phrase("report.known-on", lang, known_on=moment_text(known_on, lang), left_out=left_out)
    body = line(document, period + ".", center=False)
    body.paragraph_format.space_before = Pt(12)
    body.paragraph_format.first_line_indent = Mm(10)

    def heading(text: str) -> None:
        paragraph = line(document, text, bold=True, center=False)
        paragraph.paragraph_format.space_before = Pt(8)
        paragraph.paragraph_format.keep_with_next = True  # never alone at the foot of a page

    def table(headers: list[str], rows: list[list[str]], name: str) -> None:
        grid = grid_table(document, headers, rows, Pt(11))
        grid.alignment = 1
        grid._tbl.set("name", name)  # noqa: SLF001 - lets a reader (and the tests) find each table

    heading(phrase("report.figures", lang))
    keys = ("total", "done", "late", "overdue", "waived", "open")
    labels = ("report.total", "report.done", "report.late-count", "report.overdue", "report.waived", "report.open")
    table([phrase(label, lang) for label in labels] + [phrase("report.rate", lang)],
          [[str(total[k]) for k in keys] + [rate_text(total["on_time_rate"], lang)]], "figures")
    line(document, phrase("report.rate-note", lang), italic=True, size=12, center=False)

    heading(phrase("report.by-body", lang))
    groups = [g for g in audit(obligations, "obligor") if g["on_time_rate"] is not None]
    if groups:
        table([phrase("report.col-body", lang), phrase("report.total", lang), phrase("report.done", lang),
               phrase("report.late-count", lang), phrase("report.overdue", lang), phrase("report.rate", lang)],
              [[workspace.body_name(g["key"], lang), str(g["total"]), str(g["done"]), str(g["late"]), str(g["overdue"]),
                rate_text(g["on_time_rate"], lang)] for g in groups], "bodies")
    else:
        line(document, phrase("report.nothing-due", lang), center=False)

    heading(phrase("report.late", lang))
    late = sorted((o for o in obligations if o.status in ("late", "overdue")), key=lambda o: (o.due, o.id))
    if late:
        table([phrase(f"report.col-{k}", lang) for k in ("obligation", "body", "due", "status", "done", "late")],
              [[(o.title_en or o.title) if lang == "en" else o.title, workspace.body_name(o.obligor, lang),
                vn_date(o.due) + ("" if o.due == o.original_due else phrase("report.extended", lang)),
                status(o.status, lang),
                f"{vn_date(o.done.date)} {o.done.ref or ''}".strip() if o.done else phrase("report.not-yet", lang),
                str(o.days_late if o.status == "late" else -(o.days_left or 0))] for o in late], "late")
    else:
        line(document, phrase("report.none-late", lang), center=False)

    heading(phrase("report.sources", lang))
    for text in sources(obligations, lang):
        line(document, f"- {text}", center=False, size=12)
    if offices:
        heading(phrase("report.offices", lang))
        table([phrase(k, lang) for k in ("report.col-office", "report.total", "report.done", "report.late-count",
                                         "report.overdue", "report.rate")],
              [[ws.settings.office.get("name", office) + f" ({office})", *(str(counts[k]) for k in ("total", "done", "late", "overdue")),
                rate_text(counts["on_time_rate"], lang)] for office, ws, items in offices
               for counts in (figures(items),)], "offices")

    foot = _columns(document, Mm(80), Mm(85))
    where, who = foot.rows[0].cells
    line(where, phrase("doc.recipients", lang), bold=True, italic=True, size=12, center=False)
    for recipient in head.recipients:
        line(where, recipient, size=11, center=False)
    for title_line in head.signer_title:
        line(who, title_line, bold=True, size=13)
    for _ in range(4):
        line(who, "", size=13)
    line(who, head.signer, bold=True, size=13)

    properties = document.core_properties  # what the file says of itself once it leaves the office
    properties.title, properties.author = f"{phrase('doc.title', lang)} {head.subject}", "hdnd"
    properties.comments = period
    properties.keywords = (f"as_of={as_of.isoformat()}; law={workspace.law.version}; "
                           f"workspace={workspace.settings.config_file.resolve()}") + (
        f"; known_on={known_on.isoformat()}; left_out={left_out}" if known_on is not None else "")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def grid_table(document: Any, headers: list[str], rows: list[list[str]], size: Any) -> Any:
    """A ruled table: the headers in bold, then `rows`, each text in one run of `size`. Python-docx
    takes about a millisecond a row to add one and set its cells (a half-year's late list of a
    province is thousands), so the first row below the headers is made so, empty, and every row is
    a copy of it with the texts set in its runs, as `cell.text` sets them."""
    from copy import deepcopy

    from docx.oxml.ns import qn
    from docx.text.run import Run

    grid = document.add_table(rows=2, cols=len(headers))
    grid.style = "Table Grid"
    for row, texts in zip(grid.rows, (headers, [""] * len(headers))):
        for cell, text in zip(row.cells, texts):
            cell.text = text
            cell.paragraphs[0].runs[0].font.size = size
    for cell in grid.rows[0].cells:
        cell.paragraphs[0].runs[0].bold = True
    model = grid.rows[1]._tr  # noqa: SLF001 - the row's XML, copied
    body = model.getparent()
    body.remove(model)
    for texts in rows:
        row = deepcopy(model)
        for run, text in zip(row.iter(qn("w:r")), texts):  # one run a cell
            Run(run, grid).text = text
        body.append(row)
    return grid


def _columns(document: Any, *widths: Any) -> Any:
    """A borderless one-row table with fixed column widths: the letterhead and the signature block."""
    table = document.add_table(rows=1, cols=len(widths))
    table.autofit = False
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths):
        column.width = cell.width = width
    from docx.oxml import OxmlElement

    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # noqa: SLF001 - kept on one page
    return table
