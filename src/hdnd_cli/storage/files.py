"""Files: bounded reads, and safe writes.

A read is bounded: a file too large to be a ledger, or binary, is refused before it is read whole.

A write is whole or nothing. One file: the new content goes to a temporary file in the same folder,
is flushed to disk, and is renamed over the old file, so a crash leaves either the old file or the new
one. Several files (an import spanning two years): every temporary file is written first; then a
journal naming them is written, then each is renamed, then the journal is removed. A crash before the
journal leaves nothing changed; after it, the next run finishes the renames (`recover`). A lock file
in the workspace serialises writers (two secretaries and a cron job at once).

What the user named is what gets written: a link is written through to its target, and a folder, a
device or a read-only file is refused rather than replaced.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..model import Problem, UserError

LOCK_NAME = ".hdnd.lock"
JOURNAL_NAME = ".hdnd-journal.json"
LEDGER_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")
TEMP_SUFFIX = ".tmp"  # never a ledger suffix, so a temporary file left by a crash is never read


LOCK_TIMEOUT = 60  # seconds a writer waits for another before it gives up and says so


@contextlib.contextmanager
def locked(root: Path, name: str = LOCK_NAME) -> Iterator[None]:
    """Hold the workspace's write lock (or another of its locks, `name`), on every system: `flock`
    where there is one, a Windows lock, else a lock file made exclusively (the `filelock` library,
    imported only by the commands that write). A writer waits up to a minute, then is refused with a
    clear message; it never writes without the lock."""
    path = root / name
    with contextlib.suppress(FileNotFoundError):
        if not stat.S_ISREG(os.lstat(path).st_mode):  # a folder, or a link (followed, it could go anywhere)
            raise UserError("lock-not-file", path=str(path))
    import warnings

    with warnings.catch_warnings():  # "only soft file lock is available": that lock is the point here
        warnings.simplefilter("ignore")
        from filelock import FileLock, Timeout

        lock = FileLock(path, timeout=LOCK_TIMEOUT, lifetime=600)  # a lifetime frees a soft lock left by a crash
    try:
        with lock:
            yield
    except Timeout:
        raise UserError("lock-busy", path=str(path), seconds=LOCK_TIMEOUT) from None


def write_atomically(path: Path, text: str | bytes, mode: int | None = None, follow: bool = True) -> None:
    """Replace `path` with `text` in one step: temporary file, flush, fsync, rename, fsync the folder.
    The file keeps its permissions; a new one gets `mode`, else the usual ones (the umask's). Not
    `follow` (a file hdnd keeps for itself, which another account may plant as a link): a link is
    refused rather than written through."""
    if not follow and os.path.islink(path):
        raise Refused("file-link", "a link, not the file hdnd writes")
    target = writable(path)
    temporary = _temporary(target, text, mode)
    _rename(temporary, target)


def write_files(root: Path, files: dict[Path, str]) -> None:
    """Every file of `files`, or (after a crash, once `recover` has run) none: see the module's note."""
    if len(files) == 1:
        (path, text), = files.items()
        write_atomically(path, text)
        return
    targets = [writable(path) for path in files]
    temporaries: list[str] = []
    try:
        for target, text in zip(targets, files.values()):
            temporaries.append(_temporary(target, text))
        named = [os.path.abspath(path) for path in files]  # as the workspace names them: `recover` checks that
        write_atomically(root / JOURNAL_NAME, json.dumps(list(zip(temporaries, named))))
    except BaseException:
        for temporary in temporaries:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise
    for temporary, target in zip(temporaries, targets):
        _rename(temporary, target)
    os.unlink(root / JOURNAL_NAME)


def recover(root: Path) -> None:
    """Finish a write of several files that a crash interrupted after its journal was written.

    Whoever can write the workspace can write a journal, and the account that reads it (cron) may
    be another: so a journal is followed only where it says what `write_files` writes. Every pair
    must be a ledger file named inside the workspace and that file's own temporary beside it (where
    the link it may be goes); else nothing is renamed and the run stops, saying what to do."""
    journal = root / JOURNAL_NAME
    if not os.path.lexists(journal):
        return
    with locked(root):
        try:
            pairs = _journal_pairs(root, journal)
        except FileNotFoundError:  # another run finished it while this one waited for the lock
            return
        for temporary, target in pairs:
            if os.path.lexists(temporary):
                _rename(temporary, target)
        os.unlink(journal)


def _journal_pairs(root: Path, journal: Path) -> list[tuple[str, Path]]:
    """The journal's (temporary, file) pairs, each checked; a journal of any other shape is refused whole."""
    try:
        data = json.loads(read_bytes(journal, follow=False))
    except FileNotFoundError:
        raise
    except (OSError, ValueError, RecursionError) as error:  # RecursionError: arrays nested thousands deep
        raise UserError("journal-unreadable", path=str(journal), error=error) from None
    if not isinstance(data, list) or not data:
        raise UserError("journal-refused", path=str(journal), reason="[[temporary, file], ...]")
    return [_journal_pair(root, journal, pair) for pair in data]


def _journal_pair(root: Path, journal: Path, pair: object) -> tuple[str, Path]:
    if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) and p for p in pair)):
        raise UserError("journal-refused", path=str(journal), reason=pair)
    temporary, named = pair
    home = os.path.abspath(root)
    name = os.path.normpath(os.path.join(home, named))
    if os.path.commonpath([home, name]) != home or not name.endswith(LEDGER_SUFFIXES):
        raise UserError("journal-refused", path=str(journal), reason=named)
    target = writable(Path(name))  # where a write of that file goes: through its link, if it is one
    folder = target.parent
    if (os.path.dirname(os.path.abspath(temporary)) != str(folder) or not target.name.endswith(LEDGER_SUFFIXES)
            or not re.fullmatch(rf"\.{re.escape(target.name)}\.[A-Za-z0-9_]+{re.escape(TEMP_SUFFIX)}",
                                os.path.basename(temporary))):
        raise UserError("journal-refused", path=str(journal), reason=temporary)
    if os.path.lexists(temporary) and not _may_replace(temporary, target):
        raise UserError("journal-refused", path=str(journal), reason=temporary)
    return temporary, target


