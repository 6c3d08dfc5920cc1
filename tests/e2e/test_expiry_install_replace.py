"""Issue 7 journeys through the real app: an OS notification for a key that expires soon (once,
not again after a restart, and the expiry centre opening at launch); a minted Respan key handed
off into a new Barndoor credential without its bytes reaching the page or the disk; and the
replace assistant failing half-way (the old key left active) and then completing."""

import base64
import time

from selenium.webdriver.support.ui import Select

from conftest import ARTIFACTS, TOKEN, Sandbox
from sandbox_api import call, faults, held_key, respan_keys
from ui import add_account, all_of, click, find, gone, row_with, screenshot, toast_with, type_into, wait_text


def pick(driver, testid: str, text: str):
    Select(find(driver, testid)).select_by_visible_text(text)


def mint_respan_key(driver, name: str):
    """New key → a Respan temporary key → the reveal dialog is open."""
    click(driver, "new-key-button")
    find(driver, "create-form")
    pick(driver, "field-account", "Gateway — Respan")
    type_into(driver, "field-name", name)
    click(driver, "submit-key")
    find(driver, "reveal-dialog")


def install_into_new_credential(driver, name: str):
    click(driver, "install-button")
    find(driver, "install-dialog")
    click(driver, "install-new")
    pick(driver, "install-account", "Barndoor — Barndoor")
    type_into(driver, "field-name", name)
    click(driver, "submit-install")
    try:
        gone(driver, "install-dialog")
    except Exception as e:
        screenshot(ARTIFACTS / "install-failure.png")
        raise AssertionError(f"the install dialog stayed open: {find(driver, 'install-dialog').text!r}") from e
    wait_text(driver, "installs", lambda t: name in t and "last 4 characters" in t)


def start_replacing(driver, place: str):
    """From the open key's detail panel: the assistant, installing into `place`, started."""
    click(driver, "replace-key")
    find(driver, "replace-targets")
    click(driver, "replace-target", f'[data-name="{place}"]')
    click(driver, "replace-start")


def everything_the_page_holds(driver) -> str:
    """The document, every control's value and the page's storage, as one text."""
    return driver.execute_script(
        "return [document.documentElement.outerHTML, ...[...document.querySelectorAll('input, textarea, select')].map(e => e.value),"
        " JSON.stringify(localStorage), JSON.stringify(sessionStorage)].join('\\n')")


def files_holding(root, needles) -> list:
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits += [f"{path.name}: {n[:12]}…" for n in needles if n.encode() in data]
    return hits


def test_a_key_that_expires_soon_raises_one_notification(driver_host, data_dir, notifications):
    sandbox = Sandbox(0)
    call(sandbox, "POST", "/__sandbox/respan/temporary_keys", {"name": "expires-soon", "created_hours": -24 * 60, "expires_hours": 48})
    driver = driver_host.session()
    try:
        add_account(driver, "Gateway", sandbox.url, TOKEN, service="respan")
        shown = notifications.wait_for("“expires-soon”")
        assert shown["summary"] == "Temporary key “expires-soon” expires in 2 days", shown
        assert shown["body"].startswith("Respan · Gateway. It expires "), shown
        assert shown["app"], "the notification names the app"
        toast_with(driver, "expires-soon", "expires in 2 days")
        wait_text(driver, "expiry-badge", lambda t: t.strip() == "1")
        click(driver, "nav-expiry")
        find(driver, "expiry-timeline")
        screenshot(ARTIFACTS / "20-expiry-centre.png")
    finally:
        driver.quit()

    # A restart: the centre opens by itself, the launch sync runs, and no notice comes twice.
    driver = driver_host.session()
    try:
        find(driver, "expiry-view")
        wait_text(driver, "expiry-summary", lambda t: "1 key needs attention" in t)
        time.sleep(3)  # the launch sync has run (it raises whatever it makes due)
        assert len([n for n in notifications.shown() if "expires-soon" in n["summary"]]) == 1, notifications.shown()
    finally:
        driver.quit()
        sandbox.stop()


def respan_key_installed_in_barndoor(driver, sandbox, key: str, credential: str):
    """A Respan and a Barndoor account; a Respan key minted and handed off into a new credential."""
    add_account(driver, "Gateway", sandbox.url, TOKEN, service="respan")
    add_account(driver, "Barndoor", sandbox.url, TOKEN, service="barndoor")
    mint_respan_key(driver, key)
    install_into_new_credential(driver, credential)


