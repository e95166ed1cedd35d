"""The command line's shared part: the app, its options, and the run context every command gets.

A `Run` is built once per process from the command line and the environment and handed to each
command through typer's context: no module keeps state. It is the only place that reads the clock
and the environment (a test pins both through it). Commands live in `read`, `write`, `audit` and
`notify`, which import this module; `main` imports them all and maps every stop to its exit code.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NamedTuple

import typer

from ..messages import language_of, moment_text, phrase, say, vn_date
from ..model import Invalid, Obligation, UserError, Workspace

if TYPE_CHECKING:
    from datetime import tzinfo

    from ..api import Evaluation
    from ..storage.base import Meter
    from ..storage.cache import Cache
    from ..storage.law import Law

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  help="hdnd: hạn và nghĩa vụ giữa HĐND và UBND / deadlines between People's Councils "
                       "and People's Committees.")
rules_app = typer.Typer(no_args_is_help=False, invoke_without_command=True, rich_markup_mode=None,
                        help="Các quy tắc đang có hiệu lực / the rules in force.")
app.add_typer(rules_app, name="rules")

Lang = Literal["vi", "en"]
Format = Literal["table", "json", "csv"]
ConfigOpt = Annotated[str | None, typer.Option("--config", help="hdnd.toml (hoặc HDND_CONFIG) / the workspace's hdnd.toml")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="tính theo những gì đã xảy ra đến ngày này / evaluate by what had happened by DATE (2024-11-30 or 30/11/2024)")]
KnownOnOpt = Annotated[str | None, typer.Option("--known-on", help="chỉ tính các mục đã ghi vào sổ đến lúc này / only entries recorded by DATE or DATE THH:MM (2026-09-01T08:00)")]
LangOpt = Annotated[Lang | None, typer.Option("--lang", help="ngôn ngữ / language")]
ExampleOpt = Annotated[bool, typer.Option("--example", help="dùng không gian làm việc ví dụ / use the bundled example")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="định dạng / output format")]
ObligorOpt = Annotated[str | None, typer.Option("--obligor", help="lọc theo cơ quan (không phân biệt dấu) / filter by body")]
RuleOpt = Annotated[str | None, typer.Option("--rule", help="lọc theo quy tắc / filter by rule")]
StatusOpt = Annotated[str | None, typer.Option("--status", help="overdue,today,soon,open,done,late,waived")]
OfficesOpt = Annotated[str | None, typer.Option("--offices", help="các văn phòng trong CSDL: all hoặc a,b / offices in the database: all or a,b")]

DEFAULT_ZONE = "Asia/Ho_Chi_Minh"


# What this process's runs read and computed, held to its end (`Run.hold`).
HELD: list[object] = []


@dataclass
class Run:
    """One run: the options given before and after the command, and what the environment says.
    `lang` is the language messages are printed in, settled again once the workspace is read."""

    environ: Mapping[str, str]
    config: str | None = None
    as_of: str | None = None
    known_on: str | None = None
    lang: str = "vi"
    chosen_lang: str | None = None  # --lang
    example: bool = False
    taken: set[str] = field(default_factory=set)
    cache_told: bool = False  # an untrusted cache is said once a run

    def __post_init__(self) -> None:
        self.lang = self.language(None)

    def take(self, **given: Any) -> Run:
        """The command's own options over the global ones; a time option that the command does not
        take is refused rather than ignored."""
        for name, value in given.items():
            if value not in (None, False):
                setattr(self, "chosen_lang" if name == "lang" else name, value)
        self.taken |= given.keys()
        for name in ("as_of", "known_on"):
            if name not in self.taken and getattr(self, name) is not None:
                raise UserError("option-not-here", option="--" + name.replace("_", "-"))
        self.lang = self.language(None)
        return self

    # --- the environment ---------------------------------------------------------------------------

    def language(self, workspace: Workspace | None) -> str:
        """--lang, then HDND_LANG, then the office's, then the locale (LC_ALL, LC_MESSAGES, LANG)."""
        chosen = self.chosen_lang or self.environ.get("HDND_LANG") or (workspace.settings.lang if workspace else None)
        if chosen in ("vi", "en"):
            return chosen
        return language_of(self.environ)

    @property
    def config_path(self) -> str | None:
        return self.config or self.environ.get("HDND_CONFIG") or None

    @property
    def cache(self) -> Cache:
        """The user's cache; one that cannot be trusted (a folder or key others may write or read, an
        empty key) is not used, and the run says so once rather than running slower in silence.
        `HDND_KEPT_FROM`: the size of a file ledger, in bytes, from which the engine's answer is kept."""
        from ..storage.cache import KEPT_FROM, OFF, Cache

        if self.environ.get("HDND_NO_CACHE"):
            return OFF
        base = self.environ.get("HDND_CACHE_DIR") or str(Path(
            self.environ.get("XDG_CACHE_HOME") or Path(self.environ.get("HOME") or Path.home()) / ".cache") / "hdnd")
        kept_from = self.environ.get("HDND_KEPT_FROM", "").strip() or str(KEPT_FROM)
        if not kept_from.isdecimal():
            raise UserError("bad-env-number", name="HDND_KEPT_FROM", value=kept_from, example=KEPT_FROM)
        cache = Cache(Path(base), int(kept_from))
        if not self.cache_told and not cache.trusted:
            self.cache_told = True
            tell(f"hdnd: {say('cache-untrusted', self.lang, folder=base)}")
        return cache

    @property
    def law_dir(self) -> Path:
        """Where laws are installed: HDND_LAW_DIR, else the user's data folder (every account that runs
        hdnd on a machine, cron's included, should see the same one: set HDND_LAW_DIR for all)."""
        chosen = self.environ.get("HDND_LAW_DIR")
        if chosen:
            return Path(chosen)
        base = self.environ.get("LOCALAPPDATA") or self.environ.get("XDG_DATA_HOME") or str(
            Path(self.environ.get("HOME") or Path.home()) / ".local" / "share")
        return Path(base) / "hdnd" / "law"

    def settings_then(self, config: Path) -> str | None:
        """Under --known-on: the git commit of the workspace at that time, whose hdnd.toml and rule packs
        reproduce that day whole (SPEC §5); one line on stderr when there is none, and today's are used."""
        if self.known_on is None or self.example:
            return None
        from ..storage.revisions import commit_at

        moment = parse_moment(self.known_on, zone(DEFAULT_ZONE))
        commit = commit_at(config, moment.isoformat())
        when = moment_text(moment, self.lang)
        tell(say("known-on-settings", self.lang, moment=when, commit=commit[:10]) if commit
             else say("known-on-settings-today", self.lang, moment=when))
        return commit

    def law(self) -> Law:
        """The law in use; under --known-on, the one that was installed then (SPEC §5)."""
        from ..storage.law import in_use

        moment = parse_moment(self.known_on, zone(DEFAULT_ZONE)) if self.known_on is not None else None
        return in_use(self.law_dir, moment)

    @property
    def user(self) -> str:
        import getpass

        return self.environ.get("HDND_USER") or getpass.getuser()

    @property
    def debug(self) -> bool:
        return bool(self.environ.get("HDND_DEBUG"))

    def now(self, timezone_name: str = DEFAULT_ZONE) -> datetime:
        """The time now in an office's time zone, whatever the server's clock zone. `HDND_NOW` (a date
        or date and time, as `--known-on` takes them) stops the clock, for tests and reproducible runs."""
        office_zone = zone(timezone_name)
        fixed = self.environ.get("HDND_NOW")
        if fixed:
            try:
                return parse_moment(fixed, office_zone)
            except UserError:
                raise UserError("bad-env", name="HDND_NOW", value=fixed) from None
        return datetime.now(office_zone)

    def hold(self, *things: object) -> None:
        """Keep what the run read and computed to the end of the process, which the console script ends
        without freeing it (main.py): freeing a million entries and their obligations takes a second."""
        HELD.extend(things)

    def today(self, workspace: Workspace | None) -> date:
        return self.now(workspace.settings.timezone if workspace else DEFAULT_ZONE).date()

    # --- the workspace -----------------------------------------------------------------------------

    def workspace(self, with_ledger: bool = False, stop: bool = True) -> Workspace:
        """The workspace the options point to, read (`api.load`); stops on any problem unless told not
        to (the caller then looks for every problem at once)."""
        from ..api import load
        from ..storage.bundled import example_config
        from ..storage.workspace import find_config

        config = example_config() if self.example else find_config(self.config_path)
        workspace = load(config, cache=self.cache, law=self.law(), with_ledger=with_ledger,
                         database_url=self.environ.get("HDND_DATABASE_URL"), progress=self.meter("progress-reading"),
                         as_committed=self.settings_then(config), stop=False, recover=not self.example)
        self.lang = self.language(workspace)
        self.hold(workspace)
        for copy in workspace.law_copies:
            tell(say("law-copy", self.lang, path=copy, version=workspace.law.version))
        if stop and workspace.problems:
            raise Invalid(workspace.problems)
        return workspace

    def as_of_day(self, workspace: Workspace | None) -> date:
        """The evaluation date: `--as-of`, else today in the office's time zone."""
        return parse_day(self.as_of) if self.as_of is not None else self.today(workspace)

    def meter(self, key: str) -> Meter:
        """Progress for long work, on stderr when it is a terminal, after HDND_PROGRESS_AFTER seconds (2)."""
        from .progress import DELAY, Progress

        try:
            delay = float(self.environ.get("HDND_PROGRESS_AFTER", DELAY))
        except ValueError:
            raise UserError("bad-env-number", name="HDND_PROGRESS_AFTER", value=self.environ["HDND_PROGRESS_AFTER"],
                            example=DELAY) from None
        return lambda total: Progress(say(key, self.lang), total, delay)

    def offices(self, spec: str, closed: bool = True) -> Offices:
        """Every office `spec` names (`all`, or ids separated by commas), each evaluated on the
        evaluation date with its own pushed settings and rules; the database is this workspace's.
        Unless `closed`, only the open obligations may be given. The offices come one at a time, as
        they are evaluated: what a command keeps of each is all it holds."""
        from .. import api

        if self.known_on is not None:
            raise UserError("option-not-here", option="--known-on")
        home = self.workspace()
        names = None if spec.strip() == "all" else [n.strip() for n in spec.split(",") if n.strip()]
        day, law = self.as_of_day(home), self.law()
        found = api.offices(home, names, day, cache=self.cache, law=law, closed=closed,
                            progress=self.meter("progress-offices"))

        def each() -> Iterator[tuple[str, Workspace, list[Obligation]]]:
            for office, workspace, obligations, pushed_under in found:
                if (pushed_under or "") < law.version:
                    tell(say("law-office-older", self.lang, office=office, theirs=pushed_under or "?",
                             ours=law.version))
                yield office, workspace, obligations

        return Offices(day, self.lang, each())

    def evaluate(self, partial: bool = False, kept: bool = False, closed: bool = True) -> Evaluation:
        """`api.evaluate` on the evaluation date; stops on any problem, all of them shown at once, unless
        `partial` (the morning list): then the problems come first, on stderr, under a banner. `kept`:
        the command reads obligations and problems only, so kept results may serve (unless `closed`,
        only the open obligations)."""
        from .. import api

        workspace = self.workspace(stop=False)
        known_on = parse_moment(self.known_on, zone(workspace.settings.timezone)) if self.known_on is not None else None
        found = api.evaluate(workspace, self.as_of_day(workspace), known_on=known_on, partial=partial,
                             cache=self.cache if kept else None, closed=closed,
                             progress=self.meter("progress-computing"))
        self.hold(found)
        if self.debug and kept and known_on is None:
            tell(f"hdnd: obligations {found.how}")
        problems = found.problems
        if problems:
            from ..render.text import problems_text

            tell(problems_text(problems, self.lang))  # errors, and the warnings that change what is listed
            problems = [p for p in problems if not p.warning]
            if problems:
                tell(say("list-incomplete", self.lang, count=len(problems)))
        return found._replace(problems=problems)


