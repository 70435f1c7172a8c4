"""A loopback HTTP server standing in for a remote service (the state registry, the SMS
gateway): it answers from a table and keeps every request it was sent.

Started by the tests that need it, on 127.0.0.1 and a free port; nothing reaches out.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Recorder(ThreadingHTTPServer):
    """A loopback HTTP server answering from a table and keeping every request body."""

    def __init__(self, answers: dict[str, tuple[int, Any]], port: int = 0) -> None:
        self.answers, self.seen = answers, []  # type: ignore[var-annotated]
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Recorder

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.seen.append((self.path, self.headers.get("Authorization"), body))
        key = body.get("iin") or self.path
        status, reply = self.server.answers.get(key, self.server.answers.get("*", (404, {})))
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


def start(answers: dict[str, tuple[int, Any]], port: int = 0) -> Recorder:
    """A recorder serving in a daemon thread (stop it with `stop`)."""
    server = Recorder(answers, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def stop(server: Recorder) -> None:
    server.shutdown()
    server.server_close()
