"""A real headless Chromium for the tests, driven over the DevTools protocol on a pipe (no extra packages).

``--remote-debugging-pipe`` makes Chromium read protocol commands on file descriptor 3 and answer on 4,
each message a JSON text ended by a NUL byte, so a test needs no WebSocket library and opens no port.
Every network request can be refused (``offline=True``): a page that works then works from disk alone.

>>> with Chromium() as browser:  # doctest: +SKIP
...     page = browser.open("file:///tmp/page.html", width=1366)
...     browser.evaluate(page, "document.title")
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from types import TracebackType
from typing import Any

BINARY = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
"""The Chromium found on PATH, or ``None`` (tests that need it skip)."""

SKIP_REASON = "headless Chromium is not installed (apt-get install chromium)"


class BrowserError(RuntimeError):
    """Chromium answered a command with an error, or did not answer in time."""


class Chromium:
    """One headless Chromium process; :meth:`open` gives a page session to :meth:`evaluate` in."""

    def __init__(self, *, timeout: float = 30.0) -> None:
        if BINARY is None:
            raise BrowserError(SKIP_REASON)
        self._timeout = timeout
        self._profile = tempfile.mkdtemp(prefix="ecomperf-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # Move the child's ends above 4 first, so that placing them on 3 and 4 cannot overwrite one another.
        child_read = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
        child_write = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
        for fd in (to_browser_r, from_browser_w):
            os.close(fd)
        args = [
            BINARY, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-extensions", "--remote-debugging-pipe", f"--user-data-dir={self._profile}", "about:blank",
        ]

        def fds() -> None:  # runs in the child: its fd 3 reads our commands, its fd 4 carries the answers
            os.dup2(child_read, 3)
            os.dup2(child_write, 4)

        self._process = subprocess.Popen(
            args, preexec_fn=fds, pass_fds=(3, 4), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(child_read)
        os.close(child_write)
        self._buffer = b""
        self._next_id = 0

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: tuple[type[BaseException] | None, BaseException | None, TracebackType | None]) -> None:
        self.close()

    def close(self) -> None:
        """End the browser and remove its profile."""
        os.close(self._to_browser)
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._from_browser)
        shutil.rmtree(self._profile, ignore_errors=True)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        """Send one protocol command and return its result (events that arrive meanwhile are dropped)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self._timeout
        while time.monotonic() < deadline:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
        raise BrowserError(f"{method}: no answer within {self._timeout} s")

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_browser, 65536)
            if not chunk:
                raise BrowserError("Chromium closed its pipe")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        parsed: dict[str, Any] = json.loads(raw)
        return parsed

    def open(self, url: str, *, width: int = 1366, height: int = 900, offline: bool = False) -> str:
        """Open ``url`` in a new page of ``width`` × ``height`` CSS pixels and wait for it to load.

        With ``offline``, the page is cut off from the network before it loads. Returns the page session id.
        """
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = str(self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"])
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session)
        if offline:
            self.send("Network.enable", {}, session)
            self.send("Network.emulateNetworkConditions",
                      {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0}, session)
        self.send("Page.enable", {}, session)
        self.send("Page.navigate", {"url": url}, session)
        self.wait_for(session, "document.readyState === 'complete'")
        return session

    def evaluate(self, session: str, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises are awaited)."""
        result = self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, session
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, session: str, condition: str, *, timeout: float | None = None) -> None:
        """Wait until the JavaScript ``condition`` is true in the page."""
        deadline = time.monotonic() + (timeout or self._timeout)
        while time.monotonic() < deadline:
            if self.evaluate(session, f"Boolean({condition})"):
                return
            time.sleep(0.1)
        raise BrowserError(f"timed out waiting for {condition}")

    def print_pdf(self, session: str, *, landscape: bool = False) -> bytes:
        """The page printed to PDF as the print dialog would (A4, the page's own CSS)."""
        import base64

        result = self.send("Page.printToPDF", {"preferCSSPageSize": True, "landscape": landscape,
                                               "printBackground": True}, session)
        return base64.b64decode(result["data"])
