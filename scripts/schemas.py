"""Write the editors' JSON Schema files (schemas/) and the reference tables (docs/files.md) from the
one declaration in src/hdnd_cli/parse/schema.py. Run after changing it: `python scripts/schemas.py`;
tests/test_schema.py fails while they are stale."""
import json
from pathlib import Path

from hdnd_cli.parse.schema import json_schemas, reference

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    for name, document in json_schemas().items():
        (ROOT / "schemas" / name).write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (ROOT / "docs" / "files.md").write_text(reference(), encoding="utf-8")


if __name__ == "__main__":
    main()
