"""The lobby board says so when the server stops, and says it is live again, with its
state reloaded, when the server is back (ADR 0016). A real `kezek serve` in a subprocess
(signals are the point), stopped with SIGTERM and started again on the same port."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Callable
from typing import Any

import pytest

from tests.api.test_serve_stop import start_serve, wait_ready
from tests.web.conftest import _free_port

pytestmark = pytest.mark.browser

BOARD = {"width": 1366, "height": 900}
# Records when the page's fetches start and when the live mark last turned on.
WATCH = """(function () {
  window.kezekFetches = []; window.kezekOnAt = null;
  var original = window.fetch;
  window.fetch = function () {
    window.kezekFetches.push(performance.now());
    return original.apply(this, arguments);
  };
  var box = document.getElementById("live-status");
  new MutationObserver(function () {
    if (box.getAttribute("data-state") === "on") { window.kezekOnAt = performance.now(); }
    else { window.kezekOnAt = null; }
  }).observe(box, {attributes: true, attributeFilter: ["data-state"]});
}())"""


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_board_shows_offline_while_the_server_is_down_and_recovers(
        seeded_url: tuple[str, dict[str, int]],
        new_context: Callable[[dict[str, int]], Any]) -> None:
    url, centres = seeded_url
    cid = centres["mixed"]
    port = _free_port()
    proc = start_serve(url, port)
    try:
        wait_ready(port, proc)
        board = new_context(BOARD).new_page()
        board.set_default_timeout(20_000)
        board.goto(f"http://127.0.0.1:{port}/board/{cid}")
        board.locator('#live-status[data-state="on"]').wait_for()
        board.evaluate(WATCH)
        _stop(proc)
        assert proc.returncode in (0, -signal.SIGTERM)
        board.locator('#live-status[data-state="off"]').wait_for(timeout=5_000)

        proc = start_serve(url, port)
        wait_ready(port, proc)
        board.locator('#live-status[data-state="on"]').wait_for(timeout=30_000)
        # back online, the board reloaded its state rather than trusting what it had
        # (within a second of it: the board's own timer refreshes only every 15 s)
        board.wait_for_function(
            "window.kezekFetches.some(function (t) {"
            " return window.kezekOnAt !== null && t >= window.kezekOnAt"
            " && t - window.kezekOnAt < 1000; })", timeout=5_000)
        board.context.close()
    finally:
        _stop(proc)
