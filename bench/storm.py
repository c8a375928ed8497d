"""Scale of one server (issue 14): 10,000 real clients against one jfrps, from one load-generator process
(io.jfrp.bench.ClientStorm in bench/target/benchmarks.jar: JfrpClients of a ClientFleet), each with two
HTTP proxies and heartbeats every 10 s (timeout 30 s). Measures how long they take to log in, jfrps's RSS
and CPU per client at rest, then stops jfrps (SIGTERM, as an operator's restart does), starts it again and
measures how long until every client and proxy is back, and whether any session was lost for want of a
heartbeat answer meanwhile (on either side). HTTP proxies are routed by name on the vhost port: the 20,000
proxies need no port each, so jfrps's descriptors stay under this machine's hard limit of 20,000 per process.
frp is not run here: it has no way to put 10,000 frpc in one process."""
import hashlib
import json
import os
import re
import signal
import subprocess
import threading
import time
import urllib.request

CLIENTS = 10000
HEARTBEAT, TIMEOUT = 10, 30


class Generator:
    """ClientStorm as a child process; its JSON lines (CLOCK_MONOTONIC times, as Python's) kept as they come."""

    def __init__(self, b, jar, server_port, service, clients):
        self.lines = []
        self.log = open(os.path.join(b.TMP, "storm-generator.log"), "ab")
        self.p = subprocess.Popen(["java", "-Xmx3g", "-XX:+UseParallelGC", "-cp", jar, "io.jfrp.bench.ClientStorm",
                                   "server=127.0.0.1:%d" % server_port, "token=%s" % b.TOKEN, "clients=%d" % clients,
                                   "service=%d" % service, "heartbeat=%d" % HEARTBEAT, "timeout=%d" % TIMEOUT],
                                  stdout=subprocess.PIPE, stderr=self.log, stdin=subprocess.DEVNULL,
                                  start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.p.stdout:
            try:
                self.lines.append(json.loads(raw))
            except ValueError:
                pass

    def last(self):
        return self.lines[-1] if self.lines else {"mono": time.monotonic(), "connected": 0, "proxies": 0,
                                                  "heartbeatLosses": 0, "lost": 0}

    def await_all(self, clients, since, timeout):
        """The generator's time of its first line, after `since`, with every client and proxy up; None if never."""
        end = time.monotonic() + timeout
        while time.monotonic() < end and self.p.poll() is None:
            for line in list(self.lines):
                if line["mono"] >= since and line["connected"] == clients and line["proxies"] == 2 * clients:
                    return line["mono"]
            time.sleep(0.2)
        return None

    def rss_mb(self):
        with open("/proc/%d/status" % self.p.pid) as f:
            return round(int(next(l for l in f if l.startswith("VmRSS:")).split()[1]) / 1024, 1)

    def stop(self):
        if self.p.poll() is None:
            os.killpg(self.p.pid, signal.SIGKILL)
            self.p.wait(timeout=10)


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks


def answers(b, vhost, host):
    """A request through one client's proxy brings nginx's 1 KiB file back intact."""
    try:
        req = urllib.request.Request("http://127.0.0.1:%d/1k.bin" % vhost, headers={"Host": host})
        with urllib.request.urlopen(req, timeout=10) as r:
            got = r.read()
        with open(os.path.join(b.TMP, "www", "1k.bin"), "rb") as f:
            return r.status == 200 and hashlib.sha256(got).digest() == hashlib.sha256(f.read()).digest()
    except OSError:
        return False


def storm_section(results, b, clients=CLIENTS):
    jar = os.path.join(b.ROOT, "bench", "target", "benchmarks.jar")
    if not os.path.exists(jar):
        results["storm"] = {"skipped": "bench/target/benchmarks.jar missing (mvn install builds it)"}
        return
    service = b.nginx()
    bind, vhost = b.free_port(), b.free_port()
    d = os.path.join(b.TMP, "storm-%d" % bind)
    os.makedirs(d)
    cfg, log = os.path.join(d, "frps.toml"), os.path.join(d, "frps.log")
    with open(cfg, "w") as f:
        f.write('bindAddr = "127.0.0.1"\nbindPort = %d\nvhostHTTPPort = %d\nauth.token = "%s"\nlog.to = "%s"\n'
                % (bind, vhost, b.TOKEN, log))

    def start_server(n):
        s = b.Proc(["bin/jfrps", "-c", cfg], "storm-jfrps-%d" % n)
        assert b.wait_until(lambda: b.port_open(bind), 60), "jfrps did not listen"
        return s

    out = {"clients": clients, "proxies_per_client": 2, "heartbeat_s": [HEARTBEAT, TIMEOUT]}
    server = start_server(1)
    idle_mb = round(server.rss_kb() / 1024, 1)
    gen = Generator(b, jar, bind, service, clients)
    started = time.monotonic()
    try:
        up = gen.await_all(clients, started, 300)
        assert up is not None, "the clients did not all log in within 300 s: %s" % gen.last()
        out["login_all_s"] = round(up - started, 1)
        out["tunnel_answers"] = answers(b, vhost, "s%d-a.storm" % (clients // 2))
        b.log("storm: %d clients and %d proxies up in %.1f s" % (clients, 2 * clients, up - started))

        time.sleep(10)  # the logins' garbage collected and the heartbeats in their rhythm
        ticks0, t0 = cpu_ticks(server.p.pid), time.monotonic()
        time.sleep(20)
        ticks1, t1 = cpu_ticks(server.p.pid), time.monotonic()
        rss = server.rss_kb() / 1024
        cpu_pct = (ticks1 - ticks0) / os.sysconf("SC_CLK_TCK") / (t1 - t0) * 100
        out["at_rest"] = {"jfrps_mb": round(rss, 1), "jfrps_idle_mb": idle_mb,
                          "per_client_kb": round((rss - idle_mb) * 1024 / clients, 1),
                          "jfrps_cpu_pct": round(cpu_pct, 2), "cpu_us_per_client_s": round(cpu_pct / 100 * 1e6 / clients, 1),
                          "generator_mb": gen.rss_mb()}
        b.log("storm at rest: %s" % out["at_rest"])

        before = gen.last()
        stop_at = time.monotonic()
        server.kill(signal.SIGTERM)
        stopped = time.monotonic()
        server = start_server(2)
        listening = time.monotonic()
        back = gen.await_all(clients, listening, 120)
        after = gen.last()
        with open(log, errors="replace") as f:
            server_hb = len(re.findall(r"no heartbeat for", f.read()))
        out["restart"] = {"stop_s": round(stopped - stop_at, 1), "start_s": round(listening - stopped, 1),
                          "all_back_after_listening_s": None if back is None else round(back - listening, 1),
                          "all_back_after_stop_s": None if back is None else round(back - stop_at, 1),
                          "heartbeat_losses_clients": after["heartbeatLosses"] - before["heartbeatLosses"],
                          "heartbeat_losses_server_log": server_hb,
                          "sessions_lost": after["lost"] - before["lost"],
                          "tunnel_answers": answers(b, vhost, "s%d-b.storm" % (clients - 1)),
                          "jfrps_mb": round(server.rss_kb() / 1024, 1),
                          "jfrps_peak_mb": round(server.rss_kb("VmHWM") / 1024, 1)}
        b.log("storm restart: %s" % out["restart"])
    finally:
        gen.stop()
    results["storm"] = out


def table(r):
    if "storm" not in r or "skipped" in r["storm"]:
        return []
    s = r["storm"]
    a, x = s["at_rest"], s["restart"]
    return ["| one jfrps, %d clients x 2 proxies, heartbeat %d s / %d s | |" % (s["clients"], *s["heartbeat_s"]),
            "|---|---|",
            "| all logged in, proxies up | %s s |" % s["login_all_s"],
            "| jfrps RSS at rest (idle before: %s MB) | %s MB, %s KB per client |" % (a["jfrps_idle_mb"], a["jfrps_mb"],
                                                                                   a["per_client_kb"]),
            "| jfrps CPU at rest | %s%% of a core, %s us per client per second |" % (a["jfrps_cpu_pct"],
                                                                                  a["cpu_us_per_client_s"]),
            "| restart: SIGTERM to exit / start to listening | %s s / %s s |" % (x["stop_s"], x["start_s"]),
            "| every client and proxy back, from listening (from the stop) | %s s (%s s) |" % (
                x["all_back_after_listening_s"], x["all_back_after_stop_s"]),
            "| sessions lost for want of a heartbeat answer (clients / server log) | %s / %s |" % (
                x["heartbeat_losses_clients"], x["heartbeat_losses_server_log"]),
            "| jfrps RSS after the storm (peak) | %s MB (%s MB) |" % (x["jfrps_mb"], x["jfrps_peak_mb"]),
            "| a tunnel answers before / after | %s / %s |" % (s["tunnel_answers"], x["tunnel_answers"]),
            ""]
