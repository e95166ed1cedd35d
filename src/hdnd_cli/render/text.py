"""One render layer, two audiences: tables and explanations for people, JSON and CSV for scripts.

It formats; it decides nothing. Rich is imported only when a table is drawn on a terminal.
"""
from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import cache
from itertools import islice
from typing import Any, TextIO
from unicodedata import normalize

from ..dates.calendar import DayOff
from ..messages import CATALOG, amount_text, moment_text, phrase, say, shown, status, vn_date, weekday, word
from ..model import (
    Amount,
    ChainedRule,
    Completion,
    CountRule,
    DeadlineRule,
    Entry,
    EventRule,
    Obligation,
    Party,
    Problem,
    Rule,
    ScheduleRule,
    Step,
    Workspace,
)

FIELDS = ("id", "rule", "title", "obligor", "recipient", "key", "due", "original_due", "status",
          "days_left", "days_late", "done", "basis", "source")
FIXED_WIDTH = {"status": 12, "due": 10, "days": 11}
STYLES = {"overdue": "bold red", "today": "bold yellow", "soon": "yellow", "open": "", "suspended": "cyan",
          "done": "green", "late": "magenta", "waived": "dim"}


EVIDENCE = ("recorded_at", "recorded_by", "file", "sha256")  # what `history` says of how a completion was recorded


def item(obligation: Obligation, day: Callable[[date], Any] = date.isoformat, evidence: bool = False) -> dict[str, Any]:
    """The stable JSON form of an obligation (the README's 'JSON and CSV'); `day` writes its dates
    (`_as_is` leaves them to the encoder, which writes the same text faster). With `evidence` (the
    auditor's `history`), `done` also says when and by whom the completion was recorded, and the file
    that proves it with its SHA-256."""
    done = obligation.done
    return {
        "id": obligation.id,
        "rule": obligation.rule.id if obligation.rule else None,
        "title": obligation.title,
        "obligor": obligation.obligor,
        "recipient": obligation.recipient,
        "key": obligation.key,
        "due": day(obligation.due) if obligation.due else None,  # none while suspended
        "original_due": day(obligation.original_due) if obligation.original_due else None,
        "status": obligation.status,
        "days_left": obligation.days_left,
        "days_late": obligation.days_late,
        "done": ({"date": day(done.date), "ref": done.ref, **(recorded(done) if evidence else {})} if done
                 else None),
        "basis": obligation.basis,
        "source": obligation.source,
        **({"provisional": True} if obligation.provisional else {}),
    }


def recorded(done: Completion) -> dict[str, Any]:
    """How a completion came into the ledger: when and by whom it was written (a back-filled one shows
    a `recorded_at` long after its date), and its evidence file with the file's SHA-256."""
    entry = done.entry
    fields = entry.fields if entry is not None else {}
    by = fields.get("recorded", {}).get("by") if isinstance(fields.get("recorded"), Mapping) else None
    return {"recorded_at": entry.recorded_at.isoformat() if entry is not None and entry.recorded_at else None,
            "recorded_by": None if by is None else str(by), "file": fields.get("file"), "sha256": fields.get("sha256")}


def write_json(out: TextIO, as_of: date, obligations: Iterable[Obligation], known_on: datetime | None = None,
               left_out: int = 0, law: str | None = None, evidence: bool = False) -> None:
    """The documented JSON document, with the version of the law that made it; under `--known-on` it
    also says that time and how many entries it left out. Written to `out` as `write_document` does."""
    head: dict[str, Any] = {"as_of": as_of.isoformat(), **({"law": law} if law else {})}
    if known_on is not None:
        head.update(known_on=known_on.isoformat(), left_out=left_out)
    write_document(out, head, (item(o, _as_is, evidence) for o in obligations))


