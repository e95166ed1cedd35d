"""The layers of docs/architecture.md, kept by reading the code (as beancount keeps its dependency table).

Imports go one way: a module imports only from its own layer and the layers below it. Files are
opened only in `storage`; the clock, the environment and the terminal are read only in `cli`; the
current folder only in `storage` (where a relative path is opened) and `cli`; a connection is
opened only in `net` (mail) and `storage` (the database).
"""
from __future__ import annotations

import ast
import functools
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "hdnd_cli"

LAYERS = {  # a layer may import from the layers with a smaller number, and from itself
    "model": 0, "messages": 0,
    "dates": 1,
    "parse": 2,
    "engine": 3,
    "storage": 4, "render": 4, "net": 4,  # side by side: none imports another
    "api": 5,
    "cli": 6,
}
# `open(...)` and the methods that open a file: path.read_text(), os.fdopen(...) ...
OPENS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "fdopen", "file_digest"}
CLOCK = {"now", "today", "utcnow", "monotonic", "perf_counter", "time.time"}  # datetime.now(), time.time() ...
ENVIRONMENT = {"environ", "getenv", "getuser", "expanduser", "home"}  # os.environ, Path.home() ...
TERMINAL = {"isatty", "get_terminal_size"}
CURRENT_FOLDER = {"cwd", "getcwd", "chdir"}  # Path.cwd(), os.getcwd() ...
NETWORK = {"socket", "ssl", "smtplib", "http", "urllib", "ftplib", "imaplib", "poplib", "psycopg", "psycopg_pool"}


def layer(module: str) -> str:
    """`hdnd_cli.storage.files` -> `storage`; the package's own `__init__` is the entry point."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] != "__main__" else "hdnd_cli"


@functools.cache
def parsed(text: str) -> ast.Module:
    """A module's syntax tree, parsed once per text (every check walks every module)."""
    return ast.parse(text)


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        found.append((".".join(p for p in relative.parts if p != "__init__"), path))
    return found


def imported(module: str, path: Path, package_only: bool = True) -> list[tuple[str, int]]:
    """Every hdnd_cli module that `module` imports, anywhere in it (imports inside functions count);
    every module at all unless `package_only`."""
    tree = parsed(path.read_text(encoding="utf-8"))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            if not node.module:  # `from . import audit`: each name is a module (or the package's __version__)
                found.extend((f"{target}.{alias.name}" if alias.name != "__version__" else target, node.lineno)
                             for alias in node.names)
            else:
                found.append((target, node.lineno))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
    return [(name, line) for name, line in found if not package_only or name.split(".")[0] == "hdnd_cli"]


def backwards(module: str, path: Path) -> list[str]:
    """The imports of `module` that run against the layers."""
    mine = layer(module)
    if mine == "hdnd_cli":
        return []  # the entry point starts the command line
    wrong = []
    for target, line in imported(module, path):
        theirs = layer(target)
        if theirs == "hdnd_cli":
            continue  # the package itself gives only its __version__
        if theirs != mine and LAYERS[theirs] >= LAYERS[mine]:
            wrong.append(f"{path.relative_to(PACKAGE)}:{line}: {mine} imports {target}")
    return wrong


def calls(path: Path, names: set[str]) -> list[str]:
    """Uses of `names`: a call of a built-in (`open(...)`), an attribute (`x.read_text(...)`,
    `os.environ`, `datetime.now()`), or `module.attribute` (`time.time`)."""
    tree = parsed(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        name = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
            name = "open"
        elif isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else ""
            name = node.attr if node.attr in names else f"{owner}.{node.attr}"
        if name in names:
            found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {name}")
    return found


def test_every_module_is_in_a_layer():
    for module, _ in modules():
        assert layer(module) in LAYERS or layer(module) == "hdnd_cli", module


def test_imports_run_one_way():
    wrong = [w for module, path in modules() for w in backwards(module, path)]
    assert wrong == []


def test_a_planted_backwards_import_fails_the_check(monkeypatch, tmp_path):
    """The same check on a copy of the package with one import turned around."""
    copy = tmp_path / "hdnd_cli"
    import shutil

    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / "dates" / "counting.py"
    target.write_text(target.read_text(encoding="utf-8") + "\n\ndef _planted():\n    from ..engine.compute import compute\n",
                      encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", copy)
    wrong = [w for module, path in modules() for w in backwards(module, path)]
    assert len(wrong) == 1 and "dates imports hdnd_cli.engine.compute" in wrong[0]


SIDE_EFFECTS = [(OPENS, ("storage",)), (CLOCK, ("cli",)), (ENVIRONMENT, ("cli",)), (TERMINAL, ("cli",)),
                (CURRENT_FOLDER, ("storage", "cli"))]
SIDE_EFFECT_NAMES = ["files opened only in storage", "the clock read only in cli", "the environment read only in cli",
                     "the terminal asked only in cli", "the current folder read only in storage and cli"]


def side_effects(names: set[str], allowed: tuple[str, ...]) -> list[str]:
    return [hit for module, path in modules() if layer(module) not in (*allowed, "hdnd_cli")
            for hit in calls(path, names)]


def connections() -> list[str]:
    """Imports of a network module outside `net` and `storage`."""
    return [f"{path.relative_to(PACKAGE)}:{line}: {name}" for module, path in modules()
            if layer(module) not in ("net", "storage", "hdnd_cli")
            for name, line in imported(module, path, package_only=False) if name.split(".")[0] in NETWORK]


@pytest.mark.parametrize("names, allowed", SIDE_EFFECTS, ids=SIDE_EFFECT_NAMES)
def test_side_effects_stay_in_their_layer(names, allowed):
    assert side_effects(names, allowed) == []


def test_connections_are_opened_only_in_net_and_storage():
    assert connections() == []


PLANTED = {  # a line planted in a render module, and what the check must say of it
    "open": ("open('x')", "open"),
    "clock": ("datetime.now()", "now"),
    "environment": ("os.environ.get('HOME')", "environ"),
    "terminal": ("sys.stdout.isatty()", "isatty"),
    "current folder": ("Path.cwd()", "cwd"),
    "connection": ("import smtplib", "smtplib"),
    "database": ("import psycopg", "psycopg"),
}


@pytest.mark.parametrize("planted", PLANTED, ids=list(PLANTED))
def test_a_planted_side_effect_fails_the_check(monkeypatch, tmp_path, planted):
    """Each check on a copy of the package with one line planted in a pure layer."""
    import shutil

    copy = tmp_path / "hdnd_cli"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / "render" / "sheets.py"
    line, name = PLANTED[planted]
    target.write_text(target.read_text(encoding="utf-8") + f"\n\ndef _planted():\n    {line}\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", copy)
    found = [hit for names, allowed in SIDE_EFFECTS for hit in side_effects(names, allowed)] + connections()
    assert len(found) == 1 and found[0].startswith("render/sheets.py:") and found[0].endswith(f": {name}"), found
