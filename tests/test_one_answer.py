"""The wrong answers with exit 0 that a newcomer found (issue: one answer, whatever the path), each
reproduced as they met it."""
from __future__ import annotations

import json

import pytest

from conftest import NOW, Workspace, run


@pytest.fixture
def tinh(tmp_path) -> Workspace:
    """A province set up by `hdnd init` on 25/11/2026."""
    assert run("init", "tinh", "--level", "province", cwd=tmp_path, env={"HDND_NOW": NOW}).returncode == 0
    return Workspace(tmp_path / "tinh", fresh=False, now=NOW)


def ids(ws: Workspace, *args: str) -> set[str]:
    result = ws.run("due", "--all", "-f", "json", *args)
    assert result.returncode == 0, result.stderr
    return {i["id"] for i in json.loads(result.stdout)["items"]}


def test_a_past_view_holds_only_the_past_but_planned_sessions_count_ahead(tinh):
    """SPEC §5: on 14/11 a complaint received on 16/11 does not exist yet; a session convened for
    08/12 does (its delegates' report is due the day before it)."""
    (tinh.root / "data" / "ledger.yaml").write_text(
        "- {id: kn-1, kind: complaint, date: 2026-11-16}\n"
        "- {id: kh-2026-12, kind: session, date: 2026-12-08, ends: 2026-12-10, type: regular}\n", encoding="utf-8")
    on_14 = ids(tinh, "--as-of", "2026-11-14")
    assert not any("kn-1" in i for i in on_14)
    on_16 = ids(tinh, "--as-of", "2026-11-16")
    assert "complaint-first-accept/kn-1" in on_16


def test_add_refuses_an_event_that_has_not_happened_but_takes_a_planned_one(tinh):
    future = tinh.run("add", "complaint", "--date", "2026-11-30", "--id", "kn-9")
    assert future.returncode == 2 and "chưa xảy ra" in future.stderr and "kn-9" not in (
        tinh.root / "data" / "ledger.yaml").read_text(encoding="utf-8")
    planned = tinh.run("add", "session", "--date", "2026-12-08", "--set", "ends=2026-12-10", "--set", "type=regular")
    assert planned.returncode == 0, planned.stderr
    config = tinh.root / "hdnd.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[kinds]\nplanned = ["hoi-nghi-chuyen-de"]\n',
                      encoding="utf-8")
    own = tinh.run("add", "hoi-nghi-chuyen-de", "--date", "2026-12-15")
    assert own.returncode == 0, own.stderr


def test_a_new_province_does_not_open_with_a_period_due_before_it_began(tmp_path):
    """Set up on 03/12/2026: the annual report of 2026 was due on 30/11, before `since`: not the office's."""
    assert run("init", "tinh", "--level", "province", cwd=tmp_path, env={"HDND_NOW": "2026-12-03T08:00"}).returncode == 0
    morning = run("due", cwd=tmp_path / "tinh", env={"HDND_NOW": "2026-12-03T08:00"})
    assert morning.returncode == 0 and "0 quá hạn" in morning.stdout
    assert "resolution-annual-report/2026" not in morning.stdout


def test_voiding_a_wrong_completion_and_recording_the_right_one(tinh):
    """The README's correction: void the wrong `done`, record the right one. The void names the act that
    stands when it is written, not the one recorded after it; the same act cannot be voided twice."""
    (tinh.root / "data" / "ledger.yaml").write_text("- {id: kn-1, kind: complaint, date: 2026-11-02}\n",
                                                    encoding="utf-8")
    steps = [(("done", "complaint-first-accept/kn-1", "--date", "2026-11-20", "--ref", "sai/TB"), "2026-11-20T09:00"),
             (("void", "done:complaint-first-accept/kn-1", "--reason", "Ghi nhầm ngày", "--date", "2026-11-21"),
              "2026-11-21T09:00"),
             (("done", "complaint-first-accept/kn-1", "--date", "2026-11-06", "--ref", "12/TB"), "2026-11-21T09:05")]
    for args, now in steps:
        result = tinh.run(*args, env={"HDND_NOW": now})
        assert result.returncode == 0, (args, result.stderr)
    item = next(i for i in json.loads(tinh.run("due", "--all", "-f", "json", "--as-of", "2026-11-25").stdout)["items"]
                if i["id"] == "complaint-first-accept/kn-1")
    # 7 working days from Mon 02/11/2026 (NĐ 155/2026 Đ.10): Wed 11/11; done on 06/11, in time.
    assert (item["status"], item["done"]) == ("done", {"date": "2026-11-06", "ref": "12/TB"})
    text = tinh.run("explain", "complaint-first-accept/kn-1", "--as-of", "2026-11-25").stdout
    assert "12/TB" in text and "hủy (done:complaint-first-accept/kn-1): Ghi nhầm ngày" in text
    assert "20/11/2026: hoàn thành sai/TB (data/2026.yaml:2) - đã hủy" in text  # every done and void, in order
    assert "06/11/2026: hoàn thành 12/TB (data/2026.yaml:" in text
    before = tinh.files()
    again = tinh.run("void", "done:complaint-first-accept/kn-1", "--reason", "x", "--date", "2026-11-21",
                     env={"HDND_NOW": "2026-11-21T09:10"})
    assert again.returncode == 0  # the act that stands now is the right one: it may be voided in turn
    twice = tinh.root / "data" / "ledger.yaml"
    twice.write_text(twice.read_text(encoding="utf-8") + "- {kind: void, of: 'done:complaint-first-accept/kn-1@2026-11-20', "
                     "date: 2026-11-22, reason: lần nữa}\n", encoding="utf-8")
    checked = tinh.run("check")
    assert checked.returncode == 2 and "đã được hủy" in checked.stderr and before != tinh.files()


