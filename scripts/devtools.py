"""A minimal Chromium DevTools-protocol driver for the web UI's browser checks (standard library only).

`Browser` starts a headless Chromium with a fresh profile and connects to its page; `DevTools` is that
page: navigate, fill and submit forms as a click would, read the DOM, the document's HTTP status and
the cookies, and save screenshots.

    with Browser("http://127.0.0.1:5000", Path("shots")) as page:
        page.open("/")
        page.screenshot("home")
"""

import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path


class DevTools:
    """One page target of a Chromium started with --remote-debugging-port."""

    def __init__(self, ws_url, base, out):
        self.base = base.rstrip("/")
        self.out = Path(out)
        host_port, path = ws_url[len("ws://"):].split("/", 1)
        host, port = host_port.split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        reply = b""
        while b"\r\n\r\n" not in reply:
            reply += self.sock.recv(1)
        if b" 101 " not in reply.split(b"\r\n")[0]:
            raise RuntimeError("DevTools refused the WebSocket: " + reply.decode(errors="replace"))
        self.next_id = 0
        # Events (messages without an id) received while waiting for replies, oldest first.
        self.events = []

    def _send(self, text):
        data = text.encode()
        mask = os.urandom(4)
        head = bytes([0x81])
        if len(data) < 126:
            head += bytes([0x80 | len(data)])
        elif len(data) < 65536:
            head += bytes([0x80 | 126]) + struct.pack(">H", len(data))
        else:
            head += bytes([0x80 | 127]) + struct.pack(">Q", len(data))
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise RuntimeError("DevTools closed the connection")
            buf += chunk
        return buf

    def _receive(self):
        message = b""
        while True:
            b0, b1 = self._exact(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._exact(8))[0]
            message += self._exact(n)
            if b0 & 0x80:
                return json.loads(message)

    def call(self, method, **params):
        self.next_id += 1
        self._send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            reply = self._receive()
            if "id" not in reply:
                self.events.append(reply)
                del self.events[:-500]
                continue
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def eval(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_loaded(self, tries=200):
        for _ in range(tries):
            ready = self.eval("document.readyState === 'complete' && !window.__cairnOld")
            if ready:
                return
            time.sleep(0.05)
        raise RuntimeError("the page did not load")

    def open(self, path):
        self.eval("window.__cairnOld = true")
        self.call("Page.navigate", url=self.base + path)
        time.sleep(0.1)
        self.wait_loaded()

    def submit(self, form, fields):
        """Fills `fields` (name → value) of the form matching the CSS selector `form` and submits it."""
        script = f"""(function () {{
          var f = document.querySelector({json.dumps(form)});
          if (!f) {{ return "no form " + {json.dumps(form)}; }}
          var fields = {json.dumps(fields)};
          for (var name in fields) {{ f.elements[name].value = fields[name]; }}
          window.confirm = function () {{ return true; }};
          window.__cairnOld = true;
          var button = f.querySelector("button[type=submit]");
          button.click();
          return "ok";
        }})()"""
        outcome = self.eval(script)
        if outcome != "ok":
            raise RuntimeError(outcome)
        time.sleep(0.2)
        self.wait_loaded()

    def post(self, action, fields):
        """Builds a form posting `fields` to `action` on the current page and submits it, as a page of
        the server with such a form would."""
        script = f"""(function () {{
          var f = document.createElement("form");
          f.method = "post";
          f.action = {json.dumps(action)};
          var fields = {json.dumps(fields)};
          for (var name in fields) {{
            var input = document.createElement("input");
            input.type = "hidden";
            input.name = name;
            input.value = fields[name];
            f.appendChild(input);
          }}
          document.body.appendChild(f);
          window.__cairnOld = true;
          f.submit();
          return "ok";
        }})()"""
        self.eval(script)
        time.sleep(0.2)
        self.wait_loaded()

    def status(self):
        """The HTTP status of the document shown (after redirects, the last response's)."""
        return self.eval("performance.getEntriesByType('navigation')[0].responseStatus")

    def path(self):
        """The path and query of the document shown."""
        return self.eval("location.pathname + location.search")

    def text(self):
        return self.eval("document.documentElement.outerHTML")

    def cookies(self):
        """Every cookie of the browser, as DevTools describes them (name, value, httpOnly, sameSite, …)."""
        return self.call("Network.getAllCookies")["cookies"]

    def screenshot(self, name):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        (self.out / (name + ".png")).write_bytes(base64.b64decode(data))


class Browser:
    """A headless Chromium with a fresh profile; entering yields its page as a `DevTools`."""

    def __init__(self, base, out, size="1400,1500"):
        self.base, self.out, self.size = base, out, size

    def __enter__(self):
        self.profile = tempfile.mkdtemp(prefix="cairn-chromium-")
        self.process = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--window-size={self.size}", "--remote-debugging-port=0", f"--user-data-dir={self.profile}",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            port_file = Path(self.profile) / "DevToolsActivePort"
            for _ in range(200):
                if port_file.exists() and port_file.read_text().strip():
                    break
                time.sleep(0.05)
            port = port_file.read_text().split()[0]
            targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list").read())
            page = DevTools(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"], self.base,
                            self.out)
            page.call("Page.enable")
            return page
        except BaseException:
            self.__exit__(None, None, None)
            raise

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)
        return False
