"""hdnd as a library (`hdnd_cli.api`): the README's section run as written, and a write's costs and
answer: one read and one engine run, entries built before the store's transaction, a writer that
comes in between not lost, and the check by extension giving exactly the full check's answer."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import FrozenInstanceError
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import NOW, run
from hdnd_cli import api
from hdnd_cli.engine import evaluate as engine_evaluate
from hdnd_cli.model import Invalid, UserError
from hdnd_cli.render.text import problems_text
from hdnd_cli.storage.filestore import FileStore
from test_kept import FILES, act, event, write

README = Path(__file__).resolve().parent.parent / "README.md"
DAY = date(2026, 6, 15)
MORNING = datetime(2026, 6, 15, 8, 0)
BASE = [{"id": "kn-1", "kind": "complaint", "date": date(2026, 6, 1)},
        {"id": "tc-1", "kind": "denunciation", "date": date(2026, 6, 3)},
        {"id": "kn-2", "kind": "complaint", "date": date(2026, 6, 10)}]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A province workspace as `hdnd init` makes it, without `since` and with a ledger of three cases."""
    root = tmp_path_factory.mktemp("api") / "ws"
    assert run("init", str(root), "--level", "province", env={"HDND_NOW": NOW}).returncode == 0
    config = root / "hdnd.toml"
    text = "\n".join(line for line in config.read_text(encoding="utf-8").splitlines() if not line.startswith("since"))
    config.write_text(text + "\n", encoding="utf-8")
    (root / "data" / "ledger.yaml").unlink()
    write(root, "data/2026.yaml", BASE)
    return root


