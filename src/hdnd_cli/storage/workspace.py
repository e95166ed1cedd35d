"""Reading a workspace: hdnd.toml, the rule packs, the ledger (through its store), the calendar.

`load(config_file, cache)` returns a Workspace with everything read and validated; problems from
every file are gathered, and the caller decides (check prints them, other commands stop on them).
This package is the only one that opens files.
"""
from __future__ import annotations

import hashlib
import tomllib
from dataclasses import replace
from datetime import date
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from ..dates.calendar import Calendar, package_holidays
from ..model import Body, Problem, Rule, Settings, UserError, Workspace
from ..parse.config import parse_config
from .base import Ledger, Meter, Store
from .bundled import rules_folder
from .cache import OFF, Cache, package_stamp
from .files import read_bytes, read_text, unreadable
from .filestore import FileStore, in_ledger, show_path
from .law import Law, own_law


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
         progress: Meter | None = None, law: Law | None = None, as_committed: str | None = None) -> Workspace:
    """Read and validate everything: the settings, the law's packs and the office's own, and (unless
    told not to) the ledger. `database_url` (HDND_DATABASE_URL) replaces a `[store]`'s url; `progress`
    is told of a long read; `law` is the law in use (else hdnd's own); `as_committed`, a git commit of
    the workspace: hdnd.toml and the office's packs as they were in it (the ledger is today's)."""
    workspace, text = _settings(config_file, cache, database_url, progress, law, as_committed)
    packs = law_packs(workspace.law)
    if as_committed is not None:
        from .revisions import packs_then

        packs += packs_then(workspace, as_committed)[0]
    else:
        for path in _packs(workspace, text):
            pack_text = _text(path, workspace.problems)
            if pack_text is not None:
                packs.append((show_path(path), pack_text))
    _read_rules(workspace, packs, cache, text)
    if with_ledger:
        read_ledger(workspace)
    return workspace


def law_packs(law: Law) -> list[tuple[str, str]]:
    """The law's packs, named `law:ID` (the office does not edit them), with their text."""
    return [(f"law:{path.stem}", read_bytes(path).decode("utf-8")) for path in law.packs]


def law_rules(law: Law) -> tuple[list[Rule], list[Problem]]:
    """A law's own rules, and their problems (a law to install must have none)."""
    rules, problems, _, _ = parse_packs(law_packs(law))
    return rules, problems


def _read_rules(workspace: Workspace, packs: list[tuple[str, str]], cache: Cache, config_text: str) -> None:
    """The rules of `packs` into the workspace (parsed through the cache), with their problems; a
    copy of a law's pack among the office's (as `hdnd init` wrote them before the law was one set) is
    left out and named in `law_copies`. The digest of these and the settings' text is `sources`."""
    inputs = tuple(f"{name}\0{pack_text}".encode() for name, pack_text in packs)
    digest = hashlib.sha1(config_text.encode(), usedforsecurity=False)
    for part in inputs:
        digest.update(len(part).to_bytes(8, "little") + part)
    workspace.sources = digest.digest()
    workspace.rules, problems, counts, workspace.law_copies = cache.derived(  # one kept version a workspace
        f"rules-{workspace.settings.config_file.resolve()}", inputs, partial(parse_packs, packs, workspace.law.pack_ids()))
    workspace.problems.extend(problems)
    workspace.files.update(counts)
    _law_bodies(workspace)


def _law_bodies(workspace: Workspace) -> None:
    """The bodies the law's rules name, with the law's names at the office's level, where hdnd.toml
    does not list them: a rule of a new law reaches the office without an edit of its settings."""
    parties = {b for r in workspace.rules if r.pack.file.startswith("law:") for b in (*r.obligors, r.recipient)}
    named = {b if isinstance(b, str) else b.default for b in parties if b is not None} - set(workspace.bodies)
    if not named - {None}:
        return
    data = tomllib.loads(read_text(workspace.law.bodies))
    words = data["levels"].get(workspace.settings.level or "province")
    for body in data["bodies"]:
        if body["id"] in named:
            english = body["name_en"].format(level=words["en"])
            workspace.bodies[body["id"]] = Body(body["id"], body["name"].format(level=words["vi"]),
                                                english[:1].upper() + english[1:])


def read_ledger(workspace: Workspace) -> None:
    """The workspace's ledger, read from its store into it, with the problems of what could not be read."""
    ledger = workspace.store.read()
    workspace.entries = ledger.entries
    workspace.problems.extend(ledger.problems)
    workspace.files.update(ledger.places)


def parse_packs(packs: list[tuple[str, str]], law: frozenset[str] | set[str] = frozenset()
                ) -> tuple[list[Rule], list[Problem], dict[str, int], list[str]]:
    """Every rule of the packs (name, text), their problems, how many rules each file gave, and the
    office's files that copy a pack of the law (`law`: its ids), which are left out."""
    from ..parse.rules import check_rule_set, parse_pack

    rules: list[Rule] = []
    problems: list[Problem] = []
    counts, copies = {}, []
    for name, text in packs:
        pack, pack_rules, pack_problems = parse_pack(text, name)
        if pack is not None and pack.id in law and not name.startswith("law:"):
            copies.append(name)
            continue
        rules.extend(pack_rules)
        problems.extend(pack_problems)
        counts[name] = len(pack_rules)
    return rules, problems + check_rule_set(rules), counts, copies


