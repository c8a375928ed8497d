"""Chatty services through each path (issue 14): redis-benchmark (GET and SET, 50 clients, without and
with pipelining) against Debian's redis-server, and pgbench (-c 8, select-only and TPC-B) against
Debian's postgresql, both started on 127.0.0.1 by the benchmark, each through direct, haproxy, two haproxies
chained (the floor of a two-process relay), ssh -R, jfrp (TLS) and frp v0.70.1 (TLS). Each figure is the median of the runs; the ratio to direct is what users feel."""
import glob
import os
import re
import shutil
import statistics
import subprocess

REDIS_REQUESTS = 100000
PG_SCALE = 10


def _paths(b, target, label):
    """The paths to `target`, and jfrp's pairs (C1, C2) whose peak RSS is read after the runs."""
    c1 = b.Jfrp(target, tls=True, name="%s-tls" % label).start()
    c2 = b.Jfrp(target, tls=True, name="%s-tls-c2" % label, java_opts=b.C2).start()
    paths = {"direct": target, "haproxy": b.haproxy(target), "haproxy_2hop": b.haproxy_chain(target),
             "ssh": b.ssh_tunnel(target),
             "jfrp_tls": c1.remote, "jfrp_tls_c2": c2.remote}
    if b.have_frp():
        paths["frp_tls"] = b.Jfrp(target, tls=True, name="%s-frp-tls" % label, kind="frp").start().remote
    return paths, {"jfrp_tls": c1, "jfrp_tls_c2": c2}


def peak_rss(pairs):
    return {k: {"jfrps": round(t.server.rss_kb("VmHWM") / 1024, 1), "jfrpc": round(t.client.rss_kb("VmHWM") / 1024, 1)}
            for k, t in pairs.items()}


