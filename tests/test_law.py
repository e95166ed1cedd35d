"""The law in use (SPEC §2a): one dated set read by every workspace, installed from signed bundles,
refused whole when anything is wrong, rolled back, and named in what it produces."""
from __future__ import annotations

import importlib.util
import io
import json
import zipfile
from pathlib import Path

import pytest

from conftest import NOW, Workspace, run

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("law_bundle", ROOT / "scripts" / "law_bundle.py")
law_bundle = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(law_bundle)

OWN = "2026.12.03"


class Signer:
    """A signing key made for the tests, as `scripts/law_bundle.py keygen` makes the project's."""

    def __init__(self, folder: Path, name: str = "test.key"):
        self.path = folder / name
        self.public = law_bundle.keygen(self.path)

    def bundle(self, version: str, change=None) -> bytes:
        files = law_bundle.law_files(ROOT)
        if change:
            change(files)
        return law_bundle.build(files, version, self.path.read_bytes())


def slower_intake(files: dict[str, bytes]) -> None:
    """A law in which a denunciation is registered within 10 working days, not 7."""
    name = "rules/luat-to-cao-2018.toml"
    files[name] = files[name].replace(b'deadline = { after = "7wd" }', b'deadline = { after = "10wd" }')
    files[name] = files[name].replace(b"{ trigger = 2026-08-27, due = 2026-09-10 },", b"{ trigger = 2026-08-27, due = 2026-09-15 },")
    files[name] = files[name].replace(b"{ trigger = 2026-02-12, due = 2026-03-02 },", b"{ trigger = 2026-02-12, due = 2026-03-05 },")


@pytest.fixture
def signer(tmp_path) -> Signer:
    return Signer(tmp_path)


@pytest.fixture
def office(tmp_path, signer) -> Workspace:
    """A province set up by `hdnd init`, trusting the test key, with its own law folder."""
    assert run("init", "tinh", "--level", "province", cwd=tmp_path, env={"HDND_NOW": NOW}).returncode == 0
    ws = Workspace(tmp_path / "tinh", fresh=False, now=NOW)
    with (ws.root / "hdnd.toml").open("a", encoding="utf-8") as config:
        config.write(f'\n[law]\ntrusted_keys = ["{signer.public}"]\n')
    (ws.root / "data" / "ledger.yaml").write_text("- {id: tc-1, kind: denunciation, date: 2026-11-19}\n", encoding="utf-8")
    ws.law = tmp_path / "law"
    return ws


def law_run(ws: Workspace, *args: str, **env: str):
    return ws.run(*args, env={"HDND_LAW_DIR": str(ws.law), **env})


def intake(ws: Workspace, *args: str) -> tuple[str, str]:
    document = json.loads(law_run(ws, "due", "--all", "-f", "json", "--as-of", "2026-11-25", *args).stdout)
    item = next(i for i in document["items"] if i["id"] == "denunciation-intake/tc-1")
    return document["law"], item["due"]


def folder_state(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()} \
        if folder.exists() else {}


def test_a_workspace_with_copies_of_the_law_follows_the_law_and_names_each_copy_once(office):
    """As `hdnd init` wrote a workspace before the law was one set: its own copy of the complaint pack,
    with the 10-day rule. It follows the law in use (7 working days from 01/07/2026, NĐ 155/2026 Đ.10):
    a complaint received Thu 27/08/2026 is accepted by Thu 10/09/2026, not Mon 07/09 (10 days)."""
    (office.root / "rules" / "luat-khieu-nai-2011.toml").write_text(
        '[source]\nid = "luat-khieu-nai-2011"\ntitle = "Luật Khiếu nại (bản chép cũ)"\n\n'
        '[[rules]]\nid = "complaint-first-accept"\ntitle = "Thụ lý"\nobligor = "chu-tich-ubnd"\n'
        'trigger = { event = "complaint" }\ndeadline = { after = "10d" }\n', encoding="utf-8")
    (office.root / "data" / "ledger.yaml").write_text("- {id: kn-1, kind: complaint, date: 2026-08-27}\n", encoding="utf-8")
    result = law_run(office, "due", "--all", "-f", "json", "--as-of", "2026-09-01")
    assert result.returncode == 0, result.stderr
    items = {i["id"]: i for i in json.loads(result.stdout)["items"]}
    assert items["complaint-first-accept/kn-1"]["due"] == "2026-09-10"
    assert result.stderr.count("rules/luat-khieu-nai-2011.toml") == 1 and "có thể xóa tệp này" in result.stderr
    checked = law_run(office, "check", "--strict")
    assert checked.returncode == 0 and checked.stderr.count("luat-khieu-nai-2011.toml") == 1


