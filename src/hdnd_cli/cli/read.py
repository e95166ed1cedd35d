"""The reading commands: due, overdue, explain, check, calendar, rules, and init."""

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import typer

from ..api import Evaluation, find_obligation, select
from ..messages import moment_text, say
from ..model import ACTS, STATUSES, Found, Incomplete, Invalid, Obligation, Problem, UserError, Workspace
from .app import (
    AsOfOpt,
    ConfigOpt,
    ExampleOpt,
    FormatOpt,
    KnownOnOpt,
    LangOpt,
    ObligorOpt,
    OfficesOpt,
    RuleOpt,
    StatusOpt,
    about,
    app,
    emit,
    hdnd,
    left_out_note,
    on_terminal,
    output_format,
    rules_app,
    tell,
)


@app.command()
def due(ctx: typer.Context, all_: Annotated[bool, typer.Option("--all", help="mọi nghĩa vụ / every obligation")] = False,
        obligor: ObligorOpt = None, rule: RuleOpt = None, status: StatusOpt = None,
        fmt: Annotated[Literal["table", "json", "csv", "xlsx"] | None, typer.Option("--format", "-f", help="định dạng (xlsx cần -o) / output format (xlsx needs -o)")] = None,
        output: Annotated[Path | None, typer.Option("-o", "--output", help="tệp .xlsx / the .xlsx file")] = None,
        offices: OfficesOpt = None, config: ConfigOpt = None, as_of: AsOfOpt = None, known_on: KnownOnOpt = None,
        lang: LangOpt = None, example: ExampleOpt = False) -> None:
    """Việc quá hạn, đến hạn hôm nay và sắp đến hạn / what is overdue, due today and due soon."""
    from ..engine.compute import in_view

    chosen = output_format(fmt, output, ("table", "json", "csv", "xlsx"))
    if chosen == "xlsx" and output is None:
        raise UserError("xlsx-needs-output")
    if chosen != "xlsx" and output is not None:
        raise UserError("output-only-xlsx", format=chosen)
    run = hdnd(ctx, config=config, as_of=as_of, known_on=known_on, lang=lang, example=example)
    if offices:
        rolled = run.offices(offices, closed=all_)
        each = [(office, ws, select(obligations if all_ else [o for o in obligations if in_view(o, ws.settings.horizon)],
                                    ws, obligor, rule, status))
                for office, ws, obligations in rolled.each]
        return _due_offices(each, rolled.as_of, chosen, run.lang, all_, run.law().version)
    ev = run.evaluate(partial=True, kept=True, closed=all_)
    obligations = ev.obligations if all_ else [o for o in ev.obligations if in_view(o, ev.workspace.settings.horizon)]
    obligations = select(obligations, ev.workspace, obligor, rule, status)
    if chosen == "xlsx":
        from ..render.sheets import due_workbook
        from ..storage.files import write_atomically

        assert output is not None
        tell(left_out_note(ev, run.lang))
        write_atomically(output, due_workbook(obligations, ev.workspace, ev.as_of, run.lang, about(ev, run.lang)))
        print(say("file-written", run.lang, path=str(output)))
    elif chosen == "table":
        from ..render import text as render

        render.plain(say("due-summary", run.lang, office=ev.workspace.settings.office.get("name", "hdnd"), as_of=ev.as_of,
                         counts=status_counts(obligations, run.lang)))
        if not obligations:
            note = left_out_note(ev, run.lang)
            render.plain((note + "\n" if note else "") + say("nothing-due" if not all_ else "nothing", run.lang,
                                                               horizon=ev.workspace.settings.horizon, as_of=ev.as_of))
    if chosen in ("json", "csv") or (chosen == "table" and obligations):
        emit(ev, obligations, chosen, run.lang, show_done=all_)
    if ev.problems:
        raise Incomplete()  # the list was made without the entries in error: cron must know


def _due_offices(each: list[tuple[str, Workspace, list[Obligation]]], day: date, fmt: str, lang: str, all_: bool,
                law: str) -> None:
    """`due --offices`: each office's items, with an `office` field (JSON, CSV) or under its name."""
    from ..render import text as render

    if fmt == "json":
        items = ({"office": office, **render.item(o)} for office, _, obligations in each for o in obligations)
        render.write_document(sys.stdout, {"as_of": day.isoformat(), "law": law}, items)
        return
    if fmt == "csv":
        import csv
        import io

        out = csv.writer(sys.stdout, lineterminator="\n")
        for number, (office, _, obligations) in enumerate(each):
            rows = list(csv.reader(io.StringIO(render.as_csv(obligations))))
            out.writerows([["office", *row] if index == 0 else [office, *row]
                           for index, row in enumerate(rows) if index > 0 or number == 0])
        return
    for office, ws, obligations in each:
        render.plain(say("due-summary", lang, office=f"{ws.settings.office.get('name', office)} [{office}]", as_of=day,
                         counts=status_counts(obligations, lang)))
        if obligations:
            render.obligations_table(obligations, ws, lang, all_, on_terminal())


