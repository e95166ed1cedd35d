"""The text of a regulation as an office has it: plain text, a Word document or a PDF.

python-docx and pypdf are imported only here, by `hdnd rules draft`.
"""
from __future__ import annotations

from pathlib import Path

from ..model import UserError
from .files import read_bytes

KINDS = (".txt", ".docx", ".pdf")


def document_text(path: Path) -> str:
    """The document's text, a paragraph (or a PDF's line) per line; a problem is a UserError naming the file."""
    suffix = path.suffix.lower()
    if suffix not in KINDS:
        raise UserError("document-kind", path=str(path), kinds=", ".join(KINDS))
    try:
        if suffix == ".txt":
            data = read_bytes(path)
            try:
                return data.decode("utf-8-sig")
            except UnicodeDecodeError:
                return data.decode("cp1258")  # Vietnamese Windows, as registers saved by Notepad are
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

    document = Document(str(path))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:  # a regulation's annex: one row a line
        lines += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(lines)


def _pdf(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    if not text.strip():
        raise UserError("document-no-text", path=str(path))
    return text
