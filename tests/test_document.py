"""`hdnd report -o bao-cao.docx`: the report as an administrative document (Nghị định 30/2020/NĐ-CP,
Phụ lục I), read back with python-docx and printed to PDF by LibreOffice, whose pages are checked
for where the letterhead, the title and the signature block fall."""
import json
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from test_audit import PERIOD, audited  # noqa: F401 - the same known-answer ledger

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed and could not be "
                                       "installed from the system packages (.ci/run tries libreoffice-writer-nogui)")

OFFICE = """
[office]
name = "Văn phòng thử"
level = "province"
parent = "Hội đồng nhân dân tỉnh Thử"
issuer = "Thường trực HĐND tỉnh"
abbreviation = "HĐND"
place = "Tam Kỳ"
signer = "Nguyễn Văn A"
signer_title = "TM. THƯỜNG TRỰC HĐND\\nPHÓ CHỦ TỊCH"
recipients = ["- Thường trực Tỉnh ủy (b/c);", "- UBND tỉnh;", "- Lưu: VT, TH."]
"""
NOW = {"HDND_NOW": "2026-02-05T09:00"}


@pytest.fixture
def signed(audited):  # noqa: F811
    config = (audited.root / "hdnd.toml").read_text(encoding="utf-8")
    config = config.replace('[office]\nname = "Văn phòng thử"\nlevel = "province"\n', OFFICE.lstrip("\n"))
    (audited.root / "hdnd.toml").write_text(config, encoding="utf-8")
    made = audited.run("report", *PERIOD, "-o", "bao-cao.docx", "--so", "22/BC-HĐND", env=NOW)
    assert made.returncode == 0 and "Đã ghi bao-cao.docx." in made.stdout, made.stderr
    return audited


def text_of(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text.strip()]


def test_the_document_has_the_decrees_header_figures_and_signature(signed):
    from docx import Document

    document = Document(str(signed.root / "bao-cao.docx"))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    assert document.styles["Normal"].font.name == "Times New Roman"
    letterhead, *_, signature = document.tables
    issuer, nation = (text_of(cell) for cell in letterhead.rows[0].cells)
    assert issuer == ["HỘI ĐỒNG NHÂN DÂN TỈNH THỬ", "THƯỜNG TRỰC HĐND TỈNH", "────────", "Số: 22/BC-HĐND"]
    # The decree: a day under 10 and the months 1 and 2 are written with a leading zero.
    assert nation == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "────────",
                      "Tam Kỳ, ngày 05 tháng 02 năm 2026"]
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    assert paragraphs[:2] == ["BÁO CÁO", "Tình hình thực hiện các nghĩa vụ báo cáo, trả lời theo quy định từ ngày "
                                         "01/01/2024 đến ngày 31/12/2024"]
    tables = {t._tbl.get("name"): t for t in document.tables if t._tbl.get("name")}
    group = json.loads(signed.run("audit", "--by", "obligor", *PERIOD, "-f", "json").stdout)["groups"][0]
    figures = [c.text for c in tables["figures"].rows[1].cells]
    assert figures == [str(group[k]) for k in ("total", "done", "late", "overdue", "waived", "open")] + ["40,0%"]
    assert [c.text for c in tables["bodies"].rows[1].cells][0] == "Ủy ban nhân dân tỉnh"
    assert len(tables["late"].rows) == 4 and "22/BC-UBND" in tables["late"].rows[1].cells[4].text
    # Rules by their titles, not their ids.
    assert any("Trả lời ý kiến, kiến nghị cử tri" in p for p in paragraphs)
    assert not any("voter-answer-after" in p for p in paragraphs)
    where, who = (text_of(cell) for cell in signature.rows[0].cells)
    assert where == ["Nơi nhận:", "- Thường trực Tỉnh ủy (b/c);", "- UBND tỉnh;", "- Lưu: VT, TH."]
    assert who == ["TM. THƯỜNG TRỰC HĐND", "PHÓ CHỦ TỊCH", "Nguyễn Văn A"]
    # Headings are kept with what follows them ("4. Quy định áp dụng" never alone at a page's foot).
    headings = [p for p in document.paragraphs if p.text[:2] in ("1.", "2.", "3.", "4.", "5.") and p.runs[0].bold]
    assert len(headings) >= 4 and all(p.paragraph_format.keep_with_next for p in headings)
    # The file says what it is in its own properties.
    properties = document.core_properties
    assert properties.author == "hdnd" and "as_of=" in properties.keywords and "law=" in properties.keywords
    assert "workspace=" in properties.keywords and properties.keywords.endswith("hdnd.toml")
    assert "01/01/2024" in properties.comments


