"""Shared helpers: rules and ledgers written inline, in their own syntax, and the command.

`run()` runs `hdnd` in this process (the way the console script does, through `cli.main.run`, with its
own environment, folder, stdout and stderr), which is several times faster than a process per call;
`HDND_TEST_PROCESSES=1` runs the installed command instead. The few tests about what only a real process
shows (the console's encoding, a terminal, several writers at once) start it themselves.
"""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from datetime import date
from pathlib import Path

import pytest

from hdnd_cli.engine.compute import EngineSettings, compute
from hdnd_cli.parse.ledger import check_entries, parse_ledger
from hdnd_cli.parse.rules import check_rule_set, parse_pack
from hdnd_cli.storage.workspace import load_calendar

# The user's own cache folder, as hdnd would find it without the settings below: the suite must leave it alone.
USERS_CACHE = Path(os.environ.get("HDND_CACHE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or
                                                          Path.home() / ".cache") / "hdnd")
CACHE_DIR = tempfile.mkdtemp(prefix="hdnd-test-cache-")  # the parse cache of this test run
# Every process the tests start, and this one, caches there: nothing is left in the user's ~/.cache.
os.environ["HDND_CACHE_DIR"] = CACHE_DIR
os.environ["XDG_CACHE_HOME"] = CACHE_DIR
# The suite's ledgers are small, below the size from which hdnd keeps the engine's answer: kept at any
# size here, so that every test of the kept answer runs it (test_kept.py tests the size itself).
os.environ["HDND_KEPT_FROM"] = "0"
# ... and reads the law from a folder of this run's, where nothing is installed unless a test does it:
# a law installed on this machine does not change the suite's answers.
os.environ["HDND_LAW_DIR"] = tempfile.mkdtemp(prefix="hdnd-test-law-")
CALENDAR = load_calendar()
IN_PROCESS = not os.environ.get("HDND_TEST_PROCESSES")

SOURCE = """\
[source]
id = "test-pack"
title = "Bộ quy tắc thử"
level = "any"
"""


def pack(rules_toml: str, source: str = SOURCE) -> str:
    return source + "\n" + textwrap.dedent(rules_toml)


def evaluate(rules_toml: str, ledger_yaml: str = "[]", as_of: str = "2026-11-23", source: str = SOURCE,
             **settings) -> dict:
    """Obligations by id, computed from inline TOML and YAML; fails the test on any problem."""
    _, rules, problems = parse_pack(pack(rules_toml, source), "rules/test.toml")
    assert problems == [], problems
    entries, problems = parse_ledger(textwrap.dedent(ledger_yaml), "data/test.yaml")
    assert problems == [], problems
    assert check_rule_set(rules) == [] and check_entries(entries) == []
    obligations, problems = compute(rules, entries, CALENDAR, date.fromisoformat(as_of), EngineSettings(**settings))
    assert errors(problems) == [], problems
    return {o.id: o for o in obligations}


def errors(problems: list) -> list:
    """The problems that stop a run (warnings aside)."""
    return [p for p in problems if not p.warning]


def hdnd_command() -> list[str]:
    """The installed console script, as a user runs it."""
    found = shutil.which("hdnd", path=str(Path(sys.executable).parent)) or shutil.which("hdnd")
    assert found, "the hdnd command is not installed (pip install -e '.[test]')"
    return [found]


# The commands that stamp what they write with today, or refuse a date after it.
WRITES = {"init", "add", "done", "extend", "waive", "import", "set", "void"}
GLOBAL_WITH_VALUE = {"--config", "--as-of", "--known-on", "--format", "-f", "--lang"}


def command_of(args: tuple[str, ...]) -> str | None:
    """The command word of `hdnd ARGS`: the first word that is not a global option or its value."""
    words = iter(args)
    for word in words:
        if word in GLOBAL_WITH_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def run(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    if command_of(args) in WRITES and "--help" not in args and "HDND_NOW" not in (env or {}):
        pytest.fail(f"hdnd {' '.join(args)}: a test that writes stops the clock (HDND_NOW), or it breaks "
                    "when the year changes", pytrace=False)
    environment = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", "LANG": "C.UTF-8", "HDND_LANG": "",
                   "HDND_CACHE_DIR": CACHE_DIR}
    environment.pop("HDND_CONFIG", None)
    environment.update(env or {})
    if not IN_PROCESS:
        return subprocess.run([*hdnd_command(), *args], cwd=cwd, env=environment, capture_output=True,
                              text=True, timeout=60)
    return in_process(list(args), cwd, environment)


