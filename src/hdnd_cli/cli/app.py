"""The command line: parse options, make one library call, render. The only place that reads the clock.

Exit codes: 0 success; 1 `overdue` found something; 2 bad usage or invalid files.
"""

import contextlib
import os
import sys
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any, NamedTuple, Optional

import typer

from .. import __version__
from ..model import STATUSES, Invalid, Obligation, UserError
from ..messages import STATUS, fold, moment_text, say

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]},
                  help="hdnd: hạn và nghĩa vụ giữa HĐND và UBND / deadlines between People's Councils "
                       "and People's Committees.")
rules_app = typer.Typer(no_args_is_help=False, invoke_without_command=True, rich_markup_mode=None,
                        help="Các quy tắc đang có hiệu lực / the rules in force.")
app.add_typer(rules_app, name="rules")

ConfigOpt = Annotated[Optional[str], typer.Option("--config", help="hdnd.toml (hoặc HDND_CONFIG) / the workspace's hdnd.toml")]
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", help="tính theo những gì đã xảy ra đến ngày này / evaluate by what had happened by DATE (2024-11-30 or 30/11/2024)")]
KnownOnOpt = Annotated[Optional[str], typer.Option("--known-on", help="chỉ tính các mục đã ghi vào sổ đến lúc này / only entries recorded by DATE or DATE THH:MM (2026-09-01T08:00)")]
LangOpt = Annotated[Optional[str], typer.Option("--lang", help="vi | en")]
ExampleOpt = Annotated[bool, typer.Option("--example", help="dùng không gian làm việc ví dụ / use the bundled example")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table | json | csv")]
ObligorOpt = Annotated[Optional[str], typer.Option("--obligor", help="lọc theo cơ quan (không phân biệt dấu) / filter by body")]
RuleOpt = Annotated[Optional[str], typer.Option("--rule", help="lọc theo quy tắc / filter by rule")]
StatusOpt = Annotated[Optional[str], typer.Option("--status", help="overdue,today,soon,open,done,late,waived")]

_lang_now = ["vi"]  # the language of messages printed before a workspace is read


@dataclass
class Run:
    """One command's resolved options."""

    config: str | None = None
    as_of: str | None = None
    known_on: str | None = None
    lang: str | None = None
    example: bool = False


def _merge(ctx: typer.Context, **given) -> Run:
    """The options given before the command, then those given after it; a time option that the
    command does not take is refused rather than ignored."""
    run = Run(**{k: v for k, v in (ctx.obj or {}).items()})
    for name, value in given.items():
        if value not in (None, False):
            setattr(run, name, value)
    for name in ("as_of", "known_on"):
        if name not in given and getattr(run, name) is not None:
            raise UserError("option-not-here", option="--" + name.replace("_", "-"))
    if run.lang is not None and run.lang not in ("vi", "en"):
        raise UserError("bad-option", option="--lang", value=run.lang, choices="vi, en")
    _lang_now[0] = _language(run, None)
    return run


def _language(run: Run, workspace) -> str:
    chosen = run.lang or os.environ.get("HDND_LANG") or (workspace.lang if workspace else None)
    if chosen in ("vi", "en"):
        return chosen
    return "en" if os.environ.get("LANG", "").startswith("en") else "vi"


def _version(value: bool) -> None:
    if value:
        print(f"hdnd {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(ctx: typer.Context, config: ConfigOpt = None, as_of: AsOfOpt = None, known_on: KnownOnOpt = None,
                 lang: LangOpt = None, example: ExampleOpt = False,
                 version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                       help="in phiên bản / print the version")] = False) -> None:
    ctx.obj = {"config": config, "as_of": as_of, "known_on": known_on, "lang": lang, "example": example}


# --- shared steps ---------------------------------------------------------------------------------