def read_config(config_file: Path, cache: Cache = OFF, database_url: str | None = None,
                law: Law | None = None) -> Workspace:
    """The settings alone (and the calendar they make), for commands that need no rules."""
    return _settings(config_file, cache, database_url, law=law)[0]


def _settings(config_file: Path, cache: Cache, database_url: str | None = None,
              progress: Meter | None = None, law: Law | None = None,
              as_committed: str | None = None) -> tuple[Workspace, str]:
    problems: list[Problem] = []
    if as_committed is not None:
        from .revisions import text_at

        text: str | None = text_at(config_file, as_committed)
    else:
        text = _text(config_file, problems)
    settings = Settings(config_file)
    if text is not None:
        settings, found = parse_config(text, config_file, show_path(config_file))
        problems += found
        if settings.database is None and not in_ledger(settings, settings.root / settings.write_to.format(year=2000)):
            from ..parse.tomllines import key_lines, line_of

            problems.append(Problem(show_path(config_file), line_of(key_lines(text), "paths", "write_to"),
                                    "write-to-outside", {"path": settings.write_to}))
    if settings.database is not None and database_url:
        settings = replace(settings, database={**settings.database, "url": database_url})
    return _workspace(settings, problems, cache, law, text or "", progress), text or ""


def _workspace(settings: Settings, problems: list[Problem], cache: Cache, law: Law | None, text: str,
               progress: Meter | None = None, version: bytes | None = None) -> Workspace:
    """An office under its settings, before its rules and ledger are read: its store and its calendar;
    `version`, a database office's as read with its settings."""
    if settings.database is not None:
        from .postgres import PostgresStore  # the driver only for a database workspace

        store: Store = PostgresStore(settings.database["url"], settings.database["office"], cache, version)
    else:
        store = FileStore(settings, cache, text, progress)
    law = law or own_law()
    return Workspace(settings, law, load_calendar(settings, cache, law), store, dict(settings.bodies),
                     problems=problems)


def office_pack_paths(workspace: Workspace) -> list[Path]:
    """The office's own rule pack files, as its settings name them."""
    return _packs(workspace, read_bytes(workspace.settings.config_file).decode("utf-8"))


def _packs(workspace: Workspace, config_text: str) -> list[Path]:
    from ..parse.tomllines import key_lines, line_of

    found = []
    for path in workspace.settings.rule_paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix == ".toml" and p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            line = line_of(key_lines(config_text), "paths", "rules")
            workspace.problems.append(Problem(show_path(workspace.settings.config_file), line, "missing-path",
                                              {"path": show_path(path)}))
    return found


def _text(path: Path, problems: list[Problem]) -> str | None:
    data = b""
    try:
        data = read_bytes(path)
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(unreadable(show_path(path), error, data))
        return None


def load_calendar(settings: Settings | None = None, cache: Cache = OFF, law: Law | None = None) -> Calendar:
    """The national working calendar of the law in use, with the office's own days off and make-up days."""
    law = law or own_law()
    data = _calendar_data(read_text(law.calendar))

    def holidays(year: int) -> dict[date, tuple[str, str]]:  # the `holidays` package's, cached per year
        key = (str(year).encode(), package_stamp("holidays").encode())
        return cache.get(f"holidays-vn-{year}", key, lambda: package_holidays(year), dict)

    if settings is None:
        return Calendar(data, holidays=holidays)
    return Calendar(data, settings.days_off, settings.work_days, holidays=holidays)


@lru_cache(maxsize=4)
def _calendar_data(text: str) -> dict[str, Any]:
    """The calendar file's text read, once a run: a province's roll-up makes a calendar for every office."""
    return tomllib.loads(text)


def bundled_packs() -> list[Path]:
    """The packs that come with hdnd but are not the law: seed regulations an office adapts."""
    law = own_law().pack_ids()
    return sorted(p for p in rules_folder().glob("*.toml") if p.stem not in law)


def file_ledger(workspace: Workspace, cache: Cache) -> tuple[Ledger, str, list[tuple[str, str]]]:
    """What `hdnd db push` copies: the ledger files, hdnd.toml's text, and each rule pack (name, text)."""
    text = read_bytes(workspace.settings.config_file).decode("utf-8")
    ledger = FileStore(workspace.settings, cache, text).read()
    packs = []
    for path in _packs(workspace, text):
        pack_text = _text(path, workspace.problems)
        if pack_text is not None:
            packs.append((path.relative_to(workspace.root).as_posix() if path.is_relative_to(workspace.root)
                          else path.name, pack_text))
    return ledger, text, packs


def office_workspaces(url: str, offices: list[str] | None, cache: Cache,
                      law: Law | None = None) -> list[tuple[str, Workspace, str | None]]:
    """Each office of the database as it pushed itself: its own settings and rule packs, and its ledger
    as it was then (read when it is needed), judged by the law in use here; and the version of the law
    it pushed under."""
    from .postgres import pushed

    found = []
    for office, config, packs, pushed_under, version in pushed(url, offices):
        settings, problems = parse_config(config, Path(office) / "hdnd.toml", f"db:{office}/hdnd.toml")
        workspace = _workspace(replace(settings, database={"url": url, "office": office}), problems, cache, law,
                               config, version=version)
        _read_rules(workspace, law_packs(workspace.law) + packs, cache, config)
        found.append((office, workspace, pushed_under))
    return found
