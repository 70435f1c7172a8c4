"""Every `kezek` command run for real, as a subprocess, once with good and once with bad
input (issue 12).

In-process CliRunner tests missed `kezek data export` failing on import and `kezek network
import` printing a traceback: only the installed command, in its own process and
environment, shows what an operator sees. Good input must exit 0 with a meaningful line;
bad input must exit non-zero with one readable line, no traceback, no IIN or phone in
clear. `test_every_command_has_a_smoke_entry` fails when a new command has no entry here.

The commands share one SQLite database, migrated and loaded once for the module; the
tests run in file order and each group sets up what it needs (a user before disabling
it, an export before importing it back). Bad inputs of a group run two at a time.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.cli_forks import Forks

KEZEK = str(Path(sys.executable).with_name("kezek"))
FIXTURES = Path(__file__).parent / "fixtures" / "cli"
# Valid checksums, so that a bad line is bad for its own reason; never printed in clear.
IIN = "550312400125"
OTHER_IIN = "850715400238"
PHONE, PHONE_DIGITS = "+7 701 000 00 01", "77010000001"
PASSWORD = "correct horse battery staple 7"
COVERED: set[str] = set()
F = TypeVar("F", bound=Callable[..., Any])


def covers(*commands: str) -> Callable[[F], F]:
    """Marks a test as the smoke entry of these commands (read at import time)."""
    COVERED.update(commands)
    return lambda test: test


@dataclass
class Kezek:
    """The `kezek` command with its own working directory and environment: each run a
    process of its own, forked from the module's server when there is one (cli_forks),
    else the installed executable."""

    home: Path
    env: dict[str, str]
    forks: Forks | None = None

    def run(self, *args: str, stdin: str | None = None, timeout: float = 120
            ) -> subprocess.CompletedProcess[str]:
        if self.forks is not None:
            return self.forks.run(list(args), self.home, self.env, stdin, timeout)
        return subprocess.run([KEZEK, *args], cwd=self.home, env=self.env, input=stdin,
                              capture_output=True, text=True, timeout=timeout)

    def ok(self, *args: str, stdin: str | None = None) -> str:
        """Runs a command that must succeed; returns its standard output."""
        r = self.run(*args, stdin=stdin)
        assert r.returncode == 0, f"kezek {' '.join(args)}: rc {r.returncode}\n{r.stdout}{r.stderr}"
        assert "Traceback" not in r.stdout + r.stderr
        return r.stdout

    def bad(self, *args: str, stdin: str | None = None) -> str:
        """Runs a command on bad input: non-zero, one readable line, nothing in clear."""
        r = self.run(*args, stdin=stdin)
        both = r.stdout + r.stderr
        assert r.returncode != 0, f"kezek {' '.join(args)} exited 0:\n{both}"
        assert "Traceback" not in both, f"kezek {' '.join(args)}:\n{both}"
        lines = both.rstrip("\n").splitlines()
        assert len(lines) == 1 and lines[0].strip(), f"kezek {' '.join(args)}:\n{both}"
        for secret in (IIN, OTHER_IIN, PHONE, PHONE_DIGITS):
            assert secret not in both, f"kezek {' '.join(args)} shows {secret}: {both}"
        return lines[0]

    def popen(self, *args: str, env: dict[str, str] | None = None) -> Running:
        return Running(subprocess.Popen([KEZEK, *args], cwd=self.home, env=env or self.env,
                                        text=True, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT))


class Running:
    """A long-running command whose output is read as it comes (so a pipe never fills)."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc, self.lines = proc, list[str]()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def alive(self) -> None:
        assert self.proc.poll() is None, f"exited {self.proc.returncode}:\n{self.output}"

    def wait_for(self, marker: str, within: float = 60) -> None:
        deadline = time.monotonic() + within
        while marker not in self.output:
            self.alive()
            assert time.monotonic() < deadline, f"no {marker!r} in:\n{self.output}"
            time.sleep(0.1)

    def stop(self, within: float = 20) -> str:
        """SIGTERM; the process must then end by itself with status 0."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(within)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"did not stop within {within} s after SIGTERM:\n{self.output}")
        self._reader.join(5)
        assert self.proc.returncode == 0, f"rc {self.proc.returncode}:\n{self.output}"
        assert "Traceback" not in self.output, self.output
        return self.output


def all_bad(k: Kezek, cases: list[tuple[tuple[str, ...], str]]) -> None:
    """Runs the bad-input cases two at a time; each line must name what was wrong."""
    with ThreadPoolExecutor(2) as pool:
        lines = list(pool.map(lambda case: k.bad(*case[0]), cases))
    for (args, expected), line in zip(cases, lines, strict=True):
        assert expected in line, f"kezek {' '.join(args)}: {line!r} lacks {expected!r}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def migrated(tmp_path_factory: pytest.TempPathFactory) -> Kezek:
    """A home and environment of its own, its SQLite database migrated and loaded."""
    home = tmp_path_factory.mktemp("cli-smoke")
    env = {key: value for key, value in os.environ.items() if not key.startswith("KEZEK_")}
    env.update(KEZEK_DATABASE_URL=f"sqlite:///{home / 'var' / 'kezek.db'}",
               KEZEK_JOBS_FILE=str(home / "var" / "jobs.db"), KEZEK_LOG_JSON="false",
               KEZEK_TELEGRAM_API_BASE="http://127.0.0.1:9", COLUMNS="200")
    kezek = Kezek(home, env)
    # The installed executable itself, once: the rest fork from the module's server.
    assert "database is up to date" in kezek.ok("db", "upgrade")
    kezek.forks = Forks(home)
    assert "demo loaded: services 192" in kezek.ok("demo", "load")
    return kezek


def module_kezek(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kezek]:
    """A module's `kezek` (migrated), its forking server stopped after the module."""
    kezek = migrated(tmp_path_factory)
    yield kezek
    assert kezek.forks is not None
    kezek.forks.close()


