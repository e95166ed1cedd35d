"""The wheel an office installs carries the bundled rule packs, calendar and example, and finds them."""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import run

ROOT = Path(__file__).resolve().parent.parent


def test_the_built_wheel_holds_the_bundled_data_and_runs_from_it(tmp_path):
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                            "-q", "-w", str(tmp_path / "dist")], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "dist").glob("hdnd-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    packs = {p.name for p in (ROOT / "rules").glob("*.toml")}
    assert packs and {f"hdnd_cli/_bundled/rules/{name}" for name in packs} <= names
    assert {"hdnd_cli/_bundled/data/calendar/vn.toml", "hdnd_cli/_bundled/data/example/hdnd.toml",
            "hdnd_cli/__init__.py", "hdnd_cli/cli/main.py"} <= names
    assert not any(name.startswith(("tests/", "hdnd_cli/__pycache__")) for name in names)

    # Run the command from the wheel's contents alone (its dependencies from this environment).
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    environment = {**os.environ, "PYTHONPATH": str(site), "HDND_CACHE_DIR": str(tmp_path / "cache"), "LANG": "C.UTF-8"}
    code = "import hdnd_cli, sys; sys.argv[0] = 'hdnd'; print(hdnd_cli.__file__, file=sys.stderr); hdnd_cli.main()"
    result = subprocess.run([sys.executable, "-c", code, "due", "--example", "--as-of", "2026-11-23", "-f", "json"],
                            cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(str(site))  # the wheel's copy, not the source tree
    assert json.loads(result.stdout)["items"]
    checked = subprocess.run([sys.executable, "-c", code, "check", "--example"], cwd=tmp_path, env=environment,
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and checked.stdout == run("check", "--example").stdout, checked.stderr
    assert str(ROOT) not in checked.stdout + checked.stderr  # every bundled file was read from the wheel
