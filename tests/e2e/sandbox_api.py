"""The sandbox's service and control endpoints, as journeys read and steer them."""

import json
import urllib.request

from conftest import TOKEN


def call(sandbox, method: str, path: str, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"{sandbox.url}{path}", data=data, method=method,
                                 headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as r:
        raw = r.read()
        return json.loads(raw) if raw else None


def respan_keys(sandbox) -> list:
    return call(sandbox, "GET", "/api/temporary-keys/")


def connections(sandbox) -> list:
    answer = call(sandbox, "GET", "/api/llm-gateway/admin/connections")
    return answer["data"] if isinstance(answer, dict) else answer


def held_key(sandbox, name: str) -> str:
    """The upstream key the Barndoor credential called `name` holds now."""
    (conn,) = [c for c in connections(sandbox) if c["name"] == name]
    return call(sandbox, "GET", f"/__sandbox/barndoor/connections/{conn['id']}/held_key")["key"]


def faults(sandbox, **f):
    call(sandbox, "POST", "/__sandbox/faults", f)
