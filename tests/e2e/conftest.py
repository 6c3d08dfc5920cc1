"""Fixtures for journeys through the real Keyward binary: the sandbox services, a private data
dir, tauri-driver, and WebDriver sessions that start (and restart) the app."""

import os
import re
import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.options import ArgOptions

APP = os.environ["KEYWARD_APP"]
SANDBOX = os.environ["KEYWARD_SANDBOX"]
ARTIFACTS = Path(os.environ.get("KEYWARD_E2E_ARTIFACTS", "artifacts"))
TOKEN = "sk-e2e-" + os.urandom(12).hex()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sandbox:
    def __init__(self, seed_keys: int, seed_respan_keys: int = 0):
        self.proc = subprocess.Popen(
            [SANDBOX, "--seed-keys", str(seed_keys), "--seed-respan-keys", str(seed_respan_keys), "--token", TOKEN],
            stdout=subprocess.PIPE, text=True,
        )
        line = self.proc.stdout.readline()
        match = re.search(r"(http://\S+)", line)
        assert match, f"sandbox did not start: {line!r}"
        self.url = match.group(1)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


class Driver:
    """tauri-driver for one data dir; `session()` launches the app, `quit` closes it."""

    def __init__(self, data_dir: Path):
        self.port = free_port()
        # A short clipboard clear, so a journey can watch it happen.
        env = dict(os.environ, KEYWARD_DATA_DIR=str(data_dir), KEYWARD_CLIPBOARD_CLEAR_SECS="3")
        self.log = open(ARTIFACTS / "tauri-driver.log", "a")
        self.proc = subprocess.Popen(
            ["tauri-driver", "--port", str(self.port), "--native-port", str(free_port())],
            env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("tauri-driver did not start")

    def session(self) -> webdriver.Remote:
        options = ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability("tauri:options", {"application": APP})
        # tauri-driver can accept the connection a moment before it serves sessions.
        for attempt in range(5):
            try:
                driver = webdriver.Remote(command_executor=f"http://127.0.0.1:{self.port}", options=options)
                driver.implicitly_wait(0)
                return driver
            except Exception:  # noqa: BLE001 - a refused or dropped first connection is retried
                if attempt == 4:
                    raise
                time.sleep(0.5 * (attempt + 1))

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture
def data_dir():
    with tempfile.TemporaryDirectory(prefix="keyward-e2e-") as d:
        yield Path(d) / "data"


@pytest.fixture
def driver_host(data_dir):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    host = Driver(data_dir)
    yield host
    host.stop()


class Notifications:
    """What the desktop's notification service was asked to show (the stand-in's record)."""

    def __init__(self, path: Path):
        self.path = path

    def shown(self) -> list:
        return [json.loads(line) for line in self.path.read_text().splitlines() if line.strip()]

    def wait_for(self, text: str, timeout: float = 20) -> dict:
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [n for n in self.shown() if text in n["summary"]]
            if found:
                return found[0]
            time.sleep(0.2)
        raise AssertionError(f"no notification says {text!r}; shown: {self.shown()}")


@pytest.fixture
def notifications(tmp_path):
    """A notification service on the journey's private session bus, recording what it shows."""
    out = tmp_path / "notifications.jsonl"
    out.touch()
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("notification_daemon.py")), str(out)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready", "the notification stand-in did not start"
    yield Notifications(out)
    proc.terminate()
    proc.wait(timeout=10)
