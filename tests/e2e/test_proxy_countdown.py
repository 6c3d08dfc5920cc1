"""Issue 4 journey (b): a Braintrust proxy credential made in the real window shows its expiry
in the reveal dialog and a countdown in the inventory, kept locally since Braintrust cannot list it."""

from conftest import ARTIFACTS, TOKEN, Sandbox
from ui import add_account, click, create_proxy_credential, gone, row_with, screenshot, wait_text


def test_proxy_credential_countdown(driver_host, data_dir):
    sandbox = Sandbox(2)
    driver = driver_host.session()
    try:
        add_account(driver, "Evals", sandbox.url, TOKEN)
        wait_text(driver, "key-count", lambda t: t.strip() == "2")

        create_proxy_credential(driver, "gpt-4o", ttl="3600")
        wait_text(driver, "reveal-expiry", lambda t: "in 1 hour" in t or "in 60 minutes" in t)
        click(driver, "stored-checkbox")
        click(driver, "close-reveal")
        gone(driver, "reveal-dialog")

        wait_text(driver, "key-count", lambda t: t.strip() == "3")
        row = row_with(driver, "gpt-4o")
        expires = row.find_element("css selector", '[data-testid="key-expires"]').get_attribute("textContent")
        assert "in 1 hour" in expires or "in 60 minutes" in expires or "in 59 minutes" in expires, expires
        screenshot(ARTIFACTS / "13-proxy-countdown.png")

        # A sync does not lose it: Braintrust cannot list proxy credentials.
        click(driver, "sync-all-button")
        wait_text(driver, "key-count", lambda t: t.strip() == "3")
    finally:
        driver.quit()
        sandbox.stop()
