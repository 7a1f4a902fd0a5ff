"""Open a page in headless Chromium through the DevTools protocol and report what happened.

Records every network request the page makes (anything but file: and data: URLs counts as
leaving the page), console errors, JavaScript dialogs (an ``alert`` from data would show
here), and evaluates a script in the page once its charts had time to draw. Uses
``websocket-client`` (installed with Jupyter).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import websocket

from workbench.publish import chromium_command

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


def visit(page: Path, chromium: str, settle: float = 4.0, timeout: float = 60.0) -> PageVisit:
    """Open `page` offline in headless Chromium; return its requests, errors, dialogs and probe."""
    with tempfile.TemporaryDirectory(prefix="wb-cdp-", ignore_cleanup_errors=True) as profile:
        command = chromium_command(chromium, Path(profile)) + [
            "--remote-debugging-port=0",
            "--proxy-server=127.0.0.1:9",  # anything that tries the network fails fast
            "about:blank",
        ]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   text=True, start_new_session=True)
        try:
            return _drive(process, page, settle, timeout)
        finally:
            os.killpg(process.pid, signal.SIGKILL)  # the browser and its helper processes
            process.wait(timeout=10)


def _drive(process, page: Path, settle: float, timeout: float) -> PageVisit:
    browser_ws = None
    deadline = time.monotonic() + timeout
    while browser_ws is None and time.monotonic() < deadline:
        line = process.stderr.readline()
        match = re.search(r"DevTools listening on (ws://\S+)", line)
        if match:
            browser_ws = match[1]
    if browser_ws is None:
        raise RuntimeError("Chromium did not start its DevTools endpoint")
    import urllib.request

    port = re.search(r":(\d+)/", browser_ws)[1]
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    targets = json.loads(opener.open(f"http://127.0.0.1:{port}/json/list", timeout=10).read())
    target = next(t for t in targets if t.get("type") == "page")
    ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=timeout,
                                     suppress_origin=True)
    result = PageVisit()
    counter = iter(range(1, 10_000))

    def send(method, **params):
        ident = next(counter)
        ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        return ident

    def pump(until_id=None, seconds=None):
        end = time.monotonic() + (seconds if seconds is not None else timeout)
        while time.monotonic() < end:
            ws.settimeout(max(0.05, end - time.monotonic()))
            try:
                message = json.loads(ws.recv())
            except websocket.WebSocketTimeoutException:
                break
            method = message.get("method")
            params = message.get("params", {})
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
                send("Page.handleJavaScriptDialog", accept=True)
            if until_id is not None and message.get("id") == until_id:
                return message
        return None

    try:
        for domain in ("Network", "Runtime", "Log", "Page"):
            pump(send(f"{domain}.enable"))
        pump(send("Page.navigate", url=Path(page).resolve().as_uri()))
        pump(seconds=settle)
        reply = pump(send("Runtime.evaluate", expression=PROBE, returnByValue=True))
        result.probe = json.loads(reply["result"]["result"]["value"])
    finally:
        ws.close()
    return result
