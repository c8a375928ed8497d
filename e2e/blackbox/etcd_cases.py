"""Black-box cases of the config centre (issue 17), run with jfrp_cases.py: a real etcd on loopback
(Debian's etcd-server, which bin/test installs), jfrpc with configSource.etcd, keys written through etcd's
own JSON gateway. A change applies at once; with etcd killed the tunnels go on and a restarted jfrpc runs
on the copy it kept; etcd back, its changes apply again."""
import base64
import json
import os
import shutil
import subprocess
import time
import urllib.request

from harness import ROOT, EchoServer, Proc, Tunnel, Workdir, check, free_port, port_open, tunnel_works, wait_until

CASES = {}
PREFIX = "/jfrp/acceptance/"


def case(fn):
    CASES[fn.__name__] = fn
    return fn


class Etcd:
    """One etcd member on two free loopback ports, its data in a directory of the case's."""

    def __init__(self, wd):
        self.wd = wd
        self.client_port, self.peer_port = free_port(), free_port()
        self.proc = None

    def start(self):
        binary = os.environ.get("JFRP_ETCD") or "/usr/bin/etcd"
        check(os.access(binary, os.X_OK), "%s is missing: bin/test installs Debian's etcd-server" % binary)
        client, peer = "http://127.0.0.1:%d" % self.client_port, "http://127.0.0.1:%d" % self.peer_port
        self.proc = Proc([binary, "--name", "acc", "--data-dir", os.path.join(self.wd.path, "etcd-data"),
                          "--listen-client-urls", client, "--advertise-client-urls", client,
                          "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                          "--initial-cluster", "acc=" + peer, "--log-level", "warn"], self.wd,
                         "etcd-%d" % time.monotonic_ns())
        check(wait_until(self.healthy, 30), "etcd did not start: %s" % self.proc.output()[-1500:])

    def healthy(self):
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/health" % self.client_port, timeout=1) as r:
                return b"true" in r.read()
        except OSError:
            return False

    def put(self, key, value):
        body = json.dumps({"key": base64.b64encode((PREFIX + key).encode()).decode(),
                           "value": base64.b64encode(value.encode()).decode()}).encode()
        req = urllib.request.Request("http://127.0.0.1:%d/v3/kv/put" % self.client_port, data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=5) as r:
            check(r.status == 200, "etcd refused the put: %d" % r.status)

    def kill(self):
        if self.proc:
            self.proc.kill()
            self.proc = None

    def endpoint(self):
        return "http://127.0.0.1:%d" % self.client_port


def proxy_doc(name, local_port, remote_port):
    return ('[[proxies]]\nname = "%s"\ntype = "tcp"\nlocalIP = "127.0.0.1"\nlocalPort = %d\nremotePort = %d\n'
            % (name, local_port, remote_port))


@case
def etcd_change_applies_and_etcd_down_keeps_the_tunnels():
    wd = Workdir("etcd")
    etcd = Etcd(wd)
    echo = EchoServer()
    web, db = free_port(), free_port()
    t = None
    try:
        etcd.start()
        etcd.put("web.toml", proxy_doc("web", echo.port, web))
        extra = ('stateDir = "%s"\nconfigSource.etcd.endpoints = ["%s"]\nconfigSource.etcd.prefix = "%s"\n'
                 % (os.path.join(wd.path, "state"), etcd.endpoint(), PREFIX))
        t = Tunnel("etcd-client", lambda t: [], client_extra=extra)
        t.start(ready_port=web)

        started = time.monotonic()
        etcd.put("db.toml", proxy_doc("db", echo.port, db))
        check(wait_until(lambda: port_open(db), 10), "the etcd change was not applied: %s" % t.client.output()[-1500:])
        applied_ms = (time.monotonic() - started) * 1000
        check(tunnel_works(db), "the proxy from etcd does not carry bytes")

        etcd.put("bad.toml", '[[proxies]]\nname = "bad"\nlocalPort = "eighty"\n')
        check(wait_until(lambda: "config source change refused" in t.client.output(), 10),
              "a broken etcd key was not refused: %s" % t.client.output()[-1500:])
        check("/jfrp/acceptance/bad.toml:3:" in t.client.output(), "the refusal does not name the key and line")
        etcd.put("bad.toml", "proxies = []\n")

        etcd.kill()
        check(wait_until(lambda: "does not answer" in t.client.output() or "watch ended" in t.client.output(), 15),
              "the client did not say etcd is down: %s" % t.client.output()[-1500:])
        check(tunnel_works(web) and tunnel_works(db), "etcd down broke a tunnel")
        t.client.kill()
        t.start_client()
        check(wait_until(lambda: tunnel_works(web) and tunnel_works(db), 30),
              "a jfrpc started with etcd down did not run on its copy: %s" % t.client.output()[-1500:])
        check("running on the copy of revision" in t.client.output(), "the restarted client does not say it runs on its copy")

        etcd.start()
        third = free_port()
        etcd.put("third.toml", proxy_doc("third", echo.port, third))
        check(wait_until(lambda: tunnel_works(third), 20), "etcd back, its change was not applied: %s"
              % t.client.output()[-1500:])
        return "an etcd change applied in %.0f ms; a broken key refused naming key and line; etcd killed: tunnels " \
               "kept, a restarted jfrpc ran on its copy; etcd back: a change applied" % applied_ms
    finally:
        if t:
            t.close()
        etcd.kill()
        echo.close()


@case
def etcd_client_jar_missing_is_named():
    """jetcd ships as jfrp-etcd.jar beside jfrp.jar (docs/design.md): an install without it still starts, and a
    config with configSource.etcd then says which file is missing and where it looked."""
    wd = Workdir("etcd-jar")
    install = os.path.join(wd.path, "install")
    os.makedirs(os.path.join(install, "bin"))
    os.makedirs(os.path.join(install, "app", "target"))
    for tool in ("jfrp", "jfrpc", "jfrps", "jfrp-launch"):
        shutil.copy2(os.path.join(ROOT, "bin", tool), os.path.join(install, "bin", tool))
    shutil.copy2(os.path.join(ROOT, "app", "target", "jfrp.jar"), os.path.join(install, "app", "target", "jfrp.jar"))
    cfg = wd.write("frpc.toml", 'serverAddr = "127.0.0.1"\nserverPort = %d\nauth.token = "t"\n'
                                'configSource.etcd.endpoints = ["http://127.0.0.1:%d"]\nconfigSource.etcd.prefix = "%s"\n'
                   % (free_port(), free_port(), PREFIX))
    r = subprocess.run([os.path.join(install, "bin", "jfrpc"), "-c", cfg], capture_output=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    out = (r.stdout + r.stderr).decode("utf-8", "replace")
    missing = os.path.join(install, "app", "target", "jfrp-etcd.jar")
    check(r.returncode != 0, "jfrpc ran without its etcd client: %s" % out[-800:])
    check("configSource.etcd needs jfrp's etcd client, jfrp-etcd.jar" in out and missing in out,
          "the error does not name jfrp-etcd.jar and where it looked: %s" % out[-800:])
    check("Exception" not in out, "a stack trace instead of a line: %s" % out[-800:])
    v = subprocess.run([os.path.join(install, "bin", "jfrpc"), "--version"], capture_output=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    check(v.returncode == 0, "jfrpc without jfrp-etcd.jar does not start: %s" % v.stderr.decode()[-800:])
    return "exit %d: %s" % (r.returncode, [line for line in out.splitlines() if "jfrp-etcd.jar" in line][0][-120:])