def test_set_writes_nothing_that_would_not_read_as_an_entry(tinh):
    """`set` validates the entry as it makes it: a closed value, a session ending before it opens."""
    (tinh.root / "data" / "ledger.yaml").write_text(
        "- {id: kh-1, kind: session, date: 2026-12-08, ends: 2026-12-10, type: regular}\n", encoding="utf-8")
    before = tinh.files()
    for args, words in ((("type=bogus",), "'type' = 'bogus' không hợp lệ"),
                        (("ends=2026-12-01",), "bế mạc (01/12/2026) trước ngày khai mạc (08/12/2026)")):
        refused = tinh.run("set", "kh-1", *args, "--reason", "sửa")
        assert refused.returncode == 2 and words in refused.stderr and tinh.files() == before, refused.stderr
    assert tinh.run("set", "kh-1", "ends=2026-12-11", "--reason", "sửa").returncode == 0


def test_a_near_miss_of_a_field_the_rules_filter_by_is_said_in_check_and_in_the_morning(tinh):
    """`fowarded_by` on a denunciation: the forwarded-result duty (Luật Tố cáo Đ.26 k.2) is not made;
    `check` warns, and so does `due` on stderr, without failing the morning."""
    (tinh.root / "data" / "ledger.yaml").write_text(
        "- {id: tc-1, kind: denunciation, date: 2026-11-19, fowarded_by: tt-hdnd}\n", encoding="utf-8")
    warned = "data/ledger.yaml:1: cảnh báo: trường 'fowarded_by' - có phải 'forwarded_by'?"
    checked = tinh.run("check")
    assert checked.returncode == 0 and warned in checked.stderr
    morning = tinh.run("due", "--as-of", "2026-11-25")
    assert morning.returncode == 0 and warned in morning.stderr and "CÓ THỂ THIẾU" not in morning.stderr
    assert "denunciation-forwarded-result" not in morning.stdout


def test_a_register_of_completions_is_imported_as_hdnd_done_records_them(tinh):
    """A year's register of incoming reports, with its footer: each row a `done`, checked as the command
    checks it; the footer (who kept it, the total) skipped with a note."""
    (tinh.root / "data" / "ledger.yaml").write_text(
        "- {id: kn-1, kind: complaint, date: 2026-11-02}\n- {id: kn-2, kind: complaint, date: 2026-11-03}\n",
        encoding="utf-8")
    (tinh.root / "so.csv").write_text("STT,Mã nghĩa vụ,Ngày,Số văn bản\n1,complaint-first-accept/kn-1,06/11/2026,12/TB\n"
                                      "2,complaint-first-accept/kn-2,09/11/2026,13/TB\n,Người lập sổ: Nguyễn Thị Lan,,\n"
                                      ",Tổng cộng: 2 văn bản,,\n", encoding="utf-8")
    mapped = ("--map", "Mã nghĩa vụ=obligation", "--map", "Ngày=date", "--map", "Số văn bản=ref")
    result = tinh.run("import", "so.csv", "--kind", "done", *mapped)
    assert result.returncode == 0, result.stderr
    assert "bỏ qua phần cuối sổ (dòng 4-5" in result.stderr
    done = {i["id"]: i["done"] for i in json.loads(tinh.run("due", "--all", "-f", "json", "--as-of", "2026-11-25").stdout)[
        "items"] if i["id"].startswith("complaint-first-accept/")}
    assert done == {"complaint-first-accept/kn-1": {"date": "2026-11-06", "ref": "12/TB"},
                    "complaint-first-accept/kn-2": {"date": "2026-11-09", "ref": "13/TB"}}
    (tinh.root / "so2.csv").write_text("Mã nghĩa vụ,Ngày\ncomplaint-first-accept/kn-9,06/11/2026\n"
                                       "complaint-first-accept/kn-1,30/11/2026\n", encoding="utf-8")
    before = tinh.files()
    refused = tinh.run("import", "so2.csv", "--kind", "done", "--map", "Mã nghĩa vụ=obligation", "--map", "Ngày=date")
    assert refused.returncode == 2 and tinh.files() == before  # an unknown obligation; a date not yet come
    assert "so2.csv:3:" in refused.stderr


