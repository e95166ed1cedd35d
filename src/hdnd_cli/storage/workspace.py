"""The only module that opens files: hdnd.toml, the rule packs, the ledger, the bundled calendar.

`load(config_path)` returns a Workspace with everything read and validated; problems from every
file are gathered, and the caller decides (check prints them, other commands stop on them).
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .bundled import calendar_file, example_config, rules_folder
from .cache import cached, cached_parse, package_stamp
from ..dates.calendar import Calendar
from ..parse.ledger import check_entries, parse_ledger
from ..model import Entry, Problem, Rule, UserError
from ..parse.rules import LEVELS, check_rule_set, parse_pack
from ..dates.counting import parse_amount
from ..parse.tomllines import decode_error_line, key_lines, line_of, reason

LEDGER_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")
CONFIG_KEYS = {
    "office": {"name", "level", "lang", "timezone", "since", "email"},
    "paths": {"rules", "ledger", "write_to"},
    "due": {"horizon"},
    "bodies": {"id", "name", "name_en", "email"},
    "calendar": {"days_off", "work_days"},
    "notify": {"host", "port", "sender", "security", "user", "subject_prefix", "plain_login"},
}
_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")  # line breaks of every kind, and control characters


@dataclass(frozen=True, slots=True)
class Body:
    id: str
    name: str
    name_en: str | None = None
    email: str | None = None


@dataclass
class Workspace:
    config_file: Path
    office: dict[str, Any] = field(default_factory=dict)
    level: str | None = None
    lang: str | None = None
    timezone: str = "Asia/Ho_Chi_Minh"
    since: date | None = None
    horizon: int = 14
    rule_paths: list[Path] = field(default_factory=list)
    ledger_paths: list[Path] = field(default_factory=list)
    write_to: str = "data/{year}.yaml"
    bodies: dict[str, Body] = field(default_factory=dict)
    days_off: list[tuple[date, str]] = field(default_factory=list)
    work_days: list[tuple[date, str]] = field(default_factory=list)
    notify: dict[str, Any] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, int] = field(default_factory=dict)  # file -> number of rules or entries read

    @property
    def root(self) -> Path:
        return self.config_file.parent

    def body_name(self, body_id: str, lang: str = "vi") -> str:
        body = self.bodies.get(body_id)
        if body is None:
            return body_id
        return (body.name_en or body.name) if lang == "en" else body.name


def find_config(explicit: str | None, start: Path | None = None) -> Path:
    """hdnd.toml from --config / HDND_CONFIG, else in the current folder or its parents (like git)."""
    explicit = explicit or os.environ.get("HDND_CONFIG")
    if explicit:
        path = Path(explicit)
        path = path / "hdnd.toml" if path.is_dir() else path
        if not path.is_file():
            raise UserError("config-missing", path=str(path))
        return path
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / "hdnd.toml").is_file():
            return candidate / "hdnd.toml"
    raise UserError("no-workspace")


def absolute(path: Path) -> Path:
    """`path` made absolute through its folders' links, but not its own: a ledger file that is a link
    keeps its name in the workspace (and is written through, see store)."""
    return path.parent.resolve() / path.name


def show_path(path: Path) -> str:
    """A path as a user would type it: relative to the current folder when inside it."""
    path = absolute(path)
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load(config_file: Path, with_ledger: bool = True, overrides: dict[Path, str] | None = None) -> Workspace:
    """Read and validate everything; `overrides` replaces (or adds) ledger files' text, so a write
    can be checked as if it had happened."""
    workspace = read_config(config_file)
    rules: list[Rule] = []
    for path in _files(workspace, workspace.rule_paths, (".toml",), "rules"):
        text = _read(path, workspace)
        if text is None:
            continue
        pack, pack_rules, problems = parse_pack(text, show_path(path))
        rules.extend(pack_rules)
        workspace.problems.extend(problems)
        workspace.files[show_path(path)] = len(pack_rules)
    workspace.problems.extend(check_rule_set(rules))
    workspace.rules = rules
    if with_ledger:
        overrides = {absolute(p): text.encode() for p, text in (overrides or {}).items()}
        files = [absolute(p) for p in _files(workspace, workspace.ledger_paths, LEDGER_SUFFIXES, "ledger")]
        left_out: list[Problem] = []
        for path in sorted(set(files) | overrides.keys()):
            data = overrides[path] if path in overrides else _read_bytes(path, workspace)
            if data is None:
                continue
            entries, problems = cached_parse(data, show_path(path), _parse_ledger_file)
            workspace.entries.extend(entries)
            left_out.extend(problems)
            workspace.files[show_path(path)] = len(entries)
        workspace.problems.extend(left_out)
        workspace.problems.extend(check_entries(workspace.entries, left_out))
    return workspace


MAX_FILE = 2 << 30  # bytes: a ledger of ten million entries is smaller; a larger file is a mistake


def _read_bytes(path: Path, workspace: Workspace) -> bytes | None:
    """A file's bytes; a file that is too big, or binary (a NUL byte near its start), is a problem
    found before it is read whole."""
    try:
        with path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_FILE:
                raise OSError(f"larger than {MAX_FILE >> 30} GiB")
            head = handle.read(8192)
            if b"\0" in head:
                raise OSError("a binary file, not text")
            return head + handle.read()
    except OSError as error:
        workspace.problems.append(Problem(show_path(path), 1, "unreadable", {"error": error}))
        return None


def _parse_ledger_file(data: bytes, name: str) -> tuple[list[Entry], list[Problem]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return [], [Problem(name, 1, "unreadable", {"error": error})]
    return parse_ledger(text, name)


def _read(path: Path, workspace: Workspace) -> str | None:
    data = _read_bytes(path, workspace)
    try:
        return None if data is None else data.decode("utf-8")
    except UnicodeDecodeError as error:
        workspace.problems.append(Problem(show_path(path), 1, "unreadable", {"error": error}))
        return None


def _files(workspace: Workspace, paths: list[Path], suffixes: tuple, key: str) -> list[Path]:
    found = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in suffixes and p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            line = line_of(key_lines(_read(workspace.config_file, workspace) or ""), "paths", key)
            workspace.problems.append(Problem(show_path(workspace.config_file), line, "missing-path",
                                              {"path": show_path(path)}))
    return found


def read_config(config_file: Path) -> Workspace:
    workspace = Workspace(config_file=config_file)
    where = show_path(config_file)
    text = _read(config_file, workspace)
    if text is None:
        return workspace
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        workspace.problems.append(Problem(where, decode_error_line(error), "toml-syntax", {"error": error}))
        return workspace
    except (ValueError, RecursionError) as error:  # a number of 5,000 digits, arrays nested 3,000 deep
        workspace.problems.append(Problem(where, 1, "toml-syntax", {"error": reason(error)}))
        return workspace
    lines = key_lines(text)

    def problem(path: tuple, key: str, **params: Any) -> None:
        workspace.problems.append(Problem(where, line_of(lines, *path), key, params))

    for name in data.keys() - CONFIG_KEYS.keys():
        problem((name,), "unknown-key", name=name, allowed=", ".join(sorted(CONFIG_KEYS)))
    for name, allowed in CONFIG_KEYS.items():
        tables = data.get(name, [] if name == "bodies" else {})
        for index, table in enumerate(tables if isinstance(tables, list) else [tables]):
            path = (name, index) if name == "bodies" else (name,)
            if not isinstance(table, dict):
                problem(path, "not-a-table", name=name)
                continue
            for key in table.keys() - allowed:
                problem(path + (key,), "unknown-key", name=key, allowed=", ".join(sorted(allowed)))

    office = data.get("office", {}) if isinstance(data.get("office"), dict) else {}
    workspace.office = office
    workspace.level = _choice(office, "level", LEVELS, ("office",), problem)
    workspace.lang = _choice(office, "lang", ("vi", "en"), ("office",), problem)
    for key in ("name", "timezone", "email"):
        if key in office and (not isinstance(office[key], str) or _CONTROL.search(office[key])):
            problem(("office", key), "not-text", name=key)
    workspace.timezone = str(office.get("timezone", workspace.timezone))
    since = office.get("since")
    if since is not None and not _is_day(since):
        problem(("office", "since"), "bad-config-date", value=since)
    workspace.since = since if _is_day(since) else None

    paths = data.get("paths", {}) if isinstance(data.get("paths"), dict) else {}
    root = config_file.parent
    workspace.rule_paths = [root / p for p in _paths(paths, "rules", ["rules"], problem)]
    workspace.ledger_paths = [root / p for p in _paths(paths, "ledger", ["data"], problem)]
    workspace.write_to = (_paths(paths, "write_to", [workspace.write_to], problem) or [workspace.write_to])[0]
    if not _only_year(workspace.write_to):
        problem(("paths", "write_to"), "bad-write-to", value=workspace.write_to)
        workspace.write_to = "data/{year}.yaml"

    due = data.get("due", {}) if isinstance(data.get("due"), dict) else {}
    if "horizon" in due:
        try:
            amount = parse_amount(due["horizon"])
            assert amount.unit == "d"
            workspace.horizon = amount.count
        except (ValueError, AssertionError):
            problem(("due", "horizon"), "bad-amount", name="horizon", value=due["horizon"], units="d")

    bodies = data.get("bodies", [])
    for index, body in enumerate(bodies if isinstance(bodies, list) else []):
        if not isinstance(body, dict):
            continue
        path = ("bodies", index)
        for key in ("id", "name"):
            if not isinstance(body.get(key), str) or not body[key].strip():
                problem(path, "missing-key", name=key)
        for key in ("id", "name", "name_en", "email"):
            if isinstance(body.get(key), str) and _CONTROL.search(body[key]):
                problem(path + (key,), "control-characters", name=key)
        email = body.get("email")
        if email is not None and (not isinstance(email, str) or not _EMAIL.match(email)):
            problem(path + ("email",), "bad-email", value=email)
        if isinstance(body.get("id"), str):
            if body["id"] in workspace.bodies:
                problem(path + ("id",), "duplicate-body", id=body["id"])
            workspace.bodies[body["id"]] = Body(body["id"], str(body.get("name", body["id"])),
                                                body.get("name_en"), email)

    calendar = data.get("calendar", {}) if isinstance(data.get("calendar"), dict) else {}
    workspace.days_off = _days(calendar.get("days_off", []), ("calendar", "days_off"), problem, "Nghỉ (văn phòng)")
    workspace.work_days = _days(calendar.get("work_days", []), ("calendar", "work_days"), problem,
                                "Làm bù (văn phòng)")
    workspace.notify = data.get("notify", {}) if isinstance(data.get("notify"), dict) else {}
    _check_notify(workspace.notify, problem)
    if "email" in office and isinstance(office["email"], str) and not _EMAIL.match(office["email"]):
        problem(("office", "email"), "bad-email", value=office["email"])
    return workspace


SECURITY = ("starttls", "ssl", "none")


def _check_notify(notify: dict[str, Any], problem) -> None:
    """Mail settings are a closed choice: a typo must never mean a password sent in clear."""
    where = ("notify",)
    _choice(notify, "security", SECURITY, where, problem)
    port = notify.get("port")
    if port is not None and (isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535):
        problem(where + ("port",), "bad-integer", name="port", value=port, low=1, high=65535)
    for key in ("host", "user", "subject_prefix"):
        if key in notify and (not isinstance(notify[key], str) or not notify[key].strip() or _CONTROL.search(notify[key])):
            problem(where + (key,), "not-text", name=key)
    sender = notify.get("sender")
    if sender is not None and (not isinstance(sender, str) or not _EMAIL.match(sender)):
        problem(where + ("sender",), "bad-email", value=sender)
    if not isinstance(notify.get("plain_login", False), bool):
        problem(where + ("plain_login",), "bad-choice", name="plain_login", value=notify["plain_login"],
                choices="true, false")
    if notify.get("security") == "none" and notify.get("user") and notify.get("plain_login") is not True:
        problem(where + ("user",), "plain-login")


def _is_day(value: Any) -> bool:
    """A TOML date, not a date and time (`2026-09-01`, not `2026-09-01T08:00:00`)."""
    return isinstance(value, date) and not isinstance(value, datetime)


def _only_year(pattern: str) -> bool:
    """`write_to` may name `{year}` and nothing else (no `{0}`, no `{year.__class__}`)."""
    import string

    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(pattern)
                  if name is not None]
    except ValueError:
        return False
    return all(field == ("year", "", None) for field in fields)


def _choice(table: dict, name: str, choices: tuple, path: tuple, problem) -> str | None:
    value = table.get(name)
    if value is not None and value not in choices:
        problem(path + (name,), "bad-choice", name=name, value=value, choices=", ".join(choices))
        return None
    return value


def _paths(table: dict, key: str, default: list[str], problem) -> list[str]:
    """A path or a list of paths; anything else is a problem."""
    value = table.get(key, default)
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        problem(("paths", key), "bad-paths", name=key)
        return []
    return value


def _days(values: Any, path: tuple, problem, default_name: str) -> list[tuple[date, str]]:
    """`[2026-09-01]` or `[{ date = 2026-09-01, name = "..." }]` -> [(date, name)]."""
    days = []
    for value in values if isinstance(values, list) else [values]:
        day, name = (value.get("date"), value.get("name", default_name)) if isinstance(value, dict) else (value, default_name)
        if _is_day(day):
            days.append((day, str(name)))
        else:
            problem(path, "bad-config-date", value=day)
    return days


def load_calendar(workspace: Workspace | None = None) -> Calendar:
    data = tomllib.loads(calendar_file().read_text(encoding="utf-8"))
    if workspace is None:
        return Calendar(data, holidays=cached_holidays)
    return Calendar(data, workspace.days_off, workspace.work_days, holidays=cached_holidays)


def cached_holidays(year: int) -> dict[date, tuple[str, str]]:
    """One year of the `holidays` package's days, kept in the cache per year and package version."""
    from ..dates.calendar import package_holidays

    key = (str(year).encode(), package_stamp("holidays").encode())
    return cached(f"holidays-vn-{year}", key, lambda: package_holidays(year))


