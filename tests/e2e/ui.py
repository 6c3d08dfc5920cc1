"""Small helpers over Selenium for Keyward's `data-testid`s."""

import os
import subprocess
import time

from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

TIMEOUT = 20


def screenshot(path) -> None:
    """The screen as a person sees it, taken from the X server: the window, and any dialog of the
    desktop's over it. Not WebDriver's snapshot: without WebKit's compositor (how Keyward draws
    where there is no GPU, as on this machine) it never answers once the window was placed from
    its saved size and position."""
    subprocess.run(["import", "-window", "root", str(path)], check=True, timeout=30)


def css(testid: str, extra: str = "") -> str:
    return f'[data-testid="{testid}"]{extra}'


def find(driver, testid: str, extra: str = ""):
    return WebDriverWait(driver, TIMEOUT).until(lambda d: d.find_element(By.CSS_SELECTOR, css(testid, extra)))


def all_of(driver, testid: str, extra: str = ""):
    return driver.find_elements(By.CSS_SELECTOR, css(testid, extra))


def gone(driver, testid: str, extra: str = ""):
    WebDriverWait(driver, TIMEOUT).until(lambda d: not d.find_elements(By.CSS_SELECTOR, css(testid, extra)))


def text_of(driver, testid: str, extra: str = "") -> str:
    return find(driver, testid, extra).text


def wait_text(driver, testid: str, predicate, extra: str = "") -> str:
    """Waits until the element's text satisfies `predicate`, and returns it."""
    seen = {"text": None}

    def check(d):
        try:
            seen["text"] = d.find_element(By.CSS_SELECTOR, css(testid, extra)).text
            return predicate(seen["text"])
        except (StaleElementReferenceException, WebDriverException):
            return False

    try:
        WebDriverWait(driver, TIMEOUT).until(check)
    except Exception as e:
        raise AssertionError(f"{testid}: last text was {seen['text']!r}") from e
    return seen["text"]


def type_into(driver, testid: str, value: str):
    el = find(driver, testid)
    el.clear()
    el.send_keys(value)
    return el


def select(driver, testid: str, value: str):
    """Picks `value` once the list offers it (a list read after the window's first paint waits
    disabled until then)."""
    def offered(d):
        el = d.find_element(By.CSS_SELECTOR, css(testid))
        return el.is_enabled() and el.find_elements(By.CSS_SELECTOR, f'option[value="{value}"]')

    WebDriverWait(driver, TIMEOUT).until(offered)
    Select(find(driver, testid)).select_by_value(value)


def click(driver, testid: str, extra: str = ""):
    WebDriverWait(driver, TIMEOUT).until(lambda d: d.find_element(By.CSS_SELECTOR, css(testid, extra)).is_enabled())
    find(driver, testid, extra).click()


def settle(seconds: float = 0.3):
    time.sleep(seconds)


def add_account(driver, label: str, host: str, token: str, service: str = "braintrust"):
    """Adds an account through the dialog and waits for it to close."""
    from selenium.webdriver.common.by import By

    click(driver, "add-account-button")
    find(driver, "account-form")  # dialogs load on first open
    if service != "braintrust":
        radio = driver.find_element(By.CSS_SELECTOR, f'input[name="service"][value="{service}"]')
        radio.find_element(By.XPATH, "..").click()
    type_into(driver, "field-label", label)
    select(driver, "field-host", "custom")
    type_into(driver, "field-host-custom", host)
    type_into(driver, "field-token", token)
    click(driver, "submit-account")
    gone(driver, "account-form")


def row_with(driver, text: str):
    """The inventory row that shows `text`, once it is rendered (the list renders a frame after
    the count changes)."""
    def found(d):
        for row in d.find_elements(By.CSS_SELECTOR, css("key-row")):
            try:
                if text in row.text:
                    return row
            except StaleElementReferenceException:
                return False
        return False

    try:
        return WebDriverWait(driver, TIMEOUT).until(found)
    except Exception as e:
        shown = [r.get_attribute("textContent") for r in driver.find_elements(By.CSS_SELECTOR, css("key-row"))]
        screenshot(os.path.join(os.environ.get("KEYWARD_E2E_ARTIFACTS", "."), "no-row-failure.png"))
        sizes = driver.execute_script("const b = document.querySelector('[data-testid=key-table] .body'); return b ? [b.clientHeight, b.scrollTop, b.scrollHeight] : null")
        shown.append(f"viewport {sizes}")
        raise AssertionError(f"no key row shows {text!r}; rows: {shown}") from e


def toast_with(driver, *words: str) -> str:
    """Waits for a toast that says every one of `words` and returns its text. Toasts come and go,
    so one that vanishes while being read is simply read again."""
    seen = {"texts": []}

    def found(d):
        texts = []
        for toast in d.find_elements(By.CSS_SELECTOR, css("toast")):
            try:
                texts.append(toast.text)
            except StaleElementReferenceException:
                continue
        seen["texts"] = texts
        return next((t for t in texts if all(w in t for w in words)), False)

    try:
        return WebDriverWait(driver, TIMEOUT).until(found)
    except Exception as e:
        raise AssertionError(f"no toast says {words!r}; toasts: {seen['texts']}") from e


def create_proxy_credential(driver, model: str, ttl: str | None = None):
    """New key → a Braintrust proxy credential for `model` → the reveal dialog is open."""
    click(driver, "new-key-button")
    select(driver, "field-kind", "braintrust_proxy_credential")
    type_into(driver, "field-model", model)
    if ttl is not None:
        type_into(driver, "field-ttl_seconds", ttl)
    click(driver, "submit-key")
    find(driver, "reveal-dialog")