def _workspace(run: Run, with_ledger: bool = True, stop: bool = True):
    """The workspace the options point to, read and validated; stops on any problem unless told not
    to (the caller then looks for every problem at once)."""
    from ..storage.bundled import example_config
    from ..storage.workspace import find_config, load
    from ..storage.files import recover

    config = example_config() if run.example else find_config(run.config)
    if not run.example:
        recover(config.parent)  # a write of several files that a crash interrupted is finished first
    workspace = load(config, with_ledger)
    _lang_now[0] = _language(run, workspace)
    if stop and workspace.problems:
        raise Invalid(workspace.problems)
    return workspace


def zone(timezone_name: str):
    """An office's time zone."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(timezone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError("bad-timezone", value=timezone_name) from None


def now_in(timezone_name: str) -> datetime:
    """The time now in an office's time zone, whatever the server's clock zone. `HDND_NOW` (a date
    or date and time, as `--known-on` takes them) stops the clock, for tests and reproducible runs."""
    office_zone = zone(timezone_name)
    fixed = os.environ.get("HDND_NOW")
    if fixed:
        try:
            return _parse_moment(fixed, office_zone)
        except UserError:
            raise UserError("bad-env", name="HDND_NOW", value=fixed) from None
    return datetime.now(office_zone)


def _today(workspace) -> date:
    return now_in(workspace.timezone if workspace else "Asia/Ho_Chi_Minh").date()


def _parse_day(text: str) -> date:
    from ..dates.counting import parse_date

    try:
        day = parse_date(text)
    except ValueError:
        raise UserError("bad-option-date", value=text) from None
    if not 1900 <= day.year <= 2200:
        raise UserError("bad-option-date", value=text)
    return day


def _parse_moment(text: str, office_zone) -> datetime:
    """`--known-on`: a date (the end of that day) or a date and time (`2026-09-01T08:00`, `01/09/2026
    08:00`), in the office's time zone unless the text gives an offset."""
    day_text, sep, clock_text = text.strip().replace("T", " ", 1).partition(" ")
    day = _parse_day(day_text)
    if not sep:
        return datetime.combine(day, time(23, 59, 59), office_zone)
    try:
        clock = time.fromisoformat(clock_text.strip())
    except ValueError:
        raise UserError("bad-option-moment", value=text) from None
    moment = datetime.combine(day, clock)
    return moment if moment.tzinfo else moment.replace(tzinfo=office_zone)


class Evaluation(NamedTuple):
    """What a reading command works from: the workspace, both times, the language, the obligations,
    and the entries that `--known-on` left out."""

    workspace: Any
    as_of: date
    known_on: datetime | None
    lang: str
    obligations: list[Obligation]
    later: list
    problems: list  # with `partial`: what is wrong in the files, the list being made without it


def _evaluate(run: Run, partial: bool = False) -> Evaluation:
    """Every obligation on the evaluation date; stops on any problem, all of them shown at once, unless
    `partial` (the morning list): then the problems come first, on stderr, under a banner."""
    from ..storage.workspace import evaluate

    workspace = _workspace(run, stop=False)
    as_of = _as_of(run, workspace)
    known_on = _parse_moment(run.known_on, zone(workspace.timezone)) if run.known_on is not None else None
    obligations, later, problems = evaluate(workspace, as_of, known_on, partial)
    if problems:
        from ..render.text import problems_text

        tell(problems_text(problems, _lang_now[0]))
        tell(say("list-incomplete", _lang_now[0], count=len(problems)))
    return Evaluation(workspace, as_of, known_on, _lang_now[0], obligations, later, problems)


def left_out_note(ev: Evaluation) -> str | None:
    """What `--known-on` left out, said by every output made under it."""
    if ev.known_on is None:
        return None
    return say("left-out", ev.lang, count=len(ev.later), known_on=moment_text(ev.known_on, ev.lang))


def tell(note: str | None) -> None:
    """A note beside output that scripts read: on stderr, so stdout stays the document."""
    if note:
        print(note, file=sys.stderr)


