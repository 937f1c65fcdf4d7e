"""The real OpenID provider of the single sign-on tests (`oidc-provider` from npm, run by Node):
started on 127.0.0.1 on a free port, stopped after the test module."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

HERE = Path(__file__).resolve().parent


def available() -> str | None:
    """Why the provider cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        return "run scripts/setup.sh (npm ci in tests/oidc)"
    return None


@contextmanager
def provider(clients: list[dict], accounts: dict[str, dict]):
    """Yield the issuer address of a running provider with these clients and accounts."""
    env = dict(os.environ, PORT="0", CLIENTS=json.dumps(clients), ACCOUNTS=json.dumps(accounts),
               NODE_ENV="test")
    process = subprocess.Popen(["node", str(HERE / "provider.mjs")], cwd=HERE, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline().strip()
        assert line.startswith("listening "), f"the OpenID provider did not start: {line!r}"
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def sign_in_at_provider(authorization_url: str, account: str) -> str:
    """What a person does at their directory: open the authorization address, sign in as the
    account on the provider's own form, and come back. Returns the portal address (path and
    query) the provider sends the browser back to."""
    browser = requests.Session()
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(authorization_url))
    answer = browser.get(authorization_url, allow_redirects=False, timeout=10)
    submitted = False
    for _hop in range(10):
        location = answer.headers.get("Location")
        if location is None and not submitted:  # the provider's sign-in form
            action = answer.text.split('action="', 1)[1].split('"', 1)[0]
            answer = browser.post(urljoin(origin, action), data={"login": account},
                                  allow_redirects=False, timeout=10)
            submitted = True
            continue
        assert location, f"the provider answered {answer.status_code}: {answer.text[:200]}"
        target = urljoin(answer.url, location)
        if not target.startswith(origin):
            parts = urlsplit(target)
            return f"{parts.path}?{parts.query}"
        answer = browser.get(target, allow_redirects=False, timeout=10)
    raise AssertionError("the provider never sent the browser back")
