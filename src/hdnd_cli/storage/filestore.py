"""The file store: a workspace's ledger as YAML, JSON and JSON Lines files, under git.

Reading parses every ledger file (through the parse cache); appending adds entries at the end of
each year's file in that file's own format and line endings, never rewriting what is there, under
the workspace's lock and through the journal of `files.write_files`.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from itertools import repeat
from pathlib import Path
from typing import Any

from ..model import Entry, Problem, Settings, UserError
from ..parse.ledger import check_entries, parse_ledger
from ..parse.tomllines import key_lines, line_of
from .base import Ledger, Meter, Plan, Written
from .cache import Cache
from .files import LEDGER_SUFFIXES, locked, read_bytes, recover, remove_leftovers, unreadable, write_files

_EMPTY_FLOW_LIST = re.compile(r"^\s*\[\s*\]\s*(#.*)?$", re.MULTILINE)


class FileStore:
    """The ledger files that `[paths] ledger` names; new entries go to `[paths] write_to`."""

    def __init__(self, settings: Settings, cache: Cache, config_text: str = "", progress: Meter | None = None):
        self.settings = settings
        self.cache = cache
        self.config_text = config_text  # for the line of a `[paths] ledger` that names nothing
        self.progress = progress  # made with the bytes to read, told as each file is read

    def paths(self) -> tuple[list[tuple[str, Path]], list[Problem]]:
        """Every ledger file, by its name as the user names it, in the order they are read; and the
        problems of ledger paths that name nothing."""
        problems: list[Problem] = []
        return [(show_path(p), p) for p in sorted(set(self._files(problems)))], problems

    def read(self, overrides: dict[Path, str] | None = None, seen: Callable[[str, bytes], None] | None = None) -> Ledger:
        """Every ledger file, parsed; `overrides` replaces (or adds) files' text, so a write is
        checked as if it had happened; `seen` is shown each file's name and bytes as it is read."""
        replaced = {absolute(p): text.encode() for p, text in (overrides or {}).items()}
        version = hashlib.blake2b(digest_size=16)
        entries: list[Entry] = []
        problems: list[Problem] = []
        places: dict[str, int] = {}
        paths = sorted(set(self._files(problems)) | replaced.keys())
        total = sum(_size(p) for p in paths)
        # one file at a time: a big ledger's bytes are never all held at once
        files = ((show_path(p), replaced[p] if p in replaced else _read(p, problems)) for p in paths)
        meter = self.progress(total) if self.progress else None
        for name, data in files:
            if data is None:
                continue
            if seen is not None:
                seen(name, data)
            _stamp(version, name, data)
            found, trouble = parsed(self.cache, data, name)
            entries.extend(found)
            problems.extend(trouble)
            places[name] = len(found)
            if meter:
                meter.advance(len(data))
        if meter:
            meter.close()
        problems.extend(check_entries(entries, list(problems)))
        return Ledger(entries, problems, places, version.digest())

    def version(self) -> bytes:
        """The version `read` would give now: a digest of every ledger file's name and bytes."""
        version = hashlib.blake2b(digest_size=16)
        for path in sorted(set(self._files([]))):
            data = _read(path, [])
            if data is not None:
                _stamp(version, show_path(path), data)
        return version.digest()

    def _files(self, problems: list[Problem]) -> list[Path]:
        found: list[Path] = []
        for path in self.settings.ledger_paths:
            if path.is_dir():
                found.extend(absolute(p) for p in sorted(path.iterdir()) if p.suffix in LEDGER_SUFFIXES and p.is_file())
            elif path.is_file():
                found.append(absolute(path))
            else:
                line = line_of(key_lines(self.config_text), "paths", "ledger")
                problems.append(Problem(show_path(self.settings.config_file), line, "missing-path",
                                        {"path": show_path(path)}))
        return found

    @contextlib.contextmanager
    def transaction(self) -> Iterator[_FileTransaction]:
        root = self.settings.root
        recover(root)  # a write a crash interrupted is finished first
        with locked(root):
            found, _ = self.paths()
            remove_leftovers({p.parent for _, p in found} | {p for p in self.settings.ledger_paths if p.is_dir()})
            yield _FileTransaction(self)


