"""Open a page in headless Chromium through the DevTools protocol and report what happened.

Records every network request the page makes (anything but file: and data: URLs counts as
leaving the page), console errors, JavaScript dialogs (an ``alert`` from data would show
here), and evaluates a script in the page once its charts had time to draw. Uses
``websocket-client`` (installed with Jupyter).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import websocket

from workbench.publish.pdf import chromium_command

PROBE = """(() => {
  const charts = Array.from(document.querySelectorAll('div.wb-chart'));
  return JSON.stringify({
    charts: charts.length,
    drawn: charts.filter(c => c.querySelector('svg, canvas')).length,
    marks: charts.map(c => c.querySelectorAll('svg .mark-rect path, svg .mark-line path, svg path, svg text').length),
    chart_errors: document.querySelectorAll('.wb-chart-error').length,
    code_cells: document.querySelectorAll('.jp-InputArea, .jp-CodeMirrorEditor, .highlight, .jp-InputPrompt').length,
    text: document.body.innerText,
    scripts_with_src: document.querySelectorAll('script[src]').length,
  });
})()"""


@dataclass
class PageVisit:
    """What a page did while it was open."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    probe: dict = field(default_factory=dict)

    @property
    def remote_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file:", "data:", "about:"))]


class Browser:
    """A headless Chromium tab driven over the DevTools protocol (one tab, one websocket).

    Every event the page sends is kept in `events`; JavaScript dialogs are accepted so that an
    ``alert`` cannot block the page (the dialog stays visible in `events`).
    """

    def __init__(self, chromium: str, profile: Path, extra_args: tuple[str, ...] = ()) -> None:
        command = chromium_command(chromium, profile) + [
            "--remote-debugging-port=0", *extra_args, "about:blank"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        self.ws = None
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError("Chromium did not open its DevTools port")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        targets = json.loads(no_proxy.open(f"http://127.0.0.1:{port}/json/list", timeout=10).read())
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30,
                                              suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []

    def _send(self, method: str, **params) -> int:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        return self.next_id

    def _receive(self) -> dict:
        message = json.loads(self.ws.recv())
        if "id" not in message:
            self.events.append(message)
            if message.get("method") == "Page.javascriptDialogOpening":
                self._send("Page.handleJavaScriptDialog", accept=True)
        return message

    def call(self, method: str, **params) -> dict:
        """Send one command and return its result (events meanwhile go to `events`)."""
        ident = self._send(method, **params)
        while True:
            message = self._receive()
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def drain(self, seconds: float) -> None:
        """Collect the page's events for `seconds` (it loads, draws, maybe fetches)."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            self.ws.settimeout(max(0.05, left))
            try:
                self._receive()
            except websocket.WebSocketTimeoutException:
                break
        self.ws.settimeout(30)

    def js(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:60]}…: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {expression}")

    def close(self) -> None:
        """Close the tab's socket and end the browser with all its helper processes."""
        if self.ws is not None:
            self.ws.close()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def visit(page: Path, chromium: str, settle: float = 4.0, timeout: float = 60.0) -> PageVisit:
    """Open `page` offline in headless Chromium; return its requests, errors, dialogs and probe."""
    with tempfile.TemporaryDirectory(prefix="wb-cdp-", ignore_cleanup_errors=True) as profile:
        # anything that tries the network fails fast through a dead proxy
        browser = Browser(chromium, Path(profile), extra_args=("--proxy-server=127.0.0.1:9",))
        try:
            browser.ws.settimeout(timeout)
            for domain in ("Network", "Runtime", "Log", "Page"):
                browser.call(f"{domain}.enable")
            browser.call("Page.navigate", url=Path(page).resolve().as_uri())
            browser.drain(settle)
            probe = browser.js(PROBE)
        finally:
            browser.close()
    return _page_visit(browser.events, json.loads(probe))


def _page_visit(events: list[dict], probe: dict) -> PageVisit:
    result = PageVisit(probe=probe)
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            result.requests.append(params["request"]["url"])
        elif method == "Network.loadingFailed":
            result.failed.append(params.get("errorText", ""))
        elif method == "Runtime.exceptionThrown":
            result.console_errors.append(json.dumps(params.get("exceptionDetails", {}))[:300])
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            result.console_errors.append(str(params.get("args"))[:300])
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            result.console_errors.append(params["entry"].get("text", "")[:300])
        elif method == "Page.javascriptDialogOpening":
            result.dialogs.append(params.get("message", ""))
    return result
