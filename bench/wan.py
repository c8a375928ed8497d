"""The wan section of bench/run: one TCP stream over an emulated long link (../shared/tools/wanlink, two
network namespaces), plain TCP against jfrp and frp v0.70.1 on the same link, in turn.

Layout: namespace a is the public host (jfrps or frps, and the user: iperf3 -c on a's loopback);
namespace b is behind NAT (jfrpc or frpc, and the service: iperf3 -s). Only the control channel
crosses the link, as in a real deployment. "up" is the user sending (the client receives the
stream's data), "down" is iperf3 -R.
"""
import json
import os
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WANLINK = os.path.join(ROOT, "..", "shared", "tools", "wanlink", "wanlink")
FRP = os.path.join(ROOT, "..", "shared", "peers", "frp-0.70.1")
LINK = "jfrpbench"
TOKEN = "bench-token"
# One-way delays: 20 ms and 50 ms of round trip.
DELAYS_MS = (10, 25)
SERVICE_PORT, JFRP_BIND, JFRP_REMOTE, FRP_BIND, FRP_REMOTE = 5201, 7000, 6001, 7100, 6101


def wan(*args, timeout=60):
    return subprocess.run([WANLINK] + list(args), capture_output=True, text=True, timeout=timeout)


def in_ns(side, cmd, timeout=120):
    return subprocess.run([WANLINK, "exec", LINK, side, "--"] + cmd, capture_output=True, text=True, timeout=timeout)


def ns_port_open(side, host, port):
    return in_ns(side, ["bash", "-c", "exec 3<>/dev/tcp/%s/%d" % (host, port)], timeout=10).returncode == 0


def iperf(host, port, seconds, reverse):
    for _ in range(20):
        r = in_ns("a", ["iperf3", "-c", host, "-p", str(port), "-t", str(seconds), "-J"] + (["-R"] if reverse else []),
                  timeout=seconds + 60)
        data = json.loads(r.stdout or "{}")
        if "busy" in data.get("error", ""):
            time.sleep(0.5)
            continue
        if "error" in data or "end" not in data:
            raise RuntimeError("iperf3 over the link: %s" % (data.get("error") or r.stderr[-300:]))
        return data["end"]["sum_received"]["bits_per_second"] / 1e6
    raise RuntimeError("iperf3 server stayed busy")


def write(tmp, name, text):
    p = os.path.join(tmp, name)
    with open(p, "w") as f:
        f.write(text)
    return p


def start_pair(Proc, tmp, kind, server_addr, wait_until):
    """jfrps/jfrpc or frps/frpc across the link, one tcp proxy to the service; returns the user's port."""
    bind, remote = (JFRP_BIND, JFRP_REMOTE) if kind == "jfrp" else (FRP_BIND, FRP_REMOTE)
    d = os.path.join(tmp, "wan-" + kind)
    os.makedirs(d, exist_ok=True)
    scfg = write(d, "server.toml", 'bindAddr = "0.0.0.0"\nbindPort = %d\nauth.token = "%s"\n' % (bind, TOKEN))
    ccfg = write(d, "client.toml", 'serverAddr = "%s"\nserverPort = %d\nauth.token = "%s"\n\n[[proxies]]\nname = "b"\n'
                 'type = "tcp"\nlocalIP = "127.0.0.1"\nlocalPort = %d\nremotePort = %d\n'
                 % (server_addr, bind, TOKEN, SERVICE_PORT, remote))
    server, client = (("bin/jfrps", "bin/jfrpc") if kind == "jfrp"
                      else (os.path.join(FRP, "frps"), os.path.join(FRP, "frpc")))
    server = server if os.path.isabs(server) else os.path.join(ROOT, server)
    client = client if os.path.isabs(client) else os.path.join(ROOT, client)
    s = Proc([WANLINK, "exec", LINK, "a", "--", server, "-c", scfg], "wan-%s-server" % kind)
    assert wait_until(lambda: ns_port_open("a", "127.0.0.1", bind), 60), "%s server did not listen" % kind
    c = Proc([WANLINK, "exec", LINK, "b", "--", client, "-c", ccfg], "wan-%s-client" % kind)
    # Not a probe through the tunnel: iperf3 would take a probe for the start of a test.
    ready = (b"proxy b: running", b"start proxy success")

    def running():
        with open(c.log_path, "rb") as f:
            out = f.read()
        return any(r in out for r in ready)
    assert wait_until(running, 60), "%s tunnel did not come up" % kind
    return remote