class _FileTransaction:
    def __init__(self, store: FileStore):
        self.store = store
        self.files: dict[Path, str] = {}
        self.ledger = Ledger([], [], {})

    def read(self) -> Ledger:
        self.ledger = self.store.read()
        return self.ledger

    def unchanged(self, ledger: Ledger) -> bool:
        self.ledger = ledger
        return self.store.version() == ledger.version

    def plan(self, entries: list[dict[str, Any]]) -> Plan:
        """Only the files written to are read again, from their new text: the others' entries are
        those of the ledger read, in the order a full read gives."""
        written = self.appended(entries)
        after, added = self._after()
        return Plan(after, added, written)

    def appended(self, entries: list[dict[str, Any]]) -> list[Written]:
        """What appending `entries` writes to each file (its new text, kept for `commit`), read from nothing else."""
        settings = self.store.settings
        groups: dict[Path, list[dict[str, Any]]] = {}
        for entry in entries:
            groups.setdefault(settings.root / settings.write_to.format(year=entry["date"].year), []).append(entry)
        if not all(in_ledger(settings, path) for path in groups):  # a lookup in the file system each
            raise UserError("write-to-outside", path=settings.write_to)
        written = []
        self.files = {}
        for path, group in groups.items():
            old = read_bytes(path).decode("utf-8") if path.exists() else None  # as it is: CRLF stays CRLF
            new = append(old, group, path.suffix)
            self.files[path] = new
            written.append(Written(show_path(path), new[len(old):] if old and new.startswith(old) else new, group))
        return written

    def _after(self) -> tuple[Ledger, list[Entry]]:
        ledger, cache = self.ledger, self.store.cache
        changed = {show_path(p): p for p in self.files}
        parts: dict[Path, tuple[list[Entry], list[Problem]]] = {}
        at = 0
        for name, count in ledger.places.items():
            parts[absolute(Path(name))] = (ledger.entries[at:at + count], [])
            at += count
        for problem in ledger.problems:
            if problem.key != "duplicate-id" and absolute(Path(problem.file)) in parts:
                parts[absolute(Path(problem.file))][1].append(problem)
        others = [p for p in ledger.problems if p.key != "duplicate-id" and absolute(Path(p.file)) not in parts]
        added: list[Entry] = []
        for name, path in changed.items():
            old = len(parts.get(absolute(path), ((), ()))[0])
            parts[absolute(path)] = parsed(cache, self.files[path].encode(), name)
            added.extend(parts[absolute(path)][0][old:])
        entries = [e for key in sorted(parts) for e in parts[key][0]]
        problems = others + [p for key in sorted(parts) for p in parts[key][1]]
        places = {show_path(key): len(parts[key][0]) for key in sorted(parts)}
        return Ledger(entries, problems + check_entries(entries, problems), places), added

    def commit(self) -> None:
        write_files(self.store.settings.root, self.files)


def _stamp(version: Any, name: str, data: bytes) -> None:
    version.update(f"{len(name)}:{name}:{len(data)}:".encode())
    version.update(data)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def absolute(path: Path) -> Path:
    """`path` made absolute through its folders' links, but not its own: a ledger file that is a link
    keeps its name in the workspace (and is written through, see files.writable)."""
    return path.parent.resolve() / path.name


def show_path(path: Path) -> str:
    """A path as a user would type it: relative to the current folder when inside it."""
    path = absolute(path)
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def in_ledger(settings: Settings, path: Path) -> bool:
    """Whether `path` is one of the files the ledger paths name (so entries written there are read)."""
    path = absolute(path)
    return path.suffix in LEDGER_SUFFIXES and any(
        path == absolute(p) or (p.is_dir() and path.parent == p.resolve()) for p in settings.ledger_paths)


def _read(path: Path, problems: list[Problem]) -> bytes | None:
    try:
        return read_bytes(path)
    except OSError as error:
        problems.append(unreadable(show_path(path), error))
        return None


def parsed(cache: Cache, data: bytes, name: str) -> tuple[list[Entry], list[Problem]]:
    """`parse_ledger_file`, through the parse cache, which keeps the entries as columns (each field's
    values in one tuple): pickling them is a C loop over a few tuples, not a call per named tuple, so
    a 100,000-entry ledger is kept three times faster and loaded faster."""
    columns, problems = cache.parse(data, name, _parse_columns)
    return list(map(tuple.__new__, repeat(Entry), zip(*columns))), problems