@pytest.fixture(scope="module")
def k(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kezek]:
    yield from module_kezek(tmp_path_factory)


@covers("db upgrade", "demo load", "iin check", "bookings expire")
def test_setup_commands_and_iin(k: Kezek) -> None:
    assert "already holds data" in k.ok("demo", "load", "--if-empty")
    assert "valid IIN 55********25 (born 1955-03-12" in k.ok("iin", "check", IIN)
    assert IIN not in k.ok("iin", "check", IIN)
    assert k.ok("bookings", "expire").startswith("expired 0 bookings")
    all_bad(k, [(("db", "upgrade", "--revision", "nope"), "migration failed"),
                (("demo", "load", "--if-empty", "extra"), "unexpected extra argument"),
                (("iin", "check", IIN[:-1] + "0"), "invalid IIN"),
                (("bookings", "expire", "--grace-minutes", "soon"), "grace-minutes")])


@covers("registry export", "registry import", "registry search")
def test_registry(k: Kezek) -> None:
    exported = k.home / "registry.json"
    assert "exported 192 services" in k.ok("registry", "export", str(exported))
    assert "imported 192 services: 0 new" in k.ok("registry", "import", str(exported))
    assert "42 life situations" in k.ok("registry", "import", str(exported))
    csv = k.home / "registry.csv"
    k.ok("registry", "export", str(csv))
    assert "0 new" in k.ok("registry", "import", str(csv))
    assert "01010001" in k.ok("registry", "search", "удостоверения личности")
    # Everyday words, best first: the first row of the table is the residence permit.
    found = k.ok("registry", "search", "прописка")
    assert found.index("01020001") < found.index("01020002")
    broken = k.home / "broken.json"
    broken.write_text("{", encoding="utf-8")
    all_bad(k, [(("registry", "import", str(k.home / "missing.json")), "cannot read"),
                (("registry", "import", str(broken)), "not valid JSON"),
                (("registry", "import", str(FIXTURES / "bad_registry.csv")), "bad_registry"),
                (("registry", "export", str(k.home / "no" / "such" / "dir.json")),
                 "cannot write"),
                (("registry", "search"), "Missing argument 'query'")])


@covers("network export", "network import", "network centers", "network set",
        "network exception", "network holiday")
def test_network(k: Kezek) -> None:
    exported = k.home / "network.json"
    assert "exported 58 centres" in k.ok("network", "export", str(exported))
    assert "imported: " in k.ok("network", "import", str(exported))
    listing = k.ok("network", "centers", "--kind", "general")
    first = json.loads(exported.read_text(encoding="utf-8"))["centers"][0]["slug"]
    centres = k.ok("network", "centers")
    assert first in centres
    cid = next(line.split()[1] for line in centres.splitlines() if first in line.split())
    assert listing.strip()
    assert f"centre {cid}: occupancy_limit set" in k.ok("network", "set", cid,
                                                         "occupancy_limit", "30")
    assert "closed" in k.ok("network", "exception", cid, "2031-03-04", "--note", "repairs")
    assert "10:00-14:00" in k.ok("network", "exception", cid, "2031-03-05", "--opens",
                                  "10:00", "--closes", "14:00")
    assert "holiday 2031-03-06 set" in k.ok("network", "holiday", "2031-03-06",
                                            "--name-en", "Smoke day")
    malformed = k.home / "malformed-network.json"
    malformed.write_text(json.dumps({"cities": [{"slug": 5}], "centers": "none"}),
                         encoding="utf-8")
    all_bad(k, [(("network", "import", str(k.home / "missing.json")), "cannot read"),
                (("network", "import", str(malformed)), "cities.0.slug"),
                (("network", "import", str(FIXTURES / "not_an_object.json")),
                 "not a network document"),
                (("network", "import", str(FIXTURES / "wrong_shape_network.json")),
                 "not a network document"),
                (("network", "export", str(k.home / "no" / "dir" / "n.json")), "cannot write"),
                (("network", "centers", "--kind", "nope"), "unknown kind"),
                (("network", "set", cid, "colour", "red"), "error:"),
                (("network", "set", cid, "occupancy_limit", "many"), "not a number"),
                (("network", "set", "999999", "occupancy_limit", "3"), "error:"),
                (("network", "exception", cid, "2031-02-30"), "not a date"),
                (("network", "exception", cid, "2031-03-07", "--opens", "25:00",
                  "--closes", "26:00"), "not a time of day"),
                (("network", "holiday", "yesterday"), "not a date")])


