"""Regression tests for the attack run against hdnd (one test, or more, per item it found broken)."""
import json
import os
import pickle
import stat
import subprocess
import time
from datetime import timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import NOW, Workspace, run
from hdnd_cli.storage.files import JOURNAL_NAME

COMPLAINTS = "- {id: kn-1, kind: complaint, date: 2026-11-02}\n"


@pytest.fixture
def office(tmp_path) -> Workspace:
    assert run("init", "xa", "--level", "commune", cwd=tmp_path, env={"HDND_NOW": "2026-11-25T08:00"}).returncode == 0
    ws = Workspace(tmp_path / "xa", fresh=False, now=NOW)
    (ws.root / "data" / "ledger.yaml").write_text(COMPLAINTS, encoding="utf-8")
    return ws


def no_crash(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode != 70 and "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


# --- 1. the parse cache never runs code it did not write --------------------------------------------

class Planted:
    """A pickle that, when read, leaves a mark: what an attacker plants in a shared cache."""

    def __init__(self, mark: Path):
        self.mark = mark

    def __reduce__(self):
        return (Path.touch, (self.mark,))


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle"))


def test_a_pickle_planted_in_the_users_own_cache_is_never_read(office, tmp_path):
    cache, mark = tmp_path / "cache", tmp_path / "ran"
    env = {"HDND_CACHE_DIR": str(cache)}
    first = run("due", "--all", "-f", "json", "--as-of", "2026-11-25", cwd=office.root, env=env)
    assert first.returncode == 0 and cache_files(cache)
    for path in cache_files(cache):
        path.write_bytes(pickle.dumps(Planted(mark)))  # same name, no valid tag
    again = run("due", "--all", "-f", "json", "--as-of", "2026-11-25", cwd=office.root, env=env)
    assert again.stdout == first.stdout and not mark.exists()
    assert stat.S_IMODE((cache / "key").stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700


def test_a_shared_cache_folder_is_not_used_at_all(office, tmp_path):
    """/var/cache/hdnd for all clerks: writable by others, so hdnd neither reads nor writes pickles there."""
    shared, mark = tmp_path / "shared", tmp_path / "ran"
    shared.mkdir()
    os.chmod(shared, 0o777)
    (shared / "key").write_bytes(b"k" * 32)
    for name in ("planted.pickle", "4e31cfd449da95d5-x.pickle"):
        (shared / name).write_bytes(b"k" * 32 + pickle.dumps(Planted(mark)))
    result = run("due", "--as-of", "2026-11-25", cwd=office.root, env={"HDND_CACHE_DIR": str(shared)})
    calendar = run("calendar", "2031", cwd=office.root, env={"HDND_CACHE_DIR": str(shared)})
    assert result.returncode == 0 and calendar.returncode == 0 and not mark.exists()
    assert sorted(p.name for p in shared.iterdir()) == ["4e31cfd449da95d5-x.pickle", "key", "planted.pickle"]


# --- 2. no password in clear (tests/test_notify.py runs real SMTP, STARTTLS and SSL) -----------------

@pytest.mark.parametrize("security", ["STARTTLS", "tls", "starttls ", "plain"])
def test_check_refuses_a_security_that_is_not_one_of_the_three(office, security):
    with (office.root / "hdnd.toml").open("a", encoding="utf-8") as config:
        config.write(f'\n[notify]\nhost = "127.0.0.1"\nsecurity = "{security}"\nuser = "vp"\nport = 587\n')
    result = office.run("check")
    assert result.returncode == 2 and "'security' =" in result.stderr and "starttls, ssl, none" in result.stderr


@pytest.mark.parametrize("line, message", [('port = "abc"', "'port' = abc"), ("port = 70000", "'port' = 70000"),
                                           ("timeout = 0", "'timeout' = 0"), ("timeout = 301", "'timeout' = 301"),
                                           ("timeout = true", "'timeout' = True"),
                                           ('sender = "khong-phai-email"', "email 'khong-phai-email'")])
def test_check_validates_port_timeout_and_sender(office, line, message):
    with (office.root / "hdnd.toml").open("a", encoding="utf-8") as config:
        config.write(f'\n[notify]\nhost = "127.0.0.1"\n{line}\n')
    result = office.run("check")
    assert result.returncode == 2 and message in result.stderr


# --- 3. a rule chained to itself through a second version ---------------------------------------------

def test_a_rule_chained_to_itself_through_a_second_version_ends_in_seconds(office):
    (office.root / "rules" / "v2.toml").write_text("""
[source]
id = "v2"
title = "Phiên bản 2"
in_force = { from = 2030-01-01 }

[[rules]]
id = "complaint-first-accept"
title = "Thụ lý (phiên bản 2)"
obligor = "ubnd"
trigger = { done = "complaint-first-accept" }
deadline = { after = "10d" }
""", encoding="utf-8")
    started = time.monotonic()
    check = no_crash(office.run("check"))
    done = no_crash(office.run("done", "complaint-first-accept/kn-1", "--date", "2026-11-05",
                               env={"HDND_NOW": "2026-11-25T08:00"}))
    assert time.monotonic() - started < 20
    assert check.returncode == 2 and "rules/v2.toml:7: quy tắc 'complaint-first-accept' nối tiếp chính nó" in check.stderr
    assert done.returncode == 2


def test_a_long_valid_chain_is_checked_in_linear_time(office):
    links = ['[source]\nid = "chain"\ntitle = "Chuỗi"\n']
    for number in range(60):
        for span in ('{ until = 2024-12-31 }', '{ from = 2025-01-01 }'):
            trigger = '{ event = "complaint" }' if number == 0 else f'{{ done = "step-{number - 1}" }}'
            links.append(f'[[rules]]\nid = "step-{number}"\ntitle = "Bước {number}"\nobligor = "ubnd"\n'
                         f'in_force = {span}\ntrigger = {trigger}\ndeadline = {{ after = "1d" }}\n')
    (office.root / "rules" / "chain.toml").write_text("\n".join(links), encoding="utf-8")
    started = time.monotonic()
    result = no_crash(office.run("check"))
    assert result.returncode == 0 and time.monotonic() - started < 10, result.stderr[-300:]


# --- 4. a YAML alias bomb ------------------------------------------------------------------------------

def bomb(where: str) -> str:
    """600 bytes that expand to 10^9 strings: in `date`, `id`, `phase` or as a whole entry."""
    levels = ["- &l0 [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
    levels += [f"- &l{n} [" + ",".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, 9)]
    entry = {"date": "- {kind: session, id: kh-1, type: regular, ends: 2024-01-01, date: *l8}",
             "id": "- {kind: session, id: *l8, type: regular, ends: 2024-01-01, date: 2024-01-01}",
             "phase": "- {kind: voter-contact, id: tx-1, date: 2024-01-01, phase: *l8}",
             "where": "- {kind: voter-contact, id: tx-1, date: 2024-01-01, phase: after, outside_constituency: *l8}",
             "entry": "- *l8"}[where]
    return "\n".join(levels + [entry]) + "\n"


@pytest.mark.parametrize("where", ["date", "id", "phase", "where", "entry"])
def test_an_alias_bomb_ends_in_seconds_with_file_and_line(office, where):
    (office.root / "data" / "ledger.yaml").write_text(bomb(where), encoding="utf-8")
    started = time.monotonic()
    result = no_crash(office.run("check"))
    assert time.monotonic() - started < 15
    assert result.returncode == 2 and "data/ledger.yaml:" in result.stderr
    assert len(result.stderr) < 20_000


def test_too_many_aliases_are_refused(office):
    text = "- &a {kind: complaint, id: kn-0, date: 2026-11-02}\n" + "".join(
        f"- {{kind: complaint, id: kn-{n}, date: 2026-11-02, x: *a}}\n" for n in range(1, 1200))
    (office.root / "data" / "ledger.yaml").write_text(text, encoding="utf-8")
    result = no_crash(office.run("check"))
    assert result.returncode == 2 and "more than 1000 aliases" in result.stderr


# --- 5. what is written reads back as it was given ----------------------------------------------------

@pytest.mark.parametrize("value", ["#45/BC", "&x", "*y", "a: b", "- c", "[1]", "{k: v}", "Nguyễn, Văn A",
                                   "ghi chú\nhai dòng", "'trích'", '"dẫn"', "yes", "null", "2024-13-45", " x "])
def test_values_round_trip_through_the_ledger(office, value):
    result = office.run("add", "supervision", "--date", "2026-11-10", "--id", "gs-1", "--set", f"note2={value}",
                        env={"HDND_NOW": "2026-11-25T08:00", "HDND_USER": value.replace("\n", " ")})
    assert result.returncode == 0, result.stderr
    import yaml

    entries = yaml.safe_load((office.root / "data" / "2026.yaml").read_text(encoding="utf-8"))
    assert entries[-1]["note2"] == value.strip() and entries[-1]["recorded"]["by"] == value.replace("\n", " ")
    assert no_crash(office.run("check")).returncode == 0


NAMES = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz_-0123456789"), min_size=1, max_size=8)
STAMP = st.fixed_dictionaries({"by": st.text(max_size=12), "at": st.datetimes(timezones=st.just(timezone(timedelta(hours=7))))})
VALUES = (st.text(max_size=30) | st.sampled_from(["#45/BC", "&x", "a: b", "- c", "yes", "null", " x ", "ghi\nchú", "a\x85b"])
          | st.integers() | st.booleans() | st.none() | st.dates() | STAMP)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(NAMES, VALUES, max_size=6), min_size=1, max_size=4))