def write_document(out: TextIO, head: dict[str, Any], items: Iterable[dict[str, Any]], chunk: int = 1000) -> None:
    """`dumps({**head, "items": [*items]}, floats=False)` and a line end, written `chunk` items at a
    time: a long list is never one document in memory (100,000 items held 140 MiB of dictionaries
    and text). Each chunk is dumped as a list, whose items stand two spaces in; in the document they
    stand four in, and a line break inside a JSON text is always written `\\n`, so every line of the
    chunk is indented by two more."""
    opening = dumps({**head, "items": []}, floats=False)  # ends with `"items": []` and the brace
    out.write(opening[:-len("[]\n}")])
    items = iter(items)
    separator = "[\n"
    while batch := list(islice(items, chunk)):
        text = dumps(batch, floats=False)  # "[\n  {\n    ...\n  }\n]"
        out.write(separator + "  " + text[2:-2].replace("\n", "\n  "))
        separator = ",\n"
    out.write("[]\n}\n" if separator == "[\n" else "\n  ]\n}\n")


def _as_is(day: date) -> date:
    return day


def dumps(document: Any, floats: bool = True) -> str:
    """A JSON document exactly as `json.dumps(document, ensure_ascii=False, indent=2)` writes it, at
    orjson's speed (the standard library's encoder is pure Python once it indents: at 20,000 items
    it was half of `due --format json`); the standard library where orjson cannot encode a value.
    `floats=False` says the document holds none (the items' fields), sparing the scan for them."""
    try:
        import orjson
    except ImportError:  # a platform without its wheel
        return _standard(document)
    try:
        text = orjson.dumps(document, option=orjson.OPT_INDENT_2).decode()  # a date as its ISO text
    except (orjson.JSONEncodeError, TypeError):  # an integer beyond 64 bits
        return _standard(document)
    if floats and _FLOAT.search(text):  # orjson writes 1e-7 and 0.00006 where Python writes 1e-07 and 6e-05
        return _standard(document)
    return text


def _standard(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, default=_iso)


def _iso(value: Any) -> str:
    if isinstance(value, date):  # and a datetime
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


_FLOAT = re.compile(r"\d[.eE]")  # a float, or text that looks like one: the standard library decides


def as_csv(obligations: Iterable[Obligation]) -> str:
    """The JSON fields, one row per item; `done` becomes `done_date` and `done_ref`."""
    out = io.StringIO()
    write_csv(obligations, out)
    return out.getvalue()


def write_csv(obligations: Iterable[Obligation], out: TextIO, evidence: bool = False) -> None:
    """`as_csv`, written row by row to `out` (a million rows are never one string); `evidence` as `item`'s."""
    late = FIELDS.index("days_late") + 1
    done_fields = ("date", "ref", *(EVIDENCE if evidence else ()))
    header = [*FIELDS[:late], *(f"done_{name}" for name in done_fields), *FIELDS[late + 1:]]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for obligation in obligations:
        row = item(obligation, evidence=evidence)
        done = row.pop("done") or {}
        row.update({f"done_{name}": done.get(name) for name in done_fields})
        writer.writerow([inert(row[c]) for c in header])


def inert(value: Any) -> Any:
    """A spreadsheet cell that cannot become a formula: text starting with =, +, -, @ (an entry
    imported from another body's sheet) gets a leading apostrophe, as OWASP advises; None is empty."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def problems_text(problems: Iterable[Problem], lang: str) -> str:
    """`file:line: message`, sorted by file and line, one per line."""
    ordered = unique_problems(problems)
    warning = word("warning", lang)
    return "\n".join(f"{place(p.file, p.line)}: {warning if p.warning else ''}{say(p.key, lang, **p.params)}"
                     for p in ordered)


def place(file: str, line: int) -> str:
    """Where a problem is: `file:line`, or for an entry in a database `db:OFFICE#NUMBER`."""
    return f"{file}#{line}" if file.startswith("db:") and "/" not in file else f"{file}:{line}"


def unique_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems sorted by file and line, each once (told apart by their bounded text)."""
    unique = {(p.file, p.line, p.key, str(sorted((k, str(shown(v))) for k, v in p.params.items()))): p
              for p in problems}
    return [unique[k] for k in sorted(unique)]