def evaluate(workspace: Workspace, as_of: date, known_on: datetime | None = None,
             partial: bool = False) -> tuple[list, list[Entry], list[Problem]]:
    """Every obligation of a workspace on `as_of`, with only what was recorded by `known_on` when it is
    given; the entries that left out; and the problems of the whole ledger. A problem stops the run
    (Invalid) unless `partial`: then the obligations are those of every valid rule and entry."""
    from ..engine.compute import compute, known
    from ..model import Invalid

    obligations, problems = find_problems(workspace, as_of)
    errors = [p for p in problems if not p.warning]  # warnings are for `check`
    if errors and not partial:
        raise Invalid(errors)
    if known_on is None:
        return obligations, [], errors
    entries, later = known(workspace.entries, known_on)
    obligations, _ = compute(_usable_rules(workspace), entries, load_calendar(workspace), as_of, _settings(workspace))
    return obligations, later, errors  # every problem was found above, in the whole ledger


def _left_out(workspace: Workspace) -> set[str]:
    """The ids of the rules and entries left out for problems of their own (each problem's subject)."""
    return {p.subject[0] for p in workspace.problems if p.subject}


def _usable_rules(workspace: Workspace, left_out: set[str] | None = None) -> list[Rule]:
    """The rules without a problem of their own."""
    left_out = _left_out(workspace) if left_out is None else left_out
    return [r for r in workspace.rules if r.id not in left_out] if left_out else workspace.rules


