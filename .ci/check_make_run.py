"""Check the README's `make run` as a new user meets it (called by .ci/run).

`make run PORT=…` was started in a fresh clone, its output going to --log. This waits
for /healthz, signs in with a demo login the output printed, opens the dashboard, a
missing page (the friendly 404, not Django's technical page), a static file (served
by WhiteNoise) and asks for a portal password reset, whose e-mail (printed by the
console backend) must link to the served port. Standard library only.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

STARTUP_SECONDS = 900  # a fresh clone creates its .venv first
DEMO_OFFICIAL = "semicon_official"
DEMO_COMPANY_EMAIL = "company_a@example.co.jp"
IN_PROCESS_NOTICE = "background tasks run in-process"
BROKER_WARNING = "No hostname was supplied"


class Check:
    def __init__(self, port: int, log: Path, pid: int):
        self.base = f"http://127.0.0.1:{port}"
        self.log = log
        self.pid = pid
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def fail(self, message: str) -> None:
        tail = self.output()[-4000:]
        sys.exit(f"make run check FAILED: {message}\n---- last output of make run ----\n{tail}")

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def get(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """(status, final URL, body); redirects followed, errors returned, not raised."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 (127.0.0.1)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.url, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.url, error.read().decode("utf-8", "replace")

    def csrf(self, page: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not found:
            self.fail("no CSRF token in the form")
        return found.group(1)

    def wait_for_health(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        last = "no answer"
        while time.monotonic() < deadline:
            if not self.alive():
                self.fail("make run exited before /healthz answered")
            try:
                status, _, body = self.get("/healthz")
            except OSError as error:
                last = f"{type(error).__name__}: {error}"
            else:
                if status == 200:
                    print(f"/healthz: {body.strip()}")
                    return
                last = f"HTTP {status}"
            time.sleep(2)
        self.fail(f"/healthz did not answer 200 within {STARTUP_SECONDS} s; last: {last}")

    def demo_password(self, username: str) -> str:
        for line in self.output().splitlines():
            cells = line.split()
            if cells and cells[0] == username:
                return cells[-1]
        self.fail(f"make run printed no demo login for {username}")
        return ""

    def run(self) -> None:
        self.wait_for_health()

        # Sign in with the printed demo login, then the dashboard.
        password = self.demo_password(DEMO_OFFICIAL)
        status, _, page = self.get("/accounts/login/")
        if status != 200:
            self.fail(f"the sign-in page answered {status}")
        status, url, dashboard = self.get(
            "/accounts/login/",
            {
                "username": DEMO_OFFICIAL,
                "password": password,
                "csrfmiddlewaretoken": self.csrf(page),
            },
        )
        if status != 200 or urllib.parse.urlsplit(url).path != "/":
            self.fail(f"signing in as {DEMO_OFFICIAL} ended at {url} with {status}")
        if "/accounts/logout/" not in dashboard:
            self.fail("the dashboard does not offer to sign out: not signed in")
        print(f"signed in as {DEMO_OFFICIAL} with the printed password; dashboard 200")

        # A static file, from WhiteNoise (DEBUG is off: Django itself would not serve it).
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', dashboard)
        if not stylesheet:
            self.fail("the dashboard links no stylesheet under /static/")
        status, _, _ = self.get(stylesheet.group(1))
        if status != 200:
            self.fail(f"{stylesheet.group(1)} answered {status}")
        print(f"{stylesheet.group(1)}: 200")

        # A mistyped address: the app's own 404 page, not the technical one listing URLs.
        status, _, missing = self.get("/no-such-page-for-the-ci-check/")
        if status != 404:
            self.fail(f"a missing page answered {status}, not 404")
        if "URLconf" in missing or "Page not found at" in missing or "DEBUG = True" in missing:
            self.fail("a missing page shows Django's technical 404 (DEBUG is on)")
        if "error-page" not in missing:
            self.fail("a missing page does not show the app's 404 page")
        print("a missing page: the friendly 404")

        # An e-mail (the console backend prints it): its link carries the served port.
        status, _, page = self.get("/portal/password-reset/")
        status, url, _ = self.get(
            "/portal/password-reset/",
            {"email": DEMO_COMPANY_EMAIL, "csrfmiddlewaretoken": self.csrf(page)},
        )
        if status != 200:
            self.fail(f"asking for a password reset answered {status}")
        link = f"{self.base}/portal/password-reset/"
        deadline = time.monotonic() + 30
        while link not in self.output().replace("=\n", ""):
            if time.monotonic() > deadline:
                self.fail(f"no e-mail with a link to {link} in the output")
            time.sleep(1)
        print(f"the password-reset e-mail links to {link}…")

        output = self.output()
        if output.count(IN_PROCESS_NOTICE) != 1:
            self.fail(f"make run should say once that {IN_PROCESS_NOTICE}")
        if BROKER_WARNING in output:
            self.fail(f"make run logged kombu's '{BROKER_WARNING}'")
        print("tasks run in-process, said once; no broker warning")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", type=Path, required=True)
    parser.add_argument("--pid", type=int, required=True)
    options = parser.parse_args()
    Check(options.port, options.log, options.pid).run()
    print("make run: all checks passed")


if __name__ == "__main__":
    main()
