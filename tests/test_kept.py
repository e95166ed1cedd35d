"""Kept obligations (engine/kept.py, storage/kept.py) hold to a full computation.

`due` and `overdue` reuse what an earlier run derived, and extend it with entries appended to the
ledger. The property test draws ledgers over the bundled province packs (schedules, chained rules,
count rules, facts that choose a period, bodies named by the case), appends entries as `hdnd add`
appends them (or edits a file, or adds one), moves the day, and compares every output, byte for
byte, with the same command run with no cache. The scenario tests check that the cheap paths are
really taken where they should be, and not where they must not be.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import NOW, run
from hdnd_cli.storage.filestore import append

DAY = date(2026, 6, 15)
FILES = ("data/2025.yaml", "data/2026.json", "data/extra.jsonl")
HANDLERS = ("ubnd", "chu-tich-ubnd", "so-xay-dung", "Ủy ban nhân dân tỉnh")
KINDS = ("complaint", "complaint", "denunciation", "interpellation", "voter-contact", "session", "session",
         "working-meeting", "working-meeting", "election", "resolution", "voter-contact-request")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A province workspace as `hdnd init` makes it, with no `since`: schedules start in the first
    entry's year."""
    root = tmp_path_factory.mktemp("kept") / "ws"
    assert run("init", str(root), "--level", "province", env={"HDND_NOW": NOW}).returncode == 0
    config = root / "hdnd.toml"
    text = "\n".join(line for line in config.read_text(encoding="utf-8").splitlines() if not line.startswith("since"))
    config.write_text(text + "\n", encoding="utf-8")
    assert run("check", cwd=root).returncode == 0
    (root / "data" / "ledger.yaml").unlink()
    return root


def day(offset: int) -> date:
    return DAY + timedelta(days=offset)


@st.composite
def event(draw, number: int, near: date = DAY) -> dict:
    kind = draw(st.sampled_from(KINDS))
    entry = {"id": f"e{number}", "kind": kind, "date": near + timedelta(days=draw(st.integers(-90, 30)))}
    if draw(st.integers(0, 9)) == 0:
        del entry["id"]  # a rule that needs an id says so
    if kind == "session":
        entry |= {"ends": entry["date"] + timedelta(days=2), "type": draw(st.sampled_from(("regular", "thematic"))),
                  "first_of_term": draw(st.booleans())}
    elif kind == "voter-contact":
        entry |= {"phase": draw(st.sampled_from(("before", "after"))), "outside_constituency": draw(st.booleans())}
    elif kind in ("complaint", "denunciation"):
        entry |= draw(st.fixed_dictionaries({}, optional={
            "round": st.sampled_from((1, 2)), "handler": st.sampled_from(HANDLERS), "competent": st.booleans(),
            "forwarded_by": st.sampled_from(("tt-hdnd", "ubnd")), "complex": st.booleans()}))
    elif kind == "interpellation":
        entry |= {"written": draw(st.booleans()), "answerer": draw(st.sampled_from(HANDLERS))}
    return entry


@st.composite
def act(draw, ids: list[str], events: list[str], near: date = DAY) -> dict:
    """An act on an obligation (mostly one that is open), a fact, a correction or an obligation entry."""
    kind = draw(st.sampled_from(("done", "done", "done", "done", "extend", "waive", "fact", "void", "set",
                                 "obligation", "obligation")))
    when = near + timedelta(days=draw(st.integers(-20, 20)))
    target = draw(st.sampled_from(ids))
    if kind == "fact":
        return {"kind": "fact", "of": draw(st.sampled_from(events or ["e0"])), "date": when,
                draw(st.sampled_from(("complex", "remote", "handler"))): draw(st.sampled_from((True, False, "ubnd")))}
    if kind in ("void", "set"):
        named = draw(st.sampled_from([f"done:{target}", *(events or ["e0"])]))
        return {"kind": kind, "of": named, "date": when, "reason": "sửa", **({"note": "x"} if kind == "set" else {})}
    if kind == "obligation":
        return {"id": f"o{draw(st.integers(0, 10**6))}", "kind": "obligation", "date": when,
                "due": when + timedelta(days=draw(st.integers(0, 40))), "obligor": draw(st.sampled_from(HANDLERS)),
                "title": "Báo cáo"}
    entry = {"kind": kind, "obligation": target, "date": when}
    if kind == "done":
        entry["ref"] = "12/BC"
    elif kind == "extend":
        entry |= {"until": when + timedelta(days=draw(st.integers(1, 40))), "reason": "phức tạp"}
    else:
        entry["reason"] = "không còn"
    return entry


