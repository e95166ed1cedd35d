"""The ledger in PostgreSQL, tested against a real server these tests start (tests/pgserver.py).

Each test uses its own offices and roles, so they share one server.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid

import psycopg
import pytest

from conftest import Workspace, hdnd_command, run
from hdnd_cli.model import Unreachable, UserError
from hdnd_cli.storage.cache import OFF
from pgserver import OWNER_PASSWORD, Server

LEDGER = """\
- {id: kn-1, kind: complaint, date: 2026-10-01}
- {id: kn-2, kind: complaint, date: 2026-11-02, complex: true}
- {id: kn-3, kind: complaint, date: 2026-09-01, round: 2}
- {id: tc-1, kind: denunciation, date: 2026-11-03}
- {id: tc-2, kind: denunciation, date: 2026-10-01}
- {kind: done, obligation: complaint-first-accept/kn-1, date: 2026-10-09, ref: 15/TB-UBND}
- {kind: done, obligation: denunciation-intake/tc-2, date: 2026-10-09, ref: 3/TB-UBND}
"""
AS_OF = ("--as-of", "2026-11-20")


@pytest.fixture(scope="module")
def server():
    started = Server()
    owner = {"HDND_DATABASE_URL": started.url(), "PGPASSWORD": OWNER_PASSWORD}
    result = run("db", "init", env=owner)
    assert result.returncode == 0 and "0 → 5" in result.stdout, result.stderr
    again = run("db", "init", env=owner)
    assert again.returncode == 0 and "5 → 5" in again.stdout  # idempotent
    yield started
    started.close()


class Office:
    """An office of the province: a role of its own with a password, and a workspace of files."""

    def __init__(self, server: Server, root, name: str | None = None):
        self.server = server
        self.id = name or f"xa-{uuid.uuid4().hex[:8]}"
        self.role, self.password = self.id.replace("-", "_"), f"mk-{uuid.uuid4().hex[:6]}"
        server.sql(f"create role {self.role} login password '{self.password}'")
        owner = {"HDND_DATABASE_URL": server.url(), "PGPASSWORD": OWNER_PASSWORD}
        assert run("db", "grant", self.role, "--office", self.id, env=owner).returncode == 0
        root.mkdir()
        self.ws = Workspace(root)
        self.ws.config(BODIES)  # the complaint and denunciation rules are the law's, read by every workspace
        self.env = {"PGPASSWORD": self.password}

    def use_database(self) -> None:
        self.ws.config(BODIES + f'\n[store]\nurl = "{self.server.url(self.role)}"\noffice = "{self.id}"\n')

    def run(self, *args: str, **kwargs):
        return self.ws.run(*args, env={**self.env, **kwargs.pop("env", {})}, **kwargs)

    def rows(self) -> int:
        return self.server.sql("select count(*) from hdnd.entries where office = %s", (self.id,))[0][0]


BODIES = """
[[bodies]]
id = "chu-tich-ubnd"
name = "Chủ tịch UBND"

