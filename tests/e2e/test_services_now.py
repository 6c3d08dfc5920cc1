"""Issue 14 through the real window: a Barndoor gateway key created with scopes and bound to an
IdP group, reissued with a grace period during which its previous secret keeps working, and a
minted Respan key installed into a Braintrust env var of a project picked by name, never shown.
Real app binary, real keychain, real SQLite file, sandbox services."""

from datetime import datetime, timedelta, timezone

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import ARTIFACTS, Sandbox, TOKEN
from sandbox_api import call
from ui import add_account, click, find, gone, row_with, screenshot, settle, text_of, type_into, wait_text

CHECKOUT = "b0b9a73e-e10f-5e73-ba5c-5af35778ec93"  # the sandbox's seeded "checkout" project


def pick(driver, testid: str, text: str):
    Select(find(driver, testid)).select_by_visible_text(text)


def choose(driver, testid: str):
    """A radio of a segmented control: its label is what a person clicks."""
    find(driver, testid).find_element(By.XPATH, "..").click()


def close_reveal(driver):
    """The secret was not copied: say it is stored, as a person who copied it by hand would."""
    click(driver, "stored-checkbox")
    click(driver, "close-reveal")
    gone(driver, "reveal-dialog")


def gateway_keys(sandbox) -> list:
    answer = call(sandbox, "GET", "/api/llm-gateway/admin/api-keys")
    return answer["data"] if isinstance(answer, dict) else answer


def env_vars(sandbox) -> list:
    return call(sandbox, "GET", "/v1/env_var")["objects"]


def test_a_scoped_group_key_a_graceful_reissue_and_an_install_into_a_project_env_var(driver_host, data_dir):
    sandbox = Sandbox(0)
    driver = driver_host.session()
    try:
        add_account(driver, "Platform", sandbox.url, TOKEN, service="barndoor")
        add_account(driver, "Gateway", sandbox.url, TOKEN, service="respan")
        add_account(driver, "Evals", sandbox.url, TOKEN, service="braintrust")

        # A gateway key that may only invoke models, acting for the engineering group.
        click(driver, "new-key-button")
        find(driver, "create-form")
        pick(driver, "field-account", "Platform — Barndoor")
        Select(find(driver, "field-kind")).select_by_value("barndoor_gateway_key")
        type_into(driver, "field-name", "checkout-agents")
        type_into(driver, "field-scopes", "llm:invoke, models:read")
        Select(find(driver, "field-acts_for")).select_by_value("group")
        type_into(driver, "field-group_name", "engineering")
        settle()  # the last keystroke painted
        screenshot(ARTIFACTS / "40-gateway-form.png")
        click(driver, "submit-key")
        find(driver, "reveal-dialog")
        (key,) = [k for k in gateway_keys(sandbox) if k["name"] == "checkout-agents"]
        assert key["scopes"] == ["llm:invoke", "models:read"] and key["group_name"] == "engineering", key
        close_reveal(driver)

        # Reissued with an hour's grace: the previous secret keeps working until then.
        row_with(driver, "checkout-agents").click()
        find(driver, "key-detail")
        click(driver, "reissue-key")
        find(driver, "reissue-dialog")
        choose(driver, "grace-3600")
        before = datetime.now(timezone.utc)
        click(driver, "confirm-reissue")
        find(driver, "reveal-dialog")
        (key,) = [k for k in gateway_keys(sandbox) if k["name"] == "checkout-agents"]
        until = datetime.fromisoformat(key["previous_key_expires_at"].replace("Z", "+00:00"))
        assert before + timedelta(minutes=59) < until < before + timedelta(minutes=61), until
        close_reveal(driver)
        said = wait_text(driver, "previous-secret-until", lambda t: "Previous secret works until" in t)
        screenshot(ARTIFACTS / "41-gateway-grace.png")
        assert "engineering" in text_of(driver, "key-detail"), "the detail panel says who the key acts for"

        # A Respan key minted and installed, from Rust, into the checkout project's env var.
        click(driver, "new-key-button")
        find(driver, "create-form")
        pick(driver, "field-account", "Gateway — Respan")
        type_into(driver, "field-name", "checkout-prod")
        click(driver, "submit-key")
        find(driver, "reveal-dialog")
        click(driver, "install-button")
        find(driver, "install-dialog")
        click(driver, "install-new")
        pick(driver, "install-account", "Evals — Braintrust")
        Select(find(driver, "install-kind")).select_by_value("braintrust_env_var")
        type_into(driver, "field-name", "RESPAN_API_KEY")
        choose(driver, "field-object_type-project")
        wait_text(driver, "field-project", lambda t: "checkout" in t)
        pick(driver, "field-project", "checkout")
        settle()
        screenshot(ARTIFACTS / "42-install-into-env-var.png")
        click(driver, "submit-install")
        gone(driver, "install-dialog")
        wait_text(driver, "installs", lambda t: "RESPAN_API_KEY" in t and "last 4 characters" in t)
        (var,) = [v for v in env_vars(sandbox) if v["name"] == "RESPAN_API_KEY"]
        assert (var["object_type"], var["object_id"]) == ("project", CHECKOUT), var
        held = call(sandbox, "GET", f"/__sandbox/braintrust/env_vars/{var['id']}/digest")["digest"]
        assert held == call(sandbox, "GET", "/__sandbox/minted_digests")[-1], "the env var holds the Respan key just minted"
        click(driver, "close-reveal")
        gone(driver, "reveal-dialog")
        row_with(driver, "RESPAN_API_KEY").click()
        wait_text(driver, "key-detail", lambda t: "checkout" in t and "Env var" in t)
        screenshot(ARTIFACTS / "43-env-var-row.png")
    finally:
        driver.quit()
        sandbox.stop()
    assert "Previous secret works until" in said