def _as_of(run: Run, workspace) -> date:
    """The evaluation date: `--as-of`, else today in the office's time zone."""
    return _parse_day(run.as_of) if run.as_of is not None else _today(workspace)


def find_obligation(obligations: dict[str, Obligation], wanted: str) -> Obligation:
    """An obligation by id (ignoring case and diacritics), or an error naming the nearest ids."""
    from ..engine.compute import nearest

    if wanted in obligations:
        return obligations[wanted]
    alike = [o for o in obligations.values() if fold(o.id) == fold(wanted)]
    if len(alike) > 1:  # `d1` for both `Đ1` and `D1`: never pick one silently
        raise UserError("ambiguous-obligation", id=wanted, names=", ".join(sorted(o.id for o in alike)))
    if not alike:
        raise UserError("no-such-obligation", id=wanted, near=nearest(wanted, obligations))
    return alike[0]


def _filter(obligations: list[Obligation], workspace, obligor: str | None, rule: str | None,
            status: str | None) -> list[Obligation]:
    if status:
        wanted = set()
        for part in fold(status).split(","):
            names = [s for s in STATUSES if part.strip() in (s, fold(STATUS[s][0]))]
            if not names:
                raise UserError("bad-option", option="--status", value=part.strip(), choices=", ".join(STATUSES))
            wanted.update(names)
        obligations = [o for o in obligations if o.status in wanted]
    if obligor:
        obligations = [o for o in obligations if _matches(obligor, o.obligor, workspace.body_name(o.obligor, "vi"),
                                                          workspace.body_name(o.obligor, "en"))]
    if rule:
        obligations = [o for o in obligations
                       if _matches(rule, o.rule.id if o.rule else o.id, o.title, o.title_en or "")]
    return obligations


def _matches(needle: str, *texts: str) -> bool:
    """Every word of the needle appears in one of the texts, ignoring case and diacritics."""
    words = fold(needle).split()
    return any(all(word in fold(text) for word in words) for text in texts)


def _emit(ev: Evaluation, obligations: list[Obligation], fmt: str, show_done: bool = False) -> None:
    """Obligations in the chosen format, with what `--known-on` left out: in the JSON document, above
    a table, on stderr beside CSV."""
    from ..render import text as render

    note = left_out_note(ev)
    if fmt == "json":
        print(render.as_json(ev.as_of, obligations, ev.known_on, len(ev.later)))
    elif fmt == "csv":
        tell(note)
        sys.stdout.write(render.as_csv(obligations))
    elif fmt == "table":
        if note:
            render.plain(note)
        render.obligations_table(obligations, ev.workspace, ev.lang, show_done)
    else:
        raise UserError("bad-option", option="--format", value=fmt, choices="table, json, csv, xlsx")


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "json", "csv"):
        raise UserError("bad-option", option="--format", value=fmt, choices="table, json, csv")


# --- commands -------------------------------------------------------------------------------------

@app.command()
def due(ctx: typer.Context, all_: Annotated[bool, typer.Option("--all", help="mọi nghĩa vụ / every obligation")] = False,
        obligor: ObligorOpt = None, rule: RuleOpt = None, status: StatusOpt = None, fmt: FormatOpt = "table",
        config: ConfigOpt = None, as_of: AsOfOpt = None, known_on: KnownOnOpt = None, lang: LangOpt = None,
        example: ExampleOpt = False) -> None:
    """Việc quá hạn, đến hạn hôm nay và sắp đến hạn / what is overdue, due today and due soon."""
    from ..engine.compute import in_view

    _check_format(fmt)
    ev = _evaluate(_merge(ctx, config=config, as_of=as_of, known_on=known_on, lang=lang, example=example), partial=True)
    obligations = ev.obligations if all_ else [o for o in ev.obligations if in_view(o, ev.workspace.horizon)]
    obligations = _filter(obligations, ev.workspace, obligor, rule, status)
    if fmt == "table":
        from ..render import text as render

        render.plain(say("due-summary", ev.lang, office=ev.workspace.office.get("name", "hdnd"), as_of=ev.as_of,
                         counts=status_counts(obligations, ev.lang)))
        if not obligations:
            note = left_out_note(ev)
            render.plain((note + "\n" if note else "") + say("nothing-due" if not all_ else "nothing", ev.lang,
                                                               horizon=ev.workspace.horizon, as_of=ev.as_of))
    if fmt != "table" or obligations:
        _emit(ev, obligations, fmt, show_done=all_)
    if ev.problems:
        raise typer.Exit(2)  # the list was made without the entries in error: cron must know


