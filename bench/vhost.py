"""The vhost section of bench/run: HTTP requests routed by Host on a shared port to an nginx behind the
tunnel, jfrp's http proxy against frp v0.70.1's, nginx and haproxy as HTTP reverse proxies (they parse
every request too, without a tunnel), and nginx directly; wrk -t2 -c50 keep-alive, 1 KiB answers,
interleaved runs, medians.
"""
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FRP = os.path.join(ROOT, "..", "shared", "peers", "frp-0.70.1")
TOKEN = "bench-token"
HOST = "web.example.com"


def start_pair(Proc, tmp, kind, service, free_port, port_open, wait_until):
    """jfrps/jfrpc or frps/frpc on 127.0.0.1 with one http proxy for HOST to `service`; returns the vhost port."""
    bind, vhost = free_port(), free_port()
    d = os.path.join(tmp, "vhost-" + kind)
    os.makedirs(d, exist_ok=True)
    scfg = os.path.join(d, "server.toml")
    with open(scfg, "w") as f:
        f.write('bindAddr = "127.0.0.1"\nbindPort = %d\nvhostHTTPPort = %d\nauth.token = "%s"\n' % (bind, vhost, TOKEN))
    ccfg = os.path.join(d, "client.toml")
    with open(ccfg, "w") as f:
        f.write('serverAddr = "127.0.0.1"\nserverPort = %d\nauth.token = "%s"\n' % (bind, TOKEN))
        f.write('\n[[proxies]]\nname = "web"\ntype = "http"\nlocalIP = "127.0.0.1"\nlocalPort = %d\n'
                'customDomains = ["%s"]\n' % (service, HOST))
    server, client = ((os.path.join(ROOT, "bin/jfrps"), os.path.join(ROOT, "bin/jfrpc")) if kind == "jfrp"
                      else (os.path.join(FRP, "frps"), os.path.join(FRP, "frpc")))
    Proc([server, "-c", scfg], "vhost-%s-server" % kind)
    assert wait_until(lambda: port_open(vhost), 60), "%s server did not listen" % kind
    c = Proc([client, "-c", ccfg], "vhost-%s-client" % kind)

    def running():
        with open(c.log_path, "rb") as f:
            return b"[web] start proxy success" in f.read()
    assert wait_until(running, 60), "%s tunnel did not come up" % kind
    return vhost


def haproxy_http(Proc, write, target, free_port, port_open, wait_until):
    port = free_port()
    conf = write("haproxy-http-%d.cfg" % port, """
global
  maxconn 8000
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend web
  bind 127.0.0.1:%d
  use_backend b if { hdr(host) -i %s }
backend b
  http-reuse always
  server s1 127.0.0.1:%d
""" % (port, HOST, target))
    Proc(["haproxy", "-f", conf], "haproxy-http-%d" % port)
    assert wait_until(lambda: port_open(port), 10), "haproxy did not start"
    return port


def nginx_proxy(Proc, write, tmp, target, free_port, port_open, wait_until):
    """nginx as a reverse proxy by Host (keep-alive to the service): what an operator would put there."""
    port = free_port()
    conf = write("nginx-proxy-%d.conf" % port, """
worker_processes 1;
daemon off;
pid %s/nginx-proxy.pid;
error_log %s/nginx-proxy-error.log;
events { worker_connections 16384; }
http {
  access_log off;
  keepalive_requests 1000000;
  upstream svc { server 127.0.0.1:%d; keepalive 64; }
  server {
    listen 127.0.0.1:%d backlog=4096;
    server_name %s;
    location / { proxy_pass http://svc; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
""" % (tmp, tmp, target, port, HOST))
    Proc(["nginx", "-c", conf, "-p", tmp], "nginx-proxy")
    assert wait_until(lambda: port_open(port), 10), "nginx (reverse proxy) did not start"
    return port


def wrk(port, seconds):
    r = subprocess.run(["wrk", "-t2", "-c50", "-d%ds" % seconds, "--latency", "--timeout", "5s", "-H", "Host: " + HOST,
                        "http://127.0.0.1:%d/1k.bin" % port], capture_output=True, timeout=seconds + 60)
    out = r.stdout.decode()

    def ms(label):
        m = re.search(r"\s%s%%\s+([\d.]+)(us|ms|s)" % label, out)
        v = float(m.group(1))
        return v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v

    errors = re.search(r"Socket errors: (.*)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50_ms": ms("50"), "p99_ms": ms("99"),
            "errors": (errors.group(1) if errors else "") + (" non2xx=" + non2xx.group(1) if non2xx else "")}


def section(results, Proc, tmp, nginx, write, interleaved, median_run, seconds, warmup, log, wait_until, free_port,
            port_open):
    target = nginx()
    paths = {"direct": target, "nginx_proxy": nginx_proxy(Proc, write, tmp, target, free_port, port_open, wait_until),
             "haproxy_http": haproxy_http(Proc, write, target, free_port, port_open, wait_until)}
    for kind in ["jfrp"] + (["frp"] if os.path.exists(os.path.join(FRP, "frps")) else []):
        paths[kind] = start_pair(Proc, tmp, kind, target, free_port, port_open, wait_until)
    for port in paths.values():
        wrk(port, warmup)
    out = {}
    for name, runs in interleaved(paths, lambda port: wrk(port, seconds)).items():
        med = median_run(runs)
        out[name] = med
        log("vhost %-12s %8.0f req/s  p50 %.2f ms  p99 %.2f ms  runs %s %s" % (
            name, med["rps"], med["p50_ms"], med["p99_ms"], med["runs"], med["errors"]))
    results["vhost"] = out


def table(r):
    v = r["vhost"]
    lines = ["| HTTP by Host on a shared port, 1 KiB, wrk -t2 -c50 | req/s | p50 ms | p99 ms |", "|---|---|---|---|"]
    for k in ("direct", "nginx_proxy", "haproxy_http", "jfrp", "frp"):
        if k in v:
            lines.append("| %s | %.0f | %.2f | %.2f |" % (k, v[k]["rps"], v[k]["p50_ms"], v[k]["p99_ms"]))
    if "frp" in v:
        lines.append("| ratios | jfrp / frp %.2f, / nginx proxy %.2f, / haproxy %.2f; p99 jfrp / frp %.2f | | |" % (
            v["jfrp"]["rps"] / max(1, v["frp"]["rps"]), v["jfrp"]["rps"] / max(1, v["nginx_proxy"]["rps"]),
            v["jfrp"]["rps"] / max(1, v["haproxy_http"]["rps"]), v["jfrp"]["p99_ms"] / max(0.001, v["frp"]["p99_ms"])))
    lines.append("")
    return lines
