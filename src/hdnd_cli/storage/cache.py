"""A cache of work that only depends on files: parsed ledger files and rule packs, and each year's
statutory holidays.

Parsing YAML runs at about 20,000 entries a second and importing the `holidays` package costs about
110 ms, so a ledger of years read every morning would be slow; the results are kept as pickles
under the user's cache folder and reused while their key is unchanged: for a ledger file its bytes,
its displayed name and hdnd's code; for holidays the year and the package's installed version.
Small JSON files are parsed directly (below `MIN_SIZE` the cache costs more than it saves); YAML
files are always cached, as importing the YAML reader alone costs more than reading a pickle.
A cache that cannot be read or written is only a slower run. The command line chooses the folder
(`HDND_CACHE_DIR`, else the user's cache folder) or none (`HDND_NO_CACHE=1`).

A pickle runs code when it is read, so nothing is unpickled that this user did not write: the
folder must be this user's own and writable by no one else (else the cache is not used), and every
file carries a keyed BLAKE2 tag made with a random key kept in that folder (`key`, mode 600); a file
whose tag does not match is ignored and rewritten. See docs/security.md.
"""
from __future__ import annotations

import gc
import hashlib
import hmac
import os
import pickle
import stat
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar

from .. import __version__
from .files import read_bytes

MIN_SIZE = 32 * 1024
# A file ledger smaller than this (bytes; about 8,000 entries as hdnd writes JSON) is computed in full
# on every run: its answer is not kept (storage/kept.py), as the full computation costs within about
# 0.1 s of reusing it (docs/performance.md, Speed III).
KEPT_FROM = 1_000_000
_CODE = Path(__file__).parent.parent  # the package
T = TypeVar("T")


class Cache:
    """The cache in `folder`; with no folder (`HDND_NO_CACHE`), everything is made afresh. The engine's
    answer for a file ledger is kept from `kept_from` bytes of ledger files."""

    def __init__(self, folder: Path | None, kept_from: int = KEPT_FROM):
        self.folder = folder
        self.kept_from = kept_from

    def parse(self, data: bytes, name: str, parse: Callable[[bytes, str], Any]) -> Any:
        """`parse(data, name)`, from the cache when this file's bytes were parsed before."""
        if len(data) < MIN_SIZE and not name.endswith((".yaml", ".yml")):
            return parse(data, name)
        return self.derived(name, (name.encode(), data), lambda: parse(data, name))

    def derived(self, name: str, inputs: tuple[bytes, ...], make: Callable[[], T]) -> T:
        """`make()`, a pure function of `inputs` and of hdnd's parsing code, kept while neither changes."""
        return self.get(name, (code_stamp().encode(), *inputs), make, tuple)

    def get(self, name: str, key: tuple[bytes, ...], make: Callable[[], T], kind: type | None = None) -> T:
        """`make()`, kept under `name` while the parts of `key` are unchanged (one kept version per name);
        what was kept is used only if it is a `kind` (a file of another shape is made again)."""
        found: T | None = self.find(name, key)
        if found is not None and (kind is None or isinstance(found, kind)):
            return found
        result = make()
        self.put(name, key, result)
        return result

    @property
    def trusted(self) -> bool:
        """Whether anything is kept at all: a folder is set, and it is this user's alone."""
        return self.folder is not None and _secret(self.folder) is not None

    def find(self, name: str, key: tuple[bytes, ...]) -> Any:
        """What was kept under `name` and `key`, or None (off, or not a folder of this user's alone:
        never trust pickles there)."""
        place = self._place(name, key)
        found = _load(*place) if place is not None else _MISSING
        return None if found is _MISSING else found

    def put(self, name: str, key: tuple[bytes, ...], value: Any) -> None:
        """Keep `value` under `name` and `key`, in place of what was kept under `name` before."""
        place = self._place(name, key)
        if place is None:
            return
        path, secret = place
        try:
            from .files import write_atomically

            body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            for old in path.parent.glob(f"{path.name.split('-')[0]}-*.pickle"):
                old.unlink(missing_ok=True)
            write_atomically(path, _tag(secret, body) + body, mode=0o600)
        except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError, ValueError):
            pass

    def _place(self, name: str, key: tuple[bytes, ...]) -> tuple[Path, bytes] | None:
        folder = self.folder
        secret = _secret(folder) if folder is not None else None
        if folder is None or secret is None:
            return None
        digest = hashlib.sha1(usedforsecurity=False)  # a cache key, not a signature: the fastest will do
        for part in key:
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part)
        stem = hashlib.sha1(name.encode()).hexdigest()[:16]
        return folder / f"{stem}-{digest.hexdigest()}.pickle", secret