def status_counts(obligations: list[Obligation], lang: str) -> str:
    """'4 quá hạn, 0 đến hạn hôm nay, 2 sắp đến hạn, 2 chưa đến hạn': the three a morning is about,
    then every other status the list shows, so the header counts exactly the rows below it."""
    from ..messages import COUNTED

    counts = {s: sum(o.status == s for o in obligations) for s in STATUSES}
    return ", ".join(f"{counts[s]} {COUNTED[s][lang == 'en']}" for s in STATUSES
                     if counts[s] or s in ("overdue", "today", "soon"))


@app.command()
def overdue(ctx: typer.Context, obligor: ObligorOpt = None, rule: RuleOpt = None, fmt: FormatOpt = "table",
            config: ConfigOpt = None, as_of: AsOfOpt = None, known_on: KnownOnOpt = None, lang: LangOpt = None,
            example: ExampleOpt = False) -> None:
    """Chỉ việc quá hạn, cho cron: không in gì và thoát 0 khi không có / overdue only, for cron (exit 1 when any)."""
    _check_format(fmt)
    ev = _evaluate(_merge(ctx, config=config, as_of=as_of, known_on=known_on, lang=lang, example=example), partial=True)
    late = _filter([o for o in ev.obligations if o.status == "overdue"], ev.workspace, obligor, rule, None)
    if late or fmt != "table":
        _emit(ev, late, fmt)
    else:
        tell(left_out_note(ev))  # nothing on stdout when nothing is overdue
    if ev.problems:
        raise typer.Exit(2)
    if late:
        raise typer.Exit(1)


@app.command()
def explain(ctx: typer.Context, obligation_id: Annotated[str, typer.Argument(metavar="ID")],
            config: ConfigOpt = None, as_of: AsOfOpt = None, known_on: KnownOnOpt = None, lang: LangOpt = None,
            example: ExampleOpt = False) -> None:
    """Cách tính hạn của một nghĩa vụ, từng bước / how one due date was computed, step by step."""
    from ..render import text as render
    from ..engine.compute import corrections_of, not_counted

    ev = _evaluate(_merge(ctx, config=config, as_of=as_of, known_on=known_on, lang=lang, example=example))
    try:
        found = find_obligation({o.id: o for o in ev.obligations}, obligation_id)
    except UserError:
        if ev.known_on is None:
            raise
        render.plain(_not_yet_known(ev, obligation_id))
        return
    skipped = not_counted(found, ev.workspace.entries, ev.later, ev.as_of)
    fixes = corrections_of(found, ev.workspace.entries)
    render.plain(render.explain(found, ev.workspace, ev.lang, skipped, ev.as_of, ev.known_on, fixes))


def _not_yet_known(ev: Evaluation, wanted: str) -> str:
    """An obligation that `--known-on` hides: which entry, recorded when, made it. Unknown ids still
    get the usual error with its hints."""
    from ..storage.workspace import evaluate

    everything, _, _ = evaluate(ev.workspace, ev.as_of)
    found = find_obligation({o.id: o for o in everything}, wanted)
    origin, when = found.origin, moment_text(ev.known_on, ev.lang)
    if origin is None or not any(origin is entry for entry in ev.later):
        return say("not-yet-known", ev.lang, id=found.id, known_on=when)
    at = origin.recorded_at if origin.recorded_at.tzinfo is None else origin.recorded_at.astimezone(ev.known_on.tzinfo)
    return say("recorded-later", ev.lang, id=found.id, known_on=when, kind=origin.kind,
               where=f"{origin.file}:{origin.line}", at=moment_text(at, ev.lang))


