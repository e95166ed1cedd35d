"""One small query through libpq itself, without the driver.

An unchanged database office's morning needs one row from the server: its state (`postgres._State`),
which decides whether the kept obligations still hold. Importing psycopg costs more than the rest of
that morning (0.15 s of `python -X importtime`), so that row is asked for here, through the libpq that
psycopg's binary package carries (or the system's), with ctypes. This path only answers: anything
unusual (no libpq, a row not there or not to be seen, an error in the query) gives None, and the
caller asks through psycopg, which says what went wrong. A connection that fails is said at once
(`NotConnected`, libpq's message): asking the driver would wait for a server that is not there as long
again. tests/test_postgres.py compares both answers.
"""
from __future__ import annotations

import ctypes
import importlib.util
from collections.abc import Iterator, Sequence
from pathlib import Path

CONNECTION_OK, TUPLES_OK = 0, 2
_loaded: list[ctypes.CDLL | None] = []


class NotConnected(Exception):
    """libpq made no connection; the message is its own."""


def query(url: str, statement: str, params: Sequence[str]) -> list[str | None] | None:
    """The one row `statement` (with `$1`… for `params`) gives on the server at `url`, as text; None when
    there is no such row or libpq cannot ask. Raises `NotConnected` when no connection is made."""
    pq = _libpq() if importlib.util.find_spec("psycopg") else None  # without the driver: it says what to install
    if pq is None:
        return None
    keywords = (ctypes.c_char_p * 4)(b"dbname", b"connect_timeout", b"application_name", None)
    values = (ctypes.c_char_p * 4)(url.encode(), b"10", b"hdnd", None)  # as postgres.connect: later ones win
    connection = pq.PQconnectdbParams(keywords, values, 1)
    if not connection:
        return None
    try:
        if pq.PQstatus(connection) != CONNECTION_OK:
            raise NotConnected((pq.PQerrorMessage(connection) or b"").decode(errors="replace").strip())
        texts = (ctypes.c_char_p * len(params))(*(p.encode() for p in params))
        result = pq.PQexecParams(connection, statement.encode(), len(params), None, texts, None, None, 0)
        try:
            if pq.PQresultStatus(result) != TUPLES_OK or pq.PQntuples(result) != 1:
                return None
            return [None if pq.PQgetisnull(result, 0, column) else pq.PQgetvalue(result, 0, column).decode()
                    for column in range(pq.PQnfields(result))]
        finally:
            pq.PQclear(result)
    finally:
        pq.PQfinish(connection)


def _libpq() -> ctypes.CDLL | None:
    if not _loaded:
        _loaded.append(_load())
    return _loaded[0]


def _load() -> ctypes.CDLL | None:
    """libpq with the signatures used here: psycopg's binary package's copy, else the system's."""
    for path in _candidates():
        try:
            pq = ctypes.CDLL(str(path))
        except OSError:
            continue
        void, text, number = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
        for name, result, arguments in (
                ("PQconnectdbParams", void, [ctypes.POINTER(text), ctypes.POINTER(text), number]),
                ("PQstatus", number, [void]), ("PQerrorMessage", text, [void]), ("PQfinish", None, [void]),
                ("PQexecParams", void, [void, text, number, void, ctypes.POINTER(text), void, void, number]),
                ("PQresultStatus", number, [void]), ("PQntuples", number, [void]), ("PQnfields", number, [void]),
                ("PQgetisnull", number, [void, number, number]), ("PQgetvalue", text, [void, number, number]),
                ("PQclear", None, [void])):
            function = getattr(pq, name, None)
            if function is None:
                break
            function.restype, function.argtypes = result, arguments
        else:
            return pq
    return None


def _candidates() -> Iterator[Path | str]:
    spec = importlib.util.find_spec("psycopg_binary")  # found, not imported
    if spec is not None and spec.submodule_search_locations:
        package = Path(next(iter(spec.submodule_search_locations)))
        for folder in (package.parent / "psycopg_binary.libs", package / ".dylibs", package):  # Linux, macOS, Windows
            yield from sorted(folder.glob("libpq*"))
    import ctypes.util

    yield from filter(None, (ctypes.util.find_library("pq"), ctypes.util.find_library("libpq")))
