"""What the engine derived from a ledger, kept in the cache between runs (`engine/kept.py` says what
is kept and why reusing it is safe).

Two cache entries per workspace, both under its settings, rule packs, calendar and code (a change to
any is a full computation): the head, read on every run (each file's fingerprint, the open
obligations, the problems, what `extended` needs), and the closed obligations, read only by a
command that shows them. An unchanged ledger then costs reading and hashing its files and the head;
a ledger whose files only grew, as `hdnd add` and `hdnd import` grow them, costs parsing what was
appended. Anything else is a full computation, kept for the next run. A file ledger smaller than
`Cache.kept_from` bytes is not kept at all: computing it costs about what reusing it does.

A database office's kept answer holds the office's version (`PostgresStore.version`: its rows' count,
the last one and its mark, what was rewritten, the server's instance), one row asked for without the
driver: an unchanged office costs that row and the head. An office that only gained rows since
(`PostgresStore.appended`: the same checks as its read's own cache) costs reading those rows
through the driver, and the answer is extended with them as a file's is; any other change is a full
computation, whose read of the rows has its own cache of what was appended.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..engine.compute import in_due_order
from ..engine.evaluate import find_problems, settings_of, usable_rules
from ..engine.kept import Kept, extended, keep, on
from ..model import Entry, Obligation, Problem, Workspace
from .base import Meter
from .cache import Cache, code_stamp, package_stamp
from .files import UNREADABLE, read_bytes
from .filestore import FileStore, parse_ledger_file

if TYPE_CHECKING:
    from .postgres import PostgresStore

CHUNK = 20_000  # closed obligations a pickle


class Place(NamedTuple):
    """One ledger file as it was when kept."""

    name: str
    cut: int  # where appended entries begin: the end (YAML, JSON Lines), or before a JSON list's `]`
    digest: bytes  # of the bytes before `cut`
    trailer: bytes  # the bytes after `cut`: a JSON list's closing bracket
    lines: int  # line breaks before `cut`
    empty: bool  # a JSON list with no item yet: the next one needs no comma
    appendable: bool  # read without a problem, in a form that entries are appended to at `cut`
    entries: int  # how many it held


class Head(NamedTuple):
    places: tuple[Place, ...]
    kept: Kept
    closed: int | None  # how many closed obligations are stored apart; None: not stored (none asked for them)
    token: bytes  # names the stored closed obligations that go with this head


class State(NamedTuple):
    """Where an office's kept answer is stored, and the head that serves on a day, if one does."""

    name: str
    key: tuple[bytes, ...]
    head: Head | None  # None: a full computation decides
    extended: bool  # by entries appended since it was kept


def current(workspace: Workspace, as_of: date, cache: Cache) -> State:
    """The kept answer for the ledger as it is now, on `as_of`: extended by the entries appended since
    it was kept (and kept so), where that is shown to be what a full computation gives."""
    store, name, key = workspace.store, f"kept-{workspace.settings.config_file.resolve()}", _key(workspace)
    if isinstance(store, FileStore):
        files, missing = store.paths()
        head = cache.find(name, key) if not missing else None
        found = _appended(head.places, files) if isinstance(head, Head) else None
    else:  # a database office: what was kept holds while the office's version does, and grows by appends
        head, version = cache.find(name, key), store.version()
        found = _grown(store, head.places[0], version) if isinstance(head, Head) else None
    if isinstance(head, Head) and found is not None:
        places, tail = found
        kept = head.kept if not tail else extended(
            head.kept, tail, usable_rules(workspace), workspace.calendar, as_of, settings_of(workspace))
        if kept is not None and kept.valid[0] <= as_of <= kept.valid[1]:
            return State(name, key, _extend(cache, name, key, head, places, kept) if tail else head, bool(tail))
    return State(name, key, None, False)