def ids_now(root: Path, on: date) -> list[str]:
    """The obligations open on `on` (most acts name one), some closed, and one that does not exist."""
    found = run("due", "--all", "-f", "json", "--as-of", on.isoformat(), cwd=root, env={"HDND_NO_CACHE": "1"})
    items = json.loads(found.stdout)["items"] if found.stdout.startswith("{") else []
    unsettled = [i["id"] for i in items if i["status"] in ("overdue", "today", "soon", "open")]
    return unsettled * 4 + [i["id"] for i in items] + ["complaint-first-accept/e999"]


def write(root: Path, name: str, entries: list[dict]) -> None:
    path = root / name
    old = path.read_text(encoding="utf-8") if path.exists() else None
    path.write_text(append(old, entries, path.suffix), encoding="utf-8")


COMMANDS = (("due", "--all", "-f", "json"), ("due",), ("overdue", "-f", "json"))


def same_as_full(root: Path, cache: str, on: date, commands: Sequence[tuple[str, ...]] = COMMANDS) -> list[str]:
    """Each command, kept and from scratch, gives the same output and exit; how the kept one worked.
    (The morning commands show only open obligations: the closed ones are stored when `--all` asks.)"""
    ways = []
    for args in commands:
        args = [*args, "--as-of", on.isoformat()]
        kept = run(*args, cwd=root, env={"HDND_CACHE_DIR": cache, "HDND_DEBUG": "1"})
        full = run(*args, cwd=root, env={"HDND_NO_CACHE": "1"})
        way, _, stderr = kept.stderr.partition("\n")
        assert way.startswith("hdnd: obligations "), kept.stderr
        ways.append(way.rsplit(" ", 1)[1])
        assert (kept.returncode, kept.stdout, stderr) == (full.returncode, full.stdout, full.stderr), args
    return ways


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_kept_obligations_are_what_a_full_computation_gives(template, data):
    root = Path(tempfile.mkdtemp(prefix="hdnd-kept-")) / "ws"
    cache = tempfile.mkdtemp(prefix="hdnd-kept-cache-")
    try:
        shutil.copytree(template, root)
        count = data.draw(st.integers(0, 14), label="events")
        events = [data.draw(event(n)) for n in range(count)]
        for entry in events:
            write(root, data.draw(st.sampled_from(FILES)), [entry])
        on = day(data.draw(st.integers(-20, 20), label="first day"))
        same_as_full(root, cache, on, data.draw(st.permutations(COMMANDS), label="commands"))
        names = [e["id"] for e in events if "id" in e]
        for number in range(data.draw(st.integers(1, 5), label="rounds")):
            change = data.draw(st.sampled_from(("append",) * 6 + ("new file", "edit", "day")))
            ids = ids_now(root, on)
            new = [data.draw(act(ids, names, on) if data.draw(st.booleans()) else event(100 + 10 * number + k, on))
                   for k in range(data.draw(st.integers(1, 3)))]
            if change == "append":
                write(root, data.draw(st.sampled_from(FILES)), new)
            elif change == "new file":
                write(root, f"data/more-{number}.yaml", new)
            elif change == "edit":  # not an append: the first file loses its last line
                path = next((root / f for f in FILES if (root / f).exists()), None)
                if path is not None:
                    path.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:-1]) + "\n",
                                    encoding="utf-8")
            names += [e["id"] for e in new if "id" in e and e["kind"] != "obligation"]
            on += timedelta(days=data.draw(st.sampled_from((0, 0, 0, 1, 2, 5, 10, 20, -1, -5)), label="days later"))
            same_as_full(root, cache, on, data.draw(st.permutations(COMMANDS), label="commands"))
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)


def scenario(template: Path, tmp_path: Path, events: list[dict]) -> tuple[Path, str]:
    root = tmp_path / "ws"
    shutil.copytree(template, root)
    write(root, "data/2026.json", events)
    return root, str(tmp_path / "cache")


BASE = [{"id": "kn-1", "kind": "complaint", "date": date(2026, 6, 1)},
        {"id": "tc-1", "kind": "denunciation", "date": date(2026, 6, 3)},
        {"kind": "done", "obligation": "resolution-quarterly-report/2026-Q1/ban-dan-toc", "date": date(2026, 3, 18),
         "ref": "1/BC"}]