def test_entries_are_written_by_libyaml_as_the_python_emitter_writes_them(entries):
    """`hdnd add` and `import` write with libyaml's emitter where PyYAML has it; its text is the
    pure-Python emitter's, byte for byte, whatever the values, and reads back as they were given."""
    import yaml

    from hdnd_cli.storage.filestore import yaml_block

    written = yaml_block(entries)
    original = yaml.CSafeDumper
    try:
        del yaml.CSafeDumper
        assert yaml_block(entries) == written
    finally:
        yaml.CSafeDumper = original
    assert yaml.safe_load(written) == entries


@pytest.mark.parametrize("bad", ["#ref=45/BC", "&x=1", "a\nb=x", "a b=x", ":x=1", "123=x", "x:y=1"])
def test_field_names_that_would_not_round_trip_are_refused(office, bad):
    before = office.files()
    result = office.run("add", "supervision", "--date", "2026-11-10", "--set", bad)
    assert result.returncode == 2 and office.files() == before


def test_import_map_targets_are_field_names(office):
    (office.root / "so.csv").write_text("Mã,Ngày nhận,Ghi chú\nkn-9,03/11/2026,x\n", encoding="utf-8")
    before = office.files()
    result = office.run("import", "so.csv", "--kind", "complaint", "--map", "Mã=id", "--map", "Ngày nhận=date",
                        "--map", "Ghi chú=#note")
    assert result.returncode == 2 and "cột=trường" in result.stderr and office.files() == before


