"""`kezek serve --port N`: the links Kezek builds follow the port unless
KEZEK_PUBLIC_URL is set (issue 13). The server is run in-process up to the point where
uvicorn would start listening; uvicorn.run is replaced by a recorder, so the test sees
the settings the app and its worker processes would read."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from kezek.cli import app
from kezek.settings import get_settings

runner = CliRunner()


@pytest.fixture
def started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """What the server would run with: uvicorn's arguments and the public URL then."""
    seen: dict[str, Any] = {}

    def record(target: str, **kwargs: Any) -> None:
        seen.update(kwargs, public_url=get_settings().public_url,
                    env=os.environ.get("KEZEK_PUBLIC_URL"))

    monkeypatch.setattr(uvicorn, "run", record)
    monkeypatch.setenv("KEZEK_DATABASE_URL", f"sqlite:///{tmp_path / 'k.db'}")
    monkeypatch.setenv("KEZEK_LOG_JSON", "false")
    # The server sets KEZEK_PUBLIC_URL in os.environ: a set then a delete make
    # monkeypatch take it away again afterwards, whatever it was before.
    monkeypatch.setenv("KEZEK_PUBLIC_URL", "unset-marker")
    monkeypatch.delenv("KEZEK_PUBLIC_URL")
    before = signal.getsignal(signal.SIGTERM)
    get_settings.cache_clear()
    yield seen
    signal.signal(signal.SIGTERM, before)
    get_settings.cache_clear()


def _serve(*args: str) -> None:
    result = runner.invoke(app, ["serve", "--no-jobs", *args])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("host", "port", "url"), [
    ("127.0.0.1", 8011, "http://127.0.0.1:8011"),
    ("0.0.0.0", 8123, "http://127.0.0.1:8123"),
    ("localhost", 8000, "http://localhost:8000"),
])
def test_links_follow_the_port(started: dict[str, Any], host: str, port: int,
                               url: str) -> None:
    _serve("--host", host, "--port", str(port))
    assert started["port"] == port
    assert started["public_url"] == url
    assert started["env"] == url  # worker processes inherit it


def test_an_explicit_public_url_is_kept(started: dict[str, Any],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEZEK_PUBLIC_URL", "https://kezek.example.kz")
    _serve("--port", "8011")
    assert started["port"] == 8011
    assert started["public_url"] == "https://kezek.example.kz"