def test_without_the_offices_details_the_blanks_are_left_to_fill(audited):  # noqa: F811
    from docx import Document

    assert audited.run("report", *PERIOD, "-o", "r.docx", env=NOW).returncode == 0
    letterhead = Document(str(audited.root / "r.docx")).tables[0]
    issuer, nation = (text_of(cell) for cell in letterhead.rows[0].cells)
    assert issuer[0] == "VĂN PHÒNG THỬ" and issuer[-1].startswith("Số:") and issuer[-1].endswith("/BC-")
    assert nation[-1] == "…………, ngày 05 tháng 02 năm 2026"
    refused = audited.run("report", *PERIOD, "-o", "r.pdf")
    assert refused.returncode == 2 and ".docx" in refused.stderr


@needs_libreoffice
def test_libreoffice_prints_it_on_a4_with_the_letterhead_and_signature_where_the_decree_puts_them(signed, tmp_path):
    import pypdfium2 as pdfium

    done = subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                           "pdf", "--outdir", str(tmp_path), str(signed.root / "bao-cao.docx")],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    pdf = pdfium.PdfDocument(str(tmp_path / "bao-cao.pdf"))
    assert len(pdf) >= 1 and all(abs(pdf[i].get_width() - 595) < 2 and abs(pdf[i].get_height() - 842) < 2
                                 for i in range(len(pdf)))

    def where(page_number: int, words: str) -> tuple[float, float]:
        """The left edge and the height (from the bottom, in points) of `words` on that page."""
        page = pdf[page_number]
        text = page.get_textpage()
        found = text.search(words).get_next()
        assert found, f"{words!r} is not on page {page_number + 1}"
        left, bottom, _, _ = text.get_charbox(found[0])
        return left, bottom

    # PDF text keeps letters with two marks (Ộ, Ỉ) apart from their line, so the words looked for have none.
    width = pdf[0].get_width()
    nation, number = where(0, "HÒA XÃ"), where(0, "22/BC-HĐND")
    motto, date, title = where(0, "phúc"), where(0, "Tam K"), where(0, "BÁO CÁO")
    assert number[0] < width / 2 < nation[0] + 80 and nation[0] > number[0] + 100  # two columns, the issuer left
    assert date[0] > width / 2 - 40 and date[1] < motto[1] < nation[1]  # the date under the motto, right
    assert title[1] < min(number[1], date[1]) and abs(title[0] + 25 - width / 2) < 60  # centred, below them
    last = len(pdf) - 1
    recipients, signer = where(last, "VT, TH."), where(last, "Văn A")
    assert recipients[0] < width / 2 < signer[0]  # nơi nhận on the left, the signature on the right


# --- the tables' rows, copied: what python-docx's own way gives -------------------------------------

TEXTS = st.text(st.sampled_from([*"aĐơn 12/-", "\t", "\n", "\r"]) | st.characters(categories=["L", "N", "P", "Zs"]),
                max_size=10)


def added_row_by_row(headers: list[str], rows: list[list[str]]):
    """A ruled table as python-docx's documentation builds one: a row added, its cells' texts set."""
    from docx import Document
    from docx.shared import Pt

    grid = Document().add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, headers):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        for cell, text in zip(grid.add_row().cells, row):
            cell.text = text
    for row in grid.rows:
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(11)
    return grid


@settings(max_examples=100, deadline=None)
@given(width=st.integers(1, 4), data=st.data())
def test_a_table_of_copied_rows_is_the_table_python_docx_builds_row_by_row(width, data):
    from docx import Document
    from docx.shared import Pt
    from lxml import etree

    from hdnd_cli.render.document import grid_table

    headers = data.draw(st.lists(TEXTS, min_size=width, max_size=width))
    rows = data.draw(st.lists(st.lists(TEXTS, min_size=width, max_size=width), max_size=5))
    copied = grid_table(Document(), headers, rows, Pt(11))
    assert etree.tostring(copied._tbl) == etree.tostring(added_row_by_row(headers, rows)._tbl)