def test_a_signed_bundle_shows_what_it_moves_installs_and_rolls_back(office, signer, tmp_path):
    """Denunciation received Thu 19/11/2026: 7 working days (24/11 a day off) is Tue 01/12; under the
    test law's 10 working days, Fri 04/12/2026."""
    assert intake(office) == (OWN, "2026-12-01")
    (tmp_path / "luat.zip").write_bytes(signer.bundle("2027.01.15", slower_intake))
    shown = law_run(office, "law", "install", str(tmp_path / "luat.zip"), "--yes")
    assert shown.returncode == 0, shown.stderr
    assert "denunciation-intake/tc-1" in shown.stdout and "01/12/2026" in shown.stdout and "04/12/2026" in shown.stdout
    assert "Đã cài luật 2027.01.15 (luật trước: 2026.12.03" in shown.stdout
    assert intake(office) == ("2027.01.15", "2026-12-04")
    described = json.loads(law_run(office, "law", "-f", "json").stdout)
    assert (described["version"], described["origin"], described["installed"][-1]["action"]) == ("2027.01.15", "installed",
                                                                                                  "install")
    back = law_run(office, "law", "install", "--rollback")
    assert back.returncode == 0 and "2026.12.03" in back.stdout
    assert intake(office) == (OWN, "2026-12-01")


def test_without_yes_and_no_terminal_nothing_is_installed(office, signer, tmp_path):
    (tmp_path / "luat.zip").write_bytes(signer.bundle("2027.01.15", slower_intake))
    refused = law_run(office, "law", "install", str(tmp_path / "luat.zip"))
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert intake(office) == (OWN, "2026-12-01") and not (office.law / "2027.01.15").exists()


