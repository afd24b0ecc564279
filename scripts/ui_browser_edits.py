"""Edits a run and a model version through the web UI's own forms in headless Chromium.

Drives Chromium over its DevTools protocol (a minimal WebSocket client, standard library only):
loads a page, fills a form's fields, submits it as a click would, waits for the redirected page and
checks its text. Saves a screenshot after each step in OUT_DIR.

Also turns on the auto-refresh of a RUNNING run's page and checks that the page reloads by itself
with the choice kept.

Usage: python3 scripts/ui_browser_edits.py BASE_URL OUT_DIR RUN_ID RUNNING_RUN_ID
"""

import base64
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE, OUT, RUN, LIVE = sys.argv[1].rstrip("/"), Path(sys.argv[2]), sys.argv[3], sys.argv[4]


class DevTools:
    """One page target of a Chromium started with --remote-debugging-port."""

    def __init__(self, ws_url):
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
        self.call("Page.navigate", url=BASE + path)
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

    def text(self):
        return self.eval("document.documentElement.outerHTML")

    def screenshot(self, name):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        (OUT / (name + ".png")).write_bytes(base64.b64decode(data))


def main():
    profile = tempfile.mkdtemp(prefix="cairn-edits-")
    browser = subprocess.Popen(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1400,1500",
         "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    failures = []
    try:
        port_file = Path(profile) / "DevToolsActivePort"
        for _ in range(200):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.05)
        port = port_file.read_text().split()[0]
        targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list").read())
        page = DevTools(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
        page.call("Page.enable")

        def step(name, path, form, fields, expected):
            page.open(path)
            page.submit(form, fields)
            html = page.text()
            page.screenshot(name)
            missing = [e for e in expected if e not in html]
            print(("FAIL " if missing else "ok   ") + name + (": missing " + repr(missing) if missing else ""))
            if missing:
                failures.append(name)

        run = "/runs/" + RUN
        step("edit-rename", run, f'form[action="{run}/rename"]', {"name": "renamed <baseline>"},
             ["<h1>renamed &lt;baseline&gt;"])
        step("edit-tag", run, "form.tag-form", {"key": "reviewed", "value": "yes & kept"},
             ['<th scope="row">reviewed</th><td>yes &amp; kept</td>'])
        step("edit-note", run, f'form[action="{run}/note"]', {"note": "Diverged after step 40.\nKept for reference."},
             ['<div class="note">Diverged after step 40.\nKept for reference.</div>'])
        step("edit-delete", run, f'form[action="{run}/delete"]', {}, ["This run is deleted", "Restore run"])
        step("edit-restore", run, f'form[action="{run}/restore"]', {}, ["Delete run"])
        version = "/models/digits-clf/versions/1"
        step("edit-alias", version, f'form[action="{version}/aliases"]', {"alias": "stable"}, ["@stable"])
        step("edit-remove-alias", version, f'form[action="{version}/aliases/delete"]', {}, ["@stable"])
        step("edit-stage", version, f'form[action="{version}/stage"]', {"stage": "Staging"}, [">Staging</span>"])
        step("edit-description", version, f'form[action="{version}/description"]',
             {"description": "Reviewed <ok>"}, ['<p class="muted">Reviewed &lt;ok&gt;</p>'])
        if "@champion" in page.text():
            print("FAIL edit-remove-alias: @champion still shown")
            failures.append("edit-remove-alias")

        # Auto-refresh: tick the box on a RUNNING run's page; the page reloads within 15 s by itself
        # and the box is still ticked after the reload.
        page.open("/runs/" + LIVE)
        page.eval("document.getElementById('autorefresh').click(); window.__cairnOld = true; 'ok'")
        try:
            page.wait_loaded(tries=500)
            kept = page.eval("document.getElementById('autorefresh').checked")
            ok = kept is True
        except RuntimeError:
            ok = False
        print(("ok   " if ok else "FAIL ") + "auto-refresh")
        if not ok:
            failures.append("auto-refresh")
    finally:
        browser.terminate()
        browser.wait(timeout=10)
    print(json.dumps({"failures": failures}))
    sys.exit(1 if failures else 0)


main()
