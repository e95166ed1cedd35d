"""Make the signing key of a law and a signed law bundle (README, "The law in use").

    python scripts/law_bundle.py keygen KEY_FILE
        a new Ed25519 key: the private key (PEM) is written to KEY_FILE (mode 600), the public key
        printed in base64, for data/law/keys.toml (the project's) or an office's [law] trusted_keys
        (a province's). Keep the private key off the repository and off the offices' machines.

    python scripts/law_bundle.py build --key KEY_FILE [--version 2027.01.15] [-o FILE.zip]
        the law of this repository (data/law/law.toml's packs from rules/, data/calendar/vn.toml,
        data/bodies.toml) as a bundle signed with KEY_FILE; the version defaults to law.toml's. A
        province that issues its own law edits the files first, then builds with its own key.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def keygen(path: Path) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(pem)
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def law_files(root: Path = ROOT) -> dict[str, bytes]:
    """The files of the repository's law, by their names in a bundle."""
    meta = tomllib.loads((root / "data" / "law" / "law.toml").read_text(encoding="utf-8"))
    files = {f"rules/{name}.toml": (root / "rules" / f"{name}.toml").read_bytes() for name in meta["packs"]}
    files["calendar/vn.toml"] = (root / "data" / "calendar" / meta["calendar"]).read_bytes()
    files["bodies.toml"] = (root / "data" / "bodies.toml").read_bytes()
    return files


def build(files: dict[str, bytes], version: str, private_pem: bytes) -> bytes:
    """A signed bundle of `files`: the manifest (every file's SHA-256), its signature, the files."""
    from cryptography.hazmat.primitives import serialization

    manifest = json.dumps({"format": 1, "version": version, "date": version.replace(".", "-"),
                           "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}},
                          indent=1, sort_keys=True).encode()
    key = serialization.load_pem_private_key(private_pem, password=None)
    signature = base64.b64encode(key.sign(manifest))  # type: ignore[union-attr, call-arg]  # an Ed25519 key
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", manifest)
        archive.writestr("manifest.sig", signature)
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
    return out.getvalue()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("keygen").add_argument("key", type=Path)
    made = commands.add_parser("build")
    made.add_argument("--key", type=Path, required=True)
    made.add_argument("--version")
    made.add_argument("-o", "--output", type=Path)
    args = parser.parse_args(argv)
    if args.command == "keygen":
        print(keygen(args.key))
        return 0
    version = args.version or tomllib.loads((ROOT / "data" / "law" / "law.toml").read_text(encoding="utf-8"))["version"]
    output = args.output or Path(f"hdnd-law-{version}.zip")
    output.write_bytes(build(law_files(), version, args.key.read_bytes()))
    print(output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