def day_text(day: date, lang: str) -> str:
    return f"{weekday(day, lang)} {vn_date(day)}"


def days_text(obligation: Obligation, lang: str) -> str:
    if obligation.status == "suspended":
        return word("left-paused", lang, left=_left(obligation, lang))
    return _days(obligation.days_left, obligation.days_late, lang)


@cache  # a long list says a few hundred numbers of days many times over
def _days(left: int | None, late: int | None, lang: str) -> str:
    if left is not None:
        if left < 0:
            return word("late_by", lang, n=-left)
        return status("today", lang) if left == 0 else word("left", lang, n=left)
    if late is not None:
        if late == 0:
            return word("on_day", lang)
        return word("late_by" if late > 0 else "early_by", lang, n=abs(late))
    return ""


RICH_ROWS = 500  # above this many rows even a terminal gets plain rows: rich costs ~0.3 ms a row


def draw(headers: list[str], rows: list[list[str]], styles: list[str] | None = None,
         options: list[dict[str, Any]] | None = None, title: str | None = None, terminal: bool = False) -> None:
    """A table: drawn by rich (colour, wrapping) for a `terminal` (the command line says whether stdout
    is one); otherwise plain aligned rows, one item a line (a cell's second line follows its first),
    which pipes, greps and prints at once."""
    if terminal and len(rows) <= RICH_ROWS:
        from rich.console import Console
        from rich.table import Table

        console = Console(highlight=False, soft_wrap=False)
        columns = [dict(option) for option in options] if options else [{} for _ in headers]
        # A preferred width (an id kept whole) holds while every column's least width fits the terminal;
        # past that a cell folds rather than being cut off at the edge.
        least = sum(c.get("min_width") or c.get("prefer_width") or 8 for c in columns) + 2 * (len(columns) - 1)
        for column in columns:
            prefer = column.pop("prefer_width", None)
            if prefer and least <= console.width:
                column["min_width"] = prefer
        table = Table(box=None, header_style="bold", pad_edge=False, title=title)
        for header, column in zip(headers, columns):
            table.add_column(header, overflow="fold", **column)
        for index, row in enumerate(rows):
            table.add_row(*row, style=styles[index] if styles else None)
        console.print(table)
        return
    # NFC: a Vietnamese letter typed decomposed (e + combining marks) is one column wide, as it shows.
    lines = [headers] + [[normalize("NFC", cell.replace("\n", "  ")) for cell in row] for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(headers) - 1)]
    if title:
        sys.stdout.write(title.rstrip() + "\n")
    for line in lines:  # a line at a time: a long list is not held again as one text
        sys.stdout.write(("  ".join(cell.ljust(w) for cell, w in zip(line, widths)) + "  " + line[-1]).rstrip() + "\n")


def obligations_table(obligations: list[Obligation], workspace: Workspace, lang: str,
                      show_done: bool = False, terminal: bool = False) -> None:
    """Status, due date and days first (never cut), then the body, then the title with its id below."""
    keys = ("status", "due", "days", "obligor", "title") + (("done",) if show_done else ())
    longest_id = max((len(o.id) for o in obligations), default=0)  # kept whole where the terminal allows
    options = [{"no_wrap": key in FIXED_WIDTH, "min_width": {**FIXED_WIDTH, "done": 10}.get(key),
                **({"prefer_width": longest_id} if key == "title" else {}),
                **({"max_width": 20} if key == "obligor" else {})} for key in keys]
    rows = []
    for o in obligations:
        notes = [word("provisional", lang)] if o.provisional else []
        notes += [word("late-fact", lang, where=f"{f.file}:{f.line}") for f in late_facts(o)]
        row = [status(o.status, lang), vn_date(o.due), days_text(o, lang), workspace.body_name(o.obligor, lang),
               f"{(o.title_en or o.title) if lang == 'en' else o.title}\n{o.id}" + "".join(f" ({n})" for n in notes)]
        if show_done:
            row.append(vn_date(o.done.date) + (f"\n{o.done.ref}" if o.done.ref else "") if o.done else "")
        rows.append(row)
    draw([word(key, lang) for key in keys], rows, [STYLES[o.status] for o in obligations], options,
         terminal=terminal)