# --- 6. several files whole or nothing -----------------------------------------------------------------

TWO_YEARS = "Mã,Ngày nhận\nkn-2025-1,20/12/2025\nkn-2026-1,05/01/2026\n"


def killed_at_rename(root: Path, files: dict, number: int) -> None:
    """`write_files` killed just before its `number`-th rename (the journal's is the first)."""
    import hdnd_cli.storage.files as store

    real_replace, calls = os.replace, []

    def replace(source, target):
        calls.append(target)
        if len(calls) == number:
            raise KeyboardInterrupt("killed")
        real_replace(source, target)

    store.os.replace = replace
    try:
        with pytest.raises(KeyboardInterrupt):
            store.write_files(root, files)
    finally:
        store.os.replace = real_replace


def test_a_write_of_two_files_interrupted_between_its_renames_is_finished_by_the_next_run(office):
    """A crash after the journal and the first rename: the next command completes the second."""
    first, second = office.root / "data" / "2025.yaml", office.root / "data" / "2026.yaml"
    killed_at_rename(office.root, {first: "- {id: a, kind: complaint, date: 2025-12-20}\n",
                                   second: "- {id: b, kind: complaint, date: 2026-01-05}\n"}, 3)
    assert first.exists() and not second.exists() and (office.root / JOURNAL_NAME).exists()
    result = office.run("due", "--all", "-f", "json", "--as-of", "2026-11-25")
    assert result.returncode == 0 and second.exists() and not (office.root / JOURNAL_NAME).exists()
    ids = {item["id"] for item in json.loads(result.stdout)["items"]}
    assert {"complaint-first-accept/a", "complaint-first-accept/b"} <= ids
    assert not list((office.root / "data").glob("*.tmp"))


def test_a_write_of_two_files_that_fails_on_the_second_writes_neither(office):
    from hdnd_cli.storage import files as store

    (office.root / "so.csv").write_text(TWO_YEARS, encoding="utf-8")
    before = office.files()
    real, made = store._temporary, []

    def fail_second(path, text, mode=None):
        if made:
            raise OSError(28, "No space left on device")
        made.append(real(path, text, mode))
        return made[-1]

    store._temporary = fail_second
    try:
        with pytest.raises(OSError):
            store.write_files(office.root, {office.root / "data" / "2025.yaml": "x", office.root / "data" / "2026.yaml": "y"})
    finally:
        store._temporary = real
    assert office.files() == before and not os.path.exists(made[0])


