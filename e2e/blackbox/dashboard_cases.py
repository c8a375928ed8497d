"""Black-box cases of operating jfrp (issue 18), run with jfrp_cases.py: the server's dashboard in Debian's
headless Chromium driven by Playwright (e2e/browser/dashboard-check.mjs: the page loads, lists a live proxy,
its chart moves when traffic flows, a wrong password is refused; a screenshot is kept), and /metrics on
both sides counting traffic."""
import json
import os
import re
import subprocess
import time
import urllib.request
import base64

from harness import ROOT, EchoServer, Tunnel, check, echo_roundtrip, free_port, tcp_proxy, wait_until

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def _web_extra(port):
    return ('enablePrometheus = true\nwebServer.addr = "127.0.0.1"\nwebServer.port = %d\n'
            'webServer.user = "admin"\nwebServer.password = "dash-pw"\n' % port)


def _get(url, user=None, password=None):
    req = urllib.request.Request(url)
    if user:
        req.add_header("Authorization", "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode())
    with urllib.request.urlopen(req, timeout=5) as r:
        return r.read().decode()


@case
def dashboard_in_a_real_browser():
    node = os.path.join(ROOT, "e2e", "browser")
    check(os.path.isdir(os.path.join(node, "node_modules", "playwright-core")),
          "playwright-core is not installed in e2e/browser (bin/test runs npm ci there)")
    echo = EchoServer()
    web, remote = free_port(), free_port()
    t = Tunnel("dashboard", lambda t: [tcp_proxy("web", echo.port, remote)], server_extra=_web_extra(web), admin=True)
    browser = None
    try:
        t.start(ready_port=remote)
        shot = os.path.join(t.wd.path, "dashboard.png")
        browser = subprocess.Popen(["node", os.path.join(node, "dashboard-check.mjs"), "http://127.0.0.1:%d/" % web,
                                    "admin", "dash-pw", "web", shot, "http://127.0.0.1:%d/" % t.admin_port], cwd=node, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT)
        # Traffic while the page watches: short connections, each counted when it closes. Bounded in time.
        deadline = time.monotonic() + 60
        sent = 0
        while browser.poll() is None and time.monotonic() < deadline:
            chunk = os.urandom(32 * 1024)
            check(echo_roundtrip(remote, chunk) == chunk, "the tunnel stopped carrying bytes")
            sent += 32 * 1024
            time.sleep(0.05)
        if browser.poll() is None:
            browser.kill()
        out = browser.communicate(timeout=10)[0].decode("utf-8", "replace")
        steps = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
        failed = [s for s in steps if not s["ok"]]
        check(browser.returncode == 0 and not failed and len(steps) >= 7,
              "the browser check failed: %s" % out[-2000:])
        check(os.path.getsize(shot) > 10_000, "no screenshot was taken")
        rate = [s["detail"] for s in steps if s["step"] == "the chart moves with traffic"][0]
        return "Chromium: wrong password refused, proxy listed, chart moved (%s) while %d KiB flowed, the client's " \
               "page CONNECTED; screenshot %s" % (
            rate, sent // 1024, shot)
    finally:
        if browser and browser.poll() is None:
            browser.kill()
        t.close()
        echo.close()


@case
def metrics_on_both_sides_count_traffic():
    echo = EchoServer()
    web, remote = free_port(), free_port()
    t = Tunnel("metrics", lambda t: [tcp_proxy("web", echo.port, remote)], server_extra=_web_extra(web), admin=True)
    admin = t.admin_port
    try:
        t.start(ready_port=remote)
        payload = os.urandom(100_000)
        check(echo_roundtrip(remote, payload) == payload, "no echo through the tunnel")

        def counted():
            server = _get("http://127.0.0.1:%d/metrics" % web, "admin", "dash-pw")
            client = _get("http://127.0.0.1:%d/metrics" % admin)
            s = re.search(r'frp_server_traffic_in_total\{name="web",type="tcp"\} ([0-9.e+E]+)', server)
            c = re.search(r'jfrp_client_traffic_out_total\{name="web",type="tcp"\} ([0-9.e+E]+)', client)
            return s and c and float(s.group(1)) >= 100_000 and float(c.group(1)) >= 100_000

        if not wait_until(counted, 15):
            server = _get("http://127.0.0.1:%d/metrics" % web, "admin", "dash-pw")
            client = _get("http://127.0.0.1:%d/metrics" % admin)
            check(False, "the traffic was not counted on both sides: server %s; client %s" % (
                [l for l in server.splitlines() if "traffic" in l and not l.startswith("#")],
                [l for l in client.splitlines() if "traffic" in l and not l.startswith("#")]))
        return "after 100,000 bytes each way: frp_server_traffic_in_total and jfrp_client_traffic_out_total count them"
    finally:
        t.close()
        echo.close()