def plain(text: str) -> None:
    print(text)


# --- explain --------------------------------------------------------------------------------------

def explain(o: Obligation, workspace: Workspace, lang: str, skipped: Sequence[tuple[Entry, str]] = (),
            as_of: date | None = None, known_on: datetime | None = None, fixes: Sequence[Entry] = (),
            progress: list[Entry] | None = None, acts: Sequence[tuple[Entry, bool]] = ()) -> str:
    """The obligation, its source, each step of its due date, its status, and the entries about it
    that did not count (`skipped`), each with the time that left it out."""
    lines = [o.id, f"  {(o.title_en or o.title) if lang == 'en' else o.title}"]
    recipient = f" → {workspace.body_name(o.recipient, lang)} ({o.recipient})" if o.recipient else ""
    lines.append(f"  {word('body', lang)}: {workspace.body_name(o.obligor, lang)} ({o.obligor}){recipient}")
    rule = o.rule
    if rule:
        lines.append(f"  {word('basis', lang)}: {rule.pack.title} [{rule.pack.id}]"
                     + (f", {rule.basis}" if rule.basis else "") + f" ({rule.pack.file}:{rule.line})")
        if rule.quote:
            lines.append(f"  {word('quote', lang)}: «{rule.quote}»")
    elif o.basis or o.source:
        lines.append(f"  {word('basis', lang)}: {' '.join(str(x) for x in (o.source, o.basis) if x)}")
    lines.append(phrase("explain.computed", lang))
    for number, text in enumerate(_steps(o, lang), 1):
        lines.append(f"  {number}. {text}")
    originally = "" if o.due == o.original_due else f" ({phrase('explain.originally', lang, date=o.original_due)})"
    if o.due is None:
        lines.append(phrase("explain.no-due", lang, left=_left(o, lang)))
    else:
        lines.append(f"{word('due', lang)}: {day_text(o.due, lang)}{originally}")
    if o.provisional:
        lines.append(phrase("explain.provisional", lang))
    if workspace.law is not None:
        lines.append(phrase("explain.law", lang, law=workspace.law.version))
    line = f"{word('status', lang)}: {status(o.status, lang)}"
    if o.done:
        where = f", {o.done.entry.file}:{o.done.entry.line}" if o.done.entry else ""
        ref = f" {o.done.ref}" if o.done.ref else ""
        line += f" - {phrase('explain.done-on', lang, date=o.done.date)}{ref}{where}"
    if o.waiver:
        line += f" - {o.waiver.get('reason')} ({o.waiver.file}:{o.waiver.line})"
    extra = days_text(o, lang)
    lines.append(line + (f" ({extra})" if extra else ""))
    if progress is not None and isinstance(o.rule, CountRule):
        found = ", ".join(f"{vn_date(e.date)} ({e.file}:{e.line})" for e in progress)
        lines.append(phrase("explain.progress", lang, count=len(progress), needed=o.rule.requires.number,
                            what=event_word(o.rule.requires.match.event, lang), found=f": {found}" if found else ""))
    if len(acts) > 1 or any(voided for _, voided in acts):  # every act written about it, in order
        lines.append(phrase("explain.acts", lang))
        for act, voided in acts:
            said = act.get("ref") or act.get("reason") or ""
            until = f" → {vn_date(act.get('until'))}" if act.kind == "extend" else ""
            lines.append(f"  - {vn_date(act.date)}: {word('act-' + act.kind, lang)}{until} {said} ({act.file}:{act.line})"
                         + (f" - {word('act-voided', lang)}" if voided else ""))
    if fixes:
        lines.append(phrase("explain.corrections", lang))
    for fix in fixes:
        changed = ", ".join(f"{k} = {_toml(v)}" for k, v in fix.fields.items() if k not in ("of", "reason", "recorded"))
        what = (phrase("explain.withdrawn", lang) if fix.kind == "void" else changed) + f" ({fix.get('of')})"
        counted = "" if as_of is None or fix.date <= as_of else phrase("explain.fix-later", lang)
        lines.append(f"  - {vn_date(fix.date)}: {what}: {fix.get('reason')} ({fix.file}:{fix.line}){counted}")
    if skipped:
        lines.append(phrase("explain.not-counted", lang))
    for entry, why in skipped:
        what = f"'{entry.kind}' {vn_date(entry.date)}" + (f" {entry.get('ref')}" if entry.get("ref") else "")
        if why == "known-on":  # recorded after `known_on`: both are set
            at = entry.recorded_at
            assert at is not None and known_on is not None
            at = at if at.tzinfo is None else at.astimezone(known_on.tzinfo)
            reason = phrase("explain.after-known-on", lang, at=moment_text(at, lang), known_on=moment_text(known_on, lang))
        else:
            reason = phrase("explain.after-as-of", lang, date=entry.date, as_of=as_of)
        lines.append(f"  - {what} ({entry.file}:{entry.line}): {reason}")
    return "\n".join(lines)


