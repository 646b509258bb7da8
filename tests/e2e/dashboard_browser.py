#!/usr/bin/env python3
"""dashboard_browser.py - drives headless Chromium through the dashboard, as a coordinator does.

  dashboard_browser.py CHROMIUM URL SHOTS_DIR STALE_SITE REVOKE_ID

Chromium is driven over the DevTools protocol on a pipe (--remote-debugging-pipe: JSON messages
separated by NUL bytes on its fds 3 and 4), with nothing but Python's standard library. The pages
carry no script; the driver types into fields and submits forms the way a person does, then
reads the page that came back. Exits non-zero with a message on the first thing that is wrong.
"""
import base64
import json
import os
import select
import subprocess
import sys
import tempfile
import time

chromium, url, shots, stale_site, revoke_id = sys.argv[1:6]


def fail(msg):
    print("dashboard_browser.py: FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


class Browser:
    def __init__(self):
        self.dir = tempfile.mkdtemp()
        to_chrome, from_chrome = os.path.join(self.dir, "in"), os.path.join(self.dir, "out")
        os.mkfifo(to_chrome)
        os.mkfifo(from_chrome)
        args = [chromium, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-dev-shm-usage",
                "--ignore-certificate-errors", "--remote-debugging-pipe", "--user-data-dir=" + os.path.join(self.dir, "p"),
                "--window-size=1280,1000", "--lang=de-DE", "--accept-lang=de-DE,de"]
        self.proc = subprocess.Popen(["bash", "-c", 'exec "$0" "$@" 3<"%s" 4>"%s"' % (to_chrome, from_chrome)] + args,
                                     stdout=subprocess.DEVNULL, stderr=open(os.path.join(shots, "chromium.log"), "w"))
        self.w = open(to_chrome, "wb", buffering=0)
        self.r = open(from_chrome, "rb", buffering=0)
        self.buf = b""
        self.events = []
        self.next_id = 0
        self.session = None
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Page.enable")

    def read(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.time()
            if left <= 0 or not select.select([self.r], [], [], left)[0]:
                fail("chromium did not answer in time")
            chunk = os.read(self.r.fileno(), 1 << 20)
            if not chunk:
                fail("chromium closed its pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, timeout=30):
        self.next_id += 1
        m = {"id": self.next_id, "method": method, "params": params or {}}
        if self.session:
            m["sessionId"] = self.session
        self.w.write(json.dumps(m).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            msg = self.read(deadline)
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    fail("%s: %s" % (method, msg["error"]))
                return msg.get("result", {})
            self.events.append(msg)

    def wait_load(self, timeout=30):
        deadline = time.time() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == "Page.loadEventFired":
                    del self.events[: i + 1]
                    return
            self.events.append(self.read(deadline))

    def js(self, expr):
        r = self.send("Runtime.evaluate", {"expression": expr, "returnByValue": True})
        if "exceptionDetails" in r:
            fail("in the page: %s: %s" % (expr, r["exceptionDetails"]))
        return r["result"].get("value")

    def go(self, path):
        self.events.clear()
        self.send("Page.navigate", {"url": url + path})
        self.wait_load()

    # Types into the fields of the form that holds FIELD, then presses its button.
    def submit(self, fields, form_action, strip_csrf=False):
        self.events.clear()
        sets = "".join("f.elements[%s].value=%s;" % (json.dumps(k), json.dumps(v)) for k, v in fields.items())
        drop = "f.elements['csrf'].remove();" if strip_csrf else ""
        self.js("(function(){var f=document.querySelector('form[action=%s]');%s%sf.querySelector('button').click();})()"
                % (json.dumps(form_action), sets, drop))
        self.wait_load()

    def text(self):
        return self.js("document.body.innerText")

    def path(self):
        return self.js("location.pathname + location.search")

    def shot(self, name):
        png = base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"})["data"])
        with open(os.path.join(shots, name), "wb") as f:
            f.write(png)
        if len(png) < 10000:
            fail("screenshot %s is (nearly) empty" % name)

    # 200 % zoom: the window's CSS width halved at twice the pixels; nothing may reach past it.
    def zoom(self, factor):
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": int(1280 / factor), "height": int(1000 / factor), "deviceScaleFactor": factor, "mobile": False})

    def overflow(self):
        return self.js("document.documentElement.scrollWidth - window.innerWidth")

    # The page again at 200 %: nothing wider than the window, a screenshot, back to 100 %.
    def at_200(self, path, what, shot):
        self.zoom(2)
        self.go(path)
        if self.overflow() > 0:
            fail("at 200 %% the %s page is %d px wider than the window" % (what, self.overflow()))
        self.shot(shot)
        self.zoom(1)

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except SystemExit:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def expect(b, *needles):
    t = b.text()
    for n in needles:
        if n not in t:
            fail("%s: no '%s' on the page; it says:\n%s" % (b.path(), n, t[:3000]))


def main():
    b = Browser()
    try:
        # Not logged in: every page leads to the login.
        b.go("/dashboard/devices")
        if b.path() != "/dashboard/login":
            fail("without a session /dashboard/devices went to " + b.path())
        expect(b, "Anmeldung", "Konto", "Passwort")
        b.shot("login.png")

        # Wrong passwords lock the account out: the fifth failure locks, then even the right one is refused.
        for i in range(5):
            b.submit({"name": "bert", "password": "falsch-%d-passwort" % i}, "/dashboard/login")
            expect(b, "Anmeldung fehlgeschlagen")
        b.submit({"name": "bert", "password": "bert-passwort-richtig"}, "/dashboard/login")
        expect(b, "Zu viele Fehlversuche")
        if b.path() != "/dashboard/login":
            fail("a locked-out account got in")

        b.submit({"name": "anna", "password": "anna-passwort-richtig"}, "/dashboard/login")
        if b.path() != "/dashboard/devices":
            fail("login did not lead to the devices: " + b.path() + "\n" + b.text()[:2000])
        cookies = b.send("Network.getCookies", {"urls": [url + "/dashboard/devices"]})["cookies"]
        sess = [c for c in cookies if c["name"] == "tk_session"]
        if not sess or not sess[0]["httpOnly"] or not sess[0]["secure"] or sess[0].get("sameSite") != "Strict":
            fail("session cookie: %s" % sess)
        if b.js("document.cookie").find("tk_session") >= 0:
            fail("the session cookie is readable by page scripts")

        expect(b, "3 Geräte", "1 seit 7 Tagen oder länger nicht gesehen", "nicht gesehen seit 10 Tagen", stale_site,
               "Stadtbibliothek", "Seniorentreff <b>", "teilhabe")
        if b.js("document.querySelectorAll('b').length") != 0:
            fail("a site name's markup became an element")
        if b.js("document.querySelectorAll('th[scope]').length") < 11:
            fail("the device table's headers have no scope")
        b.shot("devices-100.png")
        b.at_200("/dashboard/devices", "devices", "devices-200.png")

        # Counts per site (the site each answer was given at: fill-demo's "Drill"); a target through the form.
        b.go("/dashboard/counts")
        expect(b, "Nach Standort und Kanal", "Drill", "Nach Tag", "Nach Fragebogen-Version")
        # The site's row in the first table, read by its column headers.
        total = b.js("(function(){var t=document.querySelector('table');var h=Array.from(t.tHead.rows[0].cells)"
                     ".map(function(c){return c.innerText});var r=Array.from(t.tBodies[0].rows).filter(function(r)"
                     "{return r.cells[0].innerText=='Drill'})[0];return r?r.cells[h.indexOf('Summe')].innerText:null})()")
        if total != "10":
            fail("records of site Drill: %s, expected 10" % total)
        b.submit({"site": "Drill", "expected": "20"}, "/dashboard/target")
        expect(b, "Das Ziel ist gespeichert.")
        if b.js("document.querySelector('meter') && document.querySelector('meter').value") != 10:
            fail("no meter of 10 collected against the target")
        b.shot("counts-100.png")
        b.at_200("/dashboard/counts", "counts", "counts-200.png")

        # A form without its CSRF token is refused, and stores nothing.
        b.go("/dashboard/counts")
        b.submit({"site": "Ohne-Token", "expected": "7"}, "/dashboard/target", strip_csrf=True)
        expect(b, "Das Formular ist abgelaufen")
        b.go("/dashboard/counts")
        if "Ohne-Token" in b.text():
            fail("a form without its token was stored")

        # Revoke the kiosk through the form; it shows as revoked.
        b.go("/dashboard/devices")
        b.submit({"device": revoke_id, "reason": "gestohlen im Lesesaal"}, "/dashboard/revoke")
        expect(b, "Das Gerät ist gesperrt.", "gesperrt seit", "gestohlen im Lesesaal", "1 gesperrt")

        # A pairing code, shown once; the events; the audit log; the language switch.
        b.go("/dashboard/codes")
        b.submit({"site": "Jugendzentrum", "hours": "48"}, "/dashboard/codes")
        expect(b, "Neuer Kopplungscode", "Jugendzentrum", "gültig 48 Stunden")
        b.go("/dashboard/events?kind=revoke")
        expect(b, "revoked: gestohlen im Lesesaal")
        b.go("/dashboard/audit")
        expect(b, "revoke", "target", "pairing-code", "login-locked", "refused-form", "anna")
        b.shot("audit-100.png")
        b.js("document.querySelector('a[hreflang=en]').click()")
        b.wait_load()
        expect(b, "Audit log", "Signed in as")
        b.go("/dashboard/devices")
        expect(b, "Devices", "not seen for 10 days", "revoked since")
        b.shot("devices-en-100.png")

        # Focus is visible: the first link after a Tab has an outline.
        b.go("/dashboard/devices")
        b.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9})
        b.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9})
        ol = b.js("getComputedStyle(document.activeElement).outlineStyle + ' ' + document.activeElement.tagName")
        if not ol or not ol.startswith("solid"):
            fail("the focused element shows no outline: %s" % ol)

        b.submit({}, "/dashboard/logout")
        if b.path() != "/dashboard/login":
            fail("logout went to " + b.path())
        b.go("/dashboard/devices")
        if b.path() != "/dashboard/login":
            fail("after logout the devices page opened")
    finally:
        b.close()


main()
print("dashboard_browser.py: ok")
