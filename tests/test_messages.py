"""Every sentence a user reads is in the catalog, in both languages, with the same placeholders."""
import ast
import re
import string
from pathlib import Path

import pytest

from hdnd_cli.messages import CATALOG, language_of, say

SOURCE = Path(__file__).resolve().parent.parent / "src" / "hdnd_cli"


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_take_the_same_placeholders():
    """One test over the whole catalog, reporting every key at fault at once."""
    faults = [f"{key}: {'empty' if not (vi.strip() and en.strip()) else sorted(placeholders(vi) ^ placeholders(en))}"
              for key, (vi, en) in sorted(CATALOG.items())
              if not (vi.strip() and en.strip()) or placeholders(vi) != placeholders(en)]
    assert len(CATALOG) > 300 and faults == []


def test_no_key_is_written_twice_in_the_catalog():
    """A key written twice keeps only its last sentence, silently: the first is never said."""
    tree = ast.parse((SOURCE / "messages.py").read_text(encoding="utf-8"))
    tables = [node for node in ast.walk(tree) if isinstance(node, ast.Dict) and len(node.keys) > 5]
    keys = [[key.value for key in table.keys if isinstance(key, ast.Constant)] for table in tables]
    assert sum(map(len, keys)) > 400  # the scan finds the catalog
    assert [sorted({k for k in found if found.count(k) > 1}) for found in keys] == [[]] * len(keys)


def keys_used() -> set[tuple[str, str]]:
    """(key, where) for every literal key given to say(), phrase(), word(), UserError() or Problem()."""
    found = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            position = {"say": 0, "phrase": 0, "word": 0, "UserError": 0, "Problem": 2}.get(name)
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                key = f"word.{argument.value}" if name == "word" else argument.value
                found.add((key, f"{path.relative_to(SOURCE)}:{node.lineno}"))
    return found


def test_every_key_the_code_uses_is_in_the_catalog():
    used = keys_used()
    assert len(used) > 90  # the scan finds them (a broken scan would find none)
    assert [f"{where}: {key}" for key, where in sorted(used) if key not in CATALOG] == []


@pytest.mark.parametrize("environ, expected", [
    ({}, "vi"), ({"LANG": "en_US.UTF-8"}, "en"), ({"LANG": "vi_VN.UTF-8"}, "vi"),
    ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "vi_VN.UTF-8"}, "en"),
    ({"LC_ALL": "vi_VN.UTF-8", "LC_MESSAGES": "en_GB.UTF-8", "LANG": "en_US"}, "vi"),
    ({"LC_ALL": "", "LANG": "en_US"}, "en"),
])
def test_the_locale_chooses_the_language_as_usual(environ, expected):
    assert language_of(environ) == expected


def test_a_message_fills_its_placeholders_in_either_language():
    assert say("option-not-here", "vi", option="--as-of") == "lệnh này không dùng --as-of"
    assert say("option-not-here", "en", option="--as-of") == "this command does not take --as-of"


VIETNAMESE = re.compile("[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵấầẩẫậắằẳẵặếềểễệốồổỗộớờởỡợứừửữự]", re.IGNORECASE)
# Vietnamese text outside the catalog that is data, not a sentence of hdnd's: names of days off in the
# calendar, the office's own day-off labels, the ledger header, the default office name, a chart title
# in the audit workbook (whose headers are still field ids), the Vietnamese words a regulation is read
# by and the citation it is given ("Điều 5 khoản 1"), and the bilingual comments of a drafted pack
# (a file that readers of either language share, like the pack template in data/).
DATA = {"dates/calendar.py", "parse/config.py", "storage/filestore.py", "storage/init.py", "render/sheets.py",
        "parse/regulation.py", "render/drafts.py", "model.py"}  # model.py: the words registers write for yes and no


def test_no_sentence_is_written_outside_the_catalog():
    """Every Vietnamese string literal in the code is in the catalog, a docstring, an option's bilingual
    help (shown before --lang is read), the schema's bilingual descriptions, or named data."""
    found = []
    for path in SOURCE.rglob("*.py"):
        where = str(path.relative_to(SOURCE))
        if where in DATA | {"messages.py", "parse/schema.py"}:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        allowed = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and ast.get_docstring(node, clean=False):
                allowed.add(id(node.body[0].value))
            if isinstance(node, ast.keyword) and node.arg == "help":
                allowed.update(id(sub) for sub in ast.walk(node.value))
        found += [f"{where}:{node.lineno}: {node.value[:60]!r}" for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in allowed
                  and VIETNAMESE.search(node.value)]
    assert found == [], "\n".join(found)


def test_the_guard_sees_a_planted_sentence(tmp_path, monkeypatch):
    planted = tmp_path / "hdnd_cli"
    (planted / "render").mkdir(parents=True)
    (planted / "render" / "x.py").write_text('print("Đã gửi")\n', encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "SOURCE", planted)
    with pytest.raises(AssertionError):
        test_no_sentence_is_written_outside_the_catalog()