def in_process(args: list[str], cwd: Path | None, environment: dict[str, str]) -> subprocess.CompletedProcess:
    """`hdnd ARGS` in this process: its environment and folder for the call, its output captured."""
    from hdnd_cli.cli.main import run as hdnd

    saved, folder = dict(os.environ), os.getcwd()
    out, err = io.StringIO(), io.StringIO()
    os.environ.clear()
    os.environ.update(environment)  # what the libraries read themselves (rich: NO_COLOR, COLUMNS)
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = hdnd(args, environment)
    finally:
        os.chdir(folder)
        os.environ.clear()
        os.environ.update(saved)
    return subprocess.CompletedProcess(["hdnd", *args], code, out.getvalue(), err.getvalue())


NOW = "2026-11-25T08:00"  # the morning the tests that write are run on, whatever the machine's clock says


class Workspace:
    """A workspace folder written by a test: hdnd.toml, rules/ and data/. `now`, when set, stops the
    clock for every command run in it (`HDND_NOW`), as a test that writes must: a write is stamped
    and checked against today."""

    def __init__(self, root: Path, fresh: bool = True, now: str | None = None):
        self.root = root
        self.now = now
        if fresh:  # else a workspace made by `hdnd init`
            (root / "rules").mkdir()
            (root / "data").mkdir()
            self.config("")

    def config(self, extra: str) -> Workspace:
        (self.root / "hdnd.toml").write_text(textwrap.dedent("""\
            [office]
            name = "Văn phòng thử"
            level = "province"

            [[bodies]]
            id = "ubnd"
            name = "Ủy ban nhân dân tỉnh"

            [[bodies]]
            id = "tt-hdnd"
            name = "Thường trực HĐND tỉnh"
            """) + textwrap.dedent(extra), encoding="utf-8")
        return self

    def rules(self, toml: str, name: str = "test.toml", source: str = SOURCE) -> Workspace:
        (self.root / "rules" / name).write_text(pack(toml, source), encoding="utf-8")
        return self

    def ledger(self, text: str, name: str = "ledger.yaml") -> Workspace:
        (self.root / "data" / name).write_text(textwrap.dedent(text), encoding="utf-8")
        return self

    def bundled(self, *names: str) -> Workspace:
        from hdnd_cli.storage.bundled import rules_folder

        for name in names:
            shutil.copy(rules_folder() / name, self.root / "rules" / name)
        return self

    def run(self, *args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
        return run(*args, cwd=self.root, env={**self.clock(), **(env or {})}, **kwargs)

    def clock(self) -> dict[str, str]:
        """The environment that stops the clock at `now` (empty when the test keeps the real one)."""
        return {"HDND_NOW": self.now} if self.now else {}

    def environment(self) -> dict[str, str]:
        """What a process a test starts itself in this workspace gets: this run's, with the clock."""
        return {**os.environ, "NO_COLOR": "1", "LANG": "C.UTF-8", **self.clock()}

    def files(self) -> dict[str, bytes]:
        """Every file's bytes, but the write lock's (an empty file that only serialises writers)."""
        return {str(p): p.read_bytes() for p in sorted(self.root.rglob("*"))
                if p.is_file() and p.name != ".hdnd.lock"}


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


def cache_state(folder: Path) -> list[tuple[str, int, int]] | None:
    """Each file of a cache folder with its size and modification time; None when there is none."""
    if not folder.is_dir():
        return None
    return sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir())


@pytest.fixture(scope="session", autouse=True)
def the_users_cache_is_left_alone():
    """Every process the suite starts caches in this run's own folder: after the whole suite, the
    user's cache folder is as it was (this fails the run otherwise)."""
    before = cache_state(USERS_CACHE)
    yield
    assert cache_state(USERS_CACHE) == before, f"the suite wrote to {USERS_CACHE}"
