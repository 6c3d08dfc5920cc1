"""Two windows on one store would each sync, edit and reveal over the other: a second launch of
Keyward on the same data dir hands over to the first (which is shown and focused) and exits,
while the first keeps working. Real app binary, real D-Bus session."""

import os
import subprocess

from conftest import APP, TOKEN, Sandbox
from ui import add_account, find, wait_text


def test_a_second_launch_on_the_same_store_hands_over_and_exits(driver_host, data_dir):
    sandbox = Sandbox(seed_keys=2)
    try:
        driver = driver_host.session()
        try:
            add_account(driver, "Production", sandbox.url, TOKEN)
            wait_text(driver, "key-count", lambda t: t.strip() == "2")
            second = subprocess.run(
                [APP], env=dict(os.environ, KEYWARD_DATA_DIR=str(data_dir)),
                capture_output=True, text=True, timeout=60,
            )
            assert second.returncode == 0, second.stderr[-2000:]
            # The first window is still the one serving the store.
            assert find(driver, "account-item").get_attribute("data-account-label") == "Production"
            wait_text(driver, "key-count", lambda t: t.strip() == "2")
        finally:
            driver.quit()
    finally:
        sandbox.stop()
