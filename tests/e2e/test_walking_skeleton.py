"""Issue 2's path through the real app: add a Braintrust account (refused token, unreachable
host, then the right one), sync, search, restart offline, remove. Real keychain, real SQLite
file, sandbox services."""

import base64
import subprocess

from conftest import ARTIFACTS, TOKEN, Sandbox, free_port
from ui import all_of, click, find, gone, screenshot, select, settle, text_of, type_into, wait_text

SEED = 250


def keychain_lookup(account_id: str) -> str:
    out = subprocess.run(
        ["secret-tool", "lookup", "service", "keyward", "username", account_id],
        capture_output=True, text=True,
    )
    return out.stdout.strip()


def secret_bytes_in(directory) -> list:
    """Every file under `directory` holding the token, raw or base64."""
    needles = [TOKEN.encode(), base64.b64encode(TOKEN.encode())]
    hits = []
    for path in directory.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits += [str(path) for n in needles if n in data]
    return hits


def fill_account(driver, host: str, token: str):
    type_into(driver, "field-label", "Production")
    select(driver, "field-host", "custom")
    type_into(driver, "field-host-custom", host)
    type_into(driver, "field-token", token)
    click(driver, "submit-account")


def test_add_sync_search_restart_offline_remove(driver_host, data_dir):
    sandbox = Sandbox(SEED)
    try:
        driver = driver_host.session()
        try:
            click(driver, "add-account-button")
            find(driver, "account-form")
            screenshot(ARTIFACTS / "01-add-account.png")

            # A wrong key: refused, said on the token field, nothing saved.
            fill_account(driver, sandbox.url, "sk-not-the-right-key")
            wait_text(driver, "field-error-token", lambda t: "refused by Braintrust (401)" in t)
            screenshot(ARTIFACTS / "02-refused-token.png")

            # An unreachable host: a network message.
            closed = f"http://127.0.0.1:{free_port()}"
            fill_account(driver, closed, TOKEN)
            wait_text(driver, "field-error-host", lambda t: "Could not reach Braintrust" in t)
            assert not all_of(driver, "account-item"), "nothing is saved after a failure"

            # The right key: verified, saved, synced.
            fill_account(driver, sandbox.url, TOKEN)
            gone(driver, "account-form")
            account = find(driver, "account-item")
            account_id = account.get_attribute("data-account-id")
            wait_text(driver, "key-count", lambda t: t.strip() == str(SEED))
            screenshot(ARTIFACTS / "03-inventory.png")

            # Search as you type.
            type_into(driver, "search-input", "key-01")
            wait_text(driver, "key-count", lambda t: t.strip() == "100")
            rows = all_of(driver, "key-row")
            assert rows and all("key-01" in r.text for r in rows)
            screenshot(ARTIFACTS / "04-search.png")
        finally:
            driver.quit()

        # The token is in the keychain and nowhere in the data dir.
        # The entry holds the token with the host it was verified with, and nothing else.
        assert keychain_lookup(account_id) == f"keyward-token-v1 {sandbox.url}\n{TOKEN}"
        assert (data_dir / "keyward.db").exists()
        assert secret_bytes_in(data_dir) == []

        # Offline: the services are gone, the inventory is not.
        sandbox.stop()
        driver = driver_host.session()
        try:
            find(driver, "offline-banner")
            wait_text(driver, "key-count", lambda t: t.strip() == str(SEED))
            last = text_of(driver, "last-synced")
            assert "ago" in last or "just now" in last.lower(), last
            screenshot(ARTIFACTS / "05-offline.png")

            # Remove: confirmation, then the keychain entry and the cached rows go.
            click(driver, "account-remove-button")
            click(driver, "confirm-remove")
            gone(driver, "account-item")
            settle()
            assert not all_of(driver, "key-row")
            screenshot(ARTIFACTS / "06-removed.png")
        finally:
            driver.quit()
        assert keychain_lookup(account_id) == ""
        assert secret_bytes_in(data_dir) == []
    finally:
        sandbox.stop()