_MISSING = object()


def _load(path: Path, secret: bytes) -> Any:
    """What was kept at `path`, if its tag proves this user wrote it; else _MISSING."""
    try:
        data = read_bytes(path, text=False, follow=False)  # a FIFO or a link planted here is not waited on
        tag, body = data[:TAG], data[TAG:]
        if hmac.compare_digest(tag, _tag(secret, body)):
            collecting = gc.isenabled()
            gc.disable()  # millions of new records, none of them garbage: collecting while they arrive is waste
            try:
                return pickle.loads(body)
            finally:
                if collecting:
                    gc.enable()
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError,
            IndexError, KeyError, RecursionError, MemoryError):
        pass
    return _MISSING


OFF = Cache(None)


TAG = 32  # bytes of the keyed BLAKE2b tag that starts every cache file


def _tag(secret: bytes, body: bytes) -> bytes:
    return hashlib.blake2b(body, key=secret, digest_size=TAG).digest()


@lru_cache(maxsize=4)  # once per run: every cached file of a run shares the folder and its key
def _secret(folder: Path) -> bytes | None:
    """This user's cache key, or None when `folder` is not safe to trust: it must be a real folder
    (not a link), owned by this user and writable by no one else; the key file likewise."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(os.lstat(folder), stat.S_ISDIR):
            return None
        path = folder / "key"
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(os.urandom(TAG))
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            if not _private(os.fstat(handle.fileno()), stat.S_ISREG, readable_by_others=False):
                return None
            secret = handle.read(TAG + 1)
        return secret if len(secret) == TAG else None
    except OSError:
        return None


def _private(info: os.stat_result, is_kind: Callable[[int], bool], readable_by_others: bool = True) -> bool:
    """Owned by this user, of the expected kind, writable (and, for the key, readable) by no one else.
    Where the system has no owners (Windows), the user's own profile folder is trusted."""
    if not is_kind(info.st_mode):
        return False
    if not hasattr(os, "getuid"):
        return True
    others = stat.S_IWGRP | stat.S_IWOTH | (0 if readable_by_others else stat.S_IRGRP | stat.S_IROTH)
    return info.st_uid == os.getuid() and not info.st_mode & others


def package_stamp(name: str) -> str:
    """Changes when the installed package `name` does, found without importing it."""
    from importlib.util import find_spec

    spec = find_spec(name)
    origin = spec.origin if spec and spec.origin else name
    try:
        return f"{origin}:{os.stat(origin).st_mtime_ns}"
    except OSError:
        return origin


@cache
def code_stamp(engine: bool = False) -> str:
    """Changes whenever the code that builds the cached records does (with `engine`, the records the
    engine derives too)."""
    files = [_CODE / "model.py", _CODE / "dates" / "counting.py", *sorted((_CODE / "parse").glob("*.py")),
             _CODE / "storage" / "filestore.py", _CODE / "storage" / "files.py",  # a ledger file's bytes -> records
             _CODE / "storage" / "postgres.py"]  # and an office's rows -> records
    if engine:
        files += [*sorted((_CODE / "dates").glob("*.py")), *sorted((_CODE / "engine").glob("*.py")),
                  _CODE / "storage" / "kept.py"]
    stamps = [f"{path.stat().st_mtime_ns}" for path in files]
    return "|".join([__version__, *stamps])