[[bodies]]
id = "cong-dan"
name = "Công dân"
"""


@pytest.fixture
def office(server, tmp_path):
    return Office(server, tmp_path / "office")


def test_the_database_gives_the_same_obligations_as_the_files_it_was_pushed_from(office):
    office.ws.ledger(LEDGER)
    from_files = office.run("due", "--all", "-f", "json", *AS_OF)
    assert from_files.returncode == 0, from_files.stderr
    cases = [i for i in json.loads(from_files.stdout)["items"] if i["rule"].startswith(("complaint", "denunciation"))]
    assert len(cases) == 7  # 3 accepted + 2 settled complaints, 2 denunciations
    office.use_database()
    pushed = office.run("db", "push")
    assert pushed.returncode == 0 and "7 mục" in pushed.stdout, pushed.stderr
    assert office.rows() == 7
    from_database = office.run("due", "--all", "-f", "json", *AS_OF)
    assert from_database.returncode == 0, from_database.stderr
    assert from_database.stdout == from_files.stdout
    again = office.run("due", "--all", "-f", "json", *AS_OF)  # from the parse cache, keyed by the counter
    assert again.stdout == from_files.stdout
    assert office.run("check").returncode == 0
    # A second push of the same ledger is refused, and changes nothing.
    second = office.run("db", "push")
    assert second.returncode == 2 and "(kn-1, kn-2, kn-3, tc-1, tc-2)" in second.stderr and office.rows() == 7
    versions = office.server.sql("select count(*) from hdnd.settings where office = %s", (office.id,))
    assert versions == [(1,)]


def test_writes_go_to_the_database_checked_whole_and_problems_name_the_entry(office):
    office.ws.ledger(LEDGER)
    office.use_database()
    assert office.run("db", "push").returncode == 0
    done = office.run("done", "complaint-first-accept/kn-2", "--date", "2026-11-06", "--ref", "20/TB",
                      env={"HDND_NOW": "2026-11-20T08:00"})
    assert done.returncode == 0 and f"db:{office.id}" in done.stdout, done.stderr
    assert office.rows() == 8
    status = {i["id"]: i["status"] for i in json.loads(office.run("due", "--all", "-f", "json", *AS_OF).stdout)["items"]}
    assert status["complaint-first-accept/kn-2"] == "done"
    # A write that would break the ledger is refused and leaves nothing.
    twice = office.run("add", "complaint", "--date", "2026-11-10", "--id", "kn-1", env={"HDND_NOW": "2026-11-20"})
    assert twice.returncode == 2 and "kn-1" in twice.stderr and office.rows() == 8
    # An entry made broken behind hdnd's back is named by its place in the database.
    office.server.sql("update hdnd.entries set entry = entry - 'date' where office = %s and id = 'tc-1'", (office.id,))
    seq = office.server.sql("select seq from hdnd.entries where office = %s and id = 'tc-1'", (office.id,))[0][0]
    broken = office.run("check")
    assert broken.returncode == 2 and f"db:{office.id}#{seq}:" in broken.stderr, broken.stderr
    office.server.sql("update hdnd.entries set entry = entry || '{\"date\": {\"$date\": \"2026-11-03\"}}' "
                      "where office = %s and id = 'tc-1'", (office.id,))  # mended: other tests read every office
    assert office.run("check").returncode == 0


def test_an_import_is_one_transaction(office, tmp_path):
    office.use_database()
    sheet = tmp_path / "don.csv"
    sheet.write_text("Số đơn,Ngày nhận\nd-1,02/11/2026\nd-2,31/02/2026\n", encoding="utf-8")
    result = office.run("import", str(sheet), "--kind", "complaint", "--map", "Số đơn=id", "--map", "Ngày nhận=date",
                        env={"HDND_NOW": "2026-11-20"})
    assert result.returncode == 2 and office.rows() == 0
    sheet.write_text("Số đơn,Ngày nhận\nd-1,02/11/2026\nd-2,03/11/2026\n", encoding="utf-8")
    result = office.run("import", str(sheet), "--kind", "complaint", "--map", "Số đơn=id", "--map", "Ngày nhận=date",
                        env={"HDND_NOW": "2026-11-20"})
    assert result.returncode == 0, result.stderr
    assert office.rows() == 2


def test_db_dump_gives_back_files_that_check_accepts_and_that_say_the_same(office, tmp_path):
    office.ws.ledger(LEDGER)
    office.use_database()
    assert office.run("db", "push").returncode == 0
    assert office.run("add", "session", "--date", "2026-12-10", "--set", "ends=2026-12-11", "--set", "type=regular",
                      env={"HDND_NOW": "2026-11-20"}).returncode == 0
    from_database = office.run("due", "--all", "-f", "json", *AS_OF).stdout
    dumped = office.run("db", "dump", "-o", str(tmp_path / "dump"))
    assert dumped.returncode == 0 and "8" in dumped.stdout, dumped.stderr
    assert sorted(p.name for p in (tmp_path / "dump").iterdir()) == ["2026.yaml"]
    files = Workspace(tmp_path / "files-again", fresh=False)
    (tmp_path / "files-again").mkdir()
    (tmp_path / "files-again" / "rules").mkdir()
    files.config(BODIES + '\n[paths]\nledger = ["../dump"]\n')
    assert files.run("check").returncode == 0
    assert files.run("due", "--all", "-f", "json", *AS_OF).stdout == from_database
    assert office.run("db", "dump", "-o", str(tmp_path / "dump")).returncode == 2  # never over a ledger


def test_sixteen_writers_at_once_lose_nothing(office):
    office.use_database()
    environment = {**os.environ, **office.env, "HDND_NOW": "2026-11-20T08:00", "LANG": "C.UTF-8"}
    writers = [subprocess.Popen([*hdnd_command(), "add", "complaint", "--date", "2026-11-02"], cwd=office.ws.root,
                                env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(16)]
    results = [(w.wait(timeout=120), w.stderr.read()) for w in writers]
    assert [code for code, _ in results] == [0] * 16, results
    ids = [row[0] for row in office.server.sql("select id from hdnd.entries where office = %s", (office.id,))]
    assert len(ids) == 16 and len(set(ids)) == 16  # each writer saw the others' ids under the office's lock
    assert office.run("check").returncode == 0


SLOW = """
create or replace function public.slow_commit() returns trigger language plpgsql as $$
begin perform pg_sleep(20); return null; end $$;
create trigger slow_commit after insert on hdnd.entries for each statement execute function public.slow_commit();
"""


def _sleeping(server: Server) -> bool:
    return server.sql("select count(*) from pg_stat_activity where wait_event = 'PgSleep'")[0][0] > 0


def _slow_writer(office: Office) -> subprocess.Popen:
    office.server.sql(SLOW)
    environment = {**os.environ, **office.env, "HDND_NOW": "2026-11-20T08:00", "LANG": "C.UTF-8"}
    writer = subprocess.Popen([*hdnd_command(), "add", "complaint", "--date", "2026-11-02", "--id", "kn-slow"],
                              cwd=office.ws.root, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    deadline = time.monotonic() + 60
    try:
        while not _sleeping(office.server):  # its row is inserted; the commit is 20 s away
            assert time.monotonic() < deadline and writer.poll() is None, writer.stderr.read() if writer.poll() else ""
            time.sleep(0.1)
    except BaseException:  # the other tests share the server: they must not meet the slow trigger
        writer.kill()
        office.server.sql("drop trigger if exists slow_commit on hdnd.entries")
        raise
    return writer


def test_a_writer_killed_in_its_transaction_leaves_nothing(office):
    office.use_database()
    writer = _slow_writer(office)
    try:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    finally:  # the dead writer's server process sleeps on in its transaction: ended, the trigger can go at once
        office.server.sql("select pg_terminate_backend(pid) from pg_stat_activity where wait_event = 'PgSleep'")
        office.server.sql("drop trigger slow_commit on hdnd.entries")
    assert office.rows() == 0
    after = office.run("add", "complaint", "--date", "2026-11-02", "--id", "kn-slow", env={"HDND_NOW": "2026-11-20"})
    assert after.returncode == 0 and office.rows() == 1  # the office's lock went with the dead writer


def test_the_server_stopped_mid_run_is_one_line_exit_4_and_nothing_written(office):
    office.use_database()
    writer = _slow_writer(office)
    try:
        office.server.stop("immediate")
        code = writer.wait(timeout=60)
        error = writer.stderr.read()
    finally:
        office.server.start()
        office.server.sql("drop trigger if exists slow_commit on hdnd.entries")
    assert code == 4, error
    assert len(error.strip().splitlines()) == 2 and "Traceback" not in error  # the reason, and "nothing written"
    assert "không kết nối được cơ sở dữ liệu" in error and office.password not in error
    assert office.rows() == 0
    # Down before a command starts: the same one line, exit 4.
    office.server.stop("fast")
    try:
        down = office.run("due")
    finally:
        office.server.start()
    assert down.returncode == 4 and len(down.stderr.strip().splitlines()) == 1 and "Traceback" not in down.stderr


def test_an_offices_role_is_refused_another_office_by_hdnd_and_by_the_database(server, tmp_path):
    a, b = Office(server, tmp_path / "a"), Office(server, tmp_path / "b")
    b.ws.ledger(LEDGER)
    b.use_database()
    assert b.run("db", "push").returncode == 0
    # a's role, with a workspace that claims office b:
    a.ws.config(BODIES + f'\n[store]\nurl = "{server.url(a.role)}"\noffice = "{b.id}"\n')
    refused = a.run("due")
    assert refused.returncode == 2 and f"'{a.role}'" in refused.stderr and b.id in refused.stderr
    assert a.run("add", "complaint", "--date", "2026-11-02", env={"HDND_NOW": "2026-11-20"}).returncode == 2
    # ... and the database itself: b's rows are invisible to a, and a row for b cannot be written.
    assert server.sql("select count(*) from hdnd.entries where office = %s", (b.id,), role=a.role,
                      password=a.password) == [(0,)]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        server.sql("insert into hdnd.entries (office, kind, date, entry) values (%s, 'complaint', '2026-11-02', '{}')",
                   (b.id,), role=a.role, password=a.password)
    counter = server.sql("select changes from hdnd.offices where id = %s", (b.id,))
    for office in (a.id, b.id):  # the counters are the trigger's alone: not even an office's own
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            server.sql("update hdnd.offices set changes = 0 where id = %s", (office,), role=a.role, password=a.password)
    assert server.sql("select changes from hdnd.offices where id = %s", (b.id,)) == counter
    assert b.rows() == 7


def test_a_grant_to_a_role_that_does_not_exist_says_how_to_make_it(server):
    owner = {"HDND_DATABASE_URL": server.url(), "PGPASSWORD": OWNER_PASSWORD}
    for lang, words in (("vi", "không có vai trò PostgreSQL 'hdnd_khong_co': tạo trước bằng 'createuser"),
                        ("en", "there is no PostgreSQL role 'hdnd_khong_co': create it first")):
        result = run("db", "grant", "hdnd_khong_co", "--office", "xa-c", env={**owner, "HDND_LANG": lang})
        assert result.returncode == 2 and words in result.stderr, result.stderr
    assert server.sql("select count(*) from hdnd.offices where id = 'xa-c'") == [(0,)]  # nothing was made


FAKE_CATALOG = ("create temp view pg_namespace as select 'hdnd'::name as nspname, "
                "(select oid from pg_catalog.pg_roles where rolname = current_user) as nspowner")


def test_a_temporary_view_in_an_office_roles_session_opens_no_other_office(server, tmp_path):
    """The attack of the second hardening run, in plain SQL as one office's role: a temporary
    `pg_namespace` that says the role owns the schema. `db init` takes temporary objects from
    ordinary roles; where that could not be done, the policies' functions still ignore the view."""
    a, b = Office(server, tmp_path / "a"), Office(server, tmp_path / "b")
    b.ws.ledger(LEDGER)
    b.use_database()
    assert b.run("db", "push").returncode == 0
    with psycopg.connect(server.url(a.role), password=a.password, autocommit=True) as attacker:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            attacker.execute(FAKE_CATALOG)
    server.sql(f"grant temporary on database hdnd to {a.role}")  # a database where the revoke was not possible
    counters = server.sql("select changes, rewrites from hdnd.offices where id = %s", (b.id,))
    with psycopg.connect(server.url(a.role), password=a.password, autocommit=True) as attacker:
        attacker.execute(FAKE_CATALOG)
        assert attacker.execute("select nspowner from pg_namespace").fetchall()  # the view is in place

        def rows(statement: str, *params) -> list:
            return attacker.execute(statement, params).fetchall()

        assert rows("select hdnd.allowed(%s, true), hdnd.allowed(%s, false)", b.id, b.id) == [(False, False)]
        assert rows("select count(*) from hdnd.entries where office = %s", b.id) == [(0,)]
        assert rows("select count(*) from hdnd.settings where office = %s", b.id) == [(0,)]
        assert rows("select count(*) from hdnd.packs where office = %s", b.id) == [(0,)]
        assert rows("select count(*) from hdnd.offices where id = %s", b.id) == [(0,)]
        assert rows("select distinct role from hdnd.grants") == [(a.role,)]  # who may read what is not a's to see
        for statement, params in [
                ("update hdnd.offices set changes = 0, rewrites = 0 where id = %s", (b.id,)),
                ("insert into hdnd.entries (office, kind, date, entry) values (%s, 'complaint', '2026-11-02', '{}')",
                 (b.id,)),
                ("insert into hdnd.settings (office, version, config) values (%s, 99, '[office')", (b.id,))]:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                attacker.execute(statement, params)
    assert server.sql("select changes, rewrites from hdnd.offices where id = %s", (b.id,)) == counters
    assert b.rows() == 7
    assert server.sql("select max(version) from hdnd.settings where office = %s", (b.id,)) == [(1,)]