@covers("kiosk enrol", "kiosk list", "kiosk revoke")
def test_kiosk(k: Kezek) -> None:
    enrolled = k.ok("kiosk", "enrol", "--centre", "astana-esil")
    assert "once, within 30 minutes" in enrolled and "/kiosk/enrol?code=" in enrolled
    assert k.ok("kiosk", "list", "--centre", "astana-esil").strip() == ""  # not redeemed
    all_bad(k, [(("kiosk", "enrol", "--centre", "nowhere"), "no such centre: nowhere"),
                (("kiosk", "revoke", "nope", "--centre", "astana-esil"), "no such kiosk"),
                (("kiosk", "enrol"), "--centre")])


@covers("users create", "users list", "users disable", "users enable", "users passwd",
        "users revoke", "users unlock", "users totp")
def test_users(k: Kezek) -> None:
    env = {**k.env, "KEZEK_NEW_PASSWORD": PASSWORD}
    made = subprocess.run([KEZEK, "users", "create", "smoke.admin", "--role", "admin"],
                          cwd=k.home, env=env, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "created admin smoke.admin" in made.stdout
    assert "smoke.admin" in k.ok("users", "list")
    assert "disabled smoke.admin" in k.ok("users", "disable", "smoke.admin")
    assert "enabled smoke.admin" in k.ok("users", "enable", "smoke.admin")
    assert "password of smoke.admin set" in k.ok("users", "passwd", "smoke.admin",
                                                 "--password-stdin", "--no-must-change",
                                                 stdin=PASSWORD + "\n")
    assert "signed smoke.admin out everywhere" in k.ok("users", "revoke", "smoke.admin")
    assert "unlocked smoke.admin" in k.ok("users", "unlock", "smoke.admin")
    assert "otpauth://" in k.ok("users", "totp", "smoke.admin", "--enable")
    assert "second factor removed" in k.ok("users", "totp", "smoke.admin", "--disable")
    all_bad(k, [(("users", "create", "weak.one", "--role", "admin", "--password", "short"),
                 "error:"),
                (("users", "create", "odd.one", "--role", "king", "--password", PASSWORD),
                 "error:"),
                (("users", "list", "--all"), "No such option"),
                (("users", "disable", "nobody"), "no such user: nobody"),
                (("users", "enable", "nobody"), "no such user: nobody"),
                (("users", "passwd", "nobody", "--password-stdin"), "no password"),
                (("users", "revoke", "nobody"), "no such user: nobody"),
                (("users", "unlock", "nobody"), "no such user: nobody"),
                (("users", "totp", "nobody", "--enable"), "no such user: nobody")])


@covers("identity import", "identity policy")
def test_identity(k: Kezek) -> None:
    good = k.home / "numbers.csv"
    good.write_text(f"iin,phone\n{IIN},{PHONE}\n", encoding="utf-8")
    assert "from 1 line(s)" in k.ok("identity", "import", str(good))
    assert json.loads(k.ok("identity", "policy"))["mode"] in ("otp", "none")
    assert json.loads(k.ok("identity", "policy", "--proof-minutes", "30")
                      )["proof_minutes"] == 30
    bad_iin = k.home / "bad-numbers.csv"
    bad_iin.write_text(f"iin,phone\n{IIN[:-1]}0,{PHONE}\n", encoding="utf-8")
    bad_phone = k.home / "bad-phones.csv"
    bad_phone.write_text(f"iin,phone\n{OTHER_IIN},{PHONE_DIGITS}99\n", encoding="utf-8")
    all_bad(k, [(("identity", "import", str(k.home / "missing.csv")), "cannot read"),
                (("identity", "import", str(bad_iin)), "error:"),
                (("identity", "import", str(bad_phone)), "error:"),
                (("identity", "policy", "--mode", "maybe"), "error:"),
                (("identity", "policy", "--proof-minutes", "1"), "error:")])


@covers("data generate", "data stats", "report", "plan almaty-vehicle", "plan solve",
        "whatif example", "whatif run")
def _leaves() -> set[str]:
    from typer.main import get_command

    from kezek.cli import app
    from kezek.cli.lazy import LAZY, load

    found: set[str] = set()

    def walk(prefix: str, command: Any) -> None:
        subs = getattr(command, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(f"{prefix} {name}", sub)
        else:
            found.add(prefix)

    for name, sub in get_command(app).commands.items():  # type: ignore[attr-defined]
        walk(name, sub)
    for name in LAZY:
        walk(name, load(name))
    return found


def test_every_command_has_a_smoke_entry() -> None:
    import tests.test_cli_smoke_run  # noqa: F401  (its entries register on import)

    leaves = _leaves()
    assert len(leaves) >= 35
    assert leaves - COVERED == set(), "commands without a smoke test"
    assert COVERED - leaves == set(), "smoke entries for commands that do not exist"