def _left(o: Obligation, lang: str) -> str:
    """What is left of a suspended case's period: '25 ngày', '3 ngày làm việc'."""
    return _amount(o.days_left or 0, o.computation.steps[-1].params["unit"], lang)


def late_facts(o: Obligation) -> tuple[Entry, ...]:
    """The facts recorded after the period they would have lengthened had run out."""
    return next((s.params["facts"] for s in o.computation.steps if s.what == "late-facts"), ())


def _steps(o: Obligation, lang: str) -> list[str]:
    texts = []
    origin = o.origin  # the trigger's event, the parent's done entry, or the obligation entry: set where read
    where = f"{origin.file}:{origin.line}" if origin is not None else ""
    for step in o.computation.steps:
        p = step.params
        if step.what == "trigger" and origin is not None:
            if origin.kind == "done":
                texts.append(phrase("step.after-done", lang, day=day_text(p["date"], lang), where=where))
            else:
                field = o.rule.date_field if isinstance(o.rule, EventRule) else "date"
                texts.append(phrase("step.event", lang, kind=origin.kind, id=origin.id, where=where, field=field,
                                    day=day_text(p["date"], lang)))
        elif step.what in ("days", "months", "working-days"):
            texts.append(_count_text(step, lang))
        elif step.what == "roll":
            texts.append(phrase(f"step.roll-{p['direction']}", lang, days=_skipped(p["skipped"], lang),
                                day=day_text(p["to"], lang)))
        elif step.what == "no-roll":
            texts.append(phrase("step.no-roll", lang, date=p["date"], reason=_reason(p["reason"], lang)))
        elif step.what == "scheduled":
            texts.append(phrase("step.scheduled", lang, period=p["period"], day=day_text(p["date"], lang)))
        elif step.what == "case":
            texts.append(phrase("step.case", lang, facts=", ".join(f"{k} = {_toml(v)}" for k, v in p["where"].items()),
                                where=", ".join(f"{e.file}:{e.line}" for e in p["said"]),
                                amount=p["amount"]))
        elif step.what == "no-case":
            texts.append(phrase("step.no-case", lang, names=", ".join(p["names"])))
        elif step.what == "pause":
            texts.append(phrase("step.pause", lang, start=p["from"], end=p["to"], day=day_text(p["end"], lang),
                                used=_amount(p["used"], p["unit"], lang), left=_amount(p["left"], p["unit"], lang)))
        elif step.what == "suspended":
            texts.append(phrase("step.suspended", lang, start=p["from"], where=f"{p['fact'].file}:{p['fact'].line}",
                                used=_amount(p["used"], p["unit"], lang), left=_amount(p["left"], p["unit"], lang)))
        elif step.what == "late-facts":
            texts.append(phrase("step.late-facts", lang, facts="; ".join(
                f"{', '.join(f'{k} = {_toml(v)}' for k, v in f.fields.items() if k not in ('of', 'recorded', 'note'))}"
                f" {vn_date(f.date)} ({f.file}:{f.line})" for f in p["facts"])))
        elif step.what == "set-by":
            texts.append(phrase("step.set-by", lang, where=where, day=day_text(p["due"], lang)))
    for extension in o.extensions:
        texts.append(phrase("step.extended", lang, day=day_text(extension.get("until"), lang),
                            reason=extension.get("reason"),
                            where=f"{extension.get('ref') or ''} {extension.file}:{extension.line}"))
    return texts