def test_the_provinces_roll_up_is_the_sum_of_each_offices_own_audit(server, tmp_path):
    offices = [Office(server, tmp_path / name) for name in ("one", "two")]
    offices[0].ws.ledger(LEDGER)
    offices[1].ws.ledger(LEDGER.replace("date: 2026-10-09, ref: 15", "date: 2026-10-30, ref: 15"))  # one done late
    for each in offices:
        each.use_database()
        assert each.run("db", "push").returncode == 0
    province = f"tinh_{uuid.uuid4().hex[:6]}"
    server.sql(f"create role {province} login password 'mk-tinh'")
    owner = {"HDND_DATABASE_URL": server.url(), "PGPASSWORD": OWNER_PASSWORD}
    assert run("db", "grant", province, "--read-all", env=owner).returncode == 0
    (tmp_path / "tinh").mkdir()
    home = Workspace(tmp_path / "tinh")
    home.config(f'\n[store]\nurl = "{server.url(province)}"\noffice = "tinh"\n')
    names = ",".join(o.id for o in offices)
    rolled = home.run("audit", "--offices", names, "--by", "office", "-f", "json", *AS_OF, env={"PGPASSWORD": "mk-tinh"})
    assert rolled.returncode == 0, rolled.stderr
    groups = {g["key"]: g for g in json.loads(rolled.stdout)["groups"]}
    for each in offices:
        own = json.loads(each.run("audit", "--by", "year", "-f", "json", *AS_OF).stdout)["groups"]
        for key in ("total", "done", "late", "overdue", "waived", "open"):
            assert groups[each.id][key] == sum(g[key] for g in own), (each.id, key)
    assert groups[offices[1].id]["late"] == groups[offices[0].id]["late"] + 1
    every = home.run("audit", "--offices", "all", "--by", "office", "-f", "json", *AS_OF, env={"PGPASSWORD": "mk-tinh"})
    assert every.returncode == 0, every.stderr
    every_group = {g["key"]: g for g in json.loads(every.stdout)["groups"]}
    assert all(every_group[o.id] == groups[o.id] for o in offices)  # `all`: every office that pushed
    items = json.loads(home.run("due", "--all", "--offices", names, "-f", "json", *AS_OF,
                                env={"PGPASSWORD": "mk-tinh"}).stdout)["items"]
    for each in offices:
        own = json.loads(each.run("due", "--all", "-f", "json", *AS_OF).stdout)["items"]
        assert [{k: v for k, v in i.items() if k != "office"} for i in items if i["office"] == each.id] == own
    report = home.run("report", "--offices", names, "--from", "2026-01-01", "--to", "2026-12-31", "-o", "r.html",
                      *AS_OF, env={"PGPASSWORD": "mk-tinh"})
    assert report.returncode == 0, report.stderr
    page = (tmp_path / "tinh" / "r.html").read_text(encoding="utf-8")
    assert all(f'data-office="{o.id}"' in page for o in offices) and "5. Theo văn phòng" in page
    offices_table = page.split('<table id="offices">', 1)[1].split("</table>", 1)[0]
    assert '<td class="zero">0</td>' in offices_table and '<td class="overdue">0</td>' not in offices_table
    # Each office's chair is its own body, named as that office names it, never merged with another's.
    assert all(f'data-body="{o.id}/chu-tich-ubnd"' in page for o in offices)
    assert all(f"Chủ tịch UBND ({o.id})" in page for o in offices)
    # Each office's kept answer serves the roll-up while the office is unchanged, and only then.
    def roll_up(*args: str) -> str:
        done = home.run("due", "--all", "--offices", names, "-f", "json", *AS_OF, *args,
                        env={"PGPASSWORD": "mk-tinh"})
        assert done.returncode == 0, done.stderr
        plain = home.run("due", "--all", "--offices", names, "-f", "json", *AS_OF,
                         env={"PGPASSWORD": "mk-tinh", "HDND_NO_CACHE": "1"})
        assert done.stdout == plain.stdout
        return done.stdout

    before = roll_up()
    assert offices[1].run("add", "complaint", "--date", "2026-11-13", "--id", "kn-9",
                          env={"HDND_NOW": "2026-11-20"}).returncode == 0
    after = roll_up()
    assert "kn-9" in after and "kn-9" not in before and roll_up() == after
    # The province reads every office but writes none.
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        server.sql("insert into hdnd.entries (office, kind, date, entry) values (%s, 'complaint', '2026-11-02', '{}')",
                   (offices[0].id,), role=province, password="mk-tinh")


