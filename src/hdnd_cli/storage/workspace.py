"""Reading a workspace: hdnd.toml, the rule packs, the ledger (through its store), the calendar.

`load(config_file, cache)` returns a Workspace with everything read and validated; problems from
every file are gathered, and the caller decides (check prints them, other commands stop on them).
This package is the only one that opens files.
"""
from __future__ import annotations

import hashlib
import tomllib
from functools import partial
from datetime import date
from pathlib import Path

from ..dates.calendar import Calendar, package_holidays
from ..model import Problem, Rule, UserError, Workspace
from ..parse.config import parse_config
from .bundled import calendar_file, rules_folder
from .cache import OFF, Cache, package_stamp
from .base import Ledger, Meter
from .filestore import FileStore, show_path
from .files import read_bytes, read_text


def find_config(explicit: str | None, start: Path | None = None) -> Path:
    """hdnd.toml from --config (or HDND_CONFIG), else in the current folder or its parents (like git)."""
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


def load(config_file: Path, cache: Cache = OFF, with_ledger: bool = True, database_url: str | None = None,
         progress: Meter | None = None) -> Workspace:
    """Read and validate everything: the settings, the rules, and (unless told not to) the ledger.
    `database_url` (HDND_DATABASE_URL) replaces a `[store]`'s url; `progress` is told of a long read."""
    workspace, text = _settings(config_file, cache, database_url, progress)
    packs = []
    for path in _packs(workspace, text):
        pack_text = _text(path, workspace.problems)
        if pack_text is not None:
            packs.append((show_path(path), pack_text))
    inputs = tuple(f"{name}\0{pack_text}".encode() for name, pack_text in packs)
    workspace.rules, problems, counts = cache.derived("rules", inputs, lambda: parse_packs(packs))
    digest = hashlib.sha1(text.encode(), usedforsecurity=False)
    for part in inputs:
        digest.update(len(part).to_bytes(8, "little") + part)
    workspace.sources = digest.digest()
    workspace.problems.extend(problems)
    workspace.files.update(counts)
    if with_ledger:
        read_ledger(workspace)
    return workspace


def read_ledger(workspace: Workspace) -> None:
    """The workspace's ledger, read from its store into it, with the problems of what could not be read."""
    ledger = workspace.store.read()
    workspace.entries = ledger.entries
    workspace.problems.extend(ledger.problems)
    workspace.files.update(ledger.places)


def parse_packs(packs: list[tuple[str, str]]) -> tuple[list[Rule], list[Problem], dict[str, int]]:
    """Every rule of the packs (name, text), their problems, and how many rules each file gave."""
    from ..parse.rules import check_rule_set, parse_pack

    rules: list[Rule] = []
    problems: list[Problem] = []
    counts = {}
    for name, text in packs:
        _, pack_rules, pack_problems = parse_pack(text, name)
        rules.extend(pack_rules)
        problems.extend(pack_problems)
        counts[name] = len(pack_rules)
    return rules, problems + check_rule_set(rules), counts


def read_config(config_file: Path, cache: Cache = OFF, database_url: str | None = None) -> Workspace:
    """The settings alone (and the calendar they make), for commands that need no rules."""
    return _settings(config_file, cache, database_url)[0]


def _settings(config_file: Path, cache: Cache, database_url: str | None = None,
              progress: Meter | None = None) -> tuple[Workspace, str]:
    problems: list[Problem] = []
    text = _text(config_file, problems)
    workspace = parse_config(text, config_file, show_path(config_file)) if text is not None else Workspace(config_file)
    workspace.problems[:0] = problems
    if workspace.database is not None:
        from .postgres import PostgresStore  # the driver only for a database workspace

        if database_url:
            workspace.database = {**workspace.database, "url": database_url}
        workspace.store = PostgresStore(workspace.database["url"], workspace.database["office"], cache)
    else:
        workspace.store = FileStore(workspace, cache, text or "", progress)
    workspace.calendar = load_calendar(workspace, cache)
    return workspace, text or ""


def _packs(workspace: Workspace, config_text: str) -> list[Path]:
    from ..parse.tomllines import key_lines, line_of

    found = []
    for path in workspace.rule_paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix == ".toml" and p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            line = line_of(key_lines(config_text), "paths", "rules")
            workspace.problems.append(Problem(show_path(workspace.config_file), line, "missing-path",
                                              {"path": show_path(path)}))
    return found


def _text(path: Path, problems: list[Problem]) -> str | None:
    try:
        return read_bytes(path).decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(show_path(path), 1, "unreadable", {"error": error}))
        return None


def load_calendar(workspace: Workspace | None = None, cache: Cache = OFF) -> Calendar:
    """The national working calendar, with the office's own days off and make-up days."""
    data = tomllib.loads(read_text(calendar_file()))

    def holidays(year: int) -> dict[date, tuple[str, str]]:  # the `holidays` package's, cached per year
        key = (str(year).encode(), package_stamp("holidays").encode())
        return cache.get(f"holidays-vn-{year}", key, lambda: package_holidays(year))

    if workspace is None:
        return Calendar(data, holidays=holidays)
    return Calendar(data, workspace.days_off, workspace.work_days, holidays=holidays)


def bundled_packs() -> list[Path]:
    return sorted(rules_folder().glob("*.toml"))


def file_ledger(workspace: Workspace, cache: Cache) -> tuple[Ledger, str, list[tuple[str, str]]]:
    """What `hdnd db push` copies: the ledger files, hdnd.toml's text, and each rule pack (name, text)."""
    text = read_bytes(workspace.config_file).decode("utf-8")
    ledger = FileStore(workspace, cache, text).read()
    packs = []
    for path in _packs(workspace, text):
        pack_text = _text(path, workspace.problems)
        if pack_text is not None:
            packs.append((path.relative_to(workspace.root).as_posix() if path.is_relative_to(workspace.root)
                          else path.name, pack_text))
    return ledger, text, packs


def office_workspaces(url: str, offices: list[str] | None, cache: Cache) -> list[tuple[str, Workspace]]:
    """Each office of the database as it pushed itself: its own settings, rule packs and ledger."""
    from .postgres import PostgresStore, pushed

    found = []
    for office, config, packs in pushed(url, offices):
        workspace = parse_config(config, Path(office) / "hdnd.toml", f"db:{office}/hdnd.toml")
        workspace.database = {"url": url, "office": office}
        workspace.store = PostgresStore(url, office, cache)
        workspace.calendar = load_calendar(workspace, cache)
        inputs = tuple(f"{name}\0{text}".encode() for name, text in packs)
        workspace.rules, problems, counts = cache.derived("rules", inputs, partial(parse_packs, packs))
        workspace.problems.extend(problems)
        ledger = workspace.store.read()
        workspace.entries = ledger.entries
        workspace.problems.extend(ledger.problems)
        workspace.files.update(counts | ledger.places)
        found.append((office, workspace))
    return found