class Offices(NamedTuple):
    """`--offices`: each office of the database evaluated by its own pushed settings and rules."""

    as_of: date
    lang: str
    each: Iterator[tuple[str, Workspace, list[Obligation]]]  # (office, its workspace, its obligations), once


def hdnd(ctx: typer.Context, **given: Any) -> Run:
    """This run's context, with the command's own options taken."""
    run: Run = ctx.obj
    return run.take(**given)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        print(f"hdnd {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(ctx: typer.Context, config: ConfigOpt = None, as_of: AsOfOpt = None, known_on: KnownOnOpt = None,
                 lang: LangOpt = None, example: ExampleOpt = False,
                 version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                       help="in phiên bản / print the version")] = False) -> None:
    run: Run = ctx.obj
    run.config, run.as_of, run.known_on, run.chosen_lang, run.example = config, as_of, known_on, lang, example
    run.lang = run.language(None)


# --- helpers the commands share ---------------------------------------------------------------------

def zone(timezone_name: str) -> tzinfo:
    """An office's time zone."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(timezone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError("bad-timezone", value=timezone_name) from None


def parse_day(text: str) -> date:
    from ..dates.counting import parse_date

    try:
        day = parse_date(text)
    except ValueError:
        raise UserError("bad-option-date", value=text) from None
    if not 1900 <= day.year <= 2200:
        raise UserError("bad-option-date", value=text)
    return day


def iso(day: date | None) -> str | None:
    """A day as JSON writes it, or null."""
    return day.isoformat() if day else None


def parse_moment(text: str, office_zone: tzinfo) -> datetime:
    """`--known-on`: a date (the end of that day) or a date and time (`2026-09-01T08:00`, `01/09/2026
    08:00`), in the office's time zone unless the text gives an offset."""
    day_text, sep, clock_text = text.strip().replace("T", " ", 1).partition(" ")
    day = parse_day(day_text)
    if not sep:
        return datetime.combine(day, time(23, 59, 59), office_zone)
    try:
        clock = time.fromisoformat(clock_text.strip())
    except ValueError:
        raise UserError("bad-option-moment", value=text) from None
    moment = datetime.combine(day, clock)
    return moment if moment.tzinfo else moment.replace(tzinfo=office_zone)


