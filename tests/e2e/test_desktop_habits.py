"""Issue 15 journeys through the real app: the window reopens at the size and position it was
closed at, and an expiry notice raised while the window is closed (the notices timer's command)
is not raised again by the window when it opens."""

import json
import os
import subprocess
import time

from conftest import ARTIFACTS, TOKEN, Sandbox
from sandbox_api import call
from ui import find, screenshot, wait_text

CLI = os.environ["KEYWARD_CLI"]


def xdotool(*args: str) -> str:
    return subprocess.run(["xdotool", *args], capture_output=True, text=True, timeout=10, check=True).stdout


def keyward_window() -> str:
    """The app's top-level window on the journey's X display."""
    deadline = time.time() + 20
    while time.time() < deadline:
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Keyward$"], capture_output=True, text=True, timeout=10)
        if found.stdout.split():
            return found.stdout.split()[-1]
        time.sleep(0.2)
    raise AssertionError("no visible Keyward window")


def geometry(window: str) -> tuple:
    shell = dict(line.split("=", 1) for line in xdotool("getwindowgeometry", "--shell", window).split())
    return int(shell["X"]), int(shell["Y"]), int(shell["WIDTH"]), int(shell["HEIGHT"])


def wait_for_geometry(want: tuple, timeout: float = 15) -> tuple:
    deadline, seen = time.time() + timeout, None
    while time.time() < deadline:
        seen = geometry(keyward_window())
        if seen == want:
            return seen
        time.sleep(0.2)
    raise AssertionError(f"the window is at {seen}, not {want}")


def test_the_window_reopens_at_the_size_and_position_it_was_closed_at(driver_host, data_dir):
    want = (140, 70, 1000, 680)
    driver = driver_host.session()
    try:
        find(driver, "add-account-button")
        first = geometry(keyward_window())
        assert first[2:] == (1280, 800), f"a first launch opens at the configured size: {first}"
        window = keyward_window()
        xdotool("windowsize", window, str(want[2]), str(want[3]))
        xdotool("windowmove", window, str(want[0]), str(want[1]))
        wait_for_geometry(want)
        assert driver.execute_script("return [window.innerWidth, window.innerHeight]") == [want[2], want[3]]
        # Written beside the store once the move settles: no clean exit is needed (the journey's
        # driver ends the app with SIGKILL, as a crash would).
        saved = data_dir / "window-state.json"
        deadline = time.time() + 10
        while time.time() < deadline and not (saved.exists() and '"width": 1000' in saved.read_text()):
            time.sleep(0.2)
        state = json.loads(saved.read_text())["main"]
        assert (state["x"], state["y"], state["width"], state["height"]) == want, state
    finally:
        driver.quit()

    driver = driver_host.session()
    try:
        find(driver, "add-account-button")
        wait_for_geometry(want)
        assert driver.execute_script("return [window.innerWidth, window.innerHeight]") == [want[2], want[3]]
        screenshot(ARTIFACTS / "30-reopened-at-its-size.png")
    finally:
        driver.quit()


def cli(data_dir, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = dict(os.environ, KEYWARD_DATA_DIR=str(data_dir))
    return subprocess.run([CLI, *args], input=stdin, env=env, capture_output=True, text=True, timeout=60)


def test_a_notice_raised_while_the_window_was_closed_is_not_raised_again_by_the_window(driver_host, data_dir, notifications):
    sandbox = Sandbox(0)
    name = "expires-over-the-weekend"
    call(sandbox, "POST", "/__sandbox/respan/temporary_keys", {"name": name, "created_hours": -24 * 60, "expires_hours": 48})
    try:
        # The window has not run: the account comes from the CLI, as on a machine set up by script.
        added = cli(data_dir, "accounts", "add", "--service", "respan", "--label", "Gateway", "--host", sandbox.url, stdin=TOKEN)
        assert added.returncode == 0, added.stderr
        assert cli(data_dir, "sync").returncode == 0

        # What the notices timer runs every quarter hour.
        raised = cli(data_dir, "notices", "raise")
        assert raised.returncode == 0, raised.stderr
        assert "1 expiry notice raised." in raised.stderr, raised.stderr
        shown = notifications.wait_for(f"“{name}”")
        assert shown == {"app": "Keyward", "summary": f"Temporary key “{name}” expires in 2 days", "body": shown["body"], "timeout": -1}, shown
        assert shown["body"].startswith("Respan · Gateway. It expires "), shown
        again = cli(data_dir, "notices", "raise")
        assert (again.returncode, "0 expiry notices raised." in again.stderr) == (0, True), again.stderr

        # The window opens (at the expiry centre: a key needs attention), syncs at launch, which
        # raises whatever is owed, and raises nothing more.
        driver = driver_host.session()
        try:
            find(driver, "expiry-view")
            wait_text(driver, "expiry-summary", lambda t: "1 key needs attention" in t)
            wait_text(driver, "expiry-badge", lambda t: t.strip() == "1")
            time.sleep(3)
            assert [n["summary"] for n in notifications.shown()] == [shown["summary"]], notifications.shown()
        finally:
            driver.quit()
    finally:
        sandbox.stop()


def test_without_a_notification_service_nothing_is_marked_raised(data_dir):
    """No desktop session (a bare timer run): the command says so with its own exit code, and
    the notice stays owed for the window or the next run."""
    sandbox = Sandbox(0)
    call(sandbox, "POST", "/__sandbox/respan/temporary_keys", {"name": "owed-still", "created_hours": -24 * 60, "expires_hours": 30})
    try:
        assert cli(data_dir, "accounts", "add", "--service", "respan", "--label", "Gateway", "--host", sandbox.url, stdin=TOKEN).returncode == 0
        assert cli(data_dir, "sync").returncode == 0
        raised = cli(data_dir, "notices", "raise")
        assert raised.returncode == 3, raised.stderr
        assert "No notification service answers" in raised.stderr and "the notices stay owed" in raised.stderr, raised.stderr
        db = subprocess.run(["sqlite3", str(data_dir / "keyward.db"), "SELECT count(*) FROM notices"], capture_output=True, text=True, check=True)
        assert db.stdout.strip() == "0"
    finally:
        sandbox.stop()
