"""Issue 11's first finding, as a person would try it in the real window: the account's host
changed to another (loopback) service with the token field left empty, then Save. The form asks
for the token again, the core refuses on the token field, and the other service hears nothing;
typed anew, the token goes there and nowhere else. Real keychain, real SQLite, sandbox."""

import http.server
import threading

from conftest import ARTIFACTS, TOKEN, Sandbox
from ui import add_account, click, find, gone, screenshot, select, type_into, wait_text


class Stranger(http.server.ThreadingHTTPServer):
    """A loopback service that records the Authorization of every request and answers `[]`."""

    def __init__(self):
        self.seen = []
        stranger = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                stranger.seen.append(self.headers.get("Authorization", ""))
                body = b'{"objects": [{"id": "o1", "name": "stranger-org"}]}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, daemon=True).start()


def test_a_new_host_needs_the_token_again_and_the_stored_one_goes_nowhere(driver_host):
    sandbox = Sandbox(seed_keys=3)
    stranger = Stranger()
    try:
        driver = driver_host.session()
        try:
            add_account(driver, "Production", sandbox.url, TOKEN)
            wait_text(driver, "key-count", lambda t: t.strip() == "3")

            click(driver, "account-edit-button")
            find(driver, "edit-account-form")
            select(driver, "field-host", "custom")
            type_into(driver, "field-host-custom", stranger.url)
            wait_text(driver, "edit-token-host-note", lambda t: "typed again" in t)
            click(driver, "save-account")
            wait_text(driver, "edit-error-token", lambda t: "typed again" in t)
            screenshot(ARTIFACTS / "host-change-refused.png")
            assert stranger.seen == [], f"the stored token went to the new host: {stranger.seen}"

            type_into(driver, "edit-token", "sk-typed-anew-0123")
            click(driver, "save-account")
            gone(driver, "edit-account-form")
            assert stranger.seen, "the new token was verified at the new host"
            assert all(s == "Bearer sk-typed-anew-0123" for s in stranger.seen), stranger.seen
            assert not any(TOKEN in s for s in stranger.seen)
        finally:
            driver.quit()
    finally:
        stranger.shutdown()
        sandbox.stop()
