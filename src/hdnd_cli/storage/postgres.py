"""The PostgreSQL store: a province's offices on one database, many writers at once.

Used when hdnd.toml has `[store]` (`url`, `office`). The driver (psycopg 3, the `postgres` extra:
`pip install -e '.[postgres]'`) is imported only here, so a files workspace starts no slower.

The schema (`hdnd`, versioned in `hdnd.meta`, made and upgraded by `hdnd db init`):

- `entries`: one row per ledger entry of an office, every field kept (`entry`, JSON with dates
  tagged so they come back as dates), in the order written (`seq`), with who recorded it and when.
- `settings` and `packs`: each office's hdnd.toml and rule packs as pushed; every push is a new
  version, the old ones are kept.
- `offices`: one row per office with two counters that only a trigger writes (it runs as the schema's
  owner): `changes` (every change to its entries) and `rewrites` (those that were not appends). The
  parse cache keeps what was read under `rewrites`, and checks it on every read against the office's
  rows as they are: their count, the last one's number and its mark (a hash of its number, when and
  by whom it was written, and its entry). An unchanged office's morning reads one row; after appends
  only the new rows are read; a restore of an older backup, a truncate, or a row changed or removed
  behind hdnd's back makes the next reader read everything.
- `grants`: which role may write which office, and which roles may read every office. Row-level
  security enforces it on every table: an office's role sees and writes only its own rows (and its
  own grants). The functions the policies run name every object with its schema and a fixed search
  path, so nothing a role creates for its own session (a temporary view) can stand in for them.

A write takes its office's advisory lock: writers of one office take turns, writers of different
offices do not wait for each other. The ledger is read and checked inside that lock and
the entries are inserted in the same transaction, so a write is whole or absent whatever happens to
the writer or the server.
"""
from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..model import ACTS, CommitUnknown, Entry, Problem, Unreachable, UserError
from ..parse.ledger import LINE, check_entries, half_character, holds_text, read_entry
from .base import Ledger, Plan, Written
from .cache import Cache, code_stamp

if TYPE_CHECKING:
    from psycopg import Connection

