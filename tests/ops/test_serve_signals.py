"""`govpub serve` runs the task worker in-process; Ctrl+C and SIGTERM must still stop it (and the worker)."""

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from govpub.ops.scratch import free_port


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("govpub serve did not start")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_serve_stops_on_signal(tmp_path, signum):
    port = free_port()
    env = {**os.environ, "GOVPUB_HOME": str(tmp_path), "GOVPUB_LOG_FORMAT": "plain"}
    env.pop("DATABASE_URL", None)  # its own SQLite database and queue in tmp_path
    env.pop("REDIS_URL", None)
    process = subprocess.Popen([sys.executable, "-m", "govpub", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        process.send_signal(signum)
        output, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert "All workers have stopped" in output