_LEFTOVER = re.compile(r"\.(.+(?:" + "|".join(map(re.escape, LEDGER_SUFFIXES)) + r"))\.[A-Za-z0-9_]+" + re.escape(TEMP_SUFFIX))


def remove_leftovers(folders: set[Path]) -> None:
    """Remove the temporary ledger files a writer killed before its journal left in `folders` (they are
    never read, but they pile up). Run under the lock, after `recover`: no write is under way."""
    for folder in folders:
        with contextlib.suppress(OSError):
            for name in os.listdir(folder):
                path = os.path.join(folder, name)
                if _LEFTOVER.fullmatch(name) and stat.S_ISREG(os.lstat(path).st_mode):
                    os.unlink(path)


def _may_replace(temporary: str, target: Path) -> bool:
    """Whether renaming `temporary` over `target` does nothing its maker could not do: it is a regular
    file (not a link), and in a folder with the sticky bit (where anyone may add a file but replace
    only their own) it belongs to the target's owner."""
    info = os.lstat(temporary)
    if not stat.S_ISREG(info.st_mode):
        return False
    if os.stat(target.parent).st_mode & stat.S_ISVTX and os.path.exists(target):
        return info.st_uid == os.stat(target).st_uid
    return True


def writable(path: Path) -> Path:
    """The file to write for `path`: a link's target; refused if a folder, a device or read-only."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return path
    if stat.S_ISLNK(info.st_mode):
        path = Path(os.path.realpath(path))
        try:
            info = os.stat(path)
        except FileNotFoundError:  # a link to a file not yet there: it will be made
            return path
    if not stat.S_ISREG(info.st_mode):
        raise UserError("not-a-regular-file", path=str(path))
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise UserError("read-only-file", path=str(path))
    return path


def _temporary(path: Path, text: str | bytes, mode: int | None = None) -> str:
    """`text` in a new temporary file beside `path`, flushed to disk, with `path`'s permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8") if isinstance(text, str) else text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, stat.S_IMODE(path.stat().st_mode) if path.exists() else mode or 0o666 & ~_umask())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return temporary


def _rename(temporary: str, path: Path) -> None:
    os.replace(temporary, path)
    with contextlib.suppress(OSError):  # make the rename itself durable where the system allows it
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


MAX_FILE = 2 << 30  # bytes: a ledger of ten million entries is smaller; a larger file is a mistake
UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")  # how a UTF-16 file (Excel's "Unicode Text") begins


class Refused(OSError):
    """A file hdnd does not read: `key` names the message that says why and what to do."""

    def __init__(self, key: str, reason: str):
        super().__init__(reason)
        self.key = key


# The problems that leave a file unread, whose entries a kept answer must not stand in for.
UNREADABLE = frozenset({"unreadable", "file-not-utf8", "file-utf16", "file-binary", "file-too-big", "file-link",
                        "file-not-regular"})


def read_bytes(path: Path, text: bool = True, follow: bool = True) -> bytes:
    """A file's bytes; a file that is too big, or (for a `text` file) binary, with a NUL byte near its
    start, is refused (`Refused`, an OSError) before it is read whole. Not `follow`: a link, or anything
    but a regular file, is refused too (a file hdnd wrote itself, which another account may plant)."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    if not follow and os.path.islink(path):  # where there is no O_NOFOLLOW
        raise Refused("file-link", "a link, not the file hdnd writes")
    with os.fdopen(os.open(path, flags | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
        info = os.fstat(handle.fileno())
        if not follow and not stat.S_ISREG(info.st_mode):
            raise Refused("file-not-regular", "not a regular file")
        if info.st_size > MAX_FILE:
            raise Refused("file-too-big", f"larger than {MAX_FILE >> 30} GiB")
        head = handle.read(8192)
        if text and head.startswith(UTF16_MARKS):
            raise Refused("file-utf16", "a UTF-16 file, not UTF-8")
        if text and b"\0" in head:
            raise Refused("file-binary", "a binary file, not text")
        return head + handle.read()


def unreadable(name: str, error: OSError | UnicodeDecodeError, data: bytes = b"") -> Problem:
    """The problem of a text file that could not be read (`data`: its bytes, when they were)."""
    if isinstance(error, UnicodeDecodeError):
        return Problem(name, data[:error.start].count(b"\n") + 1, "file-not-utf8", {})
    if isinstance(error, Refused):
        return Problem(name, 1, error.key, {})
    return Problem(name, 1, "unreadable", {"error": error.strerror or error})


def read_text(path: Path) -> str:
    """A UTF-8 text file (bundled data, the notify log)."""
    return path.read_text(encoding="utf-8")


def sha256(path: Path) -> str:
    """The SHA-256 of a file, read in pieces (a scanned document can be large)."""
    import hashlib

    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