SCHEMA_VERSION = 5
MIGRATIONS = {  # version -> the statements that bring the schema from the version before to it
    1: """
create schema if not exists hdnd;
create table hdnd.meta (key text primary key, value text not null);
insert into hdnd.meta values ('instance', md5(random()::text || clock_timestamp()::text));
create table hdnd.offices (id text primary key, changes bigint not null default 0);
create table hdnd.grants (role name not null, office text, read_all boolean not null default false,
                          unique (role, office));
create table hdnd.entries (
  office text not null references hdnd.offices (id),
  seq bigint generated always as identity,
  kind text not null,
  date date not null,
  id text,
  entry jsonb not null,
  recorded_by text,
  recorded_at timestamptz,
  written_at timestamptz not null default now(),
  written_by name not null default current_user,
  primary key (office, seq));
create index on hdnd.entries (office, id);
create table hdnd.settings (office text not null references hdnd.offices (id), version int not null,
  config text not null, pushed_at timestamptz not null default now(), pushed_by name not null default current_user,
  primary key (office, version));
create table hdnd.packs (office text not null, version int not null, name text not null, text text not null,
  primary key (office, version, name), foreign key (office, version) references hdnd.settings (office, version));

create function hdnd.allowed(o text, writing boolean) returns boolean language sql stable as $$
  select pg_has_role(current_user, (select nspowner from pg_namespace where nspname = 'hdnd'), 'MEMBER')
      or exists (select 1 from hdnd.grants g
                 where g.role = current_user and (g.office = o or (g.read_all and not writing)))
$$;
create function hdnd.bump() returns trigger language plpgsql as $$
begin
  update hdnd.offices set changes = changes + 1 where id = coalesce(new.office, old.office);
  return null;
end $$;
create trigger bump after insert or update or delete on hdnd.entries for each row execute function hdnd.bump();

alter table hdnd.offices enable row level security;
alter table hdnd.entries enable row level security;
alter table hdnd.settings enable row level security;
alter table hdnd.packs enable row level security;
create policy reading on hdnd.offices for select using (hdnd.allowed(id, false));
create policy adding on hdnd.offices for insert with check (hdnd.allowed(id, true));
create policy counting on hdnd.offices for update using (hdnd.allowed(id, true));
create policy reading on hdnd.entries for select using (hdnd.allowed(office, false));
create policy writing on hdnd.entries for insert with check (hdnd.allowed(office, true));
create policy reading on hdnd.settings for select using (hdnd.allowed(office, false));
create policy writing on hdnd.settings for insert with check (hdnd.allowed(office, true));
create policy reading on hdnd.packs for select using (hdnd.allowed(office, false));
create policy writing on hdnd.packs for insert with check (hdnd.allowed(office, true));
""",
    2: """
alter table hdnd.offices add column rewrites bigint not null default 0;
create or replace function hdnd.bump() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    update hdnd.offices set changes = changes + 1 where id = new.office;
  else  -- an entry changed or removed: what a reader kept of the office is not a prefix of it any more
    update hdnd.offices set changes = changes + 1, rewrites = rewrites + 1
     where id = coalesce(new.office, old.office) or id = old.office;
  end if;
  return null;
end $$;
""",
    # The functions the policies and the trigger run name only what they mean to name: with the
    # caller's search path, an office role's temporary view `pg_namespace` made `allowed` say yes to
    # every office. Every table has row-level security; temporary objects are the owner's alone.
    3: """
create or replace function hdnd.allowed(o text, writing boolean) returns boolean
language sql stable set search_path = pg_catalog, pg_temp as $$
  select pg_catalog.pg_has_role(current_user,
           (select n.nspowner from pg_catalog.pg_namespace n where n.nspname = 'hdnd'), 'MEMBER')
      or exists (select 1 from hdnd.grants g
                 where g.role = current_user and (g.office = o or (g.read_all and not writing)))
$$;
alter function hdnd.bump() set search_path = pg_catalog, pg_temp;
alter table hdnd.grants enable row level security;
create policy own on hdnd.grants for select using (role = current_user or hdnd.allowed(null, true));
alter table hdnd.meta enable row level security;
create policy everyone on hdnd.meta for select using (true);
do $$ begin
  execute pg_catalog.format('revoke temporary on database %I from public', pg_catalog.current_database());
end $$;
""",
    # The version of the law the office computed under when it pushed: the province's roll-up, which
    # uses its own law, says when an office pushed under an older one.
    4: """
alter table hdnd.settings add column law text;
""",
    # The counters are the trigger's alone (it runs as the schema's owner); an office's role could
    # set them back and hide its appends from cached readers. Writers of an office take turns on an
    # advisory lock, which needs no right to update the office's row.
    5: """
alter function hdnd.bump() security definer;
-- Appends are counted once per statement (a push inserts thousands of rows a statement, and the
-- office's row is updated once for each, not once a row); a row changed or removed still counts alone.
create function hdnd.bump_appended() returns trigger language plpgsql security definer
set search_path = pg_catalog, pg_temp as $$
begin
  update hdnd.offices o set changes = o.changes + a.n
    from (select office, count(*) n from appended group by office) a where o.id = a.office;
  return null;
end $$;
drop trigger bump on hdnd.entries;
create trigger bump after update or delete on hdnd.entries for each row execute function hdnd.bump();
create trigger bump_appended after insert on hdnd.entries referencing new table as appended
  for each statement execute function hdnd.bump_appended();
drop policy counting on hdnd.offices;
do $$ declare r record; begin
  for r in select distinct g.role from hdnd.grants g
           where exists (select from pg_catalog.pg_roles x where x.rolname = g.role) loop
    execute pg_catalog.format('revoke update on hdnd.offices from %I', r.role);
    execute pg_catalog.format('revoke update (changes, rewrites) on hdnd.offices from %I', r.role);
    if exists (select from hdnd.grants g where g.role = r.role and g.office is not null) then
      -- when and by whom a row was written is the server's to say, not the writer's
      execute pg_catalog.format('revoke insert on hdnd.entries from %I', r.role);
      execute pg_catalog.format('grant insert (office, kind, date, id, entry, recorded_by, recorded_at) '
                                'on hdnd.entries to %I', r.role);
    end if;
  end loop;
end $$;
""",
}