def status_counts(obligations: list[Obligation], lang: str) -> str:
    """'4 quá hạn, 0 đến hạn hôm nay, 2 sắp đến hạn, 2 chưa đến hạn': the three a morning is about,
    then every other status the list shows, so the header counts exactly the rows below it."""
    counts = {s: sum(o.status == s for o in obligations) for s in STATUSES}
    return ", ".join(f"{counts[s]} {say('counted.' + s, lang)}" for s in STATUSES
                     if counts[s] or s in ("overdue", "today", "soon"))


@app.command()
def overdue(ctx: typer.Context, obligor: ObligorOpt = None, rule: RuleOpt = None, fmt: FormatOpt = "table",
            config: ConfigOpt = None, as_of: AsOfOpt = None, known_on: KnownOnOpt = None, lang: LangOpt = None,
            example: ExampleOpt = False) -> None:
    """Chỉ việc quá hạn, cho cron: không in gì và thoát 0 khi không có / overdue only, for cron (exit 1 when any)."""
    run = hdnd(ctx, config=config, as_of=as_of, known_on=known_on, lang=lang, example=example)
    ev = run.evaluate(partial=True, kept=True, closed=False)
    late = select([o for o in ev.obligations if o.status == "overdue"], ev.workspace, obligor, rule, None)
    if late or fmt != "table":
        emit(ev, late, fmt, run.lang)
    else:
        tell(left_out_note(ev, run.lang))  # nothing on stdout when nothing is overdue
    if ev.problems:
        raise Incomplete()
    if late:
        raise Found()


@app.command()
def explain(ctx: typer.Context, obligation_id: Annotated[str, typer.Argument(metavar="ID")],
            config: ConfigOpt = None, as_of: AsOfOpt = None, known_on: KnownOnOpt = None, lang: LangOpt = None,
            example: ExampleOpt = False) -> None:
    """Cách tính hạn của một nghĩa vụ, từng bước / how one due date was computed, step by step."""
    from ..engine.compute import corrected, corrections_of, counted, not_counted
    from ..model import ACTS, CountRule
    from ..render import text as render

    run = hdnd(ctx, config=config, as_of=as_of, known_on=known_on, lang=lang, example=example)
    ev = run.evaluate()
    try:
        found = find_obligation({o.id: o for o in ev.obligations}, obligation_id)
    except UserError:
        if ev.known_on is None:
            raise
        render.plain(_not_yet_known(ev, obligation_id, run.lang))
        return
    skipped = not_counted(found, ev.workspace.entries, ev.later, ev.as_of)
    fixes = corrections_of(found, ev.workspace.entries)
    standing = {id(e) for e in corrected(ev.workspace.entries, ev.as_of)[0]}
    acts = [(e, id(e) not in standing) for e in ev.workspace.entries
            if e.kind in ACTS and e.fields.get("obligation") == found.id and e.date <= ev.as_of]
    later = {id(e) for e in ev.later}
    known = [e for e in ev.workspace.entries if id(e) not in later]
    progress = counted(found, known, ev.as_of) if isinstance(found.rule, CountRule) else None
    render.plain(render.explain(found, ev.workspace, run.lang, skipped, ev.as_of, ev.known_on, fixes, progress, acts))


def _not_yet_known(ev: Evaluation, wanted: str, lang: str) -> str:
    """An obligation that `--known-on` hides: which entry, recorded when, made it. Unknown ids still
    get the usual error with its hints."""
    from ..engine.evaluate import evaluate

    assert ev.known_on is not None
    everything, _, _ = evaluate(ev.workspace, ev.as_of)
    found = find_obligation({o.id: o for o in everything}, wanted)
    origin, when = found.origin, moment_text(ev.known_on, lang)
    if origin is None or origin.recorded_at is None or not any(origin is entry for entry in ev.later):
        return say("not-yet-known", lang, id=found.id, known_on=when)
    at = origin.recorded_at if origin.recorded_at.tzinfo is None else origin.recorded_at.astimezone(ev.known_on.tzinfo)
    return say("recorded-later", lang, id=found.id, known_on=when, kind=origin.kind,
               where=f"{origin.file}:{origin.line}", at=moment_text(at, lang))


@app.command()
def check(ctx: typer.Context, strict: Annotated[bool, typer.Option("--strict", help="cảnh báo cũng là lỗi / fail on warnings too")] = False,
          config: ConfigOpt = None, as_of: AsOfOpt = None, lang: LangOpt = None, example: ExampleOpt = False) -> None:
    """Kiểm tra cấu hình, quy tắc, ví dụ và sổ / validate the configuration, rules, examples and ledger.

    Prints every problem as file:line: message on stderr, all at once, and exits 2 when there is any
    error (or, with --strict, any warning: what silently makes no obligation)."""
    from ..engine.evaluate import find_problems
    from ..render.text import unique_problems
    from ..storage.law import staleness

    run = hdnd(ctx, config=config, as_of=as_of, lang=lang, example=example)
    workspace = run.workspace(with_ledger=True, stop=False)
    day = run.as_of_day(workspace)
    obligations, problems = find_problems(workspace, day, examples=True)
    run.hold(obligations)
    ahead = [Problem(e.file, e.line, "act-dated-ahead", {"date": e.date}) for e in workspace.entries
             if e.kind in ACTS and e.date > day]  # what was done has a date that came: a later one is a typo
    problems = unique_problems(problems + ahead + staleness(workspace.law, workspace.calendar, run.today(workspace)))
    warnings = [p for p in problems if p.warning]
    if len(problems) > len(warnings) or (strict and warnings):
        raise Invalid(problems)
    if warnings:
        from ..render.text import problems_text

        tell(problems_text(warnings, run.lang))
    print(say("check-ok", run.lang, rules=len(workspace.rules), entries=len(workspace.entries),
              obligations=len(obligations)) + (say("warnings", run.lang, count=len(warnings)) if warnings else ""))


