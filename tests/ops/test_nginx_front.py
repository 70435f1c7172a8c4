"""Debian's nginx, configured by `deploy/nginx/kezek.conf`, in front of two real `kezek
serve` processes: one is stopped (SIGTERM) in the middle of a stream of requests, and
every request still gets its 200.

The config under test is the shipped file itself, with only its ports, certificate and
log paths substituted (`render`), so a change to the deployed config is what this test
runs. nginx runs unprivileged-style from a temporary prefix (`-p`, `daemon off`), over
TLS with a certificate made here for 127.0.0.1. The two Kezek processes share one
SQLite file, migrated and loaded with the demo by the real commands.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy" / "nginx" / "kezek.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SECRET = "nginx-front-test-secret-0123456789abcdef"
IIN_KEY = "nginx-front-test-iin-key-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def render(conf: str, https_port: int, http_port: int, upstreams: list[int],
           cert: Path, key: Path, logs: Path) -> str:
    """The shipped config with the test's ports and paths; fails loudly if a line it
    substitutes is no longer in the file (so the test cannot drift to a config of its
    own)."""
    out = conf
    servers = re.findall(r"^( *)server 127\.0\.0\.1:\d+ (.*);$", out, flags=re.M)
    assert servers, "no loopback upstream lines in kezek.conf"
    indent, params = servers[0]
    lines = "".join(f"{indent}server 127.0.0.1:{p} {params};\n" for p in upstreams)
    out, n = re.subn(r"(?:^ *server 127\.0\.0\.1:\d+ .*;\n)+", lines, out, count=1, flags=re.M)
    assert n == 1
    for pattern, repl in (
        (r"^ *listen \[::\]:\d+.*;\n", ""),
        (r"listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl"),
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
        (r"/etc/ssl/kezek/fullchain\.pem", str(cert)),
        (r"/etc/ssl/kezek/privkey\.pem", str(key)),
        (r"/var/log/nginx/", f"{logs}/"),
    ):
        out, n = re.subn(pattern, repl, out, flags=re.M)
        assert n, f"kezek.conf no longer has {pattern!r}"
    return out


def main_conf(prefix: Path, temp: Path, site: Path) -> str:
    """What Debian's /etc/nginx/nginx.conf gives around a site, minus the system paths."""
    temps = " ".join(f"{kind}_temp_path {temp / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"daemon off;\nworker_processes 1;\npid {prefix}/nginx.pid;\n"
            f"error_log {prefix}/error.log warn;\nevents {{ worker_connections 256; }}\n"
            f"http {{\n  default_type application/octet-stream;\n  {temps}\n"
            f"  access_log {prefix}/access.log;\n  include {site};\n}}\n")