# --- connecting ------------------------------------------------------------------------------------

def connect(url: str) -> Connection[Any]:
    """A connection, or a stop that says in one line what to do; the password, wherever libpq found
    it, is never part of the message."""
    try:
        import psycopg
    except ImportError:
        raise UserError("postgres-extra") from None
    import logging

    quiet = logging.getLogger("psycopg")  # hdnd says what went wrong, in one line, and nothing else does
    if not quiet.handlers:
        quiet.addHandler(logging.NullHandler())
    try:
        return psycopg.connect(url, connect_timeout=10, application_name="hdnd", autocommit=False)
    except psycopg.Error as error:
        raise not_connected(error, url) from None


def not_connected(error: Exception | str, url: str) -> UserError | Unreachable:
    """Why no connection was made, said in one line: a login refused, or a server not reached."""
    if re.search(r"authentication failed|password|no pg_hba.conf entry|role .* does not exist", str(error)):
        return UserError("db-login", where=safe_url(url), error=_one_line(error, url))
    return unreachable(error, url)


def unreachable(error: Exception | str, url: str) -> Unreachable:
    return Unreachable("db-unreachable", where=safe_url(url), error=_one_line(error, url))


def safe_url(url: str) -> str:
    """The URL without a password (`postgresql://user:secret@host/db` -> `postgresql://user@host/db`)."""
    return re.sub(r"(://[^/@:]*):[^/@]*@", r"\1@", url)


def _one_line(error: Exception | str, url: str) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    secret = re.search(r"://[^/@:]*:([^/@]*)@", url)
    return text.replace(secret.group(1), "***") if secret and secret.group(1) else text


@contextlib.contextmanager
def session(url: str) -> Iterator[Any]:
    """A connection for one command: an error of the server or the network becomes one line and
    exit 4; what was not committed is rolled back by the server."""
    connection = connect(url)  # first: it says what to install when the driver is missing
    import psycopg

    try:
        with connection:
            yield connection
    except CommitUnknown:
        raise
    except psycopg.OperationalError as error:
        raise unreachable(error, url) from None
    except psycopg.errors.InsufficientPrivilege as error:
        raise UserError("db-refused", error=_one_line(error, url)) from None
    except psycopg.Error as error:  # anything else the server refused: one line, nothing committed
        raise UserError("db-failed", error=_one_line(error, url)) from None
    finally:
        with contextlib.suppress(Exception):
            connection.close()


def _value(connection: Connection[Any], query: str, params: tuple[Any, ...] = ()) -> Any:
    """The one value of a query that always gives one row (an aggregate, a function's answer)."""
    row = connection.execute(query, params).fetchone()
    assert row is not None, query
    return row[0]


def schema_version(connection: Connection[Any]) -> int:
    if not _value(connection, "select to_regclass('hdnd.meta') is not null"):
        return 0
    row = connection.execute("select value from hdnd.meta where key = 'schema_version'").fetchone()
    return int(row[0]) if row else 1


def init(url: str) -> tuple[int, int]:
    """Create or upgrade the schema; (version before, version after). Run twice, it changes nothing."""
    with session(url) as connection:
        connection.execute("select pg_advisory_xact_lock(hashtext('hdnd schema'))")
        connection.execute("set local search_path = pg_catalog, pg_temp")  # what the schema names is what it means
        before = schema_version(connection)
        for version in range(before + 1, SCHEMA_VERSION + 1):
            connection.execute(MIGRATIONS[version])
            connection.execute("insert into hdnd.meta values ('schema_version', %s) "
                               "on conflict (key) do update set value = excluded.value", (str(version),))
        return before, SCHEMA_VERSION


