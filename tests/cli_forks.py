"""Runs `kezek` commands each in a process of its own, forked from one that has the
third-party libraries already loaded.

Why: the smoke tests run about a hundred commands, and each new interpreter spent about
1.5 s of CPU importing SQLAlchemy, pydantic, Typer and Rich before the command did
anything (two-thirds of the smoke tests' time, which was a third of `make test`).
A fork of a process that imported them starts in milliseconds, and what the test
checks is unchanged: the command's own entry point (`kezek.cli.main`), in a fresh
process with the test's environment, working directory and standard input, its exit
status and both output streams as an operator sees them. Only libraries that read no
environment at import are loaded ahead (not prometheus_client, which reads
PROMETHEUS_MULTIPROC_DIR, nor matplotlib, nor huey); no module of Kezek's is, so an
import failure of any Kezek module still shows in the command that hits it. Commands
that run until stopped (serve, jobs worker, bot) and the first command of each module
still start as the installed executable.
"""

from __future__ import annotations

import json
import os
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PRELOAD = ("sqlalchemy", "sqlalchemy.orm", "sqlalchemy.ext.asyncio", "sqlalchemy.dialects.sqlite",
           "sqlalchemy.dialects.postgresql.asyncpg", "aiosqlite", "asyncpg", "pydantic",
           "pydantic_settings", "typer", "click", "rich.console", "rich.table", "alembic",
           "alembic.command", "fastapi", "starlette", "httpx", "numpy", "argon2",
           "cryptography")

# The forking server: reads one request per connection, forks a handler for it, and the
# handler forks the command, waits for it and answers with its status and output.
SERVER = r'''
import json, os, signal, socket, struct, sys, tempfile, time, traceback

def recv(conn):
    size = struct.unpack("!I", conn.recv(4, socket.MSG_WAITALL))[0]
    data = b""
    while len(data) < size:
        data += conn.recv(size - len(data))
    return json.loads(data)

def command(req, out, err, inp):
    os.chdir(req["cwd"])
    os.environ.clear()
    os.environ.update(req["env"])
    for fd, f in ((0, inp), (1, out), (2, err)):
        os.dup2(f.fileno(), fd)
    sys.argv = ["kezek", *req["args"]]
    code = 0
    try:
        from kezek.cli import main
        main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if not isinstance(exc.code, int | type(None)):
            print(exc.code, file=sys.stderr)
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)

def handle(conn):
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    req = recv(conn)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.TemporaryFile() as inp:
        inp.write((req.get("stdin") or "").encode())
        inp.seek(0)
        pid = os.fork()
        if pid == 0:
            command(req, out, err, inp)
        deadline = time.monotonic() + req["timeout"]
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                rc = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                rc = None
                break
            time.sleep(0.005)
        out.seek(0)
        err.seek(0)
        answer = {"rc": rc, "stdout": out.read().decode(errors="replace"),
                  "stderr": err.read().decode(errors="replace")}
    data = json.dumps(answer).encode()
    conn.sendall(struct.pack("!I", len(data)) + data)
    conn.close()

for name in sys.argv[2:]:
    __import__(name)
server = socket.socket(socket.AF_UNIX)
server.bind(sys.argv[1])
server.listen(16)
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # handlers are reaped by the system
print("ready", flush=True)
while True:
    conn, _ = server.accept()
    if os.fork() == 0:
        server.close()
        try:
            handle(conn)
        finally:
            os._exit(0)
    conn.close()
'''


class Forks:
    """The forking server for one test module; `run` is subprocess.run's shape."""

    def __init__(self, folder: Path) -> None:
        self.path = str(folder / "kezek-forks.sock")
        self.proc = subprocess.Popen([sys.executable, "-c", SERVER, self.path, *PRELOAD],
                                     stdout=subprocess.PIPE, text=True,
                                     env={k: v for k, v in os.environ.items()
                                          if not k.startswith("KEZEK_")})
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line.strip() == "ready", f"the forking server did not start: {line!r}"

    def run(self, args: list[str], cwd: Path, env: dict[str, str], stdin: str | None,
            timeout: float) -> subprocess.CompletedProcess[str]:
        request = json.dumps({"args": args, "cwd": str(cwd), "env": env, "stdin": stdin,
                              "timeout": timeout}).encode()
        started = time.monotonic()
        with socket.socket(socket.AF_UNIX) as conn:
            conn.settimeout(timeout + 30)
            conn.connect(self.path)
            conn.sendall(struct.pack("!I", len(request)) + request)
            size = struct.unpack("!I", conn.recv(4, socket.MSG_WAITALL))[0]
            data = b""
            while len(data) < size:
                data += conn.recv(size - len(data))
        answer: dict[str, Any] = json.loads(data)
        if answer["rc"] is None:
            raise subprocess.TimeoutExpired(["kezek", *args], time.monotonic() - started)
        return subprocess.CompletedProcess(["kezek", *args], answer["rc"], answer["stdout"],
                                           answer["stderr"])

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        Path(self.path).unlink(missing_ok=True)