UNITS = {"days": "d", "months": "m", "working-days": "wd"}


def _amount(count: int, unit: str, lang: str) -> str:
    return amount_text(Amount(count, unit), lang)


def _count_text(step: Step, lang: str) -> str:
    p = step.params
    text = phrase("step.count-after" if p["sign"] > 0 else "step.count-before", lang,
                  amount=_amount(p["count"], UNITS[step.what], lang), day=day_text(p["end"], lang))
    if step.what == "months" and p["clamped"]:
        text += phrase("step.clamped", lang)
    if step.what == "working-days" and p["skipped"]:
        text += phrase("step.skipped", lang, days=_skipped(p["skipped"], lang))
    return text


def _skipped(days: list[tuple[date, DayOff]], lang: str) -> str:
    return ", ".join(f"{vn_date(d)} ({_reason(r, lang)})" for d, r in days)


def _reason(reason: DayOff, lang: str) -> str:
    return reason.name_en if lang == "en" else reason.name


# --- rules and calendar ---------------------------------------------------------------------------

def deadline_text(rule: Rule, lang: str) -> str:
    """The rule's deadline in plain words: '30 ngày sau ngày nhận khiếu nại; ngày nghỉ thì chuyển ...',
    'hằng quý, ngày 24 tháng cuối quý; không chuyển'."""
    if isinstance(rule, ScheduleRule):
        s = rule.schedule
        parts = [phrase(f"every.{s.every}", lang)]
        if s.day:
            if s.every == "quarter" and s.month:
                month = phrase(f"schedule.quarter-month.{s.month}", lang)
            else:
                month = phrase("schedule.month-name", lang, n=s.month) if s.month else ""
            if month:
                day = phrase("schedule.last", lang) if s.day == -1 else s.day
                parts.append(phrase("schedule.day-of", lang, day=day, month=month))
            else:
                parts.append(phrase("schedule.last-day", lang) if s.day == -1 else phrase("schedule.day", lang, n=s.day))
        elif s.month:
            parts.append(phrase("schedule.month", lang, n=s.month))
        if s.weekday:
            parts.append(say(f"weekday.{s.weekday - 1}", lang))
        if isinstance(rule, CountRule):
            parts.append(phrase("schedule.at-least", lang, count=rule.requires.number,
                                event=event_word(rule.requires.match.event, lang)))
        return ", ".join(parts) + "; " + phrase(f"roll.{s.roll}", lang)
    d = rule.deadline
    if isinstance(rule, ChainedRule):
        base = phrase("deadline.when-done", lang, rule=rule.follows)
    else:
        match = rule.match
        filters = [f"{k} = {_toml(v)}" for k, v in match.where.items()]
        filters += [phrase("deadline.unless", lang, filter=f"{k} = {_toml(v)}") for k, v in match.unless.items()]
        filters += [phrase("deadline.with", lang, name=k) for k in match.has]
        base = when_word(match.event, rule.date_field, lang) + (f" ({', '.join(filters)})" if filters else "")
    cases = "".join(phrase("deadline.case", lang, amount=c.amount,
                           where=", ".join(f"{k} = {_toml(v)}" for k, v in c.where.items())) for c in d.cases)
    return phrase(f"deadline.{d.direction}", lang, amount=d.amount, base=base,
                  cases=cases, roll=phrase(f"roll.{d.roll}", lang))


