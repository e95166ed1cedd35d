"""docs/deployment.md as a province follows it: the "Setting up" commands, in order, against a real
PostgreSQL server the test starts; then an office's morning and the province's roll-up work."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from conftest import Workspace, run
from pgserver import OWNER_PASSWORD, Server

DOC = (Path(__file__).resolve().parent.parent / "docs" / "deployment.md").read_text(encoding="utf-8")
NOW = {"HDND_NOW": "2026-12-03T08:00"}


@pytest.fixture(scope="module")
def server():
    started = Server()
    yield started
    started.close()


def setup_commands() -> list[str]:
    block = DOC.split("## Setting up", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_the_setup_commands_work_in_order_against_a_real_server(server, tmp_path):
    store = re.search(r"```toml\n(\[store\].*?)```", DOC, re.S).group(1)
    office_url = server.url("hdnd_xa_tan_phu")
    owner = {**NOW, "HDND_DATABASE_URL": server.url(), "PGPASSWORD": OWNER_PASSWORD}
    passwords = {"hdnd_xa_tan_phu": "mk-xa", "hdnd_tinh": "mk-tinh"}
    assert run("init", "xa", "--level", "commune", cwd=tmp_path, env=NOW).returncode == 0
    xa = Workspace(tmp_path / "xa", fresh=False, now=NOW["HDND_NOW"])
    (xa.root / "data" / "ledger.yaml").write_text("- {kind: complaint, id: kn-1, date: 2026-11-20}\n", encoding="utf-8")
    with open(xa.root / "hdnd.toml", "a", encoding="utf-8") as config:  # the doc's [store], on this server
        config.write("\n" + re.sub(r'url = "[^"]*"', f'url = "{office_url}"', store))
    as_office = {**NOW, "PGPASSWORD": passwords["hdnd_xa_tan_phu"]}
    commands = setup_commands()
    assert len(commands) >= 10
    for line in commands:
        args = shlex.split(line)
        if args[0] == "export":
            assert args[1].startswith("HDND_DATABASE_URL=")
        elif args[0] == "createuser":
            role = args[-1]
            server.sql(f"create role {role} login password '{passwords[role]}'")
        elif args[:3] in (["hdnd", "db", "push"], ["hdnd", "db", "dump"]):
            result = run(*args[1:], cwd=xa.root, env=as_office)
            assert result.returncode == 0, (line, result.stderr)
        elif args[0] == "hdnd":
            result = run(*args[1:], cwd=tmp_path, env=owner)
            assert result.returncode == 0, (line, result.stderr)
        else:  # pg_dump, pg_restore: PostgreSQL's own tools, from the server's installation
            tool = [str(server.bin / args[0]), *(server.url() if a == "$HDND_DATABASE_URL" else a for a in args[1:])]
            done = subprocess.run(tool, cwd=tmp_path, env={**os.environ, "PGPASSWORD": OWNER_PASSWORD},
                                  capture_output=True, text=True)
            assert done.returncode == 0, (line, done.stderr)
    assert (xa.root / "sao-luu" / "xa-tan-phu").is_dir() and (tmp_path / "hdnd.dump").is_file()
    morning = run("due", "--all", "-f", "json", cwd=xa.root, env=as_office)
    assert morning.returncode == 0 and "complaint-first-accept/kn-1" in morning.stdout, morning.stderr
    # The province's reader: every office, and no write.
    assert run("init", "tinh", "--level", "province", cwd=tmp_path, env=NOW).returncode == 0
    with open(tmp_path / "tinh" / "hdnd.toml", "a", encoding="utf-8") as config:
        config.write(f'\n[store]\nurl = "{server.url("hdnd_tinh")}"\noffice = "tinh"\n')
    province = {**NOW, "PGPASSWORD": passwords["hdnd_tinh"]}
    rolled = run("due", "--all", "--offices", "all", "-f", "json", cwd=tmp_path / "tinh", env=province)
    assert rolled.returncode == 0 and "complaint-first-accept/kn-1" in rolled.stdout, rolled.stderr
    refused = run("add", "complaint", "--date", "2026-11-21", cwd=tmp_path / "tinh", env=province)
    assert refused.returncode == 2
