"""Issue 7 journey: the inventory exported from the real window through the desktop's own save
dialog (GTK, driven with xdotool under Xvfb), parsed back, holding every listed key and no
token or secret. The dialog is opened by Rust (issue 11): the page names no path and may not open
a save dialog itself."""

import csv
import json
import subprocess
import time

from conftest import ARTIFACTS, TOKEN, Sandbox
from ui import add_account, click, create_proxy_credential, gone, screenshot, toast_with, wait_text


def save_dialog(title: str, timeout: float = 20) -> str:
    """The X window id of the native save dialog titled `title`, once it is mapped."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{title}$"], capture_output=True, text=True)
        if found.stdout.strip():
            return found.stdout.split()[0]
        time.sleep(0.2)
    raise AssertionError(f"no save dialog titled {title!r} appeared")


def save_as(title: str, path) -> None:
    """Types a whole path into the dialog's name field and saves, as a person can."""
    win = save_dialog(title)
    subprocess.run(["xdotool", "windowfocus", "--sync", win], check=True, timeout=10)
    time.sleep(0.3)  # the dialog takes keyboard input once it has drawn its name field
    subprocess.run(["xdotool", "key", "--window", win, "ctrl+a"], check=True, timeout=10)
    subprocess.run(["xdotool", "type", "--window", win, "--delay", "5", str(path)], check=True, timeout=20)
    subprocess.run(["xdotool", "key", "--window", win, "Return"], check=True, timeout=10)


def test_the_inventory_exported_through_the_save_dialog_parses_back_without_secrets(driver_host, data_dir, tmp_path):
    sandbox = Sandbox(6)
    driver = driver_host.session()
    try:
        add_account(driver, "Production", sandbox.url, TOKEN)
        wait_text(driver, "key-count", lambda t: t.strip() == "6")
        # One minted secret the window has seen, to look for in the exports.
        create_proxy_credential(driver, "gpt-4o")
        click(driver, "reveal-button")
        minted = wait_text(driver, "reveal-secret", lambda t: t.strip().startswith("eyJ")).split()[0]
        click(driver, "stored-checkbox")
        click(driver, "close-reveal")
        gone(driver, "reveal-dialog")
        wait_text(driver, "key-count", lambda t: t.strip() == "7")
        listed = driver.execute_script("return [...document.querySelectorAll('[data-testid=key-row] .name')].map(e => e.title)")

        click(driver, "export-keys-button")
        click(driver, "export-keys-csv")
        target = tmp_path / "inventory.csv"
        save_as("Export the inventory", target)
        toast_with(driver, "Exported 7 keys to inventory.csv")
        with target.open(newline="") as f:
            rows = list(csv.DictReader(f))
        assert sorted(r["name"] for r in rows) == sorted(listed)
        assert all(r["account"] == "Production" and r["status"] in ("active", "expiring") for r in rows)

        click(driver, "export-keys-button")
        click(driver, "export-keys-json")
        as_json = tmp_path / "inventory.json"
        save_as("Export the inventory", as_json)
        toast_with(driver, "to inventory.json")
        assert sorted(k["name"] for k in json.loads(as_json.read_text())) == sorted(listed)

        # A script in the page cannot pick a file to overwrite: the dialog plugin is not its to call.
        refused = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "window.__TAURI_INTERNALS__.invoke('plugin:dialog|save', {options: {defaultPath: arguments[0]}})"
            ".then(() => done('opened'), (e) => done(String(e)));",
            str(target),
        )
        assert "not allowed" in refused, refused
        screenshot(ARTIFACTS / "23-exported.png")
    finally:
        driver.quit()
        sandbox.stop()
    for path in (target, as_json):
        held = path.read_text()
        for secret in (TOKEN, minted):
            assert secret not in held and secret[-24:] not in held, f"a secret is in {path.name}"
        assert oct(path.stat().st_mode & 0o777) == "0o600", "readable by its owner only"