@app.command()
def check(ctx: typer.Context, strict: Annotated[bool, typer.Option("--strict", help="cảnh báo cũng là lỗi / fail on warnings too")] = False,
          config: ConfigOpt = None, as_of: AsOfOpt = None, lang: LangOpt = None, example: ExampleOpt = False) -> None:
    """Kiểm tra cấu hình, quy tắc, ví dụ và sổ / validate the configuration, rules, examples and ledger.

    Prints every problem as file:line: message, all at once, and exits 2 when there is any error (or,
    with --strict, any warning: what silently makes no obligation)."""
    from ..storage.workspace import find_problems
    from ..render.text import problems_text, unique_problems

    run = _merge(ctx, config=config, as_of=as_of, lang=lang, example=example)
    workspace = _workspace(run, stop=False)
    obligations, problems = find_problems(workspace, _as_of(run, workspace),
                                          examples=True)
    lang, problems = _lang_now[0], unique_problems(problems)
    warnings = sum(p.warning for p in problems)
    if problems:
        print(problems_text(problems, lang))
    if len(problems) > warnings or (strict and warnings):
        print(say("problems-found", lang, count=len(problems) - warnings) + _warned(warnings, lang))
        raise typer.Exit(2)
    print(say("check-ok", lang, rules=len(workspace.rules), entries=len(workspace.entries),
              obligations=len(obligations)) + _warned(warnings, lang))


def _warned(count: int, lang: str) -> str:
    return say("warnings", lang, count=count) if count else ""


@app.command()
def calendar(ctx: typer.Context, year: Annotated[Optional[int], typer.Argument(help="năm / year")] = None,
             fmt: FormatOpt = "table", config: ConfigOpt = None, lang: LangOpt = None,
             example: ExampleOpt = False) -> None:
    """Lịch làm việc: ngày lễ, ngày nghỉ, ngày làm bù / the working calendar of a year."""
    import json

    from ..render import text as render
    from ..storage.workspace import find_config, load_calendar, read_config

    _check_format(fmt)
    run = _merge(ctx, config=config, lang=lang, example=example)
    if run.example or run.config or os.environ.get("HDND_CONFIG"):
        workspace = _workspace(run, with_ledger=False)
    else:
        try:
            workspace = read_config(find_config(None))
        except UserError:
            workspace = None  # the calendar needs no workspace: show the national one
        if workspace is not None and workspace.problems:
            raise Invalid(workspace.problems)
    lang = _language(run, workspace)
    year = year or _today(workspace).year
    if not 1900 <= year <= 2200:
        raise UserError("bad-option", option="YEAR", value=year, choices="1900-2200")
    cal = load_calendar(workspace)
    announced = cal.is_announced(year)
    rows = render.calendar_rows(cal.year(year), lang, announced)
    if fmt == "json":
        print(json.dumps({"year": year, "announced": announced, "days": rows}, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["date"], lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: render.inert(v) for k, v in row.items()} for row in rows)
    else:
        if not announced:
            render.plain(say("calendar-computed", lang, year=year))
        render.calendar_table(rows, lang)


@app.command()
def init(ctx: typer.Context, folder: Annotated[Path, typer.Argument(help="thư mục / folder")] = Path("."),
         level: Annotated[str, typer.Option("--level", help="province | commune | district")] = "province",
         lang: LangOpt = None) -> None:
    """Tạo không gian làm việc mới / create a new workspace."""
    from ..storage.init import create

    run = _merge(ctx, lang=lang)
    if level not in ("province", "commune", "district"):
        raise UserError("bad-option", option="--level", value=level, choices="province, commune, district")
    packs = create(folder, level, now_in("Asia/Ho_Chi_Minh").date())
    print(say("init-done", _language(run, None), path=folder, packs=packs))


