"""Precision and recall of `hdnd rules draft` over the regulation texts in tests/data/regulations.

Each text is read as it is and with its diacritics removed (as OCR and hurried typing leave them);
a draft counts as found when its article (basis) and what its words fix (period and direction, or
schedule and count) are those a clerk reads in `expected.toml`.

    python scripts/draft_scores.py
"""
from __future__ import annotations

import tomllib
import unicodedata
from pathlib import Path

from hdnd_cli.parse.regulation import Words, drafts
from hdnd_cli.storage.bundled import drafting_file

FOLDER = Path(__file__).resolve().parent.parent / "tests" / "data" / "regulations"


def without_diacritics(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def what(item) -> tuple:
    """The article and what the words fix, diacritics aside ("Điều 5" and "Dieu 5" are one article)."""
    get = item.get if isinstance(item, dict) else lambda key: getattr(item, key)
    return (without_diacritics(get("basis") or ""), repr(get("deadline")), repr(get("schedule")), repr(get("requires")))


def scores() -> list[tuple[str, str, int, int, int]]:
    """(file, variant, expected, drafted, right) for every text and variant."""
    words = Words(tomllib.loads(drafting_file().read_text(encoding="utf-8")))
    expected = tomllib.loads((FOLDER / "expected.toml").read_text(encoding="utf-8"))["expected"]
    rows = []
    for path in sorted(FOLDER.glob("*.txt")):
        wanted = [what(e) for e in expected if e["file"] == path.name]
        text = path.read_text(encoding="utf-8")
        for variant, body in (("có dấu", text), ("không dấu", without_diacritics(text))):
            found = [what(d) for d in drafts(body, words)]
            right = sum(1 for item in found if item in wanted)
            rows.append((path.name, variant, len(wanted), len(found), right))
    return rows


def main() -> None:
    rows = scores()
    print(f"{'text':34} {'variant':10} {'expected':>8} {'drafted':>8} {'right':>6} {'precision':>9} {'recall':>7}")
    for name, variant, wanted, found, right in rows:
        precision = f"{right / found:.0%}" if found else "—"
        recall = f"{right / wanted:.0%}" if wanted else "—"
        print(f"{name:34} {variant:10} {wanted:8} {found:8} {right:6} {precision:>9} {recall:>7}")
    wanted, found, right = (sum(r[i] for r in rows) for i in (2, 3, 4))
    print(f"{'all':45} {wanted:8} {found:8} {right:6} {right / found:>9.0%} {right / wanted:>7.0%}")


if __name__ == "__main__":
    main()