@pytest.fixture
def office(template, tmp_path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(template, root)
    return root


def entries_of(*entries: dict) -> api.Build:
    """A build that appends `entries` as they are: what is checked is then the check itself."""
    return lambda workspace, obligations, today: [dict(e) for e in entries]


class Counted:
    """How many times the ledger was read and the engine run while it is installed."""

    def __init__(self, monkeypatch):
        self.reads = self.runs = 0
        read, compute = FileStore.read, engine_evaluate.compute

        def counted_read(store, *args, **kwargs):
            self.reads += 1
            return read(store, *args, **kwargs)

        def counted_compute(*args, **kwargs):
            self.runs += 1
            return compute(*args, **kwargs)

        monkeypatch.setattr(FileStore, "read", counted_read)
        monkeypatch.setattr(engine_evaluate, "compute", counted_compute)


# --- the README -----------------------------------------------------------------------------------

def readme_python() -> str:
    section = README.read_text(encoding="utf-8").split("## Using hdnd from Python", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "the section has one Python example"
    return blocks[0]


def test_the_readme_section_runs_as_written_and_agrees_with_the_command_line(office):
    done = subprocess.run([sys.executable, "-c", readme_python()], cwd=office, capture_output=True, text=True,
                          env={"PATH": "", "HDND_NO_CACHE": "1", "LANG": "C.UTF-8"}, timeout=120)
    assert done.returncode == 0, done.stderr
    printed = [line.split() for line in done.stdout.splitlines()]
    shown = run("due", "--all", "-f", "json", "--as-of", "2026-11-25", cwd=office, env={"HDND_NO_CACHE": "1"})
    items = {i["id"]: i for i in json.loads(shown.stdout)["items"]}
    assert printed and all(items[o_id]["due"] == due and items[o_id]["status"] == status
                           for o_id, due, status in printed), (printed, items)
    assert items["complaint-first-accept/kn-7"]["status"] == "done"  # the example's write was kept
    assert "kn-7" in (office / "data" / "2026.yaml").read_text(encoding="utf-8")


def test_the_settings_are_frozen_apart_from_what_was_loaded(office):
    workspace = api.load(office)
    with pytest.raises(FrozenInstanceError):
        workspace.settings.horizon = 3  # type: ignore[misc]  # the point: it is refused
    for table in (workspace.settings.office, workspace.settings.notify, workspace.settings.bodies):
        with pytest.raises(TypeError):
            table["name"] = "Khác"  # type: ignore[index]  # the point: it is refused
    later = api.with_ledger(workspace, workspace.store.read())
    assert later.settings is workspace.settings and later.entries is not workspace.entries


# --- a write's costs ------------------------------------------------------------------------------

def test_a_write_reads_the_ledger_once_and_runs_the_engine_once(office, monkeypatch):
    workspace = api.load(office)
    counted = Counted(monkeypatch)
    api.record(workspace, api.done("complaint-first-accept/kn-1", date(2026, 6, 8), ref="2/TB"), now=MORNING,
               user="an")
    assert (counted.reads, counted.runs) == (1, 1)
    api.record(workspace, api.add("complaint", date(2026, 6, 12), id="kn-3"), now=MORNING, user="an")
    assert (counted.reads, counted.runs) == (2, 2)
    api.record(workspace, api.void("kn-3", "nhầm"), now=MORNING, user="an")  # a correction: computed afresh
    assert (counted.reads, counted.runs) == (3, 4)
    found = api.evaluate(workspace, DAY)
    assert api.find_obligation({o.id: o for o in found.obligations}, "complaint-first-accept/kn-1").status == "done"
    assert "complaint-first-accept/kn-3" not in {o.id for o in found.obligations}


def test_known_on_runs_the_engine_again_only_when_it_leaves_an_entry_out(office, monkeypatch):
    """`--known-on` computes once on the whole ledger (its problems) and again on what was recorded by
    then; when that is everything (a ledger typed by hand has no stamps), the first answer is the one."""
    workspace = api.load(office)
    typed = api.evaluate(workspace, DAY)
    counted = Counted(monkeypatch)
    office_time = timezone(timedelta(hours=7))
    known = api.evaluate(workspace, DAY, known_on=datetime(2026, 6, 1, tzinfo=office_time))
    assert (counted.runs, known.later, known.obligations) == (1, [], typed.obligations)
    api.record(workspace, api.add("complaint", date(2026, 6, 12), id="kn-3"), now=MORNING, user="an")
    counted.runs = 0
    before = api.evaluate(workspace, DAY, known_on=MORNING.replace(minute=0, tzinfo=office_time) - timedelta(minutes=1))
    assert counted.runs == 2 and [e.id for e in before.later] == ["kn-3"]
    assert before.obligations == typed.obligations  # what the office knew before the entry was typed
    assert "complaint-first-accept/kn-3" in {o.id for o in api.evaluate(workspace, DAY).obligations}


def test_the_entries_are_built_before_the_transaction_and_again_under_the_lock_when_another_writer_came_in(
        office, monkeypatch):
    import hdnd_cli.storage.filestore as filestore

    workspace = api.load(office)
    calls: list[bool] = []
    held: list[bool] = []
    locked = filestore.locked

    def watching(root, *args, **kwargs):
        held.append(True)
        return locked(root, *args, **kwargs)

    monkeypatch.setattr(filestore, "locked", watching)

    def build(ws, obligations, today):
        calls.append(bool(held))  # whether the store's lock was taken when the entries were built
        if len(calls) == 1:  # another office clerk writes between our read and our transaction
            write(office, "data/2026.yaml", [{"id": "kn-9", "kind": "complaint", "date": date(2026, 6, 11)}])
        return [{"id": "kn-10", "kind": "complaint", "date": date(2026, 6, 12)}]

    api.record(workspace, build, now=MORNING, user="an")
    assert calls == [False, True]
    text = (office / "data" / "2026.yaml").read_text(encoding="utf-8")
    assert "kn-9" in text and "kn-10" in text
    assert {"complaint-first-accept/kn-9", "complaint-first-accept/kn-10"} <= {
        o.id for o in api.evaluate(workspace, DAY).obligations}


# --- one answer -----------------------------------------------------------------------------------

def outcome(root: Path, build: api.Build, incremental: bool) -> tuple[str, object]:
    """What a dry-run write says: what it would write, or why not (every problem, as shown)."""
    try:
        written = api.record(api.load(root), build, now=MORNING, user="an", dry_run=True, incremental=incremental)
        return "written", [(w.place, w.added) for w in written]
    except Invalid as error:
        return "invalid", problems_text(error.problems, "en")
    except UserError as error:
        return "refused", str(error)


@pytest.mark.parametrize("entries, runs", [
    ([{"kind": "done", "obligation": "complaint-first-accept/kn-1", "date": date(2026, 6, 8), "ref": "2/TB"}], 1),
    ([{"id": "kn-4", "kind": "complaint", "date": date(2026, 6, 12)}], 1),
    ([{"kind": "done", "obligation": "complaint-first-accept/kn-404", "date": date(2026, 6, 8)}], 2),  # unknown
    ([{"kind": "done", "obligation": "complaint-first-accept/kn-1", "date": date(2026, 6, 8)},
      {"kind": "done", "obligation": "complaint-first-accept/kn-1", "date": date(2026, 6, 9)}], 1),  # twice
    ([{"kind": "extend", "obligation": "complaint-first-accept/kn-1", "date": date(2026, 6, 8),
       "until": date(2026, 8, 30), "reason": "phức tạp"}], 1),
    ([{"id": "kn-1", "kind": "complaint", "date": date(2026, 6, 12)}], 2),  # an id taken: read as a problem
    ([{"kind": "fact", "of": "kn-1", "date": date(2026, 6, 9), "complex": True}], 2),
    ([{"kind": "set", "of": "kn-2", "date": date(2026, 6, 12), "reason": "sửa", "handler": "ubnd"}], 2),
    ([{"kind": "void", "of": "kn-2", "date": date(2026, 6, 12), "reason": "nhầm"}], 2),
    ([{"id": "gs-1", "kind": "obligation", "date": date(2026, 6, 9), "due": date(2026, 6, 20), "obligor": "ubnd",
       "title": "Báo cáo giám sát"}], 1),
])
def test_the_check_by_extension_gives_the_full_checks_answer(office, monkeypatch, entries, runs):
    full = outcome(office, entries_of(*entries), incremental=False)
    counted = Counted(monkeypatch)
    assert outcome(office, entries_of(*entries), incremental=True) == full
    assert counted.runs == runs  # 1: the check extended the computation; 2: it computed afresh


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_check_by_extension_gives_the_full_checks_answer_on_random_ledgers(template, tmp_path_factory, data):
    root = tmp_path_factory.mktemp("random") / "ws"
    shutil.copytree(template, root)
    events = [data.draw(event(n)) for n in range(data.draw(st.integers(0, 10), label="events"))]
    for entry in events:
        write(root, data.draw(st.sampled_from(FILES)), [entry])
    names = [e["id"] for e in events if "id" in e]
    ids = [o.id for o in api.evaluate(api.load(root), DAY, partial=True).obligations] or ["complaint-first-accept/e0"]
    new = [data.draw(act(ids, names, DAY) if data.draw(st.booleans()) else event(100 + k, DAY))
           for k in range(data.draw(st.integers(1, 3), label="new entries"))]
    new = [{**entry, "date": min(entry["date"], DAY)} for entry in new]  # acts are refused after today
    assert outcome(root, entries_of(*new), True) == outcome(root, entries_of(*new), False)
    shutil.rmtree(root.parent, ignore_errors=True)


def test_a_write_refused_for_a_date_to_come_writes_nothing(office, monkeypatch):
    counted = Counted(monkeypatch)
    with pytest.raises(UserError) as refused:
        api.record(api.load(office), api.waive("complaint-first-accept/kn-1", "không còn",
                                               day=DAY + timedelta(days=1)), now=MORNING, user="an")
    assert refused.value.key == "date-in-future"
    assert counted.reads == 1 and "waive" not in (office / "data" / "2026.yaml").read_text(encoding="utf-8")