def about(ev: Evaluation, lang: str) -> list[tuple[str, str]]:
    """What a file written from `ev` says of itself (a workbook's "Thông tin" sheet): the office and its
    workspace, the day, under `--known-on` that time and how many entries it left out, the law's version."""
    from .. import __version__

    settings = ev.workspace.settings
    facts = [("office", str(settings.office.get("name", "hdnd"))), ("workspace", str(settings.config_file.resolve())),
             ("as-of", vn_date(ev.as_of))]
    if ev.known_on is not None:
        facts += [("known-on", moment_text(ev.known_on, lang)), ("left-out", str(len(ev.later)))]
    facts += [("law", ev.workspace.law.version), ("made-by", f"hdnd {__version__}")]
    return [(phrase(f"about.{key}", lang), value) for key, value in facts]


def left_out_note(ev: Evaluation, lang: str) -> str | None:
    """What `--known-on` left out, said by every output made under it."""
    if ev.known_on is None:
        return None
    return say("left-out", lang, count=len(ev.later), known_on=moment_text(ev.known_on, lang))


def on_terminal() -> bool:
    """Whether stdout is a terminal (tables are drawn with colour and wrapping then)."""
    import sys

    return sys.stdout.isatty()


def tell(note: str | None) -> None:
    """A note beside output that scripts read: on stderr, so stdout stays the document."""
    import sys

    if note:
        print(note, file=sys.stderr)