def event_word(kind: str, lang: str) -> str:
    """An event kind as people say it ('cuộc làm việc'), or the kind itself when hdnd has no word for it."""
    return phrase(f"event.{kind}", lang) if f"event.{kind}" in CATALOG else kind


def when_word(kind: str, field: str, lang: str) -> str:
    """The day a rule counts from: 'ngày khai mạc kỳ họp', 'ngày nhận khiếu nại', else 'ngày 'x' của ...'."""
    key = f"when.{kind}.{field}"
    if key in CATALOG:
        return phrase(key, lang)
    if field == "date":
        return phrase("when.day", lang, event=event_word(kind, lang))
    return phrase("when.any", lang, field=field, event=event_word(kind, lang))


def _toml(value: Any) -> str:
    """A filter's value as it is written in the rule: `true`, not Python's `True`."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def party_text(party: str | Party | None, lang: str) -> str:
    """A body id, or the field of the case's event that names the body."""
    if party is None or isinstance(party, str):
        return party or ""
    default = f", {word('default', lang)} {party.default}" if party.default else ""
    return f"<{party.field}{default}>"


def sureness(rule: Rule, lang: str) -> str:
    """How sure the rule is: a local text to adapt, or the status of the national sentence read."""
    if rule.pack.scope == "local":
        text = phrase("sure.local", lang)
    else:
        text = phrase(f"sure.{rule.status}", lang) if rule.status in ("verified", "partial") else ""
    if rule.status in ("draft", "confirmed"):
        text = phrase(f"sure.{rule.status}", lang)
    return text + (phrase("sure.off", lang) if not rule.enabled else "")


def rules_table(rules: list[Rule], lang: str, terminal: bool = False) -> None:
    rows = []
    for rule in rules:
        span = rule.in_force
        in_force = f"{vn_date(span.start) if span.start else '…'} - {vn_date(span.end) if span.end else '…'}"
        rows.append([rule.id, (rule.title_en or rule.title) if lang == "en" else rule.title,
                     ", ".join(party_text(p, lang) for p in rule.obligors), deadline_text(rule, lang), rule.pack.id,
                     in_force, sureness(rule, lang)])
    draw([word(key, lang) for key in ("id", "title", "obligor", "deadline", "source", "in_force", "sureness")], rows,
         terminal=terminal)
    notes = {rule.pack.id: rule.pack.note for rule in rules if rule.pack.note}
    for pack_id, note in notes.items():  # what a pack says of itself: one province's letter, a law amended
        print(phrase("note", lang, pack=pack_id, note=note))


