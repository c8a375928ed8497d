"""The time one round trip adds, what chatty protocols feel (issue 14): wrk with one keep-alive connection
(HTTP, 1 KiB from nginx) and a 64-byte ping-pong over one connection to an echo service, through each path:
direct, haproxy, two haproxies chained (the floor of a two-process relay), ssh -R, jfrp (TLS and plain) and frp v0.70.1 (TLS and plain). Each path's figure is the
median of its runs; "added" is the path's time minus direct's. Every loop is bounded in count and time."""
import statistics
import subprocess
import sys

PINGS = 5000

PING_CLIENT = """
import socket, sys, time
port, n, limit = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
s = socket.create_connection(("127.0.0.1", port), timeout=5)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
msg = b"x" * 64
times = []
end = time.monotonic() + limit
for i in range(n):
    t = time.perf_counter_ns()
    s.sendall(msg)
    got = 0
    while got < 64:
        b = s.recv(64 - got)
        if not b:
            sys.exit("closed after %d pings" % i)
        got += len(b)
    times.append(time.perf_counter_ns() - t)
    if time.monotonic() > end:
        break
times.sort()
print(times[len(times) // 2] / 1000, times[int(len(times) * 0.99)] / 1000, len(times))
"""

ECHO = """
import socket, sys, threading
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(64)
print(s.getsockname()[1], flush=True)
def serve(c):
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while True:
        b = c.recv(65536)
        if not b:
            return
        c.sendall(b)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
"""


def ping(port, seconds):
    r = subprocess.run([sys.executable, "-c", PING_CLIENT, str(port), str(PINGS), str(seconds)],
                       capture_output=True, timeout=seconds + 60)
    p50, p99, n = r.stdout.decode().split()
    return {"p50_us": float(p50), "p99_us": float(p99), "n": int(n)}


def wrk1(b, port):
    r = subprocess.run(["wrk", "-t1", "-c1", "-d%ds" % b.SECONDS, "--latency", "http://127.0.0.1:%d/1k.bin" % port],
                       capture_output=True, timeout=b.SECONDS + 60)
    out = r.stdout.decode()
    import re
    m = re.search(r"\s50%\s+([\d.]+)(us|ms|s)", out)
    v = float(m.group(1))
    p50_us = v if m.group(2) == "us" else v * 1000 if m.group(2) == "ms" else v * 1e6
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return {"p50_us": p50_us, "rps": rps, "mean_us": 1e6 / rps if rps > 0 else 0}


def section(results, b):
    echo = subprocess.Popen([sys.executable, "-c", ECHO], stdout=subprocess.PIPE, start_new_session=True)
    try:
        echo_port = int(echo.stdout.readline())
        web = b.nginx()
        paths = {}
        for target, kind in ((web, "http"), (echo_port, "echo")):
            p = {"direct": target, "haproxy": b.haproxy(target), "haproxy_2hop": b.haproxy_chain(target),
                 "ssh": b.ssh_tunnel(target),
                 "jfrp_tls": b.Jfrp(target, tls=True, name="rtt-%s-tls" % kind).start().remote,
                 "jfrp_plain": b.Jfrp(target, tls=False, name="rtt-%s-plain" % kind).start().remote,
                 "jfrp_tls_c2": b.Jfrp(target, tls=True, name="rtt-%s-tls-c2" % kind, java_opts=b.C2).start().remote}
            if b.have_frp():
                p["frp_tls"] = b.Jfrp(target, tls=True, name="rtt-%s-frp-tls" % kind, kind="frp").start().remote
                p["frp_plain"] = b.Jfrp(target, tls=False, name="rtt-%s-frp-plain" % kind, kind="frp").start().remote
            paths[kind] = p
        out = {"http": {}, "ping": {}}
        for port in paths["http"].values():
            b.wrk_warmup(port)
        for name, runs in b.interleaved(paths["http"], lambda port: wrk1(b, port)).items():
            out["http"][name] = {"mean_us": round(statistics.median(r["mean_us"] for r in runs), 1),
                                 "p50_us": round(statistics.median(r["p50_us"] for r in runs), 1),
                                 "runs_mean_us": [round(r["mean_us"], 1) for r in runs]}
            b.log("rtt http %-10s mean %.0f us  p50 %.0f us  runs %s" % (
                name, out["http"][name]["mean_us"], out["http"][name]["p50_us"], out["http"][name]["runs_mean_us"]))
        for port in paths["echo"].values():
            ping(port, 2)
        for name, runs in b.interleaved(paths["echo"], lambda port: ping(port, b.SECONDS)).items():
            out["ping"][name] = {"p50_us": round(statistics.median(r["p50_us"] for r in runs), 1),
                                 "p99_us": round(statistics.median(r["p99_us"] for r in runs), 1),
                                 "runs_p50_us": [round(r["p50_us"], 1) for r in runs]}
            b.log("rtt ping %-10s p50 %.0f us  p99 %.0f us  runs %s" % (
                name, out["ping"][name]["p50_us"], out["ping"][name]["p99_us"], out["ping"][name]["runs_p50_us"]))
        results["rtt"] = out
    finally:
        echo.kill()


def table(r):
    t = r["rtt"]
    lines = ["| one round trip, us | HTTP 1 KiB, wrk -c1 (mean) | added | 64-byte ping-pong (p50) | added |",
             "|---|---|---|---|---|"]
    d_http, d_ping = t["http"]["direct"]["mean_us"], t["ping"]["direct"]["p50_us"]
    for k in ("direct", "haproxy", "haproxy_2hop", "ssh", "jfrp_tls", "jfrp_tls_c2", "jfrp_plain", "frp_tls", "frp_plain"):
        if k in t["http"]:
            h, p = t["http"][k]["mean_us"], t["ping"][k]["p50_us"]
            lines.append("| %s | %.0f | %.0f | %.0f | %.0f |" % (k, h, h - d_http, p, p - d_ping))

    def added(kind, k):
        base = "mean_us" if kind == "http" else "p50_us"
        return t[kind][k][base] - t[kind]["direct"][base]
    if "frp_tls" in t["http"]:
        lines.append("| jfrp TLS added / frp TLS added | %.2f | | %.2f | |" % (
            added("http", "jfrp_tls") / added("http", "frp_tls"), added("ping", "jfrp_tls") / added("ping", "frp_tls")))
    lines.append("| jfrp TLS added / haproxy added | %.2f | | %.2f | |" % (
        added("http", "jfrp_tls") / added("http", "haproxy"), added("ping", "jfrp_tls") / added("ping", "haproxy")))
    if "haproxy_2hop" in t["http"]:
        lines.append("| jfrp TLS added / two haproxies' added | %.2f | | %.2f | |" % (
            added("http", "jfrp_tls") / added("http", "haproxy_2hop"),
            added("ping", "jfrp_tls") / added("ping", "haproxy_2hop")))
    lines.append("")
    return lines