@rules_app.callback()
def rules_list(ctx: typer.Context, config: ConfigOpt = None, as_of: AsOfOpt = None, lang: LangOpt = None,
               example: ExampleOpt = False) -> None:
    """Các quy tắc có hiệu lực vào ngày tính / the rules in force on the evaluation date."""
    run = _merge(ctx, config=config, as_of=as_of, lang=lang, example=example)
    ctx.obj = {**(ctx.obj or {}), **vars(run)}
    if ctx.invoked_subcommand:
        return
    from ..render import text as render
    from ..engine.compute import applies

    workspace = _workspace(run, with_ledger=False)
    day = _as_of(run, workspace)
    rules = [r for r in workspace.rules if day in r.in_force and applies(r, workspace.level)]
    render.rules_table(rules, _lang_now[0])


@rules_app.command("show")
def rules_show(ctx: typer.Context, rule_id: Annotated[str, typer.Argument(metavar="ID")],
               config: ConfigOpt = None, lang: LangOpt = None, example: ExampleOpt = False) -> None:
    """Một quy tắc đầy đủ / one rule in full."""
    from ..render import text as render
    from ..engine.compute import nearest

    run = _merge(ctx, config=config, lang=lang, example=example)
    workspace = _workspace(run, with_ledger=False)
    versions = [r for r in workspace.rules if r.id == rule_id]
    if not versions:
        raise UserError("no-such-rule", id=rule_id, near=nearest(rule_id, {r.id for r in workspace.rules}))
    render.plain("\n\n".join(render.rule_text(r, _lang_now[0]) for r in versions))


@rules_app.command("test")
def rules_test(ctx: typer.Context, config: ConfigOpt = None, lang: LangOpt = None,
               example: ExampleOpt = False) -> None:
    """Kiểm tra các ví dụ trong quy tắc / check the rules' own examples."""
    from ..engine.examples import run_examples
    from ..storage.workspace import load_calendar

    run = _merge(ctx, config=config, lang=lang, example=example)
    workspace = _workspace(run, with_ledger=False)
    count, problems = run_examples(workspace.rules, load_calendar(workspace))
    if problems:
        raise Invalid(problems)
    print(say("examples-ok", _lang_now[0], count=count))


from . import audit, notify, write  # noqa: E402,F401 - register the commands of those modules


# --- entry point ----------------------------------------------------------------------------------

def main() -> None:
    """Run the app; turn every expected failure into a clean message and exit code 2."""
    for stream in (sys.stdout, sys.stderr):
        # Redirected output is UTF-8 whatever the console's code page (cp1258 in a .bat file, Task
        # Scheduler); a console keeps its own; a lone surrogate never ends a run.
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="replace", **({} if stream.isatty() else {"encoding": "utf-8"}))
    try:
        app()
    except UserError as error:
        print(f"hdnd: {say(error.key, _lang_now[0], **error.params)}", file=sys.stderr)
        sys.exit(2)
    except Invalid as error:
        from ..render.text import problems_text, unique_problems

        print(problems_text(error.problems, _lang_now[0]), file=sys.stderr)
        print(say("problems-found", _lang_now[0], count=len(unique_problems(error.problems))), file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except OSError as error:  # the system refused: disk full, a read-only folder, no permission
        where = f"{error.filename}: " if error.filename else ""
        print(f"hdnd: {say('system-refused', _lang_now[0], where=where, error=error.strerror or error)}",
              file=sys.stderr)
        sys.exit(2)
    except Exception as error:  # a bug, not bad input: say so in one line, never a traceback
        if os.environ.get("HDND_DEBUG"):
            raise
        print(f"hdnd: lỗi nội bộ / internal error: {type(error).__name__}: {error}. "
              "Chạy lại với HDND_DEBUG=1 để xem chi tiết / run again with HDND_DEBUG=1 for details.",
              file=sys.stderr)
        sys.exit(70)
