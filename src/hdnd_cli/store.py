"""Safe writes: the only module that changes files (the loader is the only one that reads them).

A write is whole or nothing: the new content goes to a temporary file in the same folder, is
flushed to disk, and is renamed over the old file, so a crash leaves either the old file or the new
one. A lock file in the workspace serialises writers (two secretaries and a cron job at once).
"""
from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import Iterator

LOCK_NAME = ".hdnd.lock"
TEMP_SUFFIX = ".tmp"  # never a ledger suffix, so a temporary file left by a crash is never read


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the workspace's write lock (an exclusive `flock`; blocks until it is free)."""
    try:
        import fcntl
    except ImportError:  # no flock on this system: writes are still atomic, not serialised
        yield
        return
    with open(root / LOCK_NAME, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_atomically(path: Path, text: str | bytes, mode: int | None = None) -> None:
    """Replace `path` with `text` in one step: temporary file, flush, fsync, rename, fsync the folder.
    The file keeps its permissions; a new one gets `mode`, else the usual ones (the umask's)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8") if isinstance(text, str) else text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, stat.S_IMODE(path.stat().st_mode) if path.exists() else mode or 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
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