def obligations(workspace: Workspace, as_of: date, cache: Cache, closed: bool = True,
                meter: Meter | None = None) -> tuple[list[Obligation], list[Problem], str]:
    """Every obligation on `as_of` (only the open ones unless `closed`) and every problem, as
    `engine.evaluate.find_problems` gives them for the workspace with its ledger; and how they were
    found: "reused", "extended" or "computed". `meter` shows the progress of a full computation."""
    name, key, head, grown = current(workspace, as_of, cache)
    if head is not None:
        shown = on(head.kept, as_of, workspace.settings.horizon)
        stored = _closed(cache, name, key, head) if closed else []
        if stored is not None:
            shown = in_due_order([*shown, *stored, *head.kept.settled]) if closed else shown
            workspace.files.update({p.name: p.entries for p in head.places})
            return shown, workspace.problems + head.kept.problems, "extended" if grown else "reused"
    store = workspace.store
    before = len(workspace.problems)
    seen: list[Place] = []
    if isinstance(store, FileStore):
        ledger = store.read(seen=lambda file, data: seen.append(_place(file, data, True, 0)))
    else:
        ledger = store.read()  # its version is the one read, whatever was written since `version()`
        seen = [Place(place, 0, ledger.version, b"", 0, False, False, 0) for place in ledger.places]
    workspace.entries = ledger.entries
    workspace.problems.extend(ledger.problems)
    workspace.files.update(ledger.places)  # as storage.workspace.read_ledger, with each file fingerprinted
    everything, problems = find_problems(workspace, as_of, meter=meter)
    read_all = not any(p.key in UNREADABLE or p.key == "missing-path" for p in ledger.problems)
    small = isinstance(store, FileStore) and sum(p.cut + len(p.trailer) for p in seen) < cache.kept_from
    if read_all and not small:  # a small ledger costs about as much to compute as to reuse: not kept
        kept, settled = keep(usable_rules(workspace), workspace.entries, problems[before:], everything, as_of,
                             settings_of(workspace))
        troubled = {p.file for p in ledger.problems}
        places = tuple(p._replace(appendable=p.appendable and p.name not in troubled,
                                  entries=ledger.places.get(p.name, 0)) for p in seen)
        # The closed obligations are most of them, and storing them is a third of a first run: only
        # when a command shows them (`due --all`); until one does, the head serves the open ones.
        head = Head(places, kept, len(settled) if closed else None, os.urandom(8))
        _store(cache, name, key, head, settled if closed else None)
    return everything, problems, "computed"


def _key(workspace: Workspace) -> tuple[bytes, ...]:
    return (code_stamp(engine=True).encode(), workspace.sources, read_bytes(workspace.law.calendar),
            package_stamp("holidays").encode())


def _store(cache: Cache, name: str, key: tuple[bytes, ...], head: Head, closed: list[Obligation] | None) -> None:
    """The head, and the closed obligations (unless None) pickled in chunks: one pickle of half a
    million objects holds a table of every one of them while it is written (a gigabyte at 1,000,000
    entries)."""
    if closed is not None:
        chunks = tuple(pickle.dumps(closed[at:at + CHUNK], pickle.HIGHEST_PROTOCOL)
                       for at in range(0, len(closed), CHUNK))
        cache.put(f"{name}-closed", (*key, head.token), chunks)
    cache.put(name, key, head)