def grant(url: str, role: str, office: str | None) -> None:
    """Let `role` read and write `office`'s rows, or (office None) read every office."""
    from psycopg import sql

    with session(url) as connection:
        _require_schema(connection)
        if not _value(connection, "select exists (select from pg_catalog.pg_roles where rolname = %s)", (role,)):
            raise UserError("db-no-role", role=role)
        who = sql.Identifier(role)
        connection.execute(sql.SQL("grant usage on schema hdnd to {}").format(who))
        connection.execute(sql.SQL("grant select on all tables in schema hdnd to {}").format(who))
        connection.execute(sql.SQL("grant execute on all functions in schema hdnd to {}").format(who))
        if office is not None:
            connection.execute(sql.SQL("grant insert (office, kind, date, id, entry, recorded_by, recorded_at) "
                                       "on hdnd.entries to {}").format(who))  # written_at/_by are the server's
            connection.execute(sql.SQL("grant insert on hdnd.settings, hdnd.packs, hdnd.offices "
                                       "to {}").format(who))
            connection.execute("insert into hdnd.offices (id) values (%s) on conflict do nothing", (office,))
        connection.execute("insert into hdnd.grants (role, office, read_all) values (%s, %s, %s) "
                           "on conflict do nothing", (role, office, office is None))


def _require_schema(connection: Connection[Any]) -> None:
    version = schema_version(connection)
    if version != SCHEMA_VERSION:
        raise UserError("db-schema", found=version, wanted=SCHEMA_VERSION)


def _lock(connection: Connection[Any], office: str) -> None:
    """The office's lock, held until the transaction ends: its writers take turns, others do not wait."""
    connection.execute("insert into hdnd.offices (id) values (%s) on conflict do nothing", (office,))
    connection.execute("select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(%s, 0))",
                       ("hdnd:" + office,))


def _allowed(connection: Connection[Any], office: str, writing: bool) -> None:
    _require_schema(connection)
    if not _value(connection, "select hdnd.allowed(%s, %s)", (office, writing)):
        user = _value(connection, "select current_user")
        raise UserError("db-not-yours", role=user, office=office)


# --- entries as JSON ---------------------------------------------------------------------------------