def section(results, Proc, tmp, runs, seconds, log, wait_until):
    if os.geteuid() != 0 or not os.path.exists(WANLINK):
        results["wan"] = {"skipped": "needs root and ../shared/tools/wanlink"}
        log("wan: skipped (needs root and ../shared/tools/wanlink)")
        return
    up = wan("up", LINK, "--ttl", "30m")
    if up.returncode != 0:
        results["wan"] = {"skipped": "wanlink up failed: " + (up.stdout + up.stderr)[-300:]}
        log("wan: skipped, wanlink up failed")
        return
    try:
        a_addr = wan("addr", LINK, "a").stdout.strip()
        b_addr = wan("addr", LINK, "b").stdout.strip()
        Proc([WANLINK, "exec", LINK, "b", "--", "iperf3", "-s", "-p", str(SERVICE_PORT)], "wan-iperf3")
        assert wait_until(lambda: ns_port_open("b", "127.0.0.1", SERVICE_PORT), 10), "iperf3 did not start"
        paths = {"tcp": (b_addr, SERVICE_PORT),
                 "jfrp": ("127.0.0.1", start_pair(Proc, tmp, "jfrp", a_addr, wait_until))}
        if os.path.exists(os.path.join(FRP, "frps")):
            paths["frp"] = ("127.0.0.1", start_pair(Proc, tmp, "frp", a_addr, wait_until))
        out = {}
        for delay in DELAYS_MS:
            wan("set", LINK, "--reset", "--delay", str(delay))
            rtt = 2 * delay
            for direction, reverse in (("up", False), ("down", True)):
                vals = {name: [] for name in paths}
                for _ in range(runs):
                    for name, (host, port) in paths.items():
                        vals[name].append(iperf(host, port, seconds, reverse))
                for name, v in vals.items():
                    med = statistics.median(v)
                    out["%s_%dms_%s" % (name, rtt, direction)] = {"mbit_s": round(med, 1),
                                                                  "runs": [round(x, 1) for x in v]}
                    log("wan %2d ms RTT %-4s %-4s %.0f Mbit/s %s" % (rtt, direction, name, med,
                                                                     [round(x) for x in v]))
        results["wan"] = out
    finally:
        wan("down", LINK)


def table(r):
    w = r.get("wan")
    if not w or "skipped" in w:
        return ["| WAN | %s |" % (w or {}).get("skipped", "not run"), ""]
    lines = ["| one stream over wanlink, iperf3 -t N, Mbit/s | plain TCP | jfrp (TLS) | frp 0.70.1 (TLS) | "
             "jfrp / TCP | jfrp / frp |", "|---|---|---|---|---|---|"]
    for rtt in (2 * d for d in DELAYS_MS):
        for direction in ("up", "down"):
            key = lambda name: "%s_%dms_%s" % (name, rtt, direction)
            tcp, jfrp = w[key("tcp")]["mbit_s"], w[key("jfrp")]["mbit_s"]
            frp = w.get(key("frp"), {}).get("mbit_s")
            lines.append("| %d ms RTT, %s | %.0f | %.0f | %s | %.2f | %s |" % (
                rtt, direction, tcp, jfrp, "%.0f" % frp if frp else "-", jfrp / tcp,
                "%.2f" % (jfrp / frp) if frp else "-"))
    lines.append("")
    return lines