def _rezip(data: bytes, change) -> bytes:
    """The bundle's members, changed by `change(members)`, zipped again (its signature as it was)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    change(members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


def _tampered(members):
    members["calendar/vn.toml"] = members["calendar/vn.toml"].replace(b"2026-11-24", b"2026-11-25")


def _manifest_changed(members):
    members["manifest.json"] = members["manifest.json"].replace(b"2027.01.15", b"2027.01.16")


def _traversal(members):
    members["rules/../../../evil.toml"] = b"[source]\n"


def _unsigned(members):
    del members["manifest.sig"]


@pytest.mark.parametrize("how, words", [
    (lambda s, good: _rezip(good, _tampered), "hỏng hoặc không đúng dạng (calendar/vn.toml)"),
    (lambda s, good: _rezip(good, _manifest_changed), "không khớp khóa nào"),
    (lambda s, good: _rezip(good, _traversal), "hỏng hoặc không đúng dạng (rules/../../../evil.toml)"),
    (lambda s, good: _rezip(good, _unsigned), "không có chữ ký"),
    (lambda s, good: good[: len(good) // 2], "hỏng hoặc không đúng dạng"),
    (lambda s, good: Signer(s.path.parent, "other.key").bundle("2027.01.15"), "không khớp khóa nào"),
    (lambda s, good: s.bundle("2026.06.30"), "không mới hơn luật đang dùng (2026.12.03)"),
    (lambda s, good: s.bundle(OWN), "không mới hơn"),
], ids=["tampered bytes", "tampered manifest", "path traversal", "unsigned", "truncated", "wrong key", "older", "same"])
def test_a_bad_bundle_is_refused_with_one_line_and_nothing_changes(office, signer, tmp_path, how, words):
    good = signer.bundle("2027.01.15", slower_intake)
    (tmp_path / "luat.zip").write_bytes(how(signer, good))
    law_run(office, "law")  # the law folder as it was
    before, files = folder_state(office.law), office.files()
    refused = law_run(office, "law", "install", str(tmp_path / "luat.zip"), "--yes")
    assert refused.returncode == 2 and words in refused.stderr and len(refused.stderr.strip().splitlines()) == 1, \
        refused.stderr
    assert folder_state(office.law) == before and office.files() == files
    assert intake(office) == (OWN, "2026-12-01")
    assert not (tmp_path / "evil.toml").exists()


def test_an_install_killed_half_way_leaves_the_old_law_in_use(office, signer, tmp_path, monkeypatch):
    """Killed after the new version's folder is in place, before the switch: the old law stays in use,
    and the next install finishes the job."""
    import hdnd_cli.storage.law as store

    (tmp_path / "luat.zip").write_bytes(signer.bundle("2027.01.15", slower_intake))

    def killed(folder, state):
        raise KeyboardInterrupt("killed")

    real = store._write_state
    monkeypatch.setattr(store, "_write_state", killed)
    assert law_run(office, "law", "install", str(tmp_path / "luat.zip"), "--yes").returncode == 130  # interrupted
    monkeypatch.setattr(store, "_write_state", real)
    assert intake(office) == (OWN, "2026-12-01")
    again = law_run(office, "law", "install", str(tmp_path / "luat.zip"), "--yes")
    assert again.returncode == 0, again.stderr
    assert intake(office) == ("2027.01.15", "2026-12-04") and not list(office.law.glob(".staging-*"))


def test_known_on_reproduces_a_day_with_the_law_installed_then(office, signer, tmp_path):
    (tmp_path / "luat.zip").write_bytes(signer.bundle("2027.01.15", slower_intake))
    installed = law_run(office, "law", "install", str(tmp_path / "luat.zip"), "--yes", HDND_NOW="2026-12-10T08:00")
    assert installed.returncode == 0, installed.stderr
    assert intake(office, "--known-on", "2026-12-05") == (OWN, "2026-12-01")
    assert intake(office, "--known-on", "2026-12-11") == ("2027.01.15", "2026-12-04")


@pytest.mark.parametrize("level", ["province", "commune", "district"])
def test_hdnd_law_on_a_new_workspace_of_each_level(tmp_path, level):
    assert run("init", "ws", "--level", level, cwd=tmp_path, env={"HDND_NOW": NOW}).returncode == 0
    assert not list((tmp_path / "ws" / "rules").glob("luat-*.toml"))  # the law is never copied
    document = json.loads(run("law", "-f", "json", cwd=tmp_path / "ws", env={"HDND_NOW": NOW}).stdout)
    assert (document["version"], document["origin"], document["age_days"]) == (OWN, "bundled", -8)
    assert {p["id"] for p in document["packs"]} == {"luat-khieu-nai-2011", "luat-to-cao-2018", "luat-tccqdp-2025",
                                                    "nqlt-72-2025", "luat-hdgs-2015", "luat-tiep-cong-dan-2013"}
    assert document["calendar"] == {"announced": [2021, 2022, 2023, 2024, 2025, 2026], "partly": [2027]}
    table = run("law", cwd=tmp_path / "ws", env={"HDND_NOW": NOW}).stdout
    assert table.startswith("Luật đang dùng: 2026.12.03 (ngày 03/12/2026") and "complaint-first-accept" in table


@pytest.mark.parametrize("now, warnings", [
    ("2026-12-03T08:00", []),
    ("2027-07-01T08:00", ["đã 210 ngày"]),  # 03/12/2026 + 210 days
    ("2027-12-02T08:00", ["chưa có lịch nghỉ Tết năm 2028", "đã 364 ngày"]),
])
def test_check_warns_of_a_law_left_behind(tmp_path, now, warnings):
    assert run("init", "ws", "--level", "commune", cwd=tmp_path, env={"HDND_NOW": NOW}).returncode == 0
    checked = run("check", cwd=tmp_path / "ws", env={"HDND_NOW": now})
    assert checked.returncode == 0
    found = [line for line in checked.stderr.splitlines() if "luật đang dùng (2026.12.03)" in line]
    assert len(found) == len(warnings) and all(any(w in line for line in found) for w in warnings)
    assert run("check", "--strict", cwd=tmp_path / "ws", env={"HDND_NOW": now}).returncode == (2 if warnings else 0)
