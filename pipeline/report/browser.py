"""Open a page in headless Chromium and report what a reader would see: console errors, charts, a screenshot.

Used by the browser test and by ``make screenshot`` (the README's picture).  Chromium is the
operating system's package (``/usr/bin/chromium``, Debian's ``chromium``; ``make chromium``
installs it); it is driven over the DevTools protocol with ``websocket-client`` (a dev extra),
so nothing is downloaded at run time.  The browser starts with a fresh profile and every
network feature off: the report must need nothing but itself.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-dev-shm-usage", "--remote-allow-origins=*",
         "--host-resolver-rules=MAP * ~NOTFOUND")

#: what the page reports about its charts (every ``svg.chart``: its drawn marks and size)
_CHARTS_JS = """JSON.stringify(Array.from(document.querySelectorAll('svg.chart')).map(function (s) {
  var b = s.getBoundingClientRect();
  var marks = Array.from(s.querySelectorAll('rect')).filter(function (r) {
    var bb = r.getBBox(); return bb.width > 0 && bb.height > 0; }).length;
  return {label: s.getAttribute('aria-label'), marks: marks, width: b.width, height: b.height,
          children: s.childElementCount};
}))"""


class BrowserError(RuntimeError):
    pass


def find_chromium() -> str | None:
    for p in (os.environ.get("FRNEWS_CHROMIUM"), *CHROMIUM_CANDIDATES):
        if p and Path(p).is_file() and os.access(p, os.X_OK):
            return p
    return shutil.which("chromium")


@dataclass
class PageCheck:
    console_errors: list[str] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    screenshot: Path | None = None
    title: str = ""


class Page:
    """A headless Chromium with one tab, driven over the DevTools protocol."""

    def __init__(self, chromium: str | None = None, *, width: int = 1280, height: int = 900, timeout: float = 60):
        import websocket  # websocket-client (dev extra)

        self.binary = chromium or find_chromium()
        if not self.binary:
            raise BrowserError("Chromium not found: `make chromium` installs Debian's chromium")
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="frnews-chromium-")
        self.proc = subprocess.Popen(
            [self.binary, *FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-port=0",
             f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            port = self._port()
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            deadline = time.monotonic() + timeout
            while True:
                with opener.open(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
                    pages = [t for t in json.load(r) if t.get("type") == "page"]
                if pages or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            if not pages:
                raise BrowserError("Chromium opened no page")
            self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=timeout,
                                                  suppress_origin=True, http_proxy_host=None)
        except BaseException:
            self.close()
            raise
        self._id = 0
        self.events: list[dict] = []

    def _port(self) -> int:
        f = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BrowserError(f"Chromium exited with code {self.proc.returncode}")
            if f.exists():
                text = f.read_text().split()
                if text:
                    return int(text[0])
            time.sleep(0.1)
        raise BrowserError("Chromium did not open its DevTools port in time")

    def send(self, method: str, **params) -> dict:
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self._id:
                if "error" in msg:
                    raise BrowserError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_for(self, method: str) -> dict:
        for i, ev in enumerate(self.events):
            if ev.get("method") == method:
                return self.events.pop(i)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            msg = json.loads(self.ws.recv())
            if msg.get("method") == method:
                return msg
            self.events.append(msg)
        raise BrowserError(f"no {method} in time")

    def evaluate(self, expression: str):
        res = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in res:
            raise BrowserError(f"script error: {res['exceptionDetails'].get('text')}")
        return res["result"].get("value")

    def console_errors(self) -> list[str]:
        """Errors the page has shown so far: console.error, uncaught exceptions, failed loads."""
        out = []
        for ev in self.events:
            m, p = ev.get("method"), ev.get("params", {})
            if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append("console: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p["args"]))
            elif m == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                out.append("exception: " + (d.get("exception", {}).get("description") or d.get("text", "")))
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append("log: " + p["entry"].get("text", ""))
        return out

    def open(self, path: Path) -> None:
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")
        self.send("Page.navigate", url=Path(path).resolve().as_uri())
        self.wait_for("Page.loadEventFired")

    def screenshot(self, path: Path, *, full_page: bool = True, max_height: int = 6000) -> Path:
        params: dict = {"format": "png"}
        if full_page:
            h = min(int(self.evaluate("document.documentElement.scrollHeight")), max_height)
            w = int(self.evaluate("document.documentElement.scrollWidth"))
            params.update(captureBeyondViewport=True, clip={"x": 0, "y": 0, "width": w, "height": h, "scale": 1})
        data = self.send("Page.captureScreenshot", **params)["data"]
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        ws = getattr(self, "ws", None)
        if ws is not None:
            try:
                ws.close()
            except Exception:  # noqa: BLE001 - closing anyway
                pass
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def check_page(path: Path, screenshot: Path | None = None, *, full_page: bool = True,
               width: int = 1280, height: int = 900, max_height: int = 6000) -> PageCheck:
    """Open ``path``; its console errors, its charts (``svg.chart``) and, if asked, a screenshot."""
    with Page(width=width, height=height) as page:
        page.open(path)
        charts = json.loads(page.evaluate(_CHARTS_JS))
        shot = page.screenshot(screenshot, full_page=full_page, max_height=max_height) if screenshot else None
        page.send("Runtime.evaluate", expression="0")  # collect the events queued meanwhile
        return PageCheck(page.console_errors(), charts, shot, page.evaluate("document.title"))
