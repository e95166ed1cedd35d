"""One declaration (parse/schema.py) makes the editors' JSON Schema files and docs/files.md; they
validate every file hdnd ships and refuse a typo, as hdnd check does."""
from __future__ import annotations

import json
import tomllib
from datetime import date, datetime
from pathlib import Path

import jsonschema
import pytest
import yaml

from hdnd_cli.parse.schema import json_schemas, reference

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "example"


def schema(name: str) -> dict:
    return json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))


def as_json(value):
    """A TOML or YAML value as an editor's schema validator sees it: dates and times are strings."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def errors(document, name: str) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema(name), format_checker=jsonschema.FormatChecker())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(as_json(document))]


def test_the_shipped_files_are_made_from_the_declaration():
    for name, document in json_schemas().items():
        assert schema(name) == document, f"schemas/{name} is stale: python scripts/schemas.py"
    assert (ROOT / "docs" / "files.md").read_text(encoding="utf-8") == reference(), "docs/files.md is stale"


def test_the_schemas_are_valid_json_schema():
    for name in json_schemas():
        jsonschema.Draft202012Validator.check_schema(schema(name))


@pytest.mark.parametrize("pack", sorted((ROOT / "rules").glob("*.toml")) + sorted((EXAMPLE / "rules").glob("*.toml")),
                         ids=lambda p: p.name)
def test_every_bundled_pack_validates(pack):
    assert errors(tomllib.loads(pack.read_text(encoding="utf-8")), "rules.schema.json") == []


def test_the_example_workspace_validates():
    assert errors(tomllib.loads((EXAMPLE / "hdnd.toml").read_text(encoding="utf-8")), "hdnd.schema.json") == []
    for ledger in sorted((EXAMPLE / "data").iterdir()):
        text = ledger.read_text(encoding="utf-8")
        entries = json.loads(text) if ledger.suffix == ".json" else yaml.safe_load(text)
        assert errors(entries, "ledger.schema.json") == [], ledger.name


def test_a_workspace_made_by_init_validates(tmp_path):
    from conftest import NOW, run

    assert run("init", str(tmp_path / "xa"), "--level", "commune", env={"HDND_NOW": NOW}).returncode == 0
    config = tomllib.loads((tmp_path / "xa" / "hdnd.toml").read_text(encoding="utf-8"))
    assert errors(config, "hdnd.schema.json") == []


@pytest.mark.parametrize("name, document, wrong", [
    ("hdnd.schema.json", {"office": {"levle": "commune"}}, "levle"),
    ("hdnd.schema.json", {"office": {"level": "huyen"}}, "huyen"),
    ("hdnd.schema.json", {"notify": {"security": "tls"}}, "tls"),
    ("rules.schema.json", {"source": {"id": "x", "title": "X"},
                           "rules": [{"id": "r", "title": "R", "obligor": "ubnd", "trigger": {"event": "session"},
                                      "deadline": {"afer": "30d"}}]}, "afer"),
    ("rules.schema.json", {"source": {"id": "x", "title": "X"},
                           "rules": [{"id": "r", "title": "R", "obligor": "ubnd", "trigger": {"event": "session"},
                                      "deadline": {"after": "30 ngày"}}]}, "30 ngày"),
    ("ledger.schema.json", [{"kind": "done", "obligation": "a/b", "date": "2026-01-05", "refs": "12/BC"}], "refs"),
    ("ledger.schema.json", [{"kind": "session", "date": "2026-07-10", "ends": "2026-07-12", "type": "thuong-le"}],
     "thuong-le"),
    ("ledger.schema.json", [{"kind": "waive", "obligation": "a/b", "date": "2026-01-05"}], "reason"),
], ids=["config key", "config choice", "mail security", "rule key", "amount", "entry key", "entry choice",
        "missing field"])
def test_a_typo_is_refused(name, document, wrong):
    found = errors(document, name)
    assert found and any(wrong in message for message in found), found