def test_install_into_a_new_barndoor_credential_never_shows_the_secret(driver_host, data_dir):
    sandbox = Sandbox(0)
    driver = driver_host.session()
    try:
        respan_key_installed_in_barndoor(driver, sandbox, "gateway-upstream", "Respan gateway")
        screenshot(ARTIFACTS / "21-installed.png")

        secret = held_key(sandbox, "Respan gateway")
        prefix = secret.split(".")[0]
        assert [k["name"] for k in respan_keys(sandbox) if k["prefix"] == prefix] == ["gateway-upstream"], "it is the Respan key just minted"
        held_by_page = everything_the_page_holds(driver)
        for form in (secret, base64.b64encode(secret.encode()).decode()):
            assert form not in held_by_page, "the secret reached the page"
        # Installed counts as stored: Done closes at once.
        click(driver, "close-reveal")
        gone(driver, "reveal-dialog")
        row_with(driver, "Respan gateway")
    finally:
        driver.quit()
        sandbox.stop()
    needles = [secret, base64.b64encode(secret.encode()).decode(), base64.urlsafe_b64encode(secret.encode()).decode()]
    assert files_holding(data_dir, needles) == [], "the secret reached the data dir"
    assert files_holding(ARTIFACTS, needles) == [], "the secret reached a log"


def test_a_replacement_that_fails_half_way_leaves_the_old_key_active_then_completes(driver_host, data_dir):
    sandbox = Sandbox(0)
    driver = driver_host.session()
    try:
        respan_key_installed_in_barndoor(driver, sandbox, "rotate-me", "Upstream")
        click(driver, "close-reveal")
        gone(driver, "reveal-dialog")
        old_secret = held_key(sandbox, "Upstream")
        (old,) = [k for k in respan_keys(sandbox) if k["name"] == "rotate-me"]

        # Barndoor refuses the install: the assistant stops before revoking anything.
        faults(sandbox, refuse_prefix="PUT /api/llm-gateway/admin/connections/", refuse_status=500)
        row_with(driver, "rotate-me").click()
        start_replacing(driver, "Upstream")
        summary = wait_text(driver, "replace-summary", lambda t: "Stopped before revoking anything" in t)
        assert "“rotate-me” is still active" in summary, summary
        states = [s.get_attribute("data-state") for s in all_of(driver, "replace-step")]
        assert states == ["done", "failed", "skipped"], states
        screenshot(ARTIFACTS / "22-replace-stopped.png")
        # Installed nowhere, the replacement is offered for revoking: Respan is back to the old key alone.
        assert len([k for k in respan_keys(sandbox) if k["name"] == "rotate-me"]) == 2
        click(driver, "replace-undo")
        wait_text(driver, "replace-summary", lambda t: "is revoked; the old key “rotate-me” is still active" in t)
        assert [k["id"] for k in respan_keys(sandbox) if k["name"] == "rotate-me"] == [old["id"]]
        click(driver, "replace-close")
        gone(driver, "replace-dialog")
        assert old["id"] in [k["id"] for k in respan_keys(sandbox)], "the old key is still at Respan"
        assert held_key(sandbox, "Upstream") == old_secret, "the credential still holds the old key"
        wait_text(driver, "detail-status", lambda t: t.strip() == "Active")

        # The fault gone, the same replacement completes and the old key is revoked last.
        faults(sandbox)
        start_replacing(driver, "Upstream")
        wait_text(driver, "replace-summary", lambda t: "was replaced" in t and "old key is revoked" in t)
        states = [s.get_attribute("data-state") for s in all_of(driver, "replace-step")]
        assert states == ["done", "done", "done"], states
        new_secret = held_key(sandbox, "Upstream")
        assert new_secret != old_secret
        assert old["id"] not in [k["id"] for k in respan_keys(sandbox)], "the old key is revoked at Respan"
        assert new_secret not in everything_the_page_holds(driver)
        click(driver, "replace-close")
        gone(driver, "replace-dialog")
        wait_text(driver, "detail-status", lambda t: t.strip() == "Revoked")
    finally:
        driver.quit()
        sandbox.stop()