def find_problems(workspace: Workspace, as_of: date, examples: bool = False) -> tuple[list, list[Problem]]:
    """The obligations and every problem at once, as `check` shows them: the files' own, and what the
    engine finds among the rules and entries that are valid. A rule or entry left out for its own
    problem still takes its id, and a reference to it is not reported again as unknown."""
    from ..engine.compute import compute
    from ..engine.examples import run_examples

    left_out = _left_out(workspace)
    rules = _usable_rules(workspace, left_out)
    cal = load_calendar(workspace)
    obligations, found = compute(rules, workspace.entries, cal, as_of, _settings(workspace))
    problems = workspace.problems + [p for p in found if not _names_left_out(p, left_out)]
    if examples:
        problems += run_examples(rules, cal)[1]
    return obligations, problems


def _names_left_out(problem: Problem, left_out: set[str]) -> bool:
    if problem.key != "unknown-obligation":
        return False
    rule, _, rest = problem.params["id"].partition("/")
    return bool(left_out) and not left_out.isdisjoint((rule, rest.partition("/")[0]))


def _settings(workspace: Workspace):
    from ..engine.compute import Settings

    return Settings(workspace.horizon, workspace.level, workspace.since, frozenset(workspace.bodies) or None,
                    body_names(workspace))


def body_names(workspace: Workspace) -> dict[str, str]:
    """Each body's id by its id and its names, folded (case and diacritics aside); a folded name that
    two bodies share names neither."""
    from ..messages import fold

    names: dict[str, str | None] = {}
    for body in workspace.bodies.values():
        for text in {body.id, body.name, body.name_en or body.name}:
            key = fold(text)
            names[key] = body.id if names.get(key, body.id) == body.id else None
    return {key: body_id for key, body_id in names.items() if body_id}


def in_ledger(workspace: Workspace, path: Path) -> bool:
    """Whether `path` is one of the files the ledger paths name (so entries written there are read)."""
    path = absolute(path)
    return path.suffix in LEDGER_SUFFIXES and any(
        path == absolute(p) or (p.is_dir() and path.parent == p.resolve()) for p in workspace.ledger_paths)


def bundled_packs() -> list[Path]:
    return sorted(rules_folder().glob("*.toml"))