def rule_text(rule: Rule, lang: str) -> str:
    lines = [f"{rule.id} ({rule.pack.file}:{rule.line})", f"  {rule.title}"]
    if rule.title_en:
        lines.append(f"  {rule.title_en}")
    lines += [
        f"  {word('owed_by', lang)}: {', '.join(party_text(p, lang) for p in rule.obligors)}"
        + (f" → {party_text(rule.recipient, lang)}" if rule.recipient else ""),
        f"  {word('deadline', lang)}: {deadline_text(rule, lang)}",
        f"  {word('basis', lang)}: {rule.pack.title} [{rule.pack.id}, {rule.pack.scope}, {rule.pack.level}]"
        + (f", {rule.basis}" if rule.basis else ""),
    ]
    if rule.quote:
        lines.append(f"  {word('quote', lang)}: «{rule.quote}»")
    lines += [f"  {word('guessed', lang)}: {guess}" for guess in rule.guessed]
    lines.append(f"  {word('sureness', lang)}: {sureness(rule, lang)}" + (f" ({rule.url})" if rule.url else ""))
    for note in (rule.pack.note, rule.note):
        if note:
            lines.append(f"  {word('note', lang)}: {note}")
    if rule.extensions:
        extensions = phrase("extensions-text", lang, max=rule.extensions.max, each=rule.extensions.each)
        lines.append(f"  {word('extensions', lang)}: {extensions}")
    if isinstance(rule, DeadlineRule) and rule.satisfied_by:
        where = ", ".join(f"{k} = {_toml(v)}" for k, v in rule.satisfied_by.where.items())
        lines.append(f"  {word('met_by', lang)}: {rule.satisfied_by.event}" + (f" ({where})" if where else ""))
    span = rule.in_force
    lines.append(f"  {word('in_force', lang)}: {vn_date(span.start) if span.start else '…'} - "
                 f"{vn_date(span.end) if span.end else '…'}")
    for example in rule.examples:
        start = vn_date(example.trigger) if example.trigger else example.period
        lines.append(f"  {word('example', lang)}: {start} → {vn_date(example.due)}")
    return "\n".join(lines)


def calendar_rows(days: list[tuple[date, DayOff]], lang: str, announced: bool = True) -> list[dict[str, Any]]:
    """One row per special day; in a year not yet announced the statutory days are `computed`."""
    return [{"date": d.isoformat(), "weekday": weekday(d, lang),
             "kind": "computed" if r.origin == "statutory" and not announced else r.origin,
             "working_day": r.origin in ("make-up", "not-off"),
             "name": r.name_en if lang == "en" else r.name, "document": r.document} for d, r in days]


def calendar_table(rows: list[dict[str, Any]], lang: str, terminal: bool = False) -> None:
    styles = ["green" if row["working_day"] else ("dim" if date.fromisoformat(row["date"]).weekday() >= 5 else "")
              for row in rows]
    cells = [[vn_date(date.fromisoformat(row["date"])), row["weekday"], word(row["kind"], lang), row["name"],
              row["document"] or ""] for row in rows]
    draw([word(key, lang) for key in ("date", "weekday", "kind", "name", "document")], cells, styles,
         terminal=terminal)


def period_text(start: date | None, end: date | None, lang: str) -> str:
    """A period as a title says it: "từ 01/01/2026 đến 31/12/2026", "từ 01/01/2026", "toàn bộ"."""
    if start and end:
        return phrase("sheet.from-to", lang, start=start, end=end)
    if start or end:
        return phrase("sheet.from" if start else "sheet.to", lang, day=start or end)
    return phrase("sheet.all-time", lang)


def audit_table(document: dict[str, Any], workspace: Workspace | None, lang: str,
                terminal: bool = False) -> None:
    """One row per group with a small bar for the on-time rate (tỷ lệ đúng hạn)."""
    headers = [phrase(f"audit.{key}", lang) for key in ("group", "total", "done", "late", "overdue", "waived", "open",
                                                          "rate", "days-late")]
    start, end = (date.fromisoformat(document[k]) if document[k] else None for k in ("from", "to"))
    period = period_text(start, end, lang)
    rows = []
    for g in document["groups"]:
        rate = g["on_time_rate"]
        bar = "—" if rate is None else f"{'█' * round(rate * 10):<10} {rate:.0%}"
        late = "" if g["max_days_late"] is None else f"{g['median_days_late']}/{g['max_days_late']}"
        name = workspace.group_name(document["by"], g["key"], lang) if workspace else g["key"]
        rows.append([name, *(str(g[k]) for k in ("total", "done", "late", "overdue", "waived", "open")), bar, late])
    draw(headers, rows, options=[{"no_wrap": index > 0} for index in range(len(headers))],
         title=f"{period} ({phrase('sheet.by-' + document['by'], lang)})", terminal=terminal)