def emit(ev: Evaluation, obligations: list[Obligation], fmt: str, lang: str, show_done: bool = False,
         evidence: bool = False) -> None:
    """Obligations in the chosen format, with what `--known-on` left out: in the JSON document, above
    a table, on stderr beside CSV; `evidence`: how each completion was recorded (`render.text.item`)."""
    import sys

    from ..render import text as render

    note = left_out_note(ev, lang)
    if fmt == "json":
        render.write_json(sys.stdout, ev.as_of, obligations, ev.known_on, len(ev.later), ev.workspace.law.version,
                          evidence)
    elif fmt == "csv":
        tell(note)
        render.write_csv(obligations, sys.stdout, evidence)
    else:
        if note:
            render.plain(note)
        render.obligations_table(obligations, ev.workspace, lang, show_done, on_terminal())


def output_format(fmt: str | None, output: Path | None, formats: tuple[str, ...]) -> str:
    """The format `-f` names, else the one `-o`'s suffix names, else a table; `-o` with a format that
    is not written to a file, or a suffix that is not the format's, is refused before anything is read."""
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    if fmt is None:
        fmt = suffix if suffix in formats else "table"
    if output is not None and suffix != fmt:
        raise UserError("output-mismatch", path=str(output), format=fmt)
    return fmt