@app.command()
def calendar(ctx: typer.Context, year: Annotated[int | None, typer.Argument(help="năm / year")] = None,
             fmt: FormatOpt = "table", config: ConfigOpt = None, lang: LangOpt = None,
             example: ExampleOpt = False) -> None:
    """Lịch làm việc: ngày lễ, ngày nghỉ, ngày làm bù / the working calendar of a year."""
    import sys

    from ..render import text as render
    from ..storage.workspace import find_config, load_calendar, read_config

    run = hdnd(ctx, config=config, lang=lang, example=example)
    if run.example or run.config_path:
        workspace = run.workspace()
    else:
        try:
            workspace = read_config(find_config(None), run.cache, law=run.law())
        except UserError:
            workspace = None  # the calendar needs no workspace: show the national one
        if workspace is not None and workspace.problems:
            raise Invalid(workspace.problems)
    words = run.language(workspace)
    year = year or run.today(workspace).year
    if not 1900 <= year <= 2200:
        raise UserError("bad-option", option="YEAR", value=year, choices="1900-2200")
    cal = workspace.calendar if workspace is not None else load_calendar(None, run.cache, run.law())
    announced = cal.is_announced(year)
    rows = render.calendar_rows(cal.year(year), words, announced)
    if fmt == "json":
        print(render.dumps({"year": year, "announced": announced, "days": rows}))
    elif fmt == "csv":
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["date"], lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: render.inert(v) for k, v in row.items()} for row in rows)
    else:
        if not announced:
            render.plain(say("calendar-computed", words, year=year))
        render.calendar_table(rows, words, on_terminal())


@app.command()
def init(ctx: typer.Context, folder: Annotated[Path, typer.Argument(help="thư mục / folder")] = Path("."),
         level: Annotated[Literal["province", "commune", "district"], typer.Option("--level", help="cấp / level")] = "province",
         lang: LangOpt = None) -> None:
    """Tạo không gian làm việc mới / create a new workspace."""
    from ..storage.init import create

    run = hdnd(ctx, lang=lang)
    packs = create(folder, level, run.today(None))
    print(say("init-done", run.lang, path=folder, packs=packs))


@rules_app.callback()
def rules_list(ctx: typer.Context, config: ConfigOpt = None, as_of: AsOfOpt = None, lang: LangOpt = None,
               example: ExampleOpt = False) -> None:
    """Các quy tắc có hiệu lực vào ngày tính / the rules in force on the evaluation date."""
    run = hdnd(ctx, config=config, as_of=as_of, lang=lang, example=example)
    if ctx.invoked_subcommand:
        run.taken -= {"as_of"}  # `rules show` and `rules test` take no date
        return
    from ..engine.compute import applies
    from ..render import text as render

    workspace = run.workspace()
    day = run.as_of_day(workspace)
    rules = [r for r in workspace.rules if day in r.in_force and applies(r, workspace.settings.level)]
    render.rules_table(rules, run.lang, on_terminal())


@rules_app.command("show")
def rules_show(ctx: typer.Context, rule_id: Annotated[str, typer.Argument(metavar="ID")],
               config: ConfigOpt = None, lang: LangOpt = None, example: ExampleOpt = False) -> None:
    """Một quy tắc đầy đủ / one rule in full."""
    from ..engine.compute import nearest
    from ..render import text as render

    run = hdnd(ctx, config=config, lang=lang, example=example)
    workspace = run.workspace(stop=False)  # a draft rule is shown, not refused
    versions = [r for r in workspace.rules if r.id == rule_id]
    if not versions:
        raise UserError("no-such-rule", id=rule_id, near=nearest(rule_id, {r.id for r in workspace.rules}))
    render.plain("\n\n".join(render.rule_text(r, run.lang) for r in versions))


@rules_app.command("test")
def rules_test(ctx: typer.Context, config: ConfigOpt = None, lang: LangOpt = None,
               example: ExampleOpt = False) -> None:
    """Kiểm tra các ví dụ trong quy tắc / check the rules' own examples."""
    from ..engine.examples import run_examples

    run = hdnd(ctx, config=config, lang=lang, example=example)
    workspace = run.workspace()
    count, problems = run_examples(workspace.rules, workspace.calendar)
    if problems:
        raise Invalid(problems)
    print(say("examples-ok", run.lang, count=count))