def test_a_column_mapped_twice_is_refused_and_an_empty_id_cell_gets_an_id(tinh):
    (tinh.root / "hai.csv").write_text("Mã,Ngày nhận,Ngày\nkn-5,03/11/2026,04/11/2026\n", encoding="utf-8")
    before = tinh.files()
    twice = tinh.run("import", "hai.csv", "--kind", "complaint", "--map", "Mã=id", "--map", "Ngày nhận=date",
                     "--map", "Ngày=date")
    assert twice.returncode == 2 and "hai cột cùng vào trường 'date' (Ngày nhận, Ngày)" in twice.stderr
    assert tinh.files() == before
    (tinh.root / "trong.csv").write_text("Mã,Ngày nhận\n,05/11/2026\n", encoding="utf-8")
    made = tinh.run("import", "trong.csv", "--kind", "complaint", "--map", "Mã=id", "--map", "Ngày nhận=date")
    assert made.returncode == 0 and "complaint-2026-11-05" in made.stdout


def test_an_invalid_entry_named_like_a_rule_leaves_the_rule_alone(tinh):
    (tinh.root / "data" / "ledger.yaml").write_text(
        "- {id: kn-1, kind: complaint, date: 2026-11-16}\n"
        "- {id: complaint-first-accept, kind: complaint, date: 2026-02-30}\n", encoding="utf-8")
    morning = tinh.run("due", "--as-of", "2026-11-20")
    assert morning.returncode == 2 and "data/ledger.yaml:2:" in morning.stderr  # the bad entry is reported
    assert "complaint-first-accept/kn-1" in morning.stdout  # and the rule still makes kn-1's obligation


def _git(root, *args, when: str):
    import os
    import subprocess

    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-c", "user.name=Văn thư", "-c", "user.email=vt@example.vn", *args], cwd=root, env=env,
                   check=True, capture_output=True)


def test_known_on_reproduces_a_day_with_its_settings_and_rules_from_git(tinh):
    """What hdnd said on the morning of 01/12/2026, after `since` was moved back and a pack added
    later: the settings and packs as committed then, not today's (SPEC §5)."""
    (tinh.root / "data" / "ledger.yaml").write_text("- {id: kn-1, kind: complaint, date: 2026-11-26}\n", encoding="utf-8")
    _git(tinh.root, "init", "-q", when="2026-11-25T09:00:00+07:00")
    _git(tinh.root, "add", "-A", when="2026-11-25T09:00:00+07:00")
    _git(tinh.root, "commit", "-q", "-m", "lập sổ", when="2026-11-25T09:00:00+07:00")
    morning = tinh.run("due", "--all", "-f", "json", "--as-of", "2026-12-01", "--known-on", "2026-12-01T08:00")
    config = tinh.root / "hdnd.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("since = 2026-11-25", "since = 2026-01-01"),
                      encoding="utf-8")
    _git(tinh.root, "commit", "-qam", "theo dõi cả năm", when="2026-12-10T09:00:00+07:00")
    moved = tinh.run("due", "--all", "-f", "json", "--as-of", "2026-12-01")
    assert len(json.loads(moved.stdout)["items"]) > len(json.loads(morning.stdout)["items"])  # 2026's earlier periods
    again = tinh.run("due", "--all", "-f", "json", "--as-of", "2026-12-01", "--known-on", "2026-12-01T08:00")
    assert again.stdout == morning.stdout and "bản git" in again.stderr
    (tinh.root.parent / "khac").mkdir()
    outside = Workspace(tinh.root.parent / "khac", fresh=True, now=NOW)
    note = outside.run("due", "--as-of", "2026-12-01", "--known-on", "2026-12-01T08:00")
    assert "của hôm nay" in note.stderr
