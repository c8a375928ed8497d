"""The transports section of bench/run: one TCP stream over each transport through an emulated 20 ms
link (../shared/tools/wanlink) at 0, 1 and 5 % loss each way, against plain TCP on the same link and frp
v0.70.1 over its tcp, kcp and quic. Issue 16's targets: at 5 % loss the best jfrp transport keeps >= 3x
frp's TCP and >= 1.5x frp's KCP; QUIC and KCP each beat jfrp over TCP.

Layout as the wan section: namespace a is the public host (jfrps/frps and the user: iperf3 -c on a's
loopback), b is behind NAT (the clients and iperf3 -s); only the control channels cross the link. Each
client has one proxy to the service on a port of its own, so all tunnels stand at once and are measured
in turn, interleaved per run. "up": the user sends.
"""
import os
import statistics

import wan

LINK = wan.LINK
DELAY_MS = 10
LOSSES = (0, 1, 5)
# The namespaces' TCP congestion control: the machine's default (bbr here, which shrugs off random loss),
# then reno, loss-based as cubic is (the default of most hosts; this kernel allows reno and bbr only).
RENO_LOSSES = (1, 5)
JFRP_BIND, JFRP_KCP, JFRP_QUIC = 7000, 7001, 7002
FRP_BIND, FRP_KCP, FRP_QUIC = 7100, 7101, 7102
JFRP = ("tcp", "websocket", "quic", "kcp")
FRP = ("tcp", "kcp", "quic")


def start(Proc, tmp, kind, server_addr, wait_until, procs, tag):
    """One server with every transport's port, and one client per transport; returns {path: user port}."""
    d = os.path.join(tmp, "transports-" + kind)
    os.makedirs(d, exist_ok=True)
    bind, kcp, quic = (JFRP_BIND, JFRP_KCP, JFRP_QUIC) if kind == "jfrp" else (FRP_BIND, FRP_KCP, FRP_QUIC)
    scfg = wan.write(d, "server.toml", 'bindAddr = "0.0.0.0"\nbindPort = %d\nkcpBindPort = %d\nquicBindPort = %d\n'
                     'auth.token = "%s"\n' % (bind, kcp, quic, wan.TOKEN))
    server, client = (("bin/jfrps", "bin/jfrpc") if kind == "jfrp"
                      else (os.path.join(wan.FRP, "frps"), os.path.join(wan.FRP, "frpc")))
    server = server if os.path.isabs(server) else os.path.join(wan.ROOT, server)
    client = client if os.path.isabs(client) else os.path.join(wan.ROOT, client)
    procs.append(Proc([wan.WANLINK, "exec", LINK, "a", "--", server, "-c", scfg], "tr-%s-%s-server" % (tag, kind)))
    assert wait_until(lambda: wan.ns_port_open("a", "127.0.0.1", bind), 60), "%s server did not listen" % kind
    ports = {}
    for i, protocol in enumerate(JFRP if kind == "jfrp" else FRP):
        port = {"tcp": bind, "websocket": bind, "kcp": kcp, "quic": quic}[protocol]
        remote = (6200 if kind == "jfrp" else 6300) + i
        ccfg = wan.write(d, "client-%s.toml" % protocol,
                         'serverAddr = "%s"\nserverPort = %d\nauth.token = "%s"\ntransport.protocol = "%s"\n\n'
                         '[[proxies]]\nname = "b-%s"\ntype = "tcp"\nlocalIP = "127.0.0.1"\nlocalPort = %d\nremotePort = %d\n'
                         % (server_addr, port, wan.TOKEN, protocol, protocol, wan.SERVICE_PORT, remote))
        c = Proc([wan.WANLINK, "exec", LINK, "b", "--", client, "-c", ccfg], "tr-%s-%s-%s" % (tag, kind, protocol))
        procs.append(c)
        ready = (("proxy b-%s: running" % protocol).encode(), b"start proxy success")

        def running(c=c):
            with open(c.log_path, "rb") as f:
                out = f.read()
            return any(r in out for r in ready)
        assert wait_until(running, 60), "%s over %s did not come up" % (kind, protocol)
        ports["%s_%s" % (kind, protocol)] = remote
    return ports


