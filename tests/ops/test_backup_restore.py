"""The backup scripts in `deploy/backup/` on throwaway clusters made with Debian's
PostgreSQL tools: a base backup by `kezek-basebackup`, more rows written after it and
archived by `kezek-wal-archive`, a restore by `kezek-restore` into a second cluster, and
every row back, the ones after the backup too (replayed from the archive). A restore
with another KEZEK_IIN_KEY than the backup's is refused.

As root the tools run as `postgres` (initdb refuses root); the clusters listen on a
Unix socket in the temporary directory only, never on a TCP port.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "deploy" / "backup"
BINDIRS = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
KEY = "backup-test-iin-key-0123456789abcdef0123"


def as_postgres() -> list[str]:
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "postgres", "--"]


class Cluster:
    """One throwaway PostgreSQL cluster under a directory, reached by its socket."""

    def __init__(self, bindir: str, base: Path, name: str) -> None:
        self.bin, self.data, self.sock = bindir, base / name, base / f"{name}-sock"
        self.port = "5432"  # only names the socket file (.s.PGSQL.5432) in self.sock
        self.log = base / f"{name}.log"

    def run(self, *args: str, env: dict[str, str] | None = None,
            check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([*as_postgres(), *args], capture_output=True, text=True,
                              env={**os.environ, **(env or {})}, timeout=60)
        if check:
            assert done.returncode == 0, f"{args[0]}: {done.stdout}{done.stderr}"
        return done

    def pg_env(self) -> dict[str, str]:
        return {"PGHOST": str(self.sock), "PGPORT": self.port, "PGUSER": "postgres",
                "PG_BINDIR": self.bin}

    def start(self) -> None:
        self.sock.mkdir(exist_ok=True)
        chown(self.sock)
        self.run(f"{self.bin}/pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w",
                 "-t", "30", "-o", f"-c listen_addresses='' -c unix_socket_directories={self.sock}",
                 "start")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.run(f"{self.bin}/pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop",
                     check=False)

    def sql(self, query: str) -> str:
        return self.run(f"{self.bin}/psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
                        "-d", "postgres", "-c", query, env=self.pg_env()).stdout.strip()


def chown(path: Path) -> None:
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        os.chown(path, pw.pw_uid, pw.pw_gid)


@pytest.fixture
def base() -> Iterator[Path]:
    if not BINDIRS or not os.access(f"{BINDIRS[-1]}/initdb", os.X_OK):
        pytest.skip("Debian's PostgreSQL server tools (/usr/lib/postgresql/*/bin) are missing")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root without a postgres user to run initdb as")
    path = Path(tempfile.mkdtemp(prefix="kezek-backup-"))
    path.chmod(0o755)
    chown(path)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def test_base_backup_and_wal_archive_restore_every_row(base: Path) -> None:
    bindir = BINDIRS[-1]
    scripts = base / "scripts"  # a copy the postgres user can surely read and run
    shutil.copytree(SCRIPTS, scripts)
    for d in ("wal", "backups"):
        (base / d).mkdir()
        chown(base / d)
    primary = Cluster(bindir, base, "primary")
    restored = Cluster(bindir, base, "restored")
    try:
        primary.run(f"{bindir}/initdb", "-D", str(primary.data), "--auth=trust", "-U",
                    "postgres", "--no-sync")
        with (primary.data / "postgresql.conf").open("a") as conf:
            conf.write(f"\nwal_level = replica\narchive_mode = on\n"
                       f"archive_command = '{scripts}/kezek-wal-archive %p %f {base}/wal'\n")
        primary.start()
        primary.sql("CREATE TABLE bookings (id int PRIMARY KEY, iin_digest text NOT NULL);"
                    "INSERT INTO bookings SELECT g, md5(g::text) FROM generate_series(1, 5000) g")

        env = {**primary.pg_env(), "KEZEK_IIN_KEY": KEY}
        made = primary.run(f"{scripts}/kezek-basebackup", "--dest", str(base / "backups"),
                           "--wal-archive", str(base / "wal"), "--keep", "2", env=env)
        assert "kezek-basebackup:" in made.stdout
        (backup,) = (p for p in (base / "backups").iterdir() if p.name.startswith("20"))
        info = (backup / "kezek-backup.info").read_text()
        assert "iin_key_fingerprint=" in info and KEY not in info

        # written after the backup: only the archive brings these back
        primary.sql("INSERT INTO bookings SELECT g, md5(g::text) "
                    "FROM generate_series(5001, 6000) g")
        segment = primary.sql("SELECT pg_walfile_name(pg_switch_wal())")
        deadline = time.monotonic() + 30
        while not (base / "wal" / segment).exists():
            assert time.monotonic() < deadline, f"{segment} was not archived"
            time.sleep(0.2)
        primary.stop()

        wrong = restored.run(f"{scripts}/kezek-restore", str(backup), str(restored.data),
                             "--wal-archive", str(base / "wal"),
                             env={"KEZEK_IIN_KEY": "another-key-0123456789abcdef0123456",
                                  "PG_BINDIR": bindir}, check=False)
        assert wrong.returncode == 3, wrong.stderr
        assert "not the key of this backup" in wrong.stderr
        assert not restored.data.exists()

        restored.run(f"{scripts}/kezek-restore", str(backup), str(restored.data),
                     "--wal-archive", str(base / "wal"),
                     env={"KEZEK_IIN_KEY": KEY, "PG_BINDIR": bindir})
        restored.start()
        deadline = time.monotonic() + 30
        while restored.sql("SELECT pg_is_in_recovery()") == "t":
            assert time.monotonic() < deadline, "recovery did not end"
            time.sleep(0.2)
        assert restored.sql("SELECT count(*), max(id) FROM bookings") == "6000|6000"
        assert restored.sql(
            "SELECT count(*) FROM bookings WHERE iin_digest <> md5(id::text)") == "0"
        assert "archive recovery complete" in restored.log.read_text()
    finally:
        restored.stop()
        primary.stop()