def redis_section(results, b):
    if not shutil.which("redis-server") or not shutil.which("redis-benchmark"):
        results["redis"] = {"skipped": "redis-server or redis-benchmark missing (Debian: redis-server redis-tools)"}
        return
    port = b.free_port()
    b.Proc(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--protected-mode", "no"], "redis-%d" % port)
    assert b.wait_until(lambda: b.port_open(port), 20), "redis-server did not start"
    paths, pairs = _paths(b, port, "redis")

    def bench(pipeline):
        def run(p):
            r = subprocess.run(["redis-benchmark", "-h", "127.0.0.1", "-p", str(p), "-c", "50", "-n",
                                str(REDIS_REQUESTS), "-t", "get,set", "-P", str(pipeline), "-q", "--csv"],
                               capture_output=True, timeout=300)
            out = {}
            for line in r.stdout.decode().splitlines():
                m = re.match(r'"(GET|SET)","([\d.]+)"', line)
                if m:
                    out[m.group(1)] = float(m.group(2))
            return out
        return run

    out = {}
    for pipeline in (1, 16):
        for name, runs in b.interleaved(paths, bench(pipeline)).items():
            key = "%s_p%d" % (name, pipeline)
            out[key] = {op: round(statistics.median(r.get(op, 0) for r in runs)) for op in ("GET", "SET")}
            b.log("redis %-10s -P %-2d GET %8.0f SET %8.0f req/s" % (name, pipeline, out[key]["GET"], out[key]["SET"]))
    out["peak_rss_mb"] = peak_rss(pairs)
    results["redis"] = out


def _pg_bin(name):
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/" + name))
    return found[-1] if found else shutil.which(name)


def pgbench_section(results, b):
    initdb, pg_ctl, pgbench = _pg_bin("initdb"), _pg_bin("pg_ctl"), _pg_bin("pgbench")
    if not (initdb and pg_ctl and pgbench):
        results["pgbench"] = {"skipped": "postgresql missing (Debian: postgresql)"}
        return
    data = os.path.join(b.TMP, "pgdata")
    sock = os.path.join(b.TMP, "pgsock")
    os.makedirs(sock, exist_ok=True)
    port = b.free_port()
    # PostgreSQL will not run as root: its own user when this runs as root.
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if run_as:
        subprocess.run(["chown", "postgres", b.TMP, sock], check=True)
    subprocess.run(run_as + [initdb, "-D", data, "-A", "trust", "-U", "bench"], capture_output=True, check=True,
                   timeout=120)
    subprocess.run(run_as + [pg_ctl, "-D", data, "-l", os.path.join(b.TMP, "pg.log"), "-w", "-o",
                             "-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off "
                             "-c synchronous_commit=off" % (port, sock), "start"],
                   capture_output=True, check=True, timeout=120)
    try:
        subprocess.run([pgbench, "-h", "127.0.0.1", "-p", str(port), "-U", "bench", "-i", "-s", str(PG_SCALE),
                        "postgres"], capture_output=True, check=True, timeout=300)
        paths, pairs = _paths(b, port, "pg")
        seconds = max(5, b.SECONDS // 2)

        def bench(select_only):
            def run(p):
                args = [pgbench, "-h", "127.0.0.1", "-p", str(p), "-U", "bench", "-c", "8", "-j", "2", "-T",
                        str(seconds), "-n"] + (["-S"] if select_only else []) + ["postgres"]
                r = subprocess.run(args, capture_output=True, timeout=seconds + 120)
                m = re.search(r"tps = ([\d.]+)", r.stdout.decode())
                return float(m.group(1)) if m else 0.0
            return run

        out = {}
        for select_only, label in ((True, "select"), (False, "tpcb")):
            for name, runs in b.interleaved(paths, bench(select_only)).items():
                out["%s_%s" % (name, label)] = round(statistics.median(runs))
                b.log("pgbench %-10s %-6s %8.0f tps %s" % (name, label, statistics.median(runs), [round(v) for v in runs]))
        out["peak_rss_mb"] = peak_rss(pairs)
        results["pgbench"] = out
    finally:
        subprocess.run(run_as + [pg_ctl, "-D", data, "-m", "immediate", "stop"], capture_output=True, timeout=60)


def table(r):
    lines = []
    if "redis" in r and "skipped" not in r["redis"]:
        t = r["redis"]
        lines += ["| redis-benchmark, 50 clients, req/s | GET | SET | GET -P 16 | SET -P 16 | GET / direct |",
                  "|---|---|---|---|---|---|"]
        d = t["direct_p1"]["GET"]
        for k in ("direct", "haproxy", "haproxy_2hop", "ssh", "jfrp_tls", "jfrp_tls_c2", "frp_tls"):
            if k + "_p1" in t:
                lines.append("| %s | %d | %d | %d | %d | %.2f |" % (k, t[k + "_p1"]["GET"], t[k + "_p1"]["SET"],
                                                                 t[k + "_p16"]["GET"], t[k + "_p16"]["SET"],
                                                                 t[k + "_p1"]["GET"] / d))
        if "frp_tls_p1" in t:
            lines.append("| jfrp / frp (TLS) | %.2f | %.2f | %.2f | %.2f | |" % tuple(
                t["jfrp_tls_" + p][op] / t["frp_tls_" + p][op] for p, op in
                (("p1", "GET"), ("p1", "SET"), ("p16", "GET"), ("p16", "SET"))))
        if "haproxy_2hop_p1" in t:
            lines.append("| jfrp / two haproxies | %.2f | %.2f | %.2f | %.2f | |" % tuple(
                t["jfrp_tls_" + p][op] / t["haproxy_2hop_" + p][op] for p, op in
                (("p1", "GET"), ("p1", "SET"), ("p16", "GET"), ("p16", "SET"))))
        lines.extend(rss_line(t))
        lines.append("")
    if "pgbench" in r and "skipped" not in r["pgbench"]:
        t = r["pgbench"]
        lines += ["| pgbench -c 8, tps | select-only | / direct | TPC-B | / direct |", "|---|---|---|---|---|"]
        for k in ("direct", "haproxy", "haproxy_2hop", "ssh", "jfrp_tls", "jfrp_tls_c2", "frp_tls"):
            if k + "_select" in t:
                lines.append("| %s | %d | %.2f | %d | %.2f |" % (k, t[k + "_select"], t[k + "_select"] / t["direct_select"],
                                                             t[k + "_tpcb"], t[k + "_tpcb"] / t["direct_tpcb"]))
        if "frp_tls_select" in t:
            lines.append("| jfrp / frp (TLS) | %.2f | | %.2f | |" % (t["jfrp_tls_select"] / t["frp_tls_select"],
                                                                  t["jfrp_tls_tpcb"] / t["frp_tls_tpcb"]))
        if "haproxy_2hop_select" in t:
            lines.append("| jfrp / two haproxies | %.2f | | %.2f | |" % (
                t["jfrp_tls_select"] / t["haproxy_2hop_select"], t["jfrp_tls_tpcb"] / t["haproxy_2hop_tpcb"]))
        lines.extend(rss_line(t))
        lines.append("")
    return lines


def rss_line(t):
    if "peak_rss_mb" not in t:
        return []
    r = t["peak_rss_mb"]
    return ["| peak RSS under this load, MB (jfrps / jfrpc) | C1 %s / %s | C2 %s / %s | | |" % (
        r["jfrp_tls"]["jfrps"], r["jfrp_tls"]["jfrpc"], r["jfrp_tls_c2"]["jfrps"], r["jfrp_tls_c2"]["jfrpc"])]
