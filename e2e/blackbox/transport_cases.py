"""Black-box cases of transports and channels (issue 16), run with jfrp_cases.py: every transport with
frp's keys, fail-over and fail-back across [[channels]], and fallback from a blocked UDP port. Real
jfrps and jfrpc processes on loopback; the client's state is read from its admin API."""
import json
import re
import socket
import time
import urllib.request

from harness import (EchoServer, FaultRelay, Proc, Tunnel, Workdir, check, client_toml, free_port, port_open, run_cli,
                     server_toml, tcp_proxy, tunnel_works, wait_until)

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def free_udp_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def client_status(admin_port):
    with urllib.request.urlopen("http://127.0.0.1:%d/api/jfrp/status" % admin_port, timeout=2) as r:
        return json.loads(r.read().decode("utf-8"))


def with_channels(cfg, channels):
    """The client's config with [[channels]] instead of its serverAddr and serverPort (one or the other)."""
    with open(cfg) as f:
        head, proxies = f.read().split("\n[[proxies]]", 1)
    head = "\n".join(l for l in head.splitlines() if not l.startswith(("serverAddr", "serverPort")))
    with open(cfg, "w") as f:
        f.write(head + "\n" + channels + "\n[[proxies]]" + proxies)


def on_channel(admin_port, name):
    try:
        s = client_status(admin_port)
        return s.get("state") == "CONNECTED" and s.get("channel") == name
    except (OSError, ValueError):
        return False


@case
def every_transport_with_frps_keys():
    """One jfrps with frp's kcpBindPort and quicBindPort; one jfrpc per transport.protocol (tcp, websocket,
    wss, kcp, quic; serverPort is the UDP port for kcp and quic, as in frp), all at once, TLS on."""
    echo = EchoServer()
    wd = Workdir("transports")
    bind, kcp, quic = free_port(), free_udp_port(), free_udp_port()
    server = Proc(["bin/jfrps", "-c", wd.write("frps.toml", server_toml(bind, extra="kcpBindPort = %d\nquicBindPort = %d\n"
                                                                         % (kcp, quic)))], wd, "server")
    clients = {}
    try:
        check(wait_until(lambda: port_open(bind), 60),
              "jfrps did not start: %s" % server.output()[-1500:])
        for protocol, port in (("tcp", bind), ("websocket", bind), ("wss", bind), ("kcp", kcp), ("quic", quic)):
            remote = free_port()
            cfg = wd.write("frpc-%s.toml" % protocol, client_toml(port, [tcp_proxy("echo-" + protocol, echo.port, remote)],
                                                                    extra='transport.protocol = "%s"\n' % protocol))
            clients[protocol] = (Proc(["bin/jfrpc", "-c", cfg], wd, "client-" + protocol), remote)
        for protocol, (proc, remote) in clients.items():
            check(wait_until(lambda: tunnel_works(remote, size=64 * 1024), 60),
                  "no tunnel over %s: %s" % (protocol, proc.output()[-1500:]))
        return "64 KiB echoed intact over " + ", ".join(clients)
    finally:
        for proc, _ in clients.values():
            proc.kill()
        server.kill()
        echo.close()


@case
def channels_fail_over_and_back():
    """[[channels]]: fibre (tcp, through a relay) and lte (websocket). fibre refuses at first: the session
    runs on lte; fibre mends: back on fibre after failBackAfter, the connection begun on lte unbroken;
    fibre goes silent: on lte again within the heartbeat timeout and a second."""
    echo = EchoServer()
    remote = free_port()

    def channels(t, relay):
        return ('transport.heartbeatInterval = "1s"\ntransport.heartbeatTimeout = "3s"\n'
                'transport.failBackAfter = "2s"\n'
                '[[channels]]\nname = "fibre"\nserverAddr = "127.0.0.1"\nserverPort = %d\nprotocol = "tcp"\n'
                '[[channels]]\nname = "lte"\nserverAddr = "127.0.0.1"\nserverPort = %d\nprotocol = "websocket"\n'
                % (relay.port, t.bind_port))

    t = Tunnel("channels", lambda t: [tcp_proxy("r", echo.port, remote)], admin=True)
    relay = FaultRelay(t.bind_port)
    relay.mode = "refuse"
    with_channels(t.client_cfg, channels(t, relay))
    user = None
    try:
        t.start(ready_port=remote)
        check(on_channel(t.admin_port, "lte"), "not on lte while fibre refuses: %s" % client_status(t.admin_port))
        user = socket.create_connection(("127.0.0.1", remote), timeout=10)
        user.sendall(b"before the move\n")
        check(user.recv(64) == b"before the move\n", "no echo on the connection begun on lte")

        relay.mode = "pass"
        start = time.monotonic()
        check(wait_until(lambda: on_channel(t.admin_port, "fibre"), 20),
              "not back on fibre 20 s after it mended: %s" % t.client.output()[-1500:])
        back = time.monotonic() - start
        user.sendall(b"after the move\n")
        check(user.recv(64) == b"after the move\n", "the connection begun on lte broke when the session moved back")
        rc, out = run_cli(["bin/jfrpc", "status", "-c", t.client_cfg])
        check(rc == 0 and re.search(r"fibre\s+tcp\s+\S+\s+active", out) and re.search(r"lte\s+websocket\s+\S+\s+draining", out),
              "status does not show fibre active and lte draining: %s" % out)
        user.close()
        user = None
        check(tunnel_works(remote), "no tunnel on fibre")

        relay.freeze_existing()
        start = time.monotonic()
        check(wait_until(lambda: on_channel(t.admin_port, "lte") and tunnel_works(remote), 15, step=0.1),
              "not on lte 15 s after fibre went silent: %s" % t.client.output()[-1500:])
        over = time.monotonic() - start
        check(over <= 5.0, "fail-over took %.1f s (heartbeat 1s/3s: expected <= 5 s)" % over)
        check(re.search(r"session moved to channel lte", t.client.output()), "the client log does not name the move")
        return "fibre mended: back on it in %.1f s, a connection begun on lte unbroken; fibre silent: on lte in %.1f s" % (
            back, over)
    finally:
        if user:
            user.close()
        t.close()
        relay.close()
        echo.close()


@case
def blocked_udp_falls_back_to_tcp():
    """[[channels]]: quic to a UDP port that swallows every datagram (a firewall dropping UDP), then tcp."""
    echo = EchoServer()
    remote = free_port()
    black_hole = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    black_hole.bind(("127.0.0.1", 0))
    extra = ('transport.dialServerTimeout = "2s"\n'
             '[[channels]]\nname = "udp"\nserverAddr = "127.0.0.1"\nserverPort = %d\nprotocol = "quic"\n'
             % black_hole.getsockname()[1])
    t = Tunnel("fallback", lambda t: [tcp_proxy("r", echo.port, remote)], admin=True)
    extra += '[[channels]]\nname = "tcp"\nserverAddr = "127.0.0.1"\nserverPort = %d\nprotocol = "tcp"\n' % t.bind_port
    with_channels(t.client_cfg, extra)
    try:
        t.start_server()
        start = time.monotonic()
        t.start_client()
        check(wait_until(lambda: tunnel_works(remote), 30), "no tunnel: %s" % t.client.output()[-1500:])
        took = time.monotonic() - start
        s = client_status(t.admin_port)
        check(s.get("channel") == "tcp" and s["channels"][0]["state"] == "failed",
              "not on tcp with the quic channel failed: %s" % s)
        return "UDP blocked: on tcp %.1f s after the client started (dial timeout 2 s)" % took
    finally:
        t.close()
        black_hole.close()
        echo.close()
