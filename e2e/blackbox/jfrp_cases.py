"""jfrp's own black-box cases, run after the shared acceptance suite by bin/test
(JFRP_EXTRA_CASES=e2e/blackbox/jfrp_cases.py ../shared/acceptance/run). Real processes on loopback,
talking to the product only through bin/ and sockets."""
import os
import re
import socket
import subprocess
import threading
import time

from harness import (ROOT, EchoServer, FaultRelay, Tunnel, Workdir, check, echo_roundtrip, free_port, port_open,
                     random_bytes, run_cli, tcp_proxy, tunnel_works, wait_until)

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


@case
def many_proxies_one_client():
    echo = EchoServer()
    # Twenty distinct ports: free_port() binds port 0 and lets it go, so two calls can return the same
    # port (it happened in session 4), and a config naming one port for two proxies is refused.
    remotes = []
    for _ in range(200):
        port = free_port()
        if port not in remotes:
            remotes.append(port)
        if len(remotes) == 20:
            break
    check(len(remotes) == 20, "could not find 20 distinct free ports")
    t = Tunnel("many", lambda t: [tcp_proxy("p%02d" % i, echo.port, r) for i, r in enumerate(remotes)])
    try:
        t.start(ready_port=remotes[-1])
        check(wait_until(lambda: all(port_open(r) for r in remotes), 30), "not every proxy port opened")
        results = {}

        def one(r):
            data = random_bytes(256 * 1024, seed=r)
            results[r] = echo_roundtrip(r, data, timeout=30) == data

        threads = [threading.Thread(target=one, args=(r,)) for r in remotes]
        [th.start() for th in threads]
        [th.join(60) for th in threads]
        ok = sum(1 for v in results.values() if v)
        check(ok == len(remotes), "%d of %d proxies echoed 256 KiB intact" % (ok, len(remotes)))
        return "20 proxies, 20 concurrent 256 KiB echoes intact"
    finally:
        t.close()
        echo.close()


@case
def taken_port_named_in_logs():
    echo = EchoServer()
    squatter = socket.socket()
    squatter.bind(("127.0.0.1", 0))
    squatter.listen(1)
    taken = squatter.getsockname()[1]
    good = free_port()
    t = Tunnel("taken", lambda t: [tcp_proxy("taken", echo.port, taken), tcp_proxy("good", echo.port, good)])
    try:
        t.start(ready_port=good)
        check(wait_until(lambda: re.search(r"taken.*%d.*in use" % taken, t.client.output()), 15),
              "client log does not name proxy 'taken', port %d and 'in use': %s" % (taken, t.client.output()[-1500:]))
        check(re.search(r"%d.*in use" % taken, t.server.output()), "server log does not name the taken port")
        check(tunnel_works(good), "the other proxy of the client does not work")
        return "port %d named in both logs; the other proxy works" % taken
    finally:
        t.close()
        echo.close()
        squatter.close()


@case
def dead_local_service_closes_fast():
    dead = free_port()
    remote = free_port()
    t = Tunnel("dead", lambda t: [tcp_proxy("dead", dead, remote)])
    try:
        t.start()
        check(wait_until(lambda: port_open(remote), 30), "proxy port never opened")
        s = socket.create_connection(("127.0.0.1", remote), timeout=10)
        start = time.monotonic()
        try:
            got = s.recv(1)
        except ConnectionResetError:
            got = b""
        took = time.monotonic() - start
        s.close()
        check(got == b"", "got data from a dead service: %r" % got)
        check(took < 2.0, "user connection held %.2fs before closing" % took)
        check(wait_until(lambda: re.search(r"dead.*%d.*(refused|unreachable)" % dead, t.client.output()), 5),
              "client log does not say why: %s" % t.client.output()[-800:])
        return "closed after %.0f ms, reason in the client log" % (took * 1000)
    finally:
        t.close()


