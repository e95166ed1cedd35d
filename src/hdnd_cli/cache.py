"""A parse cache for big ledger files, keyed by each file's content.

Parsing YAML runs at about 7,000 entries a second, so a ledger of years re-read every morning is
slow; its parsed entries (with their file and line) are kept as a pickle under the user's cache
folder and reused while the file's bytes, its displayed name and hdnd's code are unchanged. Small
files are parsed directly: below `MIN_SIZE` the cache costs more than it saves.
`HDND_NO_CACHE=1` turns it off; `HDND_CACHE_DIR` moves it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any, Callable

from . import __version__

MIN_SIZE = 256 * 1024
_CODE = Path(__file__).parent


def cached_parse(text: str, name: str, parse: Callable[[str, str], Any]) -> Any:
    if len(text) < MIN_SIZE or os.environ.get("HDND_NO_CACHE"):
        return parse(text, name)
    folder = _folder()
    stem = hashlib.sha1(name.encode()).hexdigest()[:16]
    key = hashlib.sha256(_code_stamp().encode() + b"\0" + name.encode() + b"\0" + text.encode()).hexdigest()
    path = folder / f"{stem}-{key[:32]}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass
    result = parse(text, name)
    try:
        from .store import write_atomically

        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{stem}-*.pickle"):  # one cached version per file
            old.unlink(missing_ok=True)
        write_atomically(path, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # a cache that cannot be written is only a slower run
    return result


def _folder() -> Path:
    base = os.environ.get("HDND_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "hdnd")
    return Path(base)


def _code_stamp() -> str:
    """Changes whenever the code that builds the cached records does."""
    stamps = [f"{(_CODE / name).stat().st_mtime_ns}" for name in ("ledger.py", "model.py", "timecount.py")]
    return "|".join([__version__, *stamps])
