"""`hdnd init`: a new workspace with hdnd.toml, the bundled packs for its level and an empty ledger."""
from __future__ import annotations

import shutil
import tomllib
import uuid
from datetime import date
from pathlib import Path

import tomli_w

from ..model import UserError
from .bundled import bodies_file
from .workspace import bundled_packs

LEDGER_HEADER = """\
# The ledger: what happened, one entry per event (see README, "The ledger").
# Record entries with `hdnd add`, `hdnd done`, ... or write them here by hand, e.g.
#
# - id: kh-2026-12
#   kind: session
#   date: 2026-12-08
#   ends: 2026-12-10
#   type: regular
"""


SINCE_NOTE = ("# Schedules (yearly, quarterly, weekly duties) are tracked from this day, the day hdnd was set up:\n"
              "# periods before it are not shown as overdue, whatever is back-filled. Move it back to audit them.\n")


UID_NOTE = ("# Set once, never changed: calendar events and mail lists are known by it, so renaming the office\n"
            "# does not duplicate every event in subscribed calendars.\n")


def create(folder: Path, level: str, today: date) -> int:
    """Write the workspace into `folder`; returns the number of packs copied. Never overwrites."""
    if (folder / "hdnd.toml").exists():
        raise UserError("init-exists", path=str(folder))
    bodies_data = tomllib.loads(bodies_file().read_text(encoding="utf-8"))
    words = bodies_data["levels"][level]
    packs = [p for p in bundled_packs()
             if tomllib.loads(p.read_text(encoding="utf-8"))["source"].get("level", "any") in (level, "any")]
    config = {
        "office": {"name": f"Văn phòng HĐND {words['vi']}", "level": level, "lang": "vi",
                   "timezone": "Asia/Ho_Chi_Minh", "since": today, "uid": uuid.uuid4().hex[:16]},
        "paths": {"rules": ["rules"], "ledger": ["data"], "write_to": "data/{year}.yaml"},
        "due": {"horizon": "14d"},
        "bodies": [{"id": b["id"], "name": b["name"].format(level=words["vi"]),
                    "name_en": _capital(b["name_en"].format(level=words["en"]))}
                   for b in bodies_data["bodies"] if level in b.get("levels", [level])],
        "calendar": {"days_off": [], "work_days": []},
    }
    (folder / "rules").mkdir(parents=True, exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    for pack in packs:
        shutil.copyfile(pack, folder / "rules" / pack.name)
    if not (folder / "data" / "ledger.yaml").exists():
        (folder / "data" / "ledger.yaml").write_text(LEDGER_HEADER, encoding="utf-8")
    if not (folder / ".gitignore").exists():
        (folder / ".gitignore").write_text(".hdnd.lock\n.hdnd-notify.lock\n.hdnd-notified.json\n.hdnd-journal.json\n*.tmp\n",
                                           encoding="utf-8")
    header = "# hdnd workspace settings (see README). Paths are relative to this file.\n"
    text = tomli_w.dumps(config).replace("\nsince = ", "\n" + SINCE_NOTE + "since = ", 1)
    text = text.replace("\nuid = ", "\n" + UID_NOTE + "uid = ", 1)
    (folder / "hdnd.toml").write_text(header + text, encoding="utf-8")
    return len(packs)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