def test_an_import_across_two_years_writes_both(office):
    (office.root / "so.csv").write_text(TWO_YEARS, encoding="utf-8")
    result = office.run("import", "so.csv", "--kind", "complaint", "--map", "Mã=id", "--map", "Ngày nhận=date",
                        env={"HDND_NOW": "2026-11-25T08:00"})
    assert result.returncode == 0, result.stderr
    assert (office.root / "data" / "2025.yaml").exists() and (office.root / "data" / "2026.yaml").exists()
    assert not (office.root / JOURNAL_NAME).exists()


# --- 7. outputs go where the user said, or nowhere ------------------------------------------------------

def test_output_through_a_link_writes_the_target_and_the_link_stays(office, tmp_path):
    target = tmp_path / "bao-cao-that.html"
    target.write_text("cũ")
    link = office.root / "bao-cao.html"
    link.symlink_to(target)
    result = office.run("report", "--from", "2026-01-01", "--to", "2026-12-31", "-o", "bao-cao.html")
    assert result.returncode == 0 and link.is_symlink() and "<!DOCTYPE html>" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("output", ["/dev/null", "data"])
def test_output_onto_a_device_or_a_folder_is_refused(office, output):
    result = no_crash(office.run("report", "--from", "2026-01-01", "--to", "2026-12-31", "-o", output))
    assert result.returncode == 2 and "không phải là tệp thường" in result.stderr
    assert Path("/dev/null").is_char_device() and (office.root / "data").is_dir()


def test_write_to_a_linked_ledger_stays_a_link_and_a_read_only_ledger_is_not_rewritten(office, tmp_path):
    shared = tmp_path / "so-chung.yaml"
    shared.write_text("[]\n", encoding="utf-8")
    (office.root / "data" / "2026.yaml").symlink_to(shared)
    add = office.run("add", "supervision", "--date", "2026-11-10", "--id", "gs-1", env={"HDND_NOW": "2026-11-25T08:00"})
    assert add.returncode == 0 and (office.root / "data" / "2026.yaml").is_symlink() and "gs-1" in shared.read_text()
    assert office.run("check").returncode == 0
    os.chmod(shared, 0o444)
    before = shared.read_bytes()
    refused = no_crash(office.run("add", "supervision", "--date", "2026-11-11", env={"HDND_NOW": "2026-11-25T08:00"}))
    assert refused.returncode == 2 and "chỉ đọc" in refused.stderr and shared.read_bytes() == before


# --- 8. formulas stay text ------------------------------------------------------------------------------

