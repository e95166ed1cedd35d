"""The rule pack `hdnd rules draft` writes: one commented draft rule per deadline sentence.

Every rule says where it was read (`basis`, `quote`), what the words fix (the period or schedule) and
what was only proposed (`guessed`, and "?" where nothing could be proposed), with `status = "draft"`
so that `check` refuses the pack until a person has confirmed each rule.
"""
from __future__ import annotations

import json
import re
from typing import Any

from ..messages import fold
from ..parse.regulation import Draft

HEADER = """\
# Bản nháp quy tắc do `hdnd rules draft` đọc từ «{name}»: {count} câu có thời hạn.
# Với mỗi quy tắc: đọc câu trích (quote) trong văn bản gốc, kiểm tra thời hạn và những gì được đoán
# (guessed), điền mọi chỗ "?", đặt tên ngắn (title), rồi đổi status = "draft" thành "confirmed".
# `hdnd check` không chấp nhận bộ quy tắc còn quy tắc "draft" hoặc chỗ "?".
#
# Draft rules read by `hdnd rules draft` from «{name}»: {count} sentences with a deadline. For each
# rule: read its quote in the original, check the period and what was guessed, fill every "?", give it
# a short title, then change status = "draft" to "confirmed". `hdnd check` refuses the pack until then.

[source]
id = {id}
title = {title}
scope = "local"
{level}# in_force = {{ from = 2026-01-01 }}  # ← ngày văn bản có hiệu lực / the day the text took effect
"""


def pack_text(drafts: list[Draft], name: str, title: str, level: str | None) -> str:
    """The draft pack for the document `name` (its file name) titled `title`."""
    level_line = f'level = "{level}"\n' if level else '# level = "commune"  # ← cấp áp dụng / the level\n'
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    out = [HEADER.format(name=name, count=len(drafts), id=_toml(_slug(stem)), title=_toml(title), level=level_line)]
    taken: set[str] = set()
    for draft in drafts:
        out.append(_rule(draft, _rule_id(draft, taken)))
    return "\n".join(out)


def _rule(draft: Draft, rule_id: str) -> str:
    lines = ["[[rules]]", f"id = {_toml(rule_id)}", f"title = {_toml(_title(draft.quote))}", 'status = "draft"']
    if draft.obligor.startswith("?"):
        lines.append('obligors = ["?"]  # ← mã cơ quan có nghĩa vụ (mỗi cơ quan một mã) / the bodies that owe it')
    else:
        lines.append(f"obligor = {_toml(draft.obligor)}")
    if draft.recipient and not draft.recipient.startswith("?"):
        lines.append(f"recipient = {_toml(draft.recipient)}")
    if draft.basis:
        lines.append(f"basis = {_toml(draft.basis)}")
    lines.append(f"quote = {_toml(draft.quote)}")
    if draft.trigger is not None:
        lines.append(f"trigger = {_toml(draft.trigger)}"
                     + ("  # ← loại sự kiện / the event's kind" if draft.trigger["event"] == "?" else ""))
        lines.append(f"deadline = {_toml(draft.deadline)}")
    else:
        lines.append(f"schedule = {_toml(draft.schedule)}")
        if draft.requires:
            lines.append(f"requires = {_toml(draft.requires)}"
                         + ("  # ← loại sự kiện được đếm / the kind counted" if draft.requires["event"] == "?" else ""))
    guessed = list(draft.guessed)
    if draft.trigger and draft.trigger["event"] != "?":
        guessed.append(f"trigger: {_toml(draft.trigger)}")
    if guessed:
        lines.append("guessed = [" + ", ".join(_toml(g) for g in guessed) + "]")
    lines += [f"# Văn bản nhắc lại / stated again: «{quote}»" for quote in draft.also]
    return "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    """A TOML value: JSON's string escapes are TOML's; tables inline."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {_toml(item)}" for key, item in value.items()) + " }"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "quy-che"


def _rule_id(draft: Draft, taken: set[str]) -> str:
    base = _slug(draft.basis) if draft.basis else "rule"
    number, rule_id = 1, base
    while rule_id in taken:
        number += 1
        rule_id = f"{base}-{number}"
    taken.add(rule_id)
    return rule_id


def _title(quote: str) -> str:
    """A first title: the sentence, shortened; the office writes a better one."""
    text = quote.lstrip("-–•+* ").strip()
    return text if len(text) <= 90 else text[:89].rsplit(" ", 1)[0] + "…"