def test_the_password_is_never_in_the_settings_nor_in_what_hdnd_prints(office):
    office.ws.config(BODIES + '\n[store]\nurl = "postgresql://xa:bi-mat-123@localhost/hdnd"\noffice = "xa"\n')
    refused = office.run("check")
    assert refused.returncode == 2 and "hdnd.toml:" in refused.stderr and "không ghi mật khẩu" in refused.stderr
    assert "bi-mat-123" not in refused.stderr + refused.stdout
    office.use_database()
    wrong = office.run("due", env={"PGPASSWORD": "sai-mat-khau"})
    assert wrong.returncode == 2 and "sai-mat-khau" not in wrong.stderr and "từ chối đăng nhập" in wrong.stderr
    url = office.server.url(office.role).replace(f"{office.role}@", f"{office.role}:khong-dung@")
    overridden = office.run("due", env={"HDND_DATABASE_URL": url, "PGPASSWORD": ""})
    assert overridden.returncode == 2 and "khong-dung" not in overridden.stderr + overridden.stdout
    assert f"{office.role}@" in overridden.stderr  # the url is shown without its password


def test_a_files_workspace_never_imports_the_driver_and_a_database_one_says_what_to_install(office):
    code = ("import os, sys; from hdnd_cli.cli.main import run; code = run(['due', '--example'], dict(os.environ)); "
            "print(code, 'psycopg' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split()[-2:] == ["0", "False"], done.stderr
    office.use_database()
    code = ("import os, sys; sys.modules['psycopg'] = None; from hdnd_cli.cli.main import run; "
            "sys.exit(run(['due'], dict(os.environ)))")
    missing = subprocess.run([sys.executable, "-c", code], cwd=office.ws.root, capture_output=True, text=True,
                             timeout=60)
    assert missing.returncode == 2 and "pip install -e '.[postgres]'" in missing.stderr


def test_db_init_upgrades_a_schema_of_an_older_version(server):
    from hdnd_cli.storage.postgres import MIGRATIONS

    name = f"old_{uuid.uuid4().hex[:6]}"
    server.sql(f"create database {name}", database="postgres")
    server.sql(MIGRATIONS[1] + "insert into hdnd.meta values ('schema_version', '1');", database=name)
    server.sql("insert into hdnd.offices (id) values ('xa'); insert into hdnd.entries (office, kind, date, entry) "
               "values ('xa', 'complaint', '2026-11-02', '{}')", database=name)
    owner = {"HDND_DATABASE_URL": server.url(database=name), "PGPASSWORD": OWNER_PASSWORD}
    upgraded = run("db", "init", env=owner)
    assert upgraded.returncode == 0 and "1 → 5" in upgraded.stdout, upgraded.stderr
    assert server.sql("select changes, rewrites from hdnd.offices", database=name) == [(1, 0)]
    server.sql("delete from hdnd.entries", database=name)
    assert server.sql("select changes, rewrites from hdnd.offices", database=name) == [(2, 1)]


def test_a_cached_office_reads_only_what_was_appended_and_everything_after_a_rewrite(office):
    office.ws.ledger(LEDGER)
    office.use_database()
    assert office.run("db", "push").returncode == 0
    cold = office.run("due", "--all", "-f", "json", *AS_OF, env={"HDND_NO_CACHE": "1"}).stdout
    assert office.run("due", "--all", "-f", "json", *AS_OF).stdout == cold  # fills the cache
    # Appended behind hdnd's back, then by hdnd: the cached office plus the new rows is the whole ledger.
    office.server.sql("insert into hdnd.entries (office, kind, date, id, entry) values (%s, 'complaint', "
                      "'2026-11-12', 'kn-7', '{\"kind\": \"complaint\", \"date\": {\"$date\": \"2026-11-12\"}, "
                      "\"id\": \"kn-7\"}')", (office.id,))
    assert office.run("add", "complaint", "--date", "2026-11-13", "--id", "kn-8", env={"HDND_NOW": "2026-11-20"}
                      ).returncode == 0
    warm = office.run("due", "--all", "-f", "json", *AS_OF).stdout
    assert warm == office.run("due", "--all", "-f", "json", *AS_OF, env={"HDND_NO_CACHE": "1"}).stdout
    assert "complaint-first-accept/kn-7" in warm and "complaint-first-accept/kn-8" in warm
    # A row removed: not a prefix any more, so everything is read again.
    office.server.sql("delete from hdnd.entries where office = %s and id = 'kn-7'", (office.id,))
    after = office.run("due", "--all", "-f", "json", *AS_OF).stdout
    assert "kn-7" not in after and after == office.run("due", "--all", "-f", "json", *AS_OF,
                                                        env={"HDND_NO_CACHE": "1"}).stdout


def test_a_cached_read_is_not_fooled_by_a_restore_a_forged_counter_a_gap_or_a_truncate(office, tmp_path):
    """What a reader's cache keeps is checked against the office's rows on every read. The writes come
    from another machine (its own cache), as a secretary's do for the province's reader; none of these
    brings the rows back to a state the reader kept, and each was once answered from its cache."""
    office.ws.ledger(LEDGER)
    office.use_database()
    assert office.run("db", "push").returncode == 0
    elsewhere = {"HDND_NOW": "2026-11-20T09:00", "HDND_CACHE_DIR": str(tmp_path / "another-machine")}

    def ids() -> set[str]:
        """The office's obligations read through the reader's cache, checked against a read without it."""
        warm = office.run("due", "--all", "-f", "json", *AS_OF)
        assert warm.returncode == 0, warm.stderr
        assert warm.stdout == office.run("due", "--all", "-f", "json", *AS_OF, env={"HDND_NO_CACHE": "1"}).stdout
        return {item["id"] for item in json.loads(warm.stdout)["items"]}

    def add(name: str) -> None:
        assert office.run("add", "complaint", "--date", "2026-11-12", "--id", name, env=elsewhere).returncode == 0

    ids()  # the reader's cache is filled
    # 1. Yesterday's backup restored: the office's next appends reuse the numbers of the rows it lost,
    #    and bring the counters back to what the reader kept.
    backup, tools = tmp_path / "hdnd.dump", office.server.bin
    secret = {**os.environ, "PGPASSWORD": OWNER_PASSWORD}
    subprocess.run([str(tools / "pg_dump"), "-Fc", "-n", "hdnd", "-f", str(backup), office.server.url()],
                   check=True, env=secret, capture_output=True)
    add("kn-a")
    add("kn-b")
    assert {"complaint-first-accept/kn-a", "complaint-first-accept/kn-b"} <= ids()  # kept with both
    subprocess.run([str(tools / "pg_restore"), "--clean", "--if-exists", "-d", office.server.url(), str(backup)],
                   check=True, env=secret, capture_output=True)
    add("kn-c")
    add("kn-d")
    found = ids()
    assert {"complaint-first-accept/kn-c", "complaint-first-accept/kn-d"} <= found
    assert not {"complaint-first-accept/kn-a", "complaint-first-accept/kn-b"} & found
    # 2. A counter set back (by whoever may: the owner) after an append does not hide the append.
    before = office.server.sql("select changes from hdnd.offices where id = %s", (office.id,))[0][0]
    add("kn-e")
    office.server.sql("update hdnd.offices set changes = %s where id = %s", (before, office.id))
    assert "complaint-first-accept/kn-e" in ids()
    # 3. A row removed and another added behind the triggers: as many rows, a gap among them.
    with psycopg.connect(office.server.url(), password=OWNER_PASSWORD, autocommit=True) as owner:
        owner.execute("set session_replication_role = replica")  # no trigger fires
        owner.execute("delete from hdnd.entries where office = %s and id = 'kn-c'", (office.id,))
        owner.execute("insert into hdnd.entries (office, kind, date, id, entry) values (%s, 'complaint', "
                      "'2026-11-13', 'kn-f', %s)", (office.id, json.dumps(
                          {"kind": "complaint", "date": {"$date": "2026-11-13"}, "id": "kn-f"})))
    found = ids()
    assert "complaint-first-accept/kn-f" in found and "complaint-first-accept/kn-c" not in found
    # 4. A truncate fires no row trigger.
    office.server.sql("truncate hdnd.entries")
    assert not {name for name in ids() if "/kn-" in name or "/tc-" in name}  # only the schedules stay


def test_an_unchanged_offices_morning_is_its_kept_answer_without_the_driver(office):
    """The second morning asks the office's state through libpq alone and shows the kept answer; rows
    appended since (by hdnd, or by an insert of the office's own) extend it, read through the driver;
    any other change is a full computation again, and each answer is the one a run without the cache
    gives."""
    office.ws.ledger(LEDGER)
    office.use_database()
    assert office.run("db", "push").returncode == 0
    code = ("import os, sys; from hdnd_cli.cli.main import run; code = run(sys.argv[1:], dict(os.environ)); "
            "print('psycopg' in sys.modules, file=sys.stderr); sys.exit(code)")

    def morning() -> tuple[str, str]:
        done = subprocess.run([sys.executable, "-c", code, "due", "--all", "-f", "json", *AS_OF], cwd=office.ws.root,
                              capture_output=True, text=True, timeout=60,
                              env={**office.ws.environment(), **office.env, "HDND_DEBUG": "1"})
        assert done.returncode == 0, done.stderr
        plain = office.run("due", "--all", "-f", "json", *AS_OF, env={"HDND_NO_CACHE": "1"}).stdout
        assert done.stdout == plain
        return done.stderr.split("obligations ")[1].split()[0], done.stderr.split()[-1]

    assert morning() == ("computed", "True")
    assert morning() == ("reused", "False")
    assert office.run("add", "complaint", "--date", "2026-11-13", "--id", "kn-8", env={"HDND_NOW": "2026-11-20"}
                      ).returncode == 0
    assert morning() == ("extended", "True")
    assert morning() == ("reused", "False")
    assert office.run("done", "complaint-first-accept/kn-8", "--date", "2026-11-16", "--ref", "8/TB",
                      env={"HDND_NOW": "2026-11-20"}).returncode == 0
    office.server.sql("insert into hdnd.entries (office, kind, date, id, entry) values (%s, 'complaint', "
                      "'2026-11-17', 'kn-9', %s)", (office.id, json.dumps(
                          {"kind": "complaint", "date": {"$date": "2026-11-17"}, "id": "kn-9"})))
    assert morning() == ("extended", "True")
    assert morning() == ("reused", "False")
    office.server.sql("update hdnd.entries set entry = jsonb_set(entry, '{complex}', 'true') where office = %s "
                      "and id = 'kn-1'", (office.id,))
    assert morning() == ("computed", "True")
    office.server.sql("insert into hdnd.entries (office, kind, date, id, entry) values (%s, 'complaint', "
                      "'2026-11-18', 'kn-10', %s)", (office.id, json.dumps({"kind": "complaint", "id": "kn-10"})))
    bad = subprocess.run([sys.executable, "-c", code, "due", *AS_OF], cwd=office.ws.root, capture_output=True,
                         text=True, timeout=60, env={**office.ws.environment(), **office.env, "HDND_DEBUG": "1"})
    assert bad.returncode == 2 and "obligations computed" in bad.stderr  # an appended row that is no entry: said
    assert re.search(rf"db:{office.id}#\d+: mục 'complaint' thiếu trường 'date'", bad.stderr)


def test_a_database_office_writes_from_its_kept_answer_as_a_full_read_would(office):
    """With a kept answer, `hdnd add` and `done` on a database office are built from its ids and open
    obligations, inserted in the transaction, read back as rows and checked by extending the answer,
    without reading the office's rows (HDND_DEBUG says which path wrote). Rows an office inserted
    itself since extend the answer first; an office changed otherwise is written from the ledger; a
    dry run inserts nothing. Every morning after is the answer a run without the cache gives."""
    office.ws.ledger(LEDGER)
    office.use_database()
    assert office.run("db", "push").returncode == 0

    def write(*args: str) -> str:
        done = office.run(*args, env={"HDND_NOW": "2026-11-20", "HDND_DEBUG": "1"})
        assert done.returncode == 0, done.stderr
        return done.stderr.split("written from the ")[1].split()[0]

    def morning() -> set[str]:
        warm = office.run("due", "--all", "-f", "json", *AS_OF)
        assert warm.returncode == 0, warm.stderr
        assert warm.stdout == office.run("due", "--all", "-f", "json", *AS_OF, env={"HDND_NO_CACHE": "1"}).stdout
        return {item["id"] for item in json.loads(warm.stdout)["items"]}

    def rows() -> int:
        return office.server.sql("select count(*) from hdnd.entries where office = %s", (office.id,))[0][0]

    morning()  # the answer kept
    assert write("add", "complaint", "--date", "2026-11-13", "--id", "kn-8") == "kept"
    assert "complaint-first-accept/kn-8" in morning()
    assert write("done", "complaint-first-accept/kn-8", "--date", "2026-11-16", "--ref", "8/TB") == "kept"
    assert "complaint-first-settle/kn-8" in morning()
    office.server.sql("insert into hdnd.entries (office, kind, date, id, entry) values (%s, 'complaint', "
                      "'2026-11-17', 'kn-9', %s)", (office.id, json.dumps(
                          {"kind": "complaint", "date": {"$date": "2026-11-17"}, "id": "kn-9"})))
    assert write("done", "complaint-first-accept/kn-9", "--date", "2026-11-18") == "kept"
    assert "complaint-first-settle/kn-9" in morning()
    before = rows()
    assert write("add", "complaint", "--date", "2026-11-18", "--id", "kn-10", "--dry-run") == "kept"
    assert rows() == before and "complaint-first-accept/kn-10" not in morning()
    office.server.sql("update hdnd.entries set entry = jsonb_set(entry, '{complex}', 'true') where office = %s "
                      "and id = 'kn-2'", (office.id,))
    assert write("add", "complaint", "--date", "2026-11-19", "--id", "kn-11") == "ledger"
    assert rows() == before + 1 and "complaint-first-accept/kn-11" in morning()


def test_the_state_asked_through_libpq_is_the_drivers(office, server, tmp_path):
    """`PostgresStore.version` asks without the driver when libpq answers; with the driver when not (an
    office with no row yet, a role that may not read it, no server): the same version either way."""
    from hdnd_cli.storage import libpq, postgres

    url = server.url(office.role)
    os.environ["PGPASSWORD"] = office.password
    try:
        def both(url: str = url, office_id: str = office.id) -> bytes:
            with postgres.session(url) as connection:
                state = postgres._state(connection, office_id)
            row = libpq.query(url, postgres._PEEK, [office_id])
            assert (row is None) == (state is None)
            version = postgres.PostgresStore(url, office_id, OFF).version()
            assert version == (postgres.NONE if state is None else state.version)
            return version

        assert both().endswith(b":0:0:None")  # granted, no entry yet
        os.environ["PGPASSWORD"] = OWNER_PASSWORD
        assert both(server.url(), "no-such-office") == postgres.NONE  # no row: the driver says so
        os.environ["PGPASSWORD"] = office.password
        office.ws.ledger(LEDGER)
        office.use_database()
        assert office.run("db", "push").returncode == 0
        first = both()
        assert office.run("add", "complaint", "--date", "2026-11-13", "--id", "kn-9",
                          env={"HDND_NOW": "2026-11-20"}).returncode == 0
        assert both() != first
        server.sql("delete from hdnd.entries where office = %s and id = 'kn-9'", (office.id,))
        assert both() != first  # as many rows as at first, one rewrite more
        nowhere = "postgresql://nobody@/nowhere?host=/nonexistent"
        with pytest.raises(libpq.NotConnected, match="nonexistent"):
            libpq.query(nowhere, "select 1", [])
        with pytest.raises(Unreachable):
            postgres.PostgresStore(nowhere, office.id, OFF).version()
        os.environ["PGPASSWORD"] = "not-the-password"
        with pytest.raises(UserError) as refused:
            postgres.PostgresStore(url, office.id, OFF).version()
        assert refused.value.key == "db-login" and "not-the-password" not in str(refused.value.params)
        other = Office(server, tmp_path / "other")
        os.environ["PGPASSWORD"] = other.password
        assert libpq.query(server.url(other.role), postgres._PEEK, [office.id]) is None  # its row is not seen
        with pytest.raises(UserError) as refused:
            postgres.PostgresStore(server.url(other.role), office.id, OFF).version()
        assert refused.value.key == "db-not-yours"
    finally:
        del os.environ["PGPASSWORD"]


def test_a_connection_lost_at_commit_says_the_write_may_have_happened_and_how_to_see(office, monkeypatch, capsys):
    """Whether a commit reached the server before the connection went cannot be known from this side:
    hdnd says so (exit 4), never "nothing was written", and names the command that shows it."""
    from hdnd_cli.cli.main import run as hdnd_run

    office.ws.ledger(LEDGER)
    office.use_database()
    assert office.run("db", "push").returncode == 0
    from hdnd_cli.storage import postgres

    committed, inserting, writing = psycopg.Connection.commit, postgres.insert_entries, set()

    def insert(connection, *args):
        writing.add(id(connection))
        return inserting(connection, *args)

    def lost(connection):  # the write's commit goes through, and the answer never comes back
        committed(connection)
        if id(connection) in writing:
            raise psycopg.OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(postgres, "insert_entries", insert)
    monkeypatch.setattr(psycopg.Connection, "commit", lost)
    monkeypatch.chdir(office.ws.root)
    monkeypatch.setenv("PGPASSWORD", office.password)  # libpq reads the process's own environment
    environ = {**os.environ, **office.env, "HDND_NOW": "2026-11-20T09:00", "HDND_CACHE_DIR": str(office.ws.root / "c")}
    code = hdnd_run(["add", "complaint", "--date", "2026-11-12", "--id", "kn-9"], environ)
    said = capsys.readouterr().err
    assert code == 4 and "có thể đã được ghi hoặc chưa" in said and "hdnd history" in said, said
    assert "Không ghi gì" not in said
    monkeypatch.setattr(psycopg.Connection, "commit", committed)
    assert office.rows() == 8  # here it was written, and the command it names shows it
    assert "complaint-first-accept/kn-9" in office.run("history", "-f", "json", env={"HDND_NOW": "2026-11-25T08:00"}).stdout


def test_a_malformed_row_is_a_problem_at_its_number_and_the_server_says_who_wrote_when(server, tmp_path):
    """What an office's own role can insert with psql: each bad row named db:OFFICE:SEQ, exit 2, never 70;
    and written_at/written_by are the server's, not the writer's."""
    office = Office(server, tmp_path / "xa")
    office.ws.ledger(LEDGER)
    office.use_database()
    assert office.run("db", "push").returncode == 0
    bad = ['[1, 2]', 'null', '{"kind": "complaint", "date": {"$date": "2026-02-30"}, "id": "kn-x"}',
           '{"kind": "complaint", "date": {"$date": "2026-11-02"}, "id": "kn-y", "n": ' + "9" * 5000 + '}',
           '{"kind": "complaint", "date": {"$date": "2026-11-02"}, "id": "kn-z", "deep": ' + "[" * 2000 + "]" * 2000 + '}']
    with psycopg.connect(server.url(office.role), password=office.password, autocommit=True) as psql:
        for entry in bad:
            psql.execute("insert into hdnd.entries (office, kind, date, entry) values (%s, 'complaint', '2026-11-02', "
                         "%s::jsonb)", (office.id, entry))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # the server says when and who
            psql.execute("insert into hdnd.entries (office, kind, date, entry, written_at, written_by) values "
                         "(%s, 'complaint', '2026-11-02', '{}', '2020-01-01', 'someone-else')", (office.id,))
    seqs = [row[0] for row in server.sql("select seq from hdnd.entries where office = %s order by seq desc limit 5",
                                         (office.id,))][::-1]
    for command in (("check",), ("due",)):
        result = office.run(*command)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert all(f"db:{office.id}#{seq}: " in result.stderr for seq in seqs), result.stderr


@pytest.mark.parametrize("text", ['"kn\\u0000x"', '"kn\\ud800x"'], ids=["nul", "lone surrogate"])
def test_a_push_of_what_postgresql_cannot_store_is_refused_naming_the_entry(server, tmp_path, text):
    office = Office(server, tmp_path / "xa")
    office.ws.ledger(LEDGER + f"- {{id: kn-9, kind: complaint, date: 2026-11-05, title: {text}}}\n")
    office.use_database()
    result = office.run("db", "push")
    assert result.returncode == 2 and "data/ledger.yaml:8:" in result.stderr, result.stderr
    assert office.rows() == 0


def test_the_roll_up_computes_under_its_own_law_and_names_an_office_that_pushed_under_an_older_one(server, tmp_path):
    office = Office(server, tmp_path / "xa")
    office.ws.ledger(LEDGER)
    office.use_database()
    assert office.run("db", "push").returncode == 0
    assert server.sql("select law from hdnd.settings where office = %s", (office.id,)) == [("2026.12.03",)]
    province = f"tinh_{uuid.uuid4().hex[:6]}"
    server.sql(f"create role {province} login password 'mk-tinh'")
    assert run("db", "grant", province, "--read-all", env={"HDND_DATABASE_URL": server.url(),
                                                           "PGPASSWORD": OWNER_PASSWORD}).returncode == 0
    (tmp_path / "tinh").mkdir()
    home = Workspace(tmp_path / "tinh")
    home.config(f'\n[store]\nurl = "{server.url(province)}"\noffice = "tinh"\n')
    rolled = home.run("audit", "--offices", office.id, "--by", "office", "-f", "json", *AS_OF, env={"PGPASSWORD": "mk-tinh"})
    assert rolled.returncode == 0 and json.loads(rolled.stdout)["law"] == "2026.12.03" and rolled.stderr == ""
    server.sql("update hdnd.settings set law = '2026.06.01' where office = %s", (office.id,))  # pushed before an update
    older = home.run("audit", "--offices", office.id, "--by", "office", "-f", "json", *AS_OF, env={"PGPASSWORD": "mk-tinh"})
    assert older.returncode == 0 and json.loads(older.stdout)["groups"] == json.loads(rolled.stdout)["groups"]
    assert f"văn phòng {office.id} đẩy dữ liệu lên khi dùng luật 2026.06.01, cũ hơn luật ở đây (2026.12.03)" in older.stderr