def _parse_columns(data: bytes, name: str) -> tuple[tuple[tuple[Any, ...], ...], list[Problem]]:
    entries, problems = parse_ledger_file(data, name)
    return tuple(zip(*entries)), problems


def parse_ledger_file(data: bytes, name: str) -> tuple[list[Entry], list[Problem]]:
    if b"\0" in data:  # binary past its first block too: said before the text is made (a gigabyte of it)
        return [], [Problem(name, data[:data.index(b"\0")].count(b"\n") + 1, "file-binary", {})]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return [], [unreadable(name, error, data)]
    return parse_ledger(text, name)


# --- the ledger's own formats: appending -------------------------------------------------------

NEW_YAML_HEADER = "# Sổ theo dõi (hdnd ledger). Entries are appended by `hdnd add`, `hdnd done`, ...\n"


def append(old: str | None, entries: list[dict[str, Any]], suffix: str) -> str:
    """`old` with `entries` appended in the same format and line endings (CRLF stays CRLF); `old`
    stays a prefix of the result (JSON: everything before the closing bracket; YAML: except a lone
    empty `[]`)."""
    if old is not None and "\r\n" in old:
        return _append(old.replace("\r\n", "\n"), entries, suffix).replace("\n", "\r\n")
    return _append(old, entries, suffix)


def _append(old: str | None, entries: list[dict[str, Any]], suffix: str) -> str:
    if suffix == ".jsonl":
        lines = "".join(json.dumps(e, ensure_ascii=False, default=_iso) + "\n" for e in entries)
        return (old or "") + ("\n" if old and not old.endswith("\n") else "") + lines
    if suffix == ".json":
        items = ",\n".join("  " + json.dumps(e, ensure_ascii=False, default=_iso) for e in entries)
        close = (old or "").rfind("]")
        if old is None or close < 0:
            return "[\n" + items + "\n]\n"
        before = old[:close].rstrip()
        joint = "\n" if before.endswith("[") else ",\n"
        return before + joint + items + "\n" + old[close:]
    block = yaml_block(entries)
    if old is None or not old.strip():
        return (old or NEW_YAML_HEADER) + block
    if _only_comments_and(old, "[]"):  # an empty flow list cannot be appended to: it gives way
        return _EMPTY_FLOW_LIST.sub("", old, count=1).rstrip("\n") + "\n" + block
    return old + ("\n" if old.endswith("\n") else "\n\n") + block


def _only_comments_and(text: str, token: str) -> bool:
    lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    return [line for line in lines if line] == [token]


def yaml_block(entries: list[dict[str, Any]]) -> str:
    """Entries as a clerk would write them, one `key: value` a line (`recorded` indented below), written
    by the YAML emitter (never pasted text): any name or value reads back as it was given. libyaml's
    emitter, where PyYAML has it, writes an import three times faster and the same text, except that
    it escapes a character beyond U+FFFF (an emoji) that Python's writes as it is: a block whose text
    holds `\\U` (that escape, or a typed `C:\\Users`) is written by Python's."""
    import yaml

    fast = getattr(yaml, "CSafeDumper", None)
    text = _yaml_text(entries, fast or yaml.SafeDumper)
    return _yaml_text(entries, yaml.SafeDumper) if fast and "\\U" in text else text


def _yaml_text(entries: list[dict[str, Any]], base: Any) -> str:
    import yaml

    class Dumper(base):  # type: ignore[misc]  # libyaml's or Python's, chosen at run time
        def ignore_aliases(self, data: Any) -> bool:  # entries share one `recorded` stamp: write it out each time
            return True

    def text(dumper: Any, value: str) -> Any:  # a line break of another kind (U+0085) is escaped, never folded
        style = '"' if any(c in value for c in "\x85\u2028\u2029") else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    # A timestamp as written, offset included (`2024-08-30T09:15:00+07:00`), not the emitter's own form.
    Dumper.add_representer(datetime, lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:timestamp", value.isoformat()))
    return yaml.dump(entries, Dumper=Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                     width=10_000)


def _iso(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(value)