def encode(value: Any) -> Any:
    """A ledger value as JSON, dates tagged so they come back as the dates they were."""
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {key: encode(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(item) for item in value]
    return value


def decode(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and "$date" in value:
            return date.fromisoformat(value["$date"])
        if len(value) == 1 and "$datetime" in value:
            return datetime.fromisoformat(value["$datetime"])
        return {key: decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decode(item) for item in value]
    return value


def raw_entry(entry: Entry) -> dict[str, Any]:
    """An entry as it was written: kind, date, then its fields."""
    return {"kind": entry.kind, "date": entry.date, **entry.fields}


# --- the store ---------------------------------------------------------------------------------------

class _Kept(NamedTuple):
    """What the parse cache keeps of an office: its rows up to `last`, and the mark of that row."""

    last: int
    rows: int  # how many rows were read (an invalid one gives problems, not an entry)
    mark: str | None
    entries: list[Entry]
    problems: list[Problem]


class _State(NamedTuple):
    """What a reader checks of an office on every read. None of it is a counter someone could set: a
    restore that brings back older rows (and hands their numbers out again), a truncate, a row
    written behind hdnd's back, all change the count, the last row or that row's mark."""

    rewrites: int  # the trigger's count of rows changed or removed: what was kept is not a prefix then
    instance: str
    rows: int
    last: int  # the office's highest row number
    mark: str | None  # the fingerprint of that row: its number, when and by whom it was written, its entry

    @property
    def version(self) -> bytes:
        return ":".join(map(str, self)).encode()

    @classmethod
    def of(cls, version: bytes) -> _State | None:
        """The state a version was made from (None: an office with no row, or not a version)."""
        parts = version.decode("ascii", "replace").split(":")
        if len(parts) != len(cls._fields) or not all(p.isdecimal() for p in (parts[0], parts[2], parts[3])):
            return None
        rewrites, instance, rows, last, mark = parts
        return cls(int(rewrites), instance, int(rows), int(last), None if mark == "None" else mark)


NONE = b"none"  # the version of an office with no row yet
_MARK = "md5(e.seq::text || '|' || e.written_at::text || '|' || e.written_by || '|' || e.entry::text)"


class PostgresStore:
    """One office's ledger in the database `url`."""

    def __init__(self, url: str, office: str, cache: Cache, known: bytes | None = None):
        self.url, self.office, self.cache = url, office, cache
        self.place = f"db:{office}"
        self.known = known  # the version a roll-up read with the office's settings, in the same snapshot

    def read(self) -> Ledger:
        with session(self.url) as connection:
            connection.execute("set transaction isolation level repeatable read")  # one snapshot
            _allowed(connection, self.office, writing=False)
            return self._read(connection)

    def version(self) -> bytes:
        """The version `read` would give now (`_State.version`): one row, asked through libpq alone when
        it answers (an unchanged office's morning then needs no driver), else through the driver."""
        if self.known is not None:
            return self.known
        from .libpq import NotConnected, query

        try:
            row = query(self.url, _PEEK, [self.office])
        except NotConnected as error:  # said now: the driver would wait for the server as long again
            raise not_connected(str(error), self.url) from None
        if row is not None and row[0] == "t":
            rewrites, instance, rows, last, mark = row[1:]
            return _State(int(rewrites or 0), str(instance), int(rows or 0), int(last or 0), mark).version
        with session(self.url) as connection:
            _allowed(connection, self.office, writing=False)
            return _version(_state(connection, self.office))

    def appended(self, kept: bytes, version: bytes) -> list[Entry] | None:
        """The entries of the rows appended since the office was at version `kept`, where it is at
        `version` now and rows were only appended (the checks of `_appended`: its last row then is
        there as it was, and the rows after it are all the office gained); None otherwise, or when
        an appended row is not a valid entry (the full read then says so)."""
        old = _State.of(kept)
        if old is None:
            return None
        with session(self.url) as connection:
            connection.execute("set transaction isolation level repeatable read")  # one snapshot
            _allowed(connection, self.office, writing=False)
            state = _state(connection, self.office)
            if state is None or state.version != version or (state.rewrites, state.instance) != (old.rewrites,
                                                                                                  old.instance):
                return None
            newer = self._appended(connection, state, _Kept(old.last, old.rows, old.mark, [], []))
        return None if newer is None or newer.problems else newer.entries

    def _read(self, connection: Connection[Any]) -> Ledger:
        """The office's ledger: what the cache kept, checked against the office's rows as they are
        (their count, the last one and its mark), plus the rows appended after it; anything else,
        and everything is read again."""
        state = _state(connection, self.office)
        if state is None:
            return Ledger([], [], {self.place: 0}, NONE)
        name = f"db-{self.office}"  # kept by code that reads rows as this code does (`code_stamp`)
        key = (code_stamp().encode(), state.instance.encode(), self.office.encode(), str(state.rewrites).encode())
        kept = self.cache.get(name, key, lambda: self._fetch(connection), _Kept)
        if (kept.rows, kept.last, kept.mark) != (state.rows, state.last, state.mark):
            newer = self._appended(connection, state, kept)
            if newer is None:  # not appends alone: read everything
                newer = self._fetch(connection)
                self.cache.put(name, key, newer)
            elif newer.rows - kept.rows > kept.rows // 16:
                self.cache.put(name, key, newer)  # a short tail is cheaper to read than the cache to rewrite
            kept = newer
        problems = list(kept.problems)
        return Ledger(kept.entries, problems + check_entries(kept.entries, problems), {self.place: len(kept.entries)},
                      state.version)

    def _fetch(self, connection: Connection[Any], last: int = 0) -> _Kept:
        rows = connection.execute(f"select e.seq, e.entry::text, {_MARK} from hdnd.entries e where e.office = %s and "
                                  "e.seq > %s order by e.seq", (self.office, last)).fetchall()
        entries, problems = self.entries([(seq, entry) for seq, entry, _ in rows], stored=True)
        return _Kept(rows[-1][0] if rows else last, len(rows), rows[-1][2] if rows else None, entries, problems)

    def _appended(self, connection: Connection[Any], state: _State, kept: _Kept) -> _Kept | None:
        """`kept` and the rows appended after it; None unless its last row is still there as it was and
        the rows after it are all the office has gained."""
        if kept.last > state.last:
            return None
        if kept.last:
            row = connection.execute(f"select {_MARK} from hdnd.entries e where e.office = %s and e.seq = %s",
                                     (self.office, kept.last)).fetchone()
            if row is None or row[0] != kept.mark:
                return None
        tail = self._fetch(connection, kept.last)
        if kept.rows + tail.rows != state.rows or tail.last != state.last:
            return None
        return _Kept(tail.last, kept.rows + tail.rows, tail.mark, kept.entries + tail.entries,
                     kept.problems + tail.problems)

    def entries(self, rows: list[tuple[int, Any]], stored: bool = False) -> tuple[list[Entry], list[Problem]]:
        """Each row read as the file reader reads an entry: `db:OFFICE` is its file, its number its line.
        A `stored` row (its JSON text) is decoded first; one that is not an entry (a list, null, a bad tagged date, a
        number of 5,000 digits, nesting a thousand deep: what a role can insert with psql) is a problem
        at its number, and the rest is computed."""
        entries: list[Entry] = []
        problems: list[Problem] = []
        for seq, raw in rows:
            try:
                value = decode(json.loads(raw)) if stored else raw  # the text, read here: a row's own fault
                if not isinstance(value, dict):
                    problems.append(Problem(self.place, seq, "db-bad-row", {"error": f"not an entry: {raw[:80]}"}))
                    continue
                entry = read_entry({**value, LINE: seq}, self.place, problems)
            except (ValueError, TypeError, RecursionError, OverflowError) as error:
                problems.append(Problem(self.place, seq, "db-bad-row", {"error": f"{type(error).__name__}: {error}"}))
                continue
            if entry is not None:
                entries.append(entry)
        return entries, problems

    @contextlib.contextmanager
    def transaction(self) -> Iterator[_Transaction]:
        with session(self.url) as connection:
            _allowed(connection, self.office, writing=True)
            _lock(connection, self.office)
            transaction = _Transaction(self, connection)
            yield transaction
            if not transaction.kept:
                connection.rollback()


_STATE = (f"o.rewrites, m.value, s.n, s.last, (select {_MARK} from hdnd.entries e where e.office = o.id and e.seq = s.last) "
          "from hdnd.offices o cross join hdnd.meta m cross join lateral "
          "  (select count(*) n, coalesce(max(seq), 0) last from hdnd.entries where office = o.id) s "
          "where o.id = %s and m.key = 'instance'")
# The same row through libpq alone (storage/libpq.py), which also asks what `_allowed` asks.
_PEEK = ("select hdnd.allowed($1, false) and (select value from hdnd.meta where key = 'schema_version') = "
         f"'{SCHEMA_VERSION}', " + _STATE.replace("%s", "$1"))


def _version(state: _State | None) -> bytes:
    return NONE if state is None else state.version


def _state(connection: Connection[Any], office: str) -> _State | None:
    """What a reader checks of `office` (`_State`); None for an office with no row yet."""
    row = connection.execute(f"select {_STATE}", (office,)).fetchone()
    return None if row is None else _State(*row)


class _Transaction:
    def __init__(self, store: PostgresStore, connection: Connection[Any]):
        self.store, self.connection = store, connection
        self.rows: list[dict[str, Any]] = []
        self.kept = False
        self.ledger = Ledger([], [], {})

    def read(self) -> Ledger:
        self.ledger = self.store._read(self.connection)
        return self.ledger

    def unchanged(self, ledger: Ledger) -> bool:
        self.ledger = ledger
        state = _state(self.connection, self.store.office)
        return _version(state) == ledger.version

    def plan(self, entries: list[dict[str, Any]]) -> Plan:
        from .filestore import yaml_block

        current = self.ledger
        last = _value(self.connection, "select coalesce(max(seq), 0) from hdnd.entries where office = %s",
                      (self.store.office,))
        new, trouble = self.store.entries([(seq, dict(entry)) for seq, entry in enumerate(entries, last + 1)])
        read_problems = [p for p in current.problems if p.key != "duplicate-id"] + trouble
        together = current.entries + new
        after = Ledger(together, read_problems + check_entries(together, read_problems),
                       {self.store.place: len(together)})
        self.rows = entries
        return Plan(after, new, [Written(self.store.place, yaml_block(entries), entries)])

    def inserted(self, version: bytes, entries: list[dict[str, Any]]) -> tuple[list[Written], list[Entry]] | None:
        """`entries` inserted now, in this transaction (`commit` makes them the office's, else they are
        rolled back), if the office is still at `version`; what was written, and the entries its rows
        read back as (their numbers, as a later read gives them). None when the office moved since
        (nothing inserted), or when the rows after it are not these entries read back as valid ones
        (rolled back with the transaction: the full path then says why)."""
        from .filestore import yaml_block

        state = _state(self.connection, self.store.office)
        if state is None or state.version != version:
            return None
        insert_entries(self.connection, self.store.office, entries)
        self.rows = []  # inserted: nothing left for `commit` to insert
        tail = self.store._fetch(self.connection, state.last)
        if tail.problems or tail.rows != len(entries):
            return None
        return [Written(self.store.place, yaml_block(entries), entries)], tail.entries

    def commit(self) -> None:
        import psycopg

        insert_entries(self.connection, self.store.office, self.rows)
        try:
            self.connection.commit()
        except psycopg.OperationalError as error:  # the commit may have reached the server before it went
            raise CommitUnknown("db-commit-unknown", where=safe_url(self.store.url),
                                error=_one_line(error, self.store.url)) from None
        self.kept = True


INSERT_BATCH = 5000  # rows a statement appends: the office's counter is updated once per statement


def insert_entries(connection: Connection[Any], office: str, entries: list[dict[str, Any]]) -> None:
    """The entries appended in order, a few thousand to a statement (row-level security rules COPY out)."""
    from psycopg.types.json import Jsonb

    for start in range(0, len(entries), INSERT_BATCH):
        batch = entries[start:start + INSERT_BATCH]
        columns = list(zip(*[(e["kind"], e["date"], None if e["kind"] in ACTS else _text(e.get("id")), Jsonb(encode(e)),
                              _text((e.get("recorded") or {}).get("by")), (e.get("recorded") or {}).get("at"))
                             for e in batch]))
        connection.execute(
            "insert into hdnd.entries (office, kind, date, id, entry, recorded_by, recorded_at) "
            "select %s, kind, date, id, entry, recorded_by, recorded_at from unnest("
            "%s::text[], %s::date[], %s::text[], %s::jsonb[], %s::text[], %s::timestamptz[]) with ordinality "
            "as t (kind, date, id, entry, recorded_by, recorded_at, n) order by n", (office, *map(list, columns)))


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


# --- push and dump -----------------------------------------------------------------------------------

def push(url: str, office: str, entries: list[Entry], config: str, packs: list[tuple[str, str]], law: str) -> int:
    """Copy a file workspace into the database for `office`: its entries, its hdnd.toml and its own rule
    packs (not the law's: the version of the law in use is noted) as a new version; all or nothing.
    Ids the office already holds refuse the whole push."""
    with session(url) as connection:
        _allowed(connection, office, writing=True)
        _lock(connection, office)
        for entry in entries:  # what PostgreSQL cannot store refuses the push before anything is written
            if holds_text(raw_entry(entry), lambda text: "\x00" in text or half_character(text)):
                raise UserError("db-unstorable", where=f"{entry.file}:{entry.line}")
        ids = [e.id for e in entries if e.id is not None and e.kind not in ACTS]
        taken = [row[0] for row in connection.execute(
            "select id from hdnd.entries where office = %s and id = any(%s) order by seq", (office, ids))]
        if taken:
            shown = ", ".join(taken[:10]) + (", …" if len(taken) > 10 else "")
            raise UserError("db-push-taken", count=len(taken), office=office, ids=shown)
        version: int = _value(connection, "select coalesce(max(version), 0) + 1 from hdnd.settings where office = %s",
                              (office,))
        connection.execute("insert into hdnd.settings (office, version, config, law) values (%s, %s, %s, %s)",
                           (office, version, config, law))
        with connection.cursor() as cursor:
            cursor.executemany("insert into hdnd.packs (office, version, name, text) values (%s, %s, %s, %s)",
                               [(office, version, name, text) for name, text in packs])
        insert_entries(connection, office, [raw_entry(e) for e in sorted(entries, key=_file_order)])
        connection.commit()
        return version


def _file_order(entry: Entry) -> tuple[str, int]:
    return (entry.file, entry.line)


def dump(store: PostgresStore, folder: Path) -> tuple[int, int]:
    """The office's ledger as YAML files, one a year (`2026.yaml`), in `folder`; (files, entries)."""
    from .files import LEDGER_SUFFIXES, write_atomically
    from .filestore import append

    if folder.is_dir() and any(p.suffix in LEDGER_SUFFIXES for p in folder.iterdir()):
        raise UserError("db-dump-not-empty", path=str(folder))
    ledger = store.read()
    if ledger.problems:
        from ..model import Invalid

        raise Invalid(ledger.problems)
    years: dict[int, list[dict[str, Any]]] = {}
    for entry in ledger.entries:
        years.setdefault(entry.date.year, []).append(raw_entry(entry))
    folder.mkdir(parents=True, exist_ok=True)
    for year, raws in sorted(years.items()):
        write_atomically(folder / f"{year}.yaml", append(None, raws, ".yaml"))
    return len(years), len(ledger.entries)


# --- the roll-up -------------------------------------------------------------------------------------

def pushed(url: str, offices: list[str] | None) -> list[tuple[str, str, list[tuple[str, str]], str | None, bytes]]:
    """(office, hdnd.toml, packs, the law it pushed under, its ledger's version) as last pushed, for
    `offices` or (None) every office this role may read that has pushed its settings; one snapshot."""
    with session(url) as connection:
        connection.execute("set transaction isolation level repeatable read")
        _require_schema(connection)
        if offices is None:
            offices = [row[0] for row in connection.execute(
                "select distinct office from hdnd.settings order by office")]
        found = []
        for office in offices:
            _allowed(connection, office, writing=False)
            row = connection.execute("select version, config, law from hdnd.settings where office = %s "
                                     "order by version desc limit 1", (office,)).fetchone()
            if row is None:
                raise UserError("db-office-unknown", office=office)
            packs = connection.execute("select name, text from hdnd.packs where office = %s and version = %s "
                                       "order by name", (office, row[0])).fetchall()
            found.append((office, row[1], [(f"db:{office}/{name}", text) for name, text in packs], row[2],
                          _version(_state(connection, office))))
        return found
