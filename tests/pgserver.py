"""A real PostgreSQL server for the tests: `initdb` and `pg_ctl` in a temporary folder, listening on a
Unix socket only, with password (SCRAM) authentication. As root it runs as the `postgres` user, as
PostgreSQL requires. The server binaries come from the system's `postgresql` package (.ci/run installs
it where it is missing)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

OWNER, OWNER_PASSWORD = "hdnd_owner", "chu-so-huu"


def binaries() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    assert initdb, "PostgreSQL's server binaries are missing: apt-get install postgresql (.ci/run does)"
    return Path(initdb).parent


class Server:
    def __init__(self) -> None:
        self.bin = binaries()
        self.folder = Path(tempfile.mkdtemp(prefix="hdnd-pg-"))
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.folder, "postgres")
        with socket.socket() as probe:  # a port number for the socket's name; nothing listens on TCP
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        secret = self.folder / "pw"
        secret.write_text(OWNER_PASSWORD)
        if self.as_postgres:
            shutil.chown(secret, "postgres")
        self.command("initdb", "-D", str(self.folder / "data"), "-U", OWNER, "--auth-local=scram-sha-256",
                     "--auth-host=scram-sha-256", f"--pwfile={secret}", "-E", "UTF8", "--locale=C.UTF-8")
        secret.unlink()
        self.start()
        self.sql("create database hdnd", database="postgres")

    def command(self, name: str, *args: str) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        done = subprocess.run([*prefix, str(self.bin / name), *args], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr + done.stdout
        return done

    def start(self) -> None:
        self.command("pg_ctl", "-D", str(self.folder / "data"), "-l", str(self.folder / "log"), "-w", "start",
                     "-o", f"-k {self.folder} -p {self.port} -c listen_addresses='' -c max_connections=60")

    def stop(self, mode: str = "fast") -> None:
        self.command("pg_ctl", "-D", str(self.folder / "data"), "-m", mode, "-w", "stop")

    def url(self, role: str = OWNER, database: str = "hdnd") -> str:
        return f"postgresql://{role}@/{database}?host={self.folder}&port={self.port}"

    def sql(self, statement: str, params: tuple = (), role: str = OWNER, password: str = OWNER_PASSWORD,
            database: str = "hdnd") -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url(role, database), password=password, autocommit=True) as connection:
            cursor = connection.execute(statement, params)
            return cursor.fetchall() if cursor.description else []

    def close(self) -> None:
        try:
            self.stop("immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