def test_a_title_that_looks_like_a_formula_stays_text_in_csv_and_xlsx(office):
    from openpyxl import load_workbook

    (office.root / "data" / "ledger.yaml").write_text(
        '- {id: gs-1, kind: obligation, date: 2026-11-01, due: 2026-11-30, obligor: ubnd, '
        'title: "=HYPERLINK(\\"http://x\\",\\"bấm\\")"}\n', encoding="utf-8")
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(office.run("history", "-f", "csv", "--as-of", "2026-11-25").stdout)))
    assert next(r["title"] for r in rows if r["id"] == "gs-1") == "'=HYPERLINK(\"http://x\",\"bấm\")"
    assert office.run("history", "-f", "xlsx", "-o", "h.xlsx", "--as-of", "2026-11-25").returncode == 0
    sheet = load_workbook(office.root / "h.xlsx").active
    cell = next(c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"


# --- 9. bad input is a problem with file:line, exit 2, never "internal error" ----------------------------

BAD_LEDGERS = {
    "huge number": "- {kind: complaint, date: 2024-01-01, id: x, n: " + "9" * 5000 + "}\n",
    "int key": "- {1: a, kind: complaint, date: 2024-01-01}\n",
    "date key": "- {2024-01-01: a, kind: complaint, date: 2024-01-01}\n",
    "recorded year 1": '- {kind: done, obligation: x, date: 2024-01-01, recorded: {by: a, at: "0001-01-01T00:00:00+05:00"}}\n',
    "recorded offset": '- {kind: done, obligation: x, date: 2024-01-01, recorded: {by: a, at: "2024-01-01T00:00:00+25:00"}}\n',
    "deep yaml": "- " + "[" * 3000 + "]" * 3000 + "\n",
    "not a mapping": "- {kind: complaint, id: kn-1, date: 2026-11-02}\n- just text\n",
}


@pytest.mark.parametrize("name", sorted(BAD_LEDGERS))
def test_bad_ledgers_are_problems(office, name):
    (office.root / "data" / "ledger.yaml").write_text(BAD_LEDGERS[name], encoding="utf-8")
    result = no_crash(office.run("check"))
    assert result.returncode == 2 and "data/ledger.yaml:" in result.stderr


def test_bad_json_and_json_lines(office):
    for name, text in {"a.json": "[" * 100_000 + "]" * 100_000, "b.json": "[" + "1" * 5000 + "]",
                       "c.jsonl": '{"kind": "complaint", "id": "k\u2028x", "date": "2026-11-02"}\n',
                       "d.json": '\ufeff[{"kind": "complaint", "id": "kn-bom", "date": "2026-11-02"}]'}.items():
        (office.root / "data" / name).write_text(text, encoding="utf-8")
    result = no_crash(office.run("check"))
    assert "data/a.json:1:" in result.stderr and "data/b.json:1:" in result.stderr
    assert "data/c.jsonl" not in result.stderr and "data/d.json" not in result.stderr  # U+2028 and a BOM read fine


SETTINGS = {  # what `hdnd init` wrote -> what a hand made of it, and what check must say
    "write_to {0}": ('write_to = "data/{year}.yaml"', 'write_to = "data/{0}.yaml"', "write_to"),
    "write_to attribute": ('write_to = "data/{year}.yaml"', 'write_to = "data/{year.__class__}.yaml"', "write_to"),
    "days_off date-time": ("days_off = []", "days_off = [2026-11-24T00:00:00]", "không phải là ngày"),
    "since date-time": ("since = 2026-11-25", "since = 2026-11-25T08:00:00", "không phải là ngày"),
    "array then table": ("[due]", "[[a.b]]\n[a.c]\nx = 1\n[due]", "khóa không hợp lệ 'a'"),
    "deep nesting": ("[due]", "x = " + "[" * 3000 + "]" * 3000 + "\n[due]", "nested too deeply"),
    "a body's English name a number": ('name_en = "Commune People\'s Council"', "name_en = 1", "'name_en'"),
}


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_bad_settings_are_problems(office, name):
    old, new, message = SETTINGS[name]
    text = (office.root / "hdnd.toml").read_text(encoding="utf-8")
    assert old in text
    (office.root / "hdnd.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    result = no_crash(office.run("check"))
    assert result.returncode == 2 and message in result.stderr, result.stderr


def test_an_office_id_in_the_store_is_not_read_as_the_office_table(office):
    """[store] office named like a key of [office] ("email-...") once replaced the [office] table in
    the settings' reader: an office e-mail to check then ended in an internal error."""
    text = (office.root / "hdnd.toml").read_text(encoding="utf-8")
    text = text.replace('timezone = "Asia/Ho_Chi_Minh"', 'timezone = "Asia/Ho_Chi_Minh"\nemail = "khong-phai-thu"', 1)
    text += '\n[store]\nurl = "postgresql://hdnd:secret@localhost/hdnd"\noffice = "email-xa"\n'
    (office.root / "hdnd.toml").write_text(text, encoding="utf-8")
    result = no_crash(office.run("check"))
    assert result.returncode == 2 and "khong-phai-thu" in result.stderr and "url" in result.stderr, result.stderr


def test_rule_examples_near_the_ends_of_the_calendar(office):
    (office.root / "rules" / "odd.toml").write_text("""
[source]
id = "odd"
title = "Ví dụ lạ"

[[rules]]
id = "far"
title = "Xa"
obligor = "ubnd"
trigger = { event = "complaint" }
deadline = { after = "120m" }
examples = [{ trigger = 9999-06-01, due = 9999-12-31 }, { trigger = 0001-01-02, due = 0001-01-01 }]
""", encoding="utf-8")
    result = no_crash(office.run("check"))
    assert result.returncode == 2 and "rules/odd.toml:" in result.stderr


def test_a_lock_that_is_a_folder_or_a_dangling_link(office, tmp_path):
    lock = office.root / ".hdnd.lock"
    lock.unlink(missing_ok=True)
    lock.mkdir()
    result = no_crash(office.run("add", "supervision", "--date", "2026-11-10", env={"HDND_NOW": "2026-11-25T08:00"}))
    assert result.returncode == 2 and ".hdnd.lock" in result.stderr
    lock.rmdir()
    lock.symlink_to(tmp_path / "nowhere")
    result = no_crash(office.run("add", "supervision", "--date", "2026-11-10", env={"HDND_NOW": "2026-11-25T08:00"}))
    assert result.returncode == 2 and not (tmp_path / "nowhere").exists()


def test_spreadsheets_with_a_huge_field_or_a_duplicate_column(office):
    (office.root / "big.csv").write_text("Mã,Ngày nhận\na," + "x" * 200_000 + "\n", encoding="utf-8")
    (office.root / "dup.csv").write_text("Mã,mã,date\na,b,2026-11-02\n", encoding="utf-8")
    (office.root / "bad.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    for name in ("big.csv", "dup.csv", "bad.xlsx"):
        result = no_crash(office.run("import", name, "--kind", "complaint"))
        assert result.returncode == 2 and name in result.stderr
    assert "cột trùng tên: Mã, mã" in office.run("import", "dup.csv", "--kind", "complaint").stderr


def test_odd_options(office):
    assert no_crash(office.run("due", "--as-of", "")).returncode == 2
    assert no_crash(office.run("due", "--known-on", "2026-11-25T08:00+99:00")).returncode == 2


# --- 10. resources ---------------------------------------------------------------------------------------

def test_a_binary_file_in_the_ledger_is_refused_without_reading_it_whole(office):
    with (office.root / "data" / "rac.yaml").open("wb") as junk:
        junk.truncate(300 << 20)  # 300 MB of NUL bytes, sparse on disk
    result = run("check", cwd=office.root)
    assert result.returncode == 2 and "data/rac.yaml:1: đây không phải tệp văn bản" in result.stderr


def test_evidence_is_hashed_by_streaming(office):
    (office.root / "van-ban").mkdir()
    evidence = office.root / "van-ban" / "bc.pdf"
    with evidence.open("wb") as out:
        out.truncate(64 << 20)
    import hashlib

    with evidence.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    result = office.run("done", "complaint-first-accept/kn-1", "--date", "2026-11-05", "--file", str(evidence),
                        env={"HDND_NOW": "2026-11-25T08:00"})
    assert result.returncode == 0 and digest in (office.root / "data" / "2026.yaml").read_text(encoding="utf-8")


# --- 11. smaller ones ------------------------------------------------------------------------------------

def test_line_separators_in_a_body_name_and_a_bad_office_email(office):
    text = (office.root / "hdnd.toml").read_text(encoding="utf-8")
    text = text.replace('name = "Hội đồng nhân dân xã"', 'name = "Hội đồng\u2028nhân dân xã"')
    text = text.replace('timezone = "Asia/Ho_Chi_Minh"', 'timezone = "Asia/Ho_Chi_Minh"\nemail = "a@b.vn, c@d.vn"')
    (office.root / "hdnd.toml").write_text(text, encoding="utf-8")
    result = office.run("check")
    assert "ký tự xuống dòng" in result.stderr and "email 'a@b.vn, c@d.vn'" in result.stderr


def test_an_id_that_folds_to_two_is_not_picked_silently(office):
    (office.root / "data" / "ledger.yaml").write_text(
        "- {id: Đ1, kind: complaint, date: 2026-11-02}\n- {id: D1, kind: complaint, date: 2026-11-02}\n", encoding="utf-8")
    result = office.run("done", "complaint-first-accept/d1", "--date", "2026-11-05", env={"HDND_NOW": "2026-11-25T08:00"})
    assert result.returncode == 2 and "complaint-first-accept/D1, complaint-first-accept/Đ1" in result.stderr


def test_a_lone_surrogate_is_shown_not_a_crash(office):
    (office.root / "data" / "ledger.yaml").write_text('- {kind: complaint, id: "a\\udc80", date: 2026-11-02}\n',
                                                      encoding="utf-8")
    no_crash(office.run("due", "--all", "--as-of", "2026-11-25"))


def test_bytes_that_are_not_utf8_on_the_command_line_are_refused(office):
    before = office.files()
    result = no_crash(office.run("add", "supervision", "--date", "2026-11-10", "--set", "x=\udcff",
                                 env={"HDND_NOW": "2026-11-25T08:00"}))
    assert result.returncode == 2 and "không phải UTF-8" in result.stderr and office.files() == before


# --- the journal of an interrupted write is trusted no further than the workspace ------------------------

def plant_journal(office: Workspace, pairs) -> Path:
    journal = office.root / JOURNAL_NAME
    journal.write_text(json.dumps(pairs), encoding="utf-8")
    return journal


def refused_journal(office: Workspace) -> subprocess.CompletedProcess:
    result = no_crash(office.run("due", "--as-of", "2026-11-25"))
    assert result.returncode == 2 and JOURNAL_NAME in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "không đổi tên tệp nào" in result.stderr or "không đọc được" in result.stderr, result.stderr
    return result


def test_a_planted_journal_cannot_rename_a_file_onto_one_outside_the_workspace(office, tmp_path):
    """A clerk who can write the workspace plants a journal; the cron account's next `due` must not
    install the clerk's file over one only cron may write (an `authorized_keys`, a `.pth`)."""
    victim = tmp_path / "cron-home" / "authorized_keys"
    victim.parent.mkdir()
    victim.write_text("ssh-ed25519 AAAA cron@may\n")
    planted = office.root / "data" / ".authorized_keys.abc123.tmp"
    planted.write_text("ssh-ed25519 BBBB ke-gian\n")
    plant_journal(office, [[str(planted), str(victim)]])
    refused_journal(office)
    assert victim.read_text() == "ssh-ed25519 AAAA cron@may\n" and planted.exists()


def _temporary(folder: Path, name: str, text: str = "- {id: x, kind: complaint, date: 2026-11-03}\n") -> Path:
    path = folder / f".{name}.k3y9z_ab.tmp"
    path.write_text(text)
    return path


@pytest.mark.parametrize("shape", ["dot-dot", "settings", "pth", "elsewhere", "wrong-name", "linked-temporary",
                                   "linked-ledger"])
def test_every_journal_that_is_not_a_ledger_file_and_its_own_temporary_is_refused(office, tmp_path, shape):
    data, outside = office.root / "data", tmp_path / "outside"
    outside.mkdir()
    (outside / "site.pth").write_text("import os\n")
    if shape == "dot-dot":  # named inside, lands outside
        pair = [str(_temporary(outside, "site.yaml")), str(data / ".." / ".." / "outside" / "site.yaml")]
    elif shape == "settings":  # inside the workspace, but not a ledger file
        pair = [str(_temporary(office.root, "hdnd.toml", "[office]\n")), str(office.root / "hdnd.toml")]
    elif shape == "pth":
        pair = [str(_temporary(data, "x.pth")), str(data / "x.pth")]
    elif shape == "elsewhere":  # a ledger file, but the temporary is not beside it
        pair = [str(_temporary(outside, "ledger.yaml")), str(data / "ledger.yaml")]
    elif shape == "wrong-name":  # beside it, but another file's temporary
        pair = [str(_temporary(data, "khac.yaml")), str(data / "ledger.yaml")]
    elif shape == "linked-temporary":  # the right name, but a link: renamed, the ledger would point outside
        link = data / ".ledger.yaml.k3y9z_ab.tmp"
        link.symlink_to(outside / "site.pth")
        pair = [str(link), str(data / "ledger.yaml")]
    else:  # a ledger name inside that links to a file of another kind outside
        (data / "noi.yaml").symlink_to(outside / "site.pth")
        pair = [str(_temporary(outside, "site.pth", "import ke_gian\n")), str(data / "noi.yaml")]
    before = office.files()
    outside_before = {p: p.read_bytes() for p in outside.iterdir()}
    plant_journal(office, [pair])
    refused_journal(office)
    assert {p: p.read_bytes() for p in outside.iterdir()} == outside_before
    assert {k: v for k, v in office.files().items() if not k.endswith(JOURNAL_NAME)} == before


@pytest.mark.parametrize("text", ["{}", "[]", "null", '"x"', "[1]", '[["a"]]', "[[null, null]]", '[["a", "b", "c"]]',
                                  "[[", "\udcff", "[" * 100_000])
def test_a_journal_of_the_wrong_shape_is_one_clear_error(office, text):
    (office.root / JOURNAL_NAME).write_bytes(text.encode("utf-8", "surrogateescape"))
    refused_journal(office)


def test_a_journal_that_is_a_link_or_a_folder_is_not_followed(office, tmp_path):
    secret = tmp_path / "chi-cron-doc-duoc.json"
    secret.write_text(json.dumps([["a", "b"]]))
    (office.root / JOURNAL_NAME).symlink_to(secret)
    refused_journal(office)
    (office.root / JOURNAL_NAME).unlink()
    (office.root / JOURNAL_NAME).mkdir()
    refused_journal(office)


def test_an_interrupted_write_through_a_linked_ledger_is_finished(office, tmp_path):
    """The honest journal still works where the ledger file is a link to a shared folder."""
    shared = tmp_path / "so-chung.yaml"
    shared.write_text("[]\n", encoding="utf-8")
    linked, plain = office.root / "data" / "2026.yaml", office.root / "data" / "2025.yaml"
    linked.symlink_to(shared)
    killed_at_rename(office.root, {plain: "- {id: a, kind: complaint, date: 2025-12-20}\n",
                                   linked: "- {id: b, kind: complaint, date: 2026-01-05}\n"}, 2)
    assert (office.root / JOURNAL_NAME).exists() and not plain.exists()
    result = office.run("due", "--all", "-f", "json", "--as-of", "2026-11-25")
    assert result.returncode == 0, result.stderr
    assert linked.is_symlink() and "id: b" in shared.read_text() and "id: a" in plain.read_text()
    assert not (office.root / JOURNAL_NAME).exists()


def test_temporaries_left_by_a_writer_killed_before_its_journal_are_removed_by_the_next_write(office):
    data = office.root / "data"
    left = [_temporary(data, "ledger.yaml"), _temporary(data, "2026.jsonl")]
    kept = [data / ".ghi-chu.txt.k3y9z_ab.tmp", data / ".gitkeep"]
    for path in kept:
        path.write_text("của văn phòng\n")
    assert office.run("check").returncode == 0 and all(p.exists() for p in left)  # a read removes nothing
    add = office.run("add", "supervision", "--date", "2026-11-10", "--id", "gs-1", env={"HDND_NOW": "2026-11-25T08:00"})
    assert add.returncode == 0, add.stderr
    assert not any(p.exists() for p in left) and all(p.exists() for p in kept)


def test_a_number_too_long_to_count_is_kept_as_text(office):
    digits = "9" * 5000
    added = no_crash(office.run("add", "complaint", "--date", "2026-11-20", "--id", "kn-so", "--set", f"n={digits}"))
    assert added.returncode == 0, added.stderr
    assert no_crash(office.run("check")).returncode == 0
    assert f"n: '{digits}'" in (office.root / "data" / "2026.yaml").read_text(encoding="utf-8")


def test_a_write_to_outside_the_ledger_is_a_warning_check_gives(office):
    """Entries written there would never be read: said by `check` (a read-only workspace may mean it),
    a failure under --strict, and a refusal when a write comes."""
    text = (office.root / "hdnd.toml").read_text(encoding="utf-8")
    (office.root / "hdnd.toml").write_text(text.replace('write_to = "data/{year}.yaml"', 'write_to = "khac/{year}.yaml"'),
                                           encoding="utf-8")
    checked = no_crash(office.run("check"))
    assert checked.returncode == 0 and "hdnd.toml:21: cảnh báo: [paths] write_to = 'khac/{year}.yaml' nằm ngoài" in (
        checked.stdout + checked.stderr)
    assert office.run("check", "--strict").returncode == 2
    assert office.run("add", "complaint", "--date", "2026-11-20").returncode == 2


def test_a_value_with_another_kind_of_line_break_reads_back_as_written(office):
    for n, mark in enumerate(("\x85", "\u2028", "\u2029")):
        value = f"Đơn{mark}thứ hai"
        assert no_crash(office.run("add", "complaint", "--date", "2026-11-20", "--id", f"kn-l{n}",
                                   "--set", f"title={value}")).returncode == 0
    from hdnd_cli.parse.ledger import parse_ledger

    entries, problems = parse_ledger((office.root / "data" / "2026.yaml").read_text(encoding="utf-8"), "2026.yaml")
    titles = {e.id: e.get("title") for e in entries}
    assert problems == [] and [titles[f"kn-l{n}"] for n in range(3)] == [f"Đơn{m}thứ hai" for m in "\x85\u2028\u2029"]


def test_a_ledger_file_binary_past_its_first_block_is_named_at_its_line(office):
    (office.root / "data" / "lon.yaml").write_bytes(b"- {kind: complaint, id: kn-9, date: 2026-11-02}\n" * 400 + b"\0" * 10)
    result = no_crash(office.run("check"))
    assert result.returncode == 2 and "data/lon.yaml:401: đây không phải tệp văn bản" in result.stderr, result.stderr


def test_an_act_dated_after_the_day_is_a_warning_check_gives(office):
    """A `done` typed with next month's date, for an obligation that does not exist: `check` says so on
    the day it is written, not only once its day has come."""
    with open(office.root / "data" / "ledger.yaml", "a", encoding="utf-8") as ledger:
        ledger.write("- {kind: done, obligation: khong-co/x, date: 2026-12-10}\n")
    checked = no_crash(office.run("check"))
    assert checked.returncode == 0 and "data/ledger.yaml:2: cảnh báo: ngày 10/12/2026 chưa đến" in (
        checked.stdout + checked.stderr)
    assert office.run("check", "--strict").returncode == 2
