"""The udp section of bench/run: 1,200-byte datagrams from iperf3 -u through a udp proxy, jfrp against
frp v0.70.1 and direct loopback, in turn (interleaved runs, medians).

Each tunnel has a tcp and a udp proxy on the same remote port (iperf3 -u keeps its control connection
on TCP). Two loads: as fast as the sender can (-b 0: what each path delivers, datagrams/s and loss)
and a fixed 200 Mbit/s (about 20,800 datagrams/s: loss where every path should keep up).
"""
import json
import os
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FRP = os.path.join(ROOT, "..", "shared", "peers", "frp-0.70.1")
TOKEN = "bench-token"
SIZE = 1200
RATES = (("max", "0"), ("200mbit", "200M"))


def start_pair(Proc, tmp, kind, service, free_port, port_open, wait_until):
    """jfrps/jfrpc or frps/frpc on 127.0.0.1 with a tcp and a udp proxy to `service`; returns the user's port."""
    bind, remote = free_port(), free_port()
    d = os.path.join(tmp, "udp-" + kind)
    os.makedirs(d, exist_ok=True)
    scfg = os.path.join(d, "server.toml")
    with open(scfg, "w") as f:
        f.write('bindAddr = "127.0.0.1"\nbindPort = %d\nauth.token = "%s"\n' % (bind, TOKEN))
    ccfg = os.path.join(d, "client.toml")
    with open(ccfg, "w") as f:
        f.write('serverAddr = "127.0.0.1"\nserverPort = %d\nauth.token = "%s"\n' % (bind, TOKEN))
        for name, typ in (("b", "tcp"), ("u", "udp")):
            f.write('\n[[proxies]]\nname = "%s"\ntype = "%s"\nlocalIP = "127.0.0.1"\nlocalPort = %d\nremotePort = %d\n'
                    % (name, typ, service, remote))
    server, client = ((os.path.join(ROOT, "bin/jfrps"), os.path.join(ROOT, "bin/jfrpc")) if kind == "jfrp"
                      else (os.path.join(FRP, "frps"), os.path.join(FRP, "frpc")))
    Proc([server, "-c", scfg], "udp-%s-server" % kind)
    assert wait_until(lambda: port_open(bind), 60), "%s server did not listen" % kind
    c = Proc([client, "-c", ccfg], "udp-%s-client" % kind)

    def running():
        with open(c.log_path, "rb") as f:
            out = f.read()
        # Both proxies: jfrp's "proxy NAME: running", frp's "[NAME] start proxy success".
        return all(any(r % n in out for r in (b"proxy %s: running", b"[%s] start proxy success")) for n in (b"b", b"u"))
    assert wait_until(running, 60), "%s tunnel did not come up" % kind
    return remote


def run(port, rate, seconds):
    """One iperf3 -u run: datagrams/s the receiver got, and the loss it counted (percent)."""
    for attempt in range(20):
        r = subprocess.run(["iperf3", "-c", "127.0.0.1", "-p", str(port), "-u", "-b", rate, "-l", str(SIZE),
                            "-t", str(seconds), "-J"], capture_output=True, timeout=seconds + 60)
        data = json.loads(r.stdout.decode())
        if "busy" in data.get("error", ""):
            time.sleep(0.5)
            continue
        if "error" in data:
            raise RuntimeError("iperf3 -u to port %d: %s" % (port, data["error"]))
        end = data["end"]
        s = end.get("sum_received") or end["sum"]
        sent = end.get("sum_sent", end["sum"]).get("packets") or end["sum"]["packets"]
        lost = s.get("lost_packets", end["sum"].get("lost_packets", 0))
        got = max(0, sent - lost)
        return got / seconds, 100.0 * lost / sent if sent else 0.0
    raise RuntimeError("iperf3 server stayed busy")


def iperf_server(Proc, name, free_port, port_open, wait_until):
    port = free_port()
    Proc(["iperf3", "-s", "-B", "127.0.0.1", "-p", str(port)], "udp-iperf3-" + name)
    assert wait_until(lambda: port_open(port), 10), "iperf3 did not start"
    return port


def section(results, Proc, tmp, runs, seconds, log, wait_until, free_port, port_open):
    # An iperf3 server per path: a datagram of one path's test that arrives late (after the test ended
    # on the TCP control connection) would be taken for the start of the next test by a shared one.
    paths = {"direct": iperf_server(Proc, "direct", free_port, port_open, wait_until)}
    kinds = ["jfrp"] + (["frp"] if os.path.exists(os.path.join(FRP, "frps")) else [])
    for kind in kinds:
        service = iperf_server(Proc, kind, free_port, port_open, wait_until)
        paths[kind] = start_pair(Proc, tmp, kind, service, free_port, port_open, wait_until)
    for name, port in paths.items():
        log("udp %s on port %d" % (name, port))
        run(port, "100M", 1)  # warm-up: JIT, flows, buffers
    out = {}
    for label, rate in RATES:
        vals = {name: [] for name in paths}
        for _ in range(runs):
            for name, port in paths.items():
                vals[name].append(run(port, rate, seconds))
        for name, v in vals.items():
            pps = statistics.median(x[0] for x in v)
            loss = statistics.median(x[1] for x in v)
            out["%s_%s" % (name, label)] = {"datagrams_s": round(pps), "loss_pct": round(loss, 2),
                                             "runs": [[round(a), round(b, 2)] for a, b in v]}
            log("udp %-6s %-7s %8.0f datagrams/s, loss %.2f%%" % (name, label, pps, loss))
    results["udp"] = out


def table(r):
    u = r["udp"]
    lines = ["| UDP, iperf3 -u -l %d | as fast as possible: datagrams/s | loss %% | at 200 Mbit/s: loss %% |" % SIZE,
             "|---|---|---|---|"]
    for k in ("direct", "jfrp", "frp"):
        if k + "_max" in u:
            lines.append("| %s | %d | %.2f | %.2f |" % (k, u[k + "_max"]["datagrams_s"], u[k + "_max"]["loss_pct"],
                                                     u[k + "_200mbit"]["loss_pct"]))
    if "frp_max" in u:
        lines.append("| ratio jfrp / frp | %.2f | | |" % (u["jfrp_max"]["datagrams_s"] / max(1, u["frp_max"]["datagrams_s"])))
    lines.append("")
    return lines
