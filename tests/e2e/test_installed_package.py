"""The app as the .deb installed it (/usr/bin/keyward-app, selected with -m installed by
tests/package/run.sh): an account added against the sandbox through the real window, its
inventory shown, and the installed CLI reading the same store."""

import json
import os
import subprocess

import pytest

from conftest import APP, ARTIFACTS, TOKEN, Sandbox
from ui import add_account, screenshot, wait_text

pytestmark = pytest.mark.installed
CLI = os.environ["KEYWARD_CLI"]
SEED = 40


def test_the_installed_app_adds_an_account_and_shows_its_inventory(driver_host, data_dir):
    assert APP == "/usr/bin/keyward-app" and CLI == "/usr/bin/keyward", (APP, CLI)
    sandbox = Sandbox(SEED)
    driver = driver_host.session()
    try:
        add_account(driver, "Production", sandbox.url, TOKEN)
        wait_text(driver, "key-count", lambda t: t.strip() == str(SEED))
        screenshot(ARTIFACTS / "40-installed-app.png")
    finally:
        driver.quit()
    try:
        listed = subprocess.run([CLI, "keys", "list", "--json"], env=dict(os.environ, KEYWARD_DATA_DIR=str(data_dir)),
                                capture_output=True, text=True, timeout=60, check=True)
        assert len(json.loads(listed.stdout)) == SEED
    finally:
        sandbox.stop()