def make_cert(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (cryptography is in the lock already)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kezek.example.kz")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "fullchain.pem", directory / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def kezek_env(db_url: str) -> dict[str, str]:
    return {**os.environ, "KEZEK_DATABASE_URL": db_url, "KEZEK_ENV": "test",
            "KEZEK_SECRET_KEY": SECRET, "KEZEK_IIN_KEY": IIN_KEY,
            "KEZEK_LOG_LEVEL": "WARNING", "KEZEK_JOBS_FILE": db_url.split(":///")[1] + ".jobs"}


def kezek(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", "kezek.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def wait_for(url: str, proc: subprocess.Popen[bytes], seconds: float = 60,
             **client: object) -> None:
    """Until `url` answers 200; fails at once, with its stderr, if `proc` exits first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read()[-2000:] if proc.stderr else b""
            raise AssertionError(f"{proc.args!r} exited: {err!r}")
        try:
            if httpx.get(url, timeout=1, **client).status_code == 200:  # type: ignore[arg-type]
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")


@pytest.fixture
def scratch() -> Iterator[Path]:
    """A temporary prefix the nginx workers can enter: when the test runs as root they
    run as `nobody`, and pytest's own tmp_path is root's alone."""
    path = Path(tempfile.mkdtemp(prefix="kezek-nginx-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_nginx_keeps_answering_while_one_kezek_process_stops(scratch: Path) -> None:
    if not os.access(NGINX, os.X_OK):
        pytest.skip(f"Debian's nginx is not installed ({NGINX}); `make services` installs it")
    db_url = f"sqlite:///{scratch / 'kezek.db'}"
    env = kezek_env(db_url)
    kezek(["db", "upgrade"], env)
    kezek(["demo", "load"], env)

    ports = [free_port(), free_port()]
    procs: list[subprocess.Popen[bytes]] = []
    nginx: subprocess.Popen[bytes] | None = None
    try:
        for port in ports:
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "kezek.cli", "serve", "--port", str(port), "--no-jobs",
                 "--timeout-graceful-shutdown", "10"], cwd=ROOT, env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        temp = scratch / "temp"
        temp.mkdir()
        temp.chmod(0o777)
        cert, key = make_cert(scratch)
        https, http = free_port(), free_port()
        site = scratch / "kezek.conf"
        site.write_text(render(CONF.read_text(), https, http, ports, cert, key, scratch))
        conf = scratch / "nginx.conf"
        conf.write_text(main_conf(scratch, temp, site))
        checked = subprocess.run([NGINX, "-t", "-p", str(scratch), "-c", str(conf)],
                                 capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        nginx = subprocess.Popen([NGINX, "-p", str(scratch), "-c", str(conf)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for port, proc in zip(ports, procs, strict=True):
            wait_for(f"http://127.0.0.1:{port}/healthz", proc)
        tls = ssl.create_default_context(cafile=str(cert))
        base = f"https://127.0.0.1:{https}"
        wait_for(f"{base}/healthz", nginx, verify=tls)

        with httpx.Client(base_url=base, verify=tls, timeout=10) as client:
            # the plain-HTTP server only sends people to https
            moved = httpx.get(f"http://127.0.0.1:{http}/", timeout=5)
            assert moved.status_code == 301
            assert moved.headers["location"].startswith("https://")
            # /metrics is not for the public, whatever Kezek would answer
            assert client.get("/metrics").status_code == 404
            # a client's request id reaches Kezek and comes back; nginx makes one if none
            rid = str(uuid.uuid4())
            assert client.get("/healthz", headers={"X-Request-ID": rid}).headers[
                "x-request-id"] == rid
            assert re.fullmatch(r"[0-9a-f-]{32,36}", client.get("/healthz").headers[
                "x-request-id"])
            # bodies above KEZEK_MAX_BODY_BYTES are refused by nginx already
            assert client.post("/api/v1/bookings", content=b"x" * (1024 * 1024 + 1),
                               headers={"Content-Type": "application/json"}
                               ).status_code == 413
            centers = client.get("/api/v1/centers").json()
            cid = centers[0]["id"]
            # a board stream's first bytes come through at once (no proxy buffering)
            with client.stream("GET", f"/api/v1/centers/{cid}/board/events") as stream:
                assert stream.status_code == 200
                assert b": connected" in next(stream.iter_bytes())

        paths = ["/api/v1/services", "/api/v1/centers", f"/api/v1/centers/{cid}/board",
                 "/healthz"]
        results: list[tuple[float, int | str]] = []
        stopped = threading.Event()
        stop_at: list[float] = []

        def client_loop() -> None:
            with httpx.Client(base_url=base, verify=tls, timeout=15) as c:
                i = 0
                while not stopped.is_set():
                    path = paths[i % len(paths)]
                    i += 1
                    try:
                        status: int | str = c.get(path).status_code
                    except httpx.HTTPError as exc:
                        status = f"{type(exc).__name__}: {exc}"
                    results.append((time.monotonic(), status))

        threads = [threading.Thread(target=client_loop) for _ in range(3)]
        for t in threads:
            t.start()
        time.sleep(3)
        stop_at.append(time.monotonic())
        procs[0].send_signal(signal.SIGTERM)
        procs[0].wait(timeout=20)
        exited = time.monotonic()
        time.sleep(3)
        stopped.set()
        for t in threads:
            t.join(timeout=30)

        retried = sum(1 for at, _ in results if stop_at[0] <= at <= exited)
        print(f"{len(results)} requests, {retried} during the stop, "
              f"stop took {exited - stop_at[0]:.2f} s")
        bad = [r for r in results if r[1] != 200]
        assert not bad, f"{len(bad)} of {len(results)} requests not answered 200: {bad[:5]}"
        assert sum(1 for at, _ in results if at > exited) > 10
        assert sum(1 for at, _ in results if at < stop_at[0]) > 10
        # the access log shows what happened: both processes served before the stop,
        # and nginx moved requests that found the stopped process on to the other one
        log = (scratch / "kezek.access.log").read_text()
        a, b = (f"127.0.0.1:{p}" for p in ports)
        assert f'up="{a}"' in log and f'up="{b}"' in log
        assert f'up="{a}, {b}"' in log, "no request was retried on the other process"

        # with no process left, nginx answers in Kezek's envelope and language itself
        stop(procs[1])
        with httpx.Client(base_url=base, verify=tls, timeout=10) as client:
            down = client.get("/api/v1/services", headers={"Accept-Language": "kk"})
        assert down.status_code == 503
        assert down.headers["retry-after"] == "5"
        assert down.headers["content-type"] == "application/json; charset=utf-8"
        assert down.json()["error"]["code"] == "unavailable"
        assert "қолжетімсіз" in down.json()["error"]["message"]
    finally:
        if nginx is not None:
            stop(nginx)
        for proc in procs:
            stop(proc)
