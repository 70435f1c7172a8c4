"""Two throwaway PostgreSQL clusters on loopback: a primary and its synchronous standby.

For bench/failover.py. Built with Debian's server binaries (/usr/lib/postgresql/<v>/bin)
under one temporary folder that holds both data directories and their unix sockets;
`close()` stops whatever still runs and removes the folder. initdb refuses to run as
root, so under root every cluster command runs as the `postgres` OS user (runuser) and
the folder is handed to it.

The standby is a `pg_basebackup -R` of the primary, streaming under the name `standby1`,
which the primary lists in `synchronous_standby_names`: a commit is acknowledged to the
client only once the standby has flushed its WAL, so a booking that got 201 is on both
machines before the client hears of it. That setting is given to the primary on its
command line only, not in the copied postgresql.conf: once promoted, the standby runs
alone, and with a synchronous standby named that is not there every commit would wait
for ever (a failover manager does the same: Patroni's synchronous_mode drops the
requirement while no standby is left, unless synchronous_mode_strict is set).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

STANDBY_NAME = "standby1"
CONF = """
listen_addresses = '127.0.0.1'
max_connections = 100
shared_buffers = 64MB
wal_level = replica
max_wal_senders = 4
wal_keep_size = 256MB
hot_standby = on
synchronous_commit = on
fsync = on
log_min_messages = warning
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bin_dir() -> Path:
    """The newest installed server's binaries."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    if not found:
        raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql")
    return Path(found[-1]).parent


@dataclass
class Node:
    name: str
    data: Path
    port: int
    options: str = ""

    @property
    def dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def postmaster_pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return None


@dataclass
class Pair:
    """The folder, the two nodes, and the commands to run against them."""

    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="kezek-failover-")))
    bin: Path = field(default_factory=bin_dir)
    primary: Node = field(init=False)
    standby: Node = field(init=False)

    def __post_init__(self) -> None:
        self.as_root = os.geteuid() == 0
        if self.as_root:
            pw = pwd.getpwnam("postgres")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        sock = self.root
        common = f"-c port={{port}} -c unix_socket_directories={sock}"
        self.primary = Node("primary", self.root / "primary", free_port())
        self.primary.options = (common.format(port=self.primary.port)
                                + f" -c synchronous_standby_names='FIRST 1 ({STANDBY_NAME})'")
        self.standby = Node("standby", self.root / "standby", free_port())
        self.standby.options = common.format(port=self.standby.port)

    def run(self, *cmd: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """A server binary, as `postgres` under root; raises with its output on failure."""
        argv = [str(self.bin / cmd[0]), *cmd[1:]]
        if self.as_root:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                              cwd=self.root)
        if done.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed ({done.returncode}): "
                               f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
        return done

    def start(self, node: Node) -> None:
        self.run("pg_ctl", "-D", str(node.data), "-o", node.options, "-l",
                 str(self.root / f"{node.name}.log"), "-w", "-t", "60", "start")

    def build(self) -> None:
        """initdb the primary, start it, clone the standby from it, start that."""
        self.run("initdb", "-D", str(self.primary.data), "-U", "postgres", "--auth=trust",
                 "--no-instructions", "-E", "UTF8", "--locale=C.UTF-8")
        with open(self.primary.data / "postgresql.conf", "a", encoding="utf-8") as f:
            f.write(CONF)
        self.start(self.primary)
        conninfo = (f"host=127.0.0.1 port={self.primary.port} user=postgres "
                    f"application_name={STANDBY_NAME}")
        self.run("pg_basebackup", "-d", conninfo, "-D", str(self.standby.data), "-R",
                 "-X", "stream", "-c", "fast")
        self.start(self.standby)

    def kill_primary(self) -> int:
        """SIGKILL to the primary's postmaster and every process it started at once, as
        if its machine had died: nothing is flushed, nothing says goodbye."""
        pid = self.primary.postmaster_pid()
        if pid is None:
            raise RuntimeError("the primary is not running")
        victims = [pid, *children(pid)]
        for p in victims:
            with contextlib.suppress(ProcessLookupError):
                os.kill(p, signal.SIGKILL)
        return len(victims)

    def promote(self) -> None:
        self.run("pg_ctl", "-D", str(self.standby.data), "-w", "-t", "60", "promote")

    def close(self) -> None:
        """Stops both servers (immediately: the data is thrown away) and removes the
        folder; safe to call twice and after any failure."""
        for node in (self.standby, self.primary):
            if node.postmaster_pid() is not None and (node.data / "postmaster.pid").exists():
                try:
                    self.run("pg_ctl", "-D", str(node.data), "-m", "immediate", "-w",
                             "-t", "30", "stop", timeout=40)
                except (RuntimeError, subprocess.TimeoutExpired):
                    pid = node.postmaster_pid()
                    for p in ([pid, *children(pid)]) if pid else []:
                        with contextlib.suppress(ProcessLookupError):
                            os.kill(p, signal.SIGKILL)
        shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, node: Node, lines: int = 20) -> str:
        try:
            text = (self.root / f"{node.name}.log").read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    out = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(Path(stat).parent.name))
    return out

