"""Where the bundled data is: the rule packs (`rules/`) and the calendar, bodies and example
workspace (`data/`).

They live at the top of the repository, where a lawyer reviewing the rules finds them, and are
copied into the wheel as `hdnd_cli/_bundled/`. An installed wheel reads that copy; an editable
install (or a checkout on `PYTHONPATH`) reads the repository's own folders.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


@cache
def bundled(name: str) -> Path:
    """`rules` or `data`: the folder, in the wheel or in the source tree."""
    for folder in (_PACKAGE / "_bundled" / name, _PACKAGE.parent.parent / name):
        if folder.is_dir():
            return folder
    raise FileNotFoundError(f"the bundled '{name}' folder is missing: reinstall hdnd")


def rules_folder() -> Path:
    return bundled("rules")


def example_config() -> Path:
    return bundled("data") / "example" / "hdnd.toml"


def calendar_file() -> Path:
    return bundled("data") / "calendar" / "vn.toml"


def bodies_file() -> Path:
    return bundled("data") / "bodies.toml"


def drafting_file() -> Path:
    return bundled("data") / "drafting.toml"


def template_file() -> Path:
    return bundled("data") / "templates" / "quy-che.toml"
