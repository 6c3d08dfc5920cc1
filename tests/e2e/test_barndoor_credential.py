"""Issue 4 journey (c): a Barndoor credential made in the real window with a secret the person
gives, reissued with a new one, refused deletion while a provider uses it (409), then deleted. The
given secrets reach Barndoor and never the page after submit, nor the data dir."""

import base64

from conftest import ARTIFACTS, TOKEN, Sandbox
from sandbox_api import call, connections
from ui import add_account, all_of, click, find, gone, row_with, screenshot, select, toast_with, type_into, wait_text

FIRST = "sk-upstream-journey-given-0042"
ROTATED = "sk-upstream-journey-rotated-0043"


def test_barndoor_credential_given_reissued_refused_deleted(driver_host, data_dir):
    sandbox = Sandbox(0)
    driver = driver_host.session()
    try:
        add_account(driver, "Platform", sandbox.url, TOKEN, service="barndoor")

        click(driver, "new-key-button")
        select(driver, "field-kind", "barndoor_credential")
        type_into(driver, "field-name", "OpenAI Production")
        select(driver, "field-model_provider", "openai")
        type_into(driver, "field-api_key", FIRST)
        assert find(driver, "field-api_key").get_attribute("type") == "password"
        screenshot(ARTIFACTS / "20-barndoor-credential-form.png")
        click(driver, "submit-key")
        gone(driver, "create-form")
        assert not all_of(driver, "reveal-dialog"), "a given secret is not revealed back"
        wait_text(driver, "key-count", lambda t: t.strip() == "1")
        made = connections(sandbox)
        assert len(made) == 1 and made[0]["key_last4"] == "0042"

        row_with(driver, "OpenAI Production").click()
        find(driver, "key-detail")
        click(driver, "reissue-secret")
        find(driver, "edit-key-form")
        type_into(driver, "field-api_key", ROTATED)
        type_into(driver, "field-change_note", "journey rotation")
        screenshot(ARTIFACTS / "21-reissue-credential.png")
        click(driver, "save-key")
        gone(driver, "edit-key-form")
        wait_text(driver, "detail-fields", lambda t: "0043" in t)
        assert connections(sandbox)[0]["key_last4"] == "0043"
        assert connections(sandbox)[0]["last_change_note"] == "journey rotation"

        # A provider still routes through it: Barndoor refuses (409) and Keyward says why.
        call(sandbox, "POST", "/__sandbox/barndoor/providers", {"name": "gpt-route", "connection_id": made[0]["id"]})
        click(driver, "revoke-key")
        type_into(driver, "revoke-confirm-input", "OpenAI Production")
        click(driver, "confirm-revoke")
        gone(driver, "revoke-dialog")
        toast_with(driver, "providers still use it", "gpt-route")
        wait_text(driver, "detail-status", lambda t: t.strip() == "Active")
        assert len(connections(sandbox)) == 1
        screenshot(ARTIFACTS / "22-delete-in-use.png")

        call(sandbox, "DELETE", "/__sandbox/barndoor/providers")
        click(driver, "revoke-key")
        type_into(driver, "revoke-confirm-input", "OpenAI Production")
        click(driver, "confirm-revoke")
        gone(driver, "revoke-dialog")
        wait_text(driver, "detail-status", lambda t: t.strip() == "Revoked")
        assert connections(sandbox) == []

        page = driver.page_source
        assert FIRST not in page and ROTATED not in page
    finally:
        driver.quit()
        sandbox.stop()

    for secret in (FIRST, ROTATED):
        needles = [secret.encode(), base64.b64encode(secret.encode())]
        for path in data_dir.rglob("*"):
            if path.is_file():
                assert not any(n in path.read_bytes() for n in needles), f"a given secret is in {path}"
