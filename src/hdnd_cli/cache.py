"""A cache of work that only depends on files: parsed ledger files, and each year's statutory holidays.

Parsing YAML runs at about 20,000 entries a second and importing the `holidays` package costs about
110 ms, so a ledger of years read every morning would be slow; the results are kept as pickles
under the user's cache folder and reused while their key is unchanged: for a ledger file its bytes,
its displayed name and hdnd's code; for holidays the year and the package's installed version.
Small JSON files are parsed directly (below `MIN_SIZE` the cache costs more than it saves); YAML
files are always cached, as importing the YAML reader alone costs more than reading a pickle.
A cache that cannot be read or written is only a slower run. `HDND_NO_CACHE=1` turns it off;
`HDND_CACHE_DIR` moves it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any, Callable, TypeVar

from . import __version__

MIN_SIZE = 32 * 1024
_CODE = Path(__file__).parent
T = TypeVar("T")


def cached_parse(data: bytes, name: str, parse: Callable[[bytes, str], Any]) -> Any:
    """`parse(data, name)`, from the cache when this file's bytes were parsed before."""
    if len(data) < MIN_SIZE and not name.endswith((".yaml", ".yml")):
        return parse(data, name)
    return cached(name, (_code_stamp().encode(), name.encode(), data), lambda: parse(data, name))


def cached(name: str, key: tuple[bytes, ...], make: Callable[[], T]) -> T:
    """`make()`, kept under `name` while the parts of `key` are unchanged (one kept version per name)."""
    if os.environ.get("HDND_NO_CACHE"):
        return make()
    folder = _folder()
    digest = hashlib.sha1(usedforsecurity=False)  # a cache key, not a signature: the fastest will do
    for part in key:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    stem = hashlib.sha1(name.encode()).hexdigest()[:16]
    path = folder / f"{stem}-{digest.hexdigest()}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass
    result = make()
    try:
        from .store import write_atomically

        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{stem}-*.pickle"):
            old.unlink(missing_ok=True)
        write_atomically(path, data)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass
    return result


def package_stamp(name: str) -> str:
    """Changes when the installed package `name` does, found without importing it."""
    from importlib.util import find_spec

    spec = find_spec(name)
    origin = spec.origin if spec and spec.origin else name
    try:
        return f"{origin}:{os.stat(origin).st_mtime_ns}"
    except OSError:
        return origin


def _folder() -> Path:
    base = os.environ.get("HDND_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "hdnd")
    return Path(base)


def _code_stamp() -> str:
    """Changes whenever the code that builds the cached records does."""
    stamps = [f"{(_CODE / name).stat().st_mtime_ns}" for name in ("ledger.py", "model.py", "timecount.py")]
    return "|".join([__version__, *stamps])
