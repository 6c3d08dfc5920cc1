"""Where there is no GPU, WebKit's compositor draws through software GL, slowly: Keyward turns it
off before GTK starts (src-tauri/src/compositing.rs), so the web process paints on the CPU. A value
a person gave WebKit's variable is kept. Real app binary, real WebKit processes."""

import glob
import os
import subprocess
import time

import pytest

from conftest import APP

VARIABLE = "WEBKIT_DISABLE_COMPOSITING_MODE"
# The rule's own inputs, read here independently: a render node, or NVIDIA's device.
HAS_GPU = bool(glob.glob("/dev/dri/renderD*") or [p for p in glob.glob("/dev/nvidia*") if p[len("/dev/nvidia"):].isdigit()])


def descendants(root: int) -> list:
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    children.setdefault(int(f.read().rsplit(")", 1)[1].split()[1]), []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    found, todo = [], list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def web_process_variable(app_pid: int, timeout: float = 20):
    """The variable as WebKit's web process of the app was started with it: (found, value or None)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for pid in descendants(app_pid):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    program = os.path.basename(f.read().split(b"\0", 1)[0]).decode()
                if not program.startswith("WebKitWebProcess"):
                    continue
                with open(f"/proc/{pid}/environ", "rb") as f:
                    env = dict(e.split(b"=", 1) for e in f.read().split(b"\0") if b"=" in e)
            except OSError:
                continue
            value = env.get(VARIABLE.encode())
            return True, value.decode() if value is not None else None
        time.sleep(0.1)
    return False, None


def launch(data_dir, **extra):
    env = {k: v for k, v in os.environ.items() if k != VARIABLE}
    env.update(KEYWARD_DATA_DIR=str(data_dir), KEYWARD_REPORT_READY="1", **extra)
    proc = subprocess.Popen([APP], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in proc.stdout:
        if line.startswith("keyward-ready"):
            return proc, line
    proc.wait(timeout=10)
    pytest.fail(f"the app ended without painting: {proc.stderr.read()[-2000:]}")


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_without_a_gpu_the_web_process_paints_without_the_compositor(tmp_path):
    proc, ready = launch(tmp_path)
    try:
        found, value = web_process_variable(proc.pid)
        assert found, "no WebKitWebProcess under the app"
        if HAS_GPU:
            assert value is None and VARIABLE not in ready, "with a GPU the compositor must stay"
        else:
            assert value == "1", f"the web process got {VARIABLE}={value!r}"
            assert f"{VARIABLE}=1" in ready, ready
    finally:
        stop(proc)
    if not HAS_GPU:
        assert "no GPU found" in proc.stderr.read(), "the choice is logged, so a support request can see it"


def test_a_value_a_person_set_is_kept(tmp_path):
    proc, ready = launch(tmp_path, **{VARIABLE: "0"})
    try:
        found, value = web_process_variable(proc.pid)
        assert found and value == "0", f"the web process got {VARIABLE}={value!r}"
        assert f"{VARIABLE}=0" in ready, ready
    finally:
        stop(proc)
    assert "no GPU found" not in proc.stderr.read()