@pytest.mark.parametrize("appended, way", [
    ([{"id": "kn-2", "kind": "complaint", "date": date(2026, 6, 10)}], "extended"),
    ([{"kind": "done", "obligation": "complaint-first-accept/kn-1", "date": date(2026, 6, 8), "ref": "2/TB"}],
     "extended"),  # and the chained settlement begins
    ([{"kind": "extend", "obligation": "denunciation-settle/tc-1", "date": date(2026, 6, 9),
       "until": date(2026, 8, 30), "reason": "phức tạp"}], "computed"),  # not open yet: no settle before intake
    ([{"id": "gs-1", "kind": "obligation", "date": date(2026, 6, 9), "due": date(2026, 6, 20), "obligor": "ubnd",
       "title": "Báo cáo giám sát"}], "extended"),
    ([{"kind": "fact", "of": "kn-1", "date": date(2026, 6, 9), "complex": True}], "computed"),
    ([{"kind": "void", "of": "kn-1", "date": date(2026, 6, 9), "reason": "nhầm"}], "computed"),
    ([{"id": "kh-1", "kind": "session", "date": date(2026, 6, 9), "ends": date(2026, 6, 10), "type": "regular"}],
     "computed"),  # a session can meet another rule's obligation: not shown safe
    ([{"id": "kn-1", "kind": "complaint", "date": date(2026, 6, 9)}], "computed"),  # an id used twice
    ([{"id": "kn-3", "kind": "complaint", "date": date(2026, 7, 9)}], "computed"),  # after the span: moves it
    ([{"id": "bc-1", "kind": "election", "date": date(2026, 6, 5)}], "computed"),  # its rule is met by a session
])
def test_appends_are_extended_where_shown_safe(template, tmp_path, appended, way):
    root, cache = scenario(template, tmp_path, BASE)
    on = date(2026, 6, 12)
    assert same_as_full(root, cache, on) == ["computed", "reused", "reused"]
    write(root, "data/2026.json", appended)
    assert same_as_full(root, cache, on)[0] == way


def test_the_closed_obligations_are_kept_once_a_command_shows_them(template, tmp_path):
    """The morning list keeps only what it shows: the first `due --all` computes and keeps the closed ones."""
    root, cache = scenario(template, tmp_path, BASE)
    on, morning, everything = date(2026, 6, 12), COMMANDS[1:], COMMANDS[:1]
    assert same_as_full(root, cache, on, morning) == ["computed", "reused"]
    assert same_as_full(root, cache, on, everything * 2) == ["computed", "reused"]
    write(root, "data/2026.json", [{"id": "kn-2", "kind": "complaint", "date": date(2026, 6, 10)}])
    assert same_as_full(root, cache, on, [*morning, *everything]) == ["extended", "reused", "reused"]


def test_a_ledger_naming_what_is_not_there_is_computed_afresh(template, tmp_path):
    """The error's "did you mean" hints come from the whole ledger: an append may change them."""
    unknown = {"kind": "done", "obligation": "complaint-first-accept/kn-2", "date": date(2026, 6, 9), "ref": "1"}
    root, cache = scenario(template, tmp_path, [*BASE, unknown])
    same_as_full(root, cache, date(2026, 6, 12))
    write(root, "data/2026.json", [{"id": "kn-3", "kind": "complaint", "date": date(2026, 6, 10)}])
    assert same_as_full(root, cache, date(2026, 6, 12))[0] == "computed"


def test_an_act_dated_ahead_counts_from_its_day(template, tmp_path):
    root, cache = scenario(template, tmp_path, [*BASE, {"id": "kn-9", "kind": "complaint", "date": date(2026, 6, 20)}])
    same_as_full(root, cache, date(2026, 6, 12))
    write(root, "data/2026.json", [{"kind": "done", "obligation": "complaint-first-accept/kn-1",
                                    "date": date(2026, 6, 14), "ref": "2/TB"}])
    assert same_as_full(root, cache, date(2026, 6, 12))[0] == "extended"  # not yet counted
    assert same_as_full(root, cache, date(2026, 6, 13))[0] == "reused"
    assert same_as_full(root, cache, date(2026, 6, 14))[0] == "computed"  # counted: the settlement begins