def section(results, Proc, tmp, runs, seconds, log, wait_until):
    if os.geteuid() != 0 or not os.path.exists(wan.WANLINK):
        results["transports"] = {"skipped": "needs root and ../shared/tools/wanlink"}
        log("transports: skipped (needs root and ../shared/tools/wanlink)")
        return
    up = wan.wan("up", LINK, "--ttl", "30m")
    if up.returncode != 0:
        results["transports"] = {"skipped": "wanlink up failed: " + (up.stdout + up.stderr)[-300:]}
        log("transports: skipped, wanlink up failed")
        return
    try:
        a_addr = wan.wan("addr", LINK, "a").stdout.strip()
        b_addr = wan.wan("addr", LINK, "b").stdout.strip()
        Proc([wan.WANLINK, "exec", LINK, "b", "--", "iperf3", "-s", "-p", str(wan.SERVICE_PORT)], "tr-iperf3")
        assert wait_until(lambda: wan.ns_port_open("b", "127.0.0.1", wan.SERVICE_PORT), 10), "iperf3 did not start"
        out = {}
        default_cc = wan.in_ns("a", ["sysctl", "-n", "net.ipv4.tcp_congestion_control"]).stdout.strip() or "?"
        out["tcp_congestion_control"] = default_cc
        for cc, losses in ((default_cc, LOSSES), ("reno", RENO_LOSSES)):
            # A socket keeps the congestion control it was made with: the tunnels start anew for each.
            for side in ("a", "b"):
                wan.in_ns(side, ["sysctl", "-q", "-w", "net.ipv4.tcp_congestion_control=" + cc])
            wan.wan("set", LINK, "--reset", "--delay", str(DELAY_MS))
            procs = []
            paths = {"tcp": (b_addr, wan.SERVICE_PORT)}
            for name, port in start(Proc, tmp, "jfrp", a_addr, wait_until, procs, cc).items():
                paths[name] = ("127.0.0.1", port)
            if os.path.exists(os.path.join(wan.FRP, "frps")):
                for name, port in start(Proc, tmp, "frp", a_addr, wait_until, procs, cc).items():
                    paths[name] = ("127.0.0.1", port)
            measure(out, paths, cc, default_cc, losses, runs, seconds, log)
            for p in procs:
                p.kill()
        results["transports"] = out
    finally:
        wan.wan("down", LINK)


def measure(out, paths, cc, default_cc, losses, runs, seconds, log):
    for loss in losses:
        wan.wan("set", LINK, "--reset", "--delay", str(DELAY_MS), "--loss", str(loss))
        vals = {name: [] for name in paths}
        for _ in range(runs):
            for name, (host, port) in paths.items():
                try:
                    vals[name].append(wan.iperf(host, port, seconds, False))
                except RuntimeError as e:
                    log("transports %s %d%% loss %s: %s" % (cc, loss, name, e))
        suffix = "" if cc == default_cc else "_" + cc
        for name, v in vals.items():
            if not v:
                continue
            med = statistics.median(v)
            out["%s_loss%d%s" % (name, loss, suffix)] = {"mbit_s": round(med, 2), "runs": [round(x, 2) for x in v]}
            log("transports %d ms RTT %d%% loss TCP %s %-15s %.1f Mbit/s %s" % (
                2 * DELAY_MS, loss, cc, name, med, [round(x, 1) for x in v]))


def table(r):
    t = r.get("transports")
    if not t or "skipped" in t:
        return ["| transports | %s |" % (t or {}).get("skipped", "not run"), ""]
    names = ["tcp"] + ["jfrp_" + p for p in JFRP] + ["frp_" + p for p in FRP]
    names = [n for n in names if "%s_loss0" % n in t]
    lines = ["| one stream, %d ms RTT, Mbit/s | %s |" % (2 * DELAY_MS, " | ".join(n.replace("_", " ") for n in names)),
             "|---|" + "---|" * len(names)]
    cc = t.get("tcp_congestion_control", "default")
    for suffix, label, losses in (("", "TCP " + cc, LOSSES), ("_reno", "TCP reno", RENO_LOSSES)):
        for loss in losses:
            cells = []
            for n in names:
                v = t.get("%s_loss%d%s" % (n, loss, suffix))
                cells.append("%.1f" % v["mbit_s"] if v else "-")
            lines.append("| %d %% loss each way, %s | %s |" % (loss, label, " | ".join(cells)))
    for suffix, label in (("", "TCP " + cc), ("_reno", "TCP reno")):
        five = {n: t.get("%s_loss5%s" % (n, suffix), {}).get("mbit_s") for n in names}
        jfrp = [(five[n], n) for n in names if n.startswith("jfrp_") and five[n]]
        if not jfrp:
            continue
        best = max(jfrp)
        ratios = ["%s / %s %.2f" % (best[1], other, best[0] / five[other])
                  for other in ("frp_tcp", "frp_kcp", "jfrp_tcp") if five.get(other) and other != best[1]]
        lines.append("| at 5 %% loss, %s | %s |%s" % (label, "; ".join(ratios), " |" * (len(names) - 1)))
    lines.append("")
    return lines
