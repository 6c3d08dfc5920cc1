"""Issue 13 through the real window: a key minted by `keyward run` is marked in the inventory
and revoked early from its detail panel while the run goes on; the run then ends cleanly. A run
whose keyward was killed (and whose command ended) is revoked when the window starts, and the
window says so. Real CLI, real keychain, real SQLite file, sandbox services."""

import os
import signal
import subprocess
import time

from conftest import ARTIFACTS, TOKEN, Sandbox
from sandbox_api import respan_keys
from ui import click, find, gone, row_with, screenshot, text_of, toast_with, wait_text

CLI = os.environ["KEYWARD_CLI"]


def keyward(data_dir, *args, stdin="", **popen):
    env = dict(os.environ, KEYWARD_DATA_DIR=str(data_dir))
    if popen:
        return subprocess.Popen([CLI, *args], env=env, stdin=subprocess.DEVNULL, **popen)
    return subprocess.run([CLI, *args], env=env, input=stdin, capture_output=True, text=True, timeout=60)


def wait_for(path, timeout=30):
    deadline = time.time() + timeout
    while not path.exists() or not path.read_text().strip():
        assert time.time() < deadline, f"{path} never appeared"
        time.sleep(0.05)
    return path.read_text().strip()


def start_run(data_dir, tmp_path, name):
    """A `keyward run` of a shell that writes its pid to `name` and sleeps; the keyward process."""
    pid_file = tmp_path / name
    script = f'echo $$ > "{pid_file}"; exec sleep 120'
    proc = keyward(data_dir, "run", "-e", "OPENAI_API_KEY=respan-temp@Gateway?is_test=true&ttl=10m", "--", "sh", "-c", script,
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return proc, int(wait_for(pid_file))


def test_a_run_key_is_marked_revoked_early_and_a_killed_run_is_ended_at_start(driver_host, data_dir, tmp_path):
    sandbox = Sandbox(0)
    try:
        added = keyward(data_dir, "accounts", "add", "--service", "respan", "--label", "Gateway", "--host", sandbox.url, stdin=TOKEN + "\n")
        assert added.returncode == 0, added.stderr
        run, child = start_run(data_dir, tmp_path, "first.pid")
        assert [k["name"] for k in respan_keys(sandbox)] == ["OPENAI_API_KEY for sh (keyward run)"]

        driver = driver_host.session()
        try:
            row = row_with(driver, "OPENAI_API_KEY for sh (keyward run)")
            badge = row.find_element("css selector", "[data-testid=run-badge]")
            assert "ends with the process" in (badge.get_attribute("title") or badge.get_attribute("aria-label") or "")
            row.click()
            find(driver, "key-detail")
            group = text_of(driver, "detail-run")
            assert "sh" in group and str(child) in group and "OPENAI_API_KEY" in group and "With the process" in group, group
            screenshot(ARTIFACTS / "30-run-key-detail.png")

            # Revoked early, while the command still runs.
            click(driver, "revoke-key")
            find(driver, "revoke-dialog")
            click(driver, "confirm-revoke")
            gone(driver, "revoke-dialog")
            wait_text(driver, "detail-status", lambda t: t.strip() == "Revoked")
            assert respan_keys(sandbox) == [], "revoked at the service"
            assert run.poll() is None, "the run goes on"

            os.kill(run.pid, signal.SIGTERM)
            out, err = run.communicate(timeout=30)
            assert run.returncode == 128 + signal.SIGTERM, err
            assert "not revoked" not in err, err

            # A run whose keyward is killed, and whose command then ends, before the window starts.
            killed, orphan = start_run(data_dir, tmp_path, "second.pid")
            assert len(respan_keys(sandbox)) == 1
        finally:
            driver.quit()
        killed.kill()
        killed.wait(timeout=10)
        os.kill(orphan, signal.SIGKILL)
        deadline = time.time() + 10
        while os.path.exists(f"/proc/{orphan}") and time.time() < deadline:
            time.sleep(0.05)

        driver = driver_host.session()
        try:
            said = toast_with(driver, "Revoked 1 key", "sh")
            assert respan_keys(sandbox) == [], f"the window revoked what the killed run left ({said})"
            screenshot(ARTIFACTS / "31-killed-run-ended.png")
        finally:
            driver.quit()
    finally:
        sandbox.stop()
