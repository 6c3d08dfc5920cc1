"""Issue 4 journeys (a) and (d): create a Respan temporary key with limits in the real window, see it in
the reveal dialog, Copy (from Rust) puts it on the real X clipboard, the clipboard is cleared
after the timeout, closing leaves the key in the inventory and its secret nowhere on disk."""

import base64
import subprocess
import time

from conftest import ARTIFACTS, TOKEN, Sandbox
from sandbox_api import respan_keys
from ui import add_account, click, find, gone, row_with, screenshot, text_of, type_into, wait_text


def clipboard() -> str:
    out = subprocess.run(["xclip", "-o", "-selection", "clipboard"], capture_output=True, text=True, timeout=5)
    return out.stdout


def test_create_respan_key_reveal_copy_clear_close_revoke(driver_host, data_dir):
    sandbox = Sandbox(0, seed_respan_keys=2)
    driver = driver_host.session()
    try:
        add_account(driver, "Gateway", sandbox.url, TOKEN, service="respan")
        wait_text(driver, "key-count", lambda t: t.strip() == "2")

        click(driver, "new-key-button")
        find(driver, "create-form")
        type_into(driver, "field-name", "journey-key")
        type_into(driver, "field-max_usage", "50")
        type_into(driver, "field-spending_limit", "5")
        click(driver, "field-is_test")
        screenshot(ARTIFACTS / "10-create-respan.png")
        click(driver, "submit-key")

        find(driver, "reveal-dialog")
        assert "journey-key" in text_of(driver, "reveal-dialog")
        click(driver, "copy-button")
        wait_text(driver, "clipboard-countdown", lambda t: "clears in" in t)
        made = [k for k in respan_keys(sandbox) if k["name"] == "journey-key"]
        assert len(made) == 1 and made[0]["max_usage"] == 50 and made[0]["is_test"] is True
        secret = clipboard()
        assert secret.startswith(made[0]["prefix"] + "."), "the system clipboard holds the new key"
        assert secret not in driver.page_source, "Copy did not need the secret in the page"
        screenshot(ARTIFACTS / "11-reveal.png")

        deadline = time.time() + 10
        while time.time() < deadline and clipboard() == secret:
            time.sleep(0.25)
        assert clipboard() != secret, "the clipboard was cleared after the timeout"
        wait_text(driver, "clipboard-countdown", lambda t: "cleared" in t)

        click(driver, "stored-checkbox")
        click(driver, "close-reveal")
        gone(driver, "reveal-dialog")
        wait_text(driver, "key-count", lambda t: t.strip() == "3")
        row_with(driver, "journey-key")
        assert secret not in driver.page_source

        # Journey (d): revoke it from the detail panel; a test key needs no typed name.
        row_with(driver, "journey-key").click()
        find(driver, "key-detail")
        click(driver, "revoke-key")
        find(driver, "revoke-dialog")
        click(driver, "confirm-revoke")
        gone(driver, "revoke-dialog")
        wait_text(driver, "detail-status", lambda t: t.strip() == "Revoked")
        assert not [k for k in respan_keys(sandbox) if k["name"] == "journey-key"], "revoked at the service"
        screenshot(ARTIFACTS / "12-revoked.png")
    finally:
        driver.quit()
        sandbox.stop()

    needles = [secret.encode(), base64.b64encode(secret.encode())]
    for path in data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(n in data for n in needles), f"the secret is in {path}"