def _closed(cache: Cache, name: str, key: tuple[bytes, ...], head: Head) -> list[Obligation] | None:
    """The stored closed obligations that go with `head`, or None when they are gone or were not stored."""
    chunks = cache.find(f"{name}-closed", (*key, head.token)) if head.closed is not None else None
    try:
        return None if chunks is None else [o for chunk in chunks for o in pickle.loads(chunk)]  # noqa: S301 - tagged
    except (TypeError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return None  # of another shape: computed again


def _extend(cache: Cache, name: str, key: tuple[bytes, ...], head: Head, places: tuple[Place, ...],
            kept: Kept) -> Head:
    """The head after appends, kept; the obligations they closed join the stored closed ones when
    they are more than a sixteenth of them (the head stays small)."""
    head = head._replace(places=places, kept=kept)
    if head.closed is not None and len(kept.settled) > max(256, head.closed // 16):
        stored = _closed(cache, name, key, head)
        if stored is not None:
            closed = [*stored, *kept.settled]
            head = Head(places, kept._replace(settled=[]), len(closed), os.urandom(8))
            _store(cache, name, key, head, closed)
            return head
    cache.put(name, key, head)
    return head


def _grown(store: PostgresStore, place: Place, version: bytes) -> tuple[tuple[Place, ...], list[Entry]] | None:
    """A database office's place at `version` and the entries appended since `place` (whose digest is
    the office's version when kept); None unless rows were only appended."""
    if place.digest == version:
        return (place,), []
    tail = store.appended(place.digest, version)
    return None if tail is None else ((place._replace(digest=version, entries=place.entries + len(tail)),), tail)


def _place(name: str, data: bytes, readable: bool, count: int) -> Place:
    """A file's fingerprint, and where entries are appended to it: at the end of a YAML file whose
    items start at the line's start and whose last item holds no block scalar, or of a JSON Lines
    file; before a JSON list's closing bracket."""
    cut, empty, appendable = len(data), False, readable and (not data or data.endswith(b"\n"))
    if name.endswith(".json"):
        close = data.rfind(b"]")
        before = data[:close].rstrip() if close >= 0 else data
        cut, empty = len(before), before.endswith(b"[")
        appendable = readable and close >= 0 and data[cut:].strip() == b"]"
    elif not name.endswith(".jsonl"):
        first = next((line for line in data.lstrip(b"\xef\xbb\xbf").splitlines()
                      if line.strip() and not line.startswith(b"#")), b"-")
        appendable = appendable and (first == b"-" or first.startswith((b"- ", b"-\t"))) and _closed_end(data)
    return Place(name, cut, hashlib.sha1(data[:cut], usedforsecurity=False).digest(), data[cut:],
                 data.count(b"\n", 0, cut), empty, appendable, count)


def appended(head: Head, texts: dict[str, bytes]) -> list[Entry] | None:
    """The entries that giving files these texts (by name) appends to them as `head` knows them; None
    unless each only grows where entries are appended, as `_appended` reads the files."""
    paths = {Path(name): data for name, data in texts.items()}
    found = _appended(tuple(p for p in head.places if p.name in texts), [(name, Path(name)) for name in texts],
                      paths.__getitem__)
    return None if found is None else found[1]


def _appended(places: tuple[Place, ...], files: list[tuple[str, Path]],
              read: Callable[[Path], bytes] = read_bytes) -> tuple[tuple[Place, ...], list[Entry]] | None:
    """The files' places now and the entries appended since `places` were kept; None unless every
    kept file is still there, begins with what it held, and only grew where entries are appended.
    Files are read one at a time, and only what was appended is kept."""
    old = {p.name: p for p in places}
    if not old.keys() <= {file for file, _ in files}:
        return None
    now, tail = [], []
    for file, path in files:
        try:
            data = read(path)
        except OSError:
            return None
        place = old.get(file)
        if place is None:  # a new file: all of it is appended
            entries, problems = parse_ledger_file(data, file)
            if problems:
                return None
            now.append(_place(file, data, True, len(entries)))
            tail += entries
            continue
        end = len(data) - len(place.trailer)
        if end < place.cut or data[end:] != place.trailer:
            return None
        digest = hashlib.sha1(memoryview(data)[:place.cut], usedforsecurity=False)
        if digest.digest() != place.digest:
            return None
        middle = data[place.cut:end]
        if middle:
            added = _entries(middle, place) if place.appendable else None
            if added is None:
                return None
            digest.update(middle)
            place = place._replace(cut=end, digest=digest.digest(), lines=place.lines + middle.count(b"\n"),
                                   empty=place.empty and not added, entries=place.entries + len(added),
                                   appendable=_end_stays_closed(middle, place.name))
            tail += added
        now.append(place)
    return tuple(now), tail


_BLOCK_SCALAR = re.compile(rb"(?:^|[:\-?])[ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?$")  # `note: |+`, `- >-` ...
_NODE_PROPERTY = re.compile(r"(?:^|[\s\[{,:-])[&*!][^\s,\]}]")  # &anchor, *alias, !tag


def _closed_end(data: bytes) -> bool:
    """Whether what follows the file's last item leaves it as it is: no line of that item opens a
    block scalar, whose kept line breaks would take in an item appended after it."""
    last = data.rfind(b"\n-") + 1
    return not any(_BLOCK_SCALAR.search(line) for line in data[last:].splitlines())


def _end_stays_closed(middle: bytes, name: str) -> bool:
    """Whether entries may still be appended after `middle`, the part just appended (in a JSON list,
    `,\n  {...}` before the closing bracket, which stays where it was)."""
    if name.endswith(".json"):
        return True
    return middle.endswith(b"\n") and (not name.endswith((".yaml", ".yml")) or _closed_end(middle))


def _whole_items(text: str) -> bool:
    """YAML text made of whole sequence items: each non-blank line not a comment begins an item (`- `
    at the line's start) or continues one (indented), and nothing names a node (anchor, alias, tag)."""
    begun = False
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line == "-" or line.startswith("- "):
            begun = True
        elif not (begun and line.startswith(" ")):
            return False
    return begun and not _NODE_PROPERTY.search(text)


def _entries(middle: bytes, place: Place) -> list[Entry] | None:
    """The entries of what was appended to a file, at their lines in the whole file; None unless it is
    shown to read the same on its own as after what the file held (the whole file then decides): no
    byte-order mark, and in YAML only whole items at the line's start, with no document marker,
    directive, anchor, alias or tag (an alias is counted in the whole file)."""
    try:
        text = middle.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\ufeff" in text or (place.name.endswith((".yaml", ".yml")) and not _whole_items(text)):
        return None
    if place.name.endswith(".json"):  # `,\n  {...}` after the last item: read as a list of its own
        at = len(text) - len(text.lstrip())
        comma = text[at:at + 1] == ","
        if comma == place.empty:
            return None
        text = text[:at] + "[" + text[at + comma:] + "]"
    entries, problems = parse_ledger_file(text.encode(), place.name)
    if problems:
        return None
    return [e._replace(line=e.line + place.lines) for e in entries]
