"""The text of a regulation as an office has it: plain text, a Word document or a PDF.

python-docx and pypdf are imported only here, by `hdnd rules draft`.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from ..model import UserError
from .files import read_bytes

KINDS = (".txt", ".docx", ".pdf")
# What a regulation can be: the longest run to a few hundred pages. Past these, the file is refused before
# it is read, rather than read for minutes (a 1 KB .docx can declare a table 10,000 cells wide).
MAX_BYTES = 50 << 20
MAX_PAGES = 2000
MAX_CELLS = 50_000
MAX_CHARACTERS = 5_000_000


def document_text(path: Path) -> str:
    """The document's text, a paragraph (or a PDF's line) per line; a problem is a UserError naming the file."""
    suffix = path.suffix.lower()
    if suffix not in KINDS:
        raise UserError("document-kind", path=str(path), kinds=", ".join(KINDS))
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a folder, a FIFO, a device: never waited on
            raise UserError("document-not-file", path=str(path))
        if info.st_size > MAX_BYTES:
            raise UserError("document-too-big", path=str(path), limit=f"{MAX_BYTES >> 20} MB")
        if suffix == ".txt":
            data = read_bytes(path)
            try:
                return _bounded(data.decode("utf-8-sig"), path)
            except UnicodeDecodeError:
                return _bounded(data.decode("cp1258"), path)  # Vietnamese Windows, as Notepad saved them
        if suffix == ".docx":
            return _docx(path)
        return _pdf(path)
    except FileNotFoundError:
        raise UserError("no-such-file", path=str(path)) from None
    except UserError:
        raise
    except Exception as error:  # noqa: BLE001 - a damaged file raises whatever its library raises
        raise UserError("document-unreadable", path=str(path), error=f"{type(error).__name__}: {error}") from None


def _docx(path: Path) -> str:
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(str(path))
    lines = [paragraph.text for paragraph in document.paragraphs]
    cells = 0
    for table in document.tables:  # a regulation's annex: one row a line, each cell as written (not as
        for row in table._tbl.tr_lst:  # noqa: SLF001 - python-docx's row.cells repeats a merged cell per column
            texts = ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in row.tc_lst]
            cells += len(texts)
            if cells > MAX_CELLS:
                raise UserError("document-too-long", path=str(path), limit=f"{MAX_CELLS:,} table cells")
            lines.append(" | ".join(texts))
    return _bounded("\n".join(lines), path)


def _bounded(text: str, path: Path) -> str:
    if len(text) > MAX_CHARACTERS:
        raise UserError("document-too-long", path=str(path), limit=f"{MAX_CHARACTERS:,} characters")
    return text


def _pdf(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    if len(reader.pages) > MAX_PAGES:
        raise UserError("document-too-long", path=str(path), limit=f"{MAX_PAGES:,} pages")
    text = _bounded("\n".join(page.extract_text() or "" for page in reader.pages), path)
    if not text.strip():
        raise UserError("document-no-text", path=str(path))
    return text