def test_an_unchanged_ledger_is_reused_on_later_days_until_an_entry_or_a_period_intervenes(template, tmp_path):
    root, cache = scenario(template, tmp_path, [*BASE, {"id": "kn-9", "kind": "complaint", "date": date(2026, 6, 20)}])
    assert same_as_full(root, cache, date(2026, 6, 12))[0] == "computed"
    assert same_as_full(root, cache, date(2026, 6, 19))[0] == "reused"  # days left counted again
    assert same_as_full(root, cache, date(2026, 6, 20))[0] == "computed"  # kn-9's day: it counts now
    assert same_as_full(root, cache, date(2026, 6, 30))[0] == "reused"
    assert same_as_full(root, cache, date(2026, 7, 1))[0] == "computed"  # a new quarter's reports


def test_yaml_and_json_lines_appends_and_an_edit(template, tmp_path):
    root, cache = scenario(template, tmp_path, BASE)
    on = date(2026, 6, 12)
    same_as_full(root, cache, on)
    write(root, "data/2026.yaml", [{"id": "kn-4", "kind": "complaint", "date": date(2026, 6, 2)}])
    assert same_as_full(root, cache, on)[0] == "extended"  # a new file
    for name in ("data/2026.yaml", "data/2026.jsonl"):
        write(root, name, [{"id": f"kn-{len(name)}", "kind": "complaint", "date": date(2026, 6, 4)}])
        assert same_as_full(root, cache, on)[0] == "extended"
    path = root / "data" / "2026.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("2026-06-02", "2026-06-05"), encoding="utf-8")
    assert same_as_full(root, cache, on)[0] == "computed"


def test_a_rule_or_setting_changed_is_computed_afresh(template, tmp_path):
    root, cache = scenario(template, tmp_path, BASE)
    on = date(2026, 6, 12)
    same_as_full(root, cache, on)
    config = root / "hdnd.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('horizon = "14d"', 'horizon = "30d"'),
                      encoding="utf-8")
    assert same_as_full(root, cache, on)[0] == "computed"
    pack = root / "rules" / "hdnd-tinh-1011-2023.toml"
    pack.write_text(pack.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert same_as_full(root, cache, on)[0] == "computed"


# --- writes: built and checked from the kept answer, or from the whole ledger, to one answer ----------

def ledger_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "data").rglob("*")) if p.is_file()}


def test_a_morning_of_writes_reads_no_ledger(template, tmp_path):
    """After the morning list, the day's adds and completions are built and checked from its kept answer."""
    root, cache = scenario(template, tmp_path, BASE)
    env = {"HDND_NOW": "2026-06-12T09:00", "HDND_CACHE_DIR": cache, "HDND_DEBUG": "1"}
    assert run("due", cwd=root, env=env).returncode == 0
    for args in (["add", "complaint", "--date", "2026-06-12"], ["add", "complaint", "--date", "2026-06-12"],
                 ["done", "complaint-first-accept/kn-1", "--ref", "2/TB"]):
        written = run(*args, cwd=root, env=env)
        assert written.returncode == 0 and written.stderr.startswith("hdnd: written from the kept\n"), written.stderr
    closed = run("done", "complaint-first-accept/kn-1", "--ref", "3/TB", cwd=root, env=env)
    assert closed.returncode == 2 and "hdnd: written" not in closed.stderr  # already done: the ledger says so


def test_a_ledger_smaller_than_the_size_that_pays_is_computed_every_run(template, tmp_path):
    """Below `HDND_KEPT_FROM` bytes of ledger files (1,000,000 unless set) the answer is not kept: every
    run computes in full and a write reads the ledger, as reusing it would save little; from there on
    it is kept. A value that is not a number is refused, by name."""
    root, cache = scenario(template, tmp_path, BASE)
    size = sum(len(data) for data in ledger_files(root).values())
    env = {"HDND_CACHE_DIR": cache, "HDND_DEBUG": "1", "HDND_NOW": "2026-06-12T09:00"}
    add = ("add", "complaint", "--date", "2026-06-12")

    def ways(kept_from: str, *args: str) -> list[str]:
        said = [run(*command, cwd=root, env={**env, "HDND_KEPT_FROM": kept_from}).stderr for command in (["due"], args)]
        return [text.partition("\n")[0] for text in said]

    assert ways("", "due") == ["hdnd: obligations computed"] * 2  # the size the project sets
    assert ways(str(size + 1), *add) == ["hdnd: obligations computed", "hdnd: written from the ledger"]
    size = sum(len(data) for data in ledger_files(root).values())
    assert ways(str(size), *add) == ["hdnd: obligations computed", "hdnd: written from the kept"]
    refused = run("due", cwd=root, env={**env, "HDND_KEPT_FROM": "1MB"})
    assert refused.returncode == 2 and "HDND_KEPT_FROM = '1MB'" in refused.stderr, refused.stderr