class CapturingRelay:
    """Forwards loopback TCP to a target port and records the first 64 KiB sent towards it."""

    def __init__(self, target):
        self.target = target
        self.captured = bytearray()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.open = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                c, _ = self.sock.accept()
                u = socket.create_connection(("127.0.0.1", self.target), timeout=5)
                u.settimeout(None)
            except OSError:
                return
            self.open += [c, u]
            threading.Thread(target=self._pump, args=(c, u, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(u, c, False), daemon=True).start()

    def _pump(self, a, b, record):
        try:
            while True:
                d = a.recv(65536)
                if not d:
                    break
                if record and len(self.captured) < 64 * 1024:
                    self.captured.extend(d)
                b.sendall(d)
        except OSError:
            pass
        finally:
            for x in (a, b):
                try:
                    x.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self.sock.close()
        for x in self.open:
            x.close()


@case
def tls_on_the_wire():
    """The client's bytes to the server start a TLS handshake and never carry the token in clear."""
    echo = EchoServer()
    remote = free_port()
    t = Tunnel("tlswire", lambda t: [tcp_proxy("tw", echo.port, remote)])
    relay = CapturingRelay(t.bind_port)
    with open(t.client_cfg) as f:
        text = f.read().replace("serverPort = %d" % t.bind_port, "serverPort = %d" % relay.port)
    with open(t.client_cfg, "w") as f:
        f.write(text)
    try:
        t.start(ready_port=remote)
        data = random_bytes(4096, seed=99)
        check(echo_roundtrip(remote, data) == data, "echo through the TLS channel failed")
        cap = bytes(relay.captured)
        check(len(cap) > 5, "nothing captured")
        check(cap[0] == 0x16, "first byte to the server is 0x%02x, not a TLS handshake" % cap[0])
        check(b"acceptance-token" not in cap and b"JFRP" not in cap and data[:64] not in cap,
              "token, preface or payload visible in clear on the wire")
        return "TLS handshake first; no token, preface or payload in clear"
    finally:
        t.close()
        relay.close()
        echo.close()


@case
def verify_reads_yaml_and_json():
    wd = Workdir("formats")
    y = wd.write("frpc.yaml", "serverAddr: 127.0.0.1\nserverPort: 7000\nproxies:\n  - name: a\n    type: tcp\n"
                              "    localPort: 80\n    remotPort: 6000\n")
    rc, out = run_cli(["bin/jfrpc", "verify", "-c", y])
    check(rc == 1 and "frpc.yaml:7" in out and "remotPort" in out, "yaml problem not located: %s" % out)
    j = wd.write("frpc.json", '{"serverPort": 7000, "proxies": [{"name": "a", "type": "tcp", "localPort": 80}]}')
    rc, out = run_cli(["bin/jfrpc", "verify", "-c", j])
    check(rc == 0, "valid json refused: %s" % out)
    return "yaml problem located, json accepted"


@case
def launcher_through_a_symlink_with_an_empty_environment():
    # frp's suite starts binaries with no PATH, HOME or JAVA_HOME; users link frpc to bin/jfrpc.
    wd = Workdir("symlink")
    links = os.path.join(wd.path, "links", "deeper")
    os.makedirs(links)
    link = os.path.join(links, "frpc")
    os.symlink(os.path.join(ROOT, "bin", "jfrpc"), link)
    cfg = wd.write("frpc.toml", 'serverPort = 7000\n[[proxies]]\nname = "a"\nlocalPort = 80\n')
    r = subprocess.run([link, "verify", "-c", cfg], cwd="/", env={}, capture_output=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    out = r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace")
    check(r.returncode == 0 and "syntax is ok" in out, "verify through a symlink, from /, without an environment: %s" % out)
    return "a symlinked frpc verifies from / with an empty environment"


def _via_relay(name, heartbeat=True):
    """A tunnel whose client reaches the server through a FaultRelay, with 1s/3s heartbeats."""
    echo = EchoServer()
    remote = free_port()
    extra = 'transport.heartbeatInterval = "1s"\ntransport.heartbeatTimeout = "3s"\n' if heartbeat else ""
    t = Tunnel(name, lambda t: [tcp_proxy("r", echo.port, remote)], client_extra=extra)
    relay = FaultRelay(t.bind_port)
    with open(t.client_cfg) as f:
        text = f.read().replace("serverPort = %d" % t.bind_port, "serverPort = %d" % relay.port)
    with open(t.client_cfg, "w") as f:
        f.write(text)
    return t, relay, echo, remote


@case
def silent_link_recovers():
    t, relay, echo, remote = _via_relay("silent")
    try:
        t.start(ready_port=remote)
        relay.freeze_existing()
        start = time.monotonic()
        check(wait_until(lambda: tunnel_works(remote), 15, step=0.1),
              "tunnel not back 15s after the link went silent: %s" % t.client.output()[-1500:])
        took = time.monotonic() - start
        check(took <= 5.0, "tunnel back only after %.1fs (heartbeat 1s/3s: expected <= 5s)" % took)
        check(re.search(r"no heartbeat answer", t.client.output()), "client log does not say the link went silent")
        return "working again %.2fs after the link went silent (heartbeat 1s/3s)" % took
    finally:
        t.close()
        relay.close()
        echo.close()


@case
def client_restart_after_silent_death():
    t, relay, echo, remote = _via_relay("crestart")
    try:
        t.start(ready_port=remote)
        relay.freeze_existing()   # the old path dies without a FIN: the server still believes in it
        t.client.kill()           # kill -9: no goodbye either
        start = time.monotonic()
        t.start_client()
        check(wait_until(lambda: tunnel_works(remote), 10, step=0.05),
              "restarted client does not own its port 10s later: %s | server: %s" % (
                  t.client.output()[-800:], t.server.output()[-800:]))
        took = time.monotonic() - start
        check(took <= 3.0, "restarted client owned its port only after %.2fs" % took)
        check(re.search(r"replaced|resumed", t.server.output()), "server log does not say the stale channel was replaced")
        return "restarted client (new JVM) owns its port %.2fs after start" % took
    finally:
        t.close()
        relay.close()
        echo.close()


@case
def status_command_shows_the_tunnel():
    echo = EchoServer()
    remote = free_port()
    t = Tunnel("status", lambda t: [tcp_proxy("web", echo.port, remote)], admin=True)
    try:
        t.start(ready_port=remote)
        rc, out = run_cli(["bin/jfrpc", "status", "-c", t.client_cfg])
        check(rc == 0, "jfrpc status failed (%d): %s" % (rc, out))
        check("CONNECTED" in out and re.search(r"web\s+tcp\s+running\s+%d" % remote, out),
              "status table lacks the state or the proxy: %s" % out)
        return "status: CONNECTED, web running on %d" % remote
    finally:
        t.close()
        echo.close()


@case
def doctor_names_what_is_wrong():
    dead = free_port()
    t = Tunnel("doctor", lambda t: [tcp_proxy("dead", dead, free_port())])
    try:
        rc, out = run_cli(["bin/jfrpc", "doctor", "-c", t.client_cfg])
        check(rc == 1 and re.search(r"FAIL\s+server port\s+\S+ refused the connection", out),
              "doctor did not say the server port refused: %s" % out)
        t.start_server()
        rc, out = run_cli(["bin/jfrpc", "doctor", "-c", t.client_cfg])
        check(rc == 1 and re.search(r"PASS\s+server answer\s+a jfrps answers", out) and re.search(r"PASS\s+login", out)
              and re.search(r"FAIL\s+proxy dead", out) and re.search(r"PASS\s+remote dead", out),
              "doctor did not pass the login and the remote port and fail the dead service: %s" % out)
        rc, out = run_cli(["bin/jfrpc", "doctor", "--json", "-c", t.client_cfg])
        import json as _json
        report = _json.loads(out[out.index("{"):])
        levels = {c["name"]: c["level"] for c in report["checks"]}
        check(rc == 1 and not report["ok"] and levels.get("proxy dead") == "FAIL" and levels.get("login") == "PASS",
              "doctor --json does not say the same: %s" % out)
        return "server port refused, then a dead local service: each named with a hint; --json the same"

    finally:
        t.close()


@case
def class_data_archives_in_use():
    """The launcher's training run made an archive per side (bin/jfrp-launch), and each process maps
    its own: a change that breaks the training (a log line it waits for, say) fails here, not only as
    a few MB more RSS in the next benchmark."""
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "app", "target")
    for side in ("jfrps", "jfrpc"):
        check(os.path.getsize(os.path.join(target, side + ".jsa")) > 1 << 20, "no %s.jsa in app/target" % side)
    echo = EchoServer()
    remote = free_port()
    t = Tunnel("cds", lambda t: [tcp_proxy("web", echo.port, remote)])
    try:
        t.start(ready_port=remote)
        for proc, side in ((t.server, "jfrps"), (t.client, "jfrpc")):
            with open("/proc/%d/maps" % proc.p.pid) as f:
                maps = f.read()
            check(side + ".jsa" in maps, "%s does not map %s.jsa" % (side, side))
        return "jfrps maps jfrps.jsa, jfrpc maps jfrpc.jsa"
    finally:
        t.close()
        echo.close()


@case
def demo_check_answers_and_exits():
    rc, out = run_cli(["bin/jfrp", "demo", "--check"], timeout=120)
    check(rc == 0 and "answered 200 through the tunnel" in out, "demo --check failed (%d): %s" % (rc, out[-1500:]))
    return "demo --check: 200 through the tunnel, exit 0"


# Attack and fault cases live in their own module; they run with these.
import attack_cases  # noqa: E402
import transport_cases  # noqa: E402
import identity_cases  # noqa: E402
import reload_cases  # noqa: E402
import etcd_cases  # noqa: E402
import dashboard_cases  # noqa: E402

def _web_service(body):
    """A threaded HTTP/1.1 service on loopback: GET answers `body` (bytes), POST echoes what it was sent."""
    import http.server

    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Seen-Host", self.headers.get("Host", ""))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            data = self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


@case
def http_vhosts_route_by_name():
    """Two http proxies on the server's vhostHTTPPort, told apart by Host, on one keep-alive connection."""
    import hashlib
    import http.client
    a, b = _web_service(b"service a"), _web_service(b"service b")
    vhost = free_port()
    t = Tunnel("vhost", lambda t: [
        {"name": "a", "type": "http", "localIP": "127.0.0.1", "localPort": a.server_address[1],
         "customDomains": ["a.example.com"]},
        {"name": "b", "type": "http", "localIP": "127.0.0.1", "localPort": b.server_address[1],
         "customDomains": ["b.example.com"]}], server_extra="vhostHTTPPort = %d\n" % vhost)
    try:
        t.start()
        check(wait_until(lambda: t.client.output().count("start proxy success") >= 2, 60),
              "the http proxies did not start: %s" % t.client.output()[-1500:])
        c = http.client.HTTPConnection("127.0.0.1", vhost, timeout=20)
        for host, want in (("a.example.com", b"service a"), ("b.example.com", b"service b"),
                           ("a.example.com", b"service a")):
            c.request("GET", "/", headers={"Host": host})
            r = c.getresponse()
            got = r.read()
            check(r.status == 200 and got == want, "%s: %d %r" % (host, r.status, got[:80]))
        data = random_bytes(2 * 1024 * 1024, seed=15)
        c.request("POST", "/echo", body=data, headers={"Host": "b.example.com"})
        r = c.getresponse()
        back = r.read()
        check(hashlib.sha256(back).digest() == hashlib.sha256(data).digest(), "2 MiB POST came back changed")
        c.request("GET", "/", headers={"Host": "nobody.example.com"})
        r = c.getresponse()
        r.read()
        check(r.status == 404, "an unknown name got %d, not 404" % r.status)
        c.close()
        return "a, b, a on one connection; 2 MiB POST echoed intact; unknown name 404"
    finally:
        t.close()
        a.shutdown()
        b.shutdown()


@case
def java_opts_bring_c2_back():
    """JFRP_JAVA_OPTS as the README documents it: -XX:TieredStopAtLevel=4 starts both sides with C2."""
    env = dict(os.environ)
    for opts in ("-XX:TieredStopAtLevel=4", "-XX:-TieredCompilation", "-XX:TieredStopAtLevel=4 -XX:CICompilerCount=2"):
        env["JFRP_JAVA_OPTS"] = opts
        for tool in ("bin/jfrpc", "bin/jfrps"):
            r = subprocess.run([tool, "--version"], cwd=ROOT, capture_output=True, timeout=120, env=env,
                               stdin=subprocess.DEVNULL)
            out = (r.stdout + r.stderr).decode("utf-8", "replace")
            check(r.returncode == 0, "%s --version with JFRP_JAVA_OPTS=%s failed (%d): %s" % (
                tool, opts, r.returncode, out[-800:]))
    return "C2 via TieredStopAtLevel=4, -TieredCompilation, and with an explicit CICompilerCount: both sides start"


CASES.update(attack_cases.CASES)
CASES.update(transport_cases.CASES)
CASES.update(identity_cases.CASES)
CASES.update(reload_cases.CASES)
CASES.update(etcd_cases.CASES)
CASES.update(dashboard_cases.CASES)
