"""Black-box cases of reloading a running jfrpc (issue 17), run with jfrp_cases.py: SIGHUP applies the
edited file, keeps a live connection of an unchanged proxy, and refuses a broken file naming its line."""
import os
import re
import signal
import socket

from harness import EchoServer, Tunnel, check, free_port, tcp_proxy, tunnel_works, wait_until

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


@case
def sighup_reloads_the_file_and_refuses_a_broken_one():
    echo = EchoServer()
    first, second = free_port(), free_port()
    t = Tunnel("sighup", lambda t: [tcp_proxy("first", echo.port, first)])
    user = None
    try:
        t.start(ready_port=first)
        user = socket.create_connection(("127.0.0.1", first), timeout=10)
        user.sendall(b"before\n")
        check(user.recv(64) == b"before\n", "no echo before the reload")
        with open(t.client_cfg) as f:
            good = f.read()
        with open(t.client_cfg, "w") as f:
            f.write(good + '\n[[proxies]]\nname = "second"\ntype = "tcp"\nlocalIP = "127.0.0.1"\nlocalPort = %d\n'
                    'remotePort = %d\n' % (echo.port, second))
        os.kill(t.client.p.pid, signal.SIGHUP)
        check(wait_until(lambda: tunnel_works(second), 15), "the added proxy does not work after SIGHUP: %s"
              % t.client.output()[-1500:])
        # The line comes once the reload returns, which can be after the new proxy's port opened.
        check(wait_until(lambda: "reload on SIGHUP:" in t.client.output(), 10), "the log does not say SIGHUP reloaded")
        user.sendall(b"after\n")
        check(user.recv(64) == b"after\n", "the unchanged proxy's connection broke across the reload")

        with open(t.client_cfg, "a") as f:
            f.write('\n[[proxies]]\nname = "third"\nlocalPort = "eighty"\n')
        os.kill(t.client.p.pid, signal.SIGHUP)
        check(wait_until(lambda: "reload on SIGHUP refused" in t.client.output(), 15),
              "a broken file was not refused: %s" % t.client.output()[-1500:])
        line = [l for l in t.client.output().splitlines() if "reload on SIGHUP refused" in l][0]
        check(re.search(r"frpc\.toml:\d+:\d+: \S*localPort", t.client.output()) is not None,
              "the refusal does not name the file, line and key: %s" % line)
        check(tunnel_works(first) and tunnel_works(second), "the tunnels stopped after a refused reload")
        return "SIGHUP added a proxy with a live connection kept; a broken file refused with its line"
    finally:
        if user:
            user.close()
        t.close()
        echo.close()


@case
def rollback_returns_to_the_config_applied_before():
    """A reload adds a proxy; a broken edit follows. `jfrpc rollback` puts back the last config applied
    (the broken edit kept aside), and again the one before it, which the running client applies."""
    from harness import port_open, run_cli
    echo = EchoServer()
    first, second = free_port(), free_port()
    t = Tunnel("rollback", lambda t: [tcp_proxy("first", echo.port, first)], admin=True)
    try:
        t.start(ready_port=first)
        with open(t.client_cfg) as f:
            original = f.read()
        added = original + '\n[[proxies]]\nname = "second"\ntype = "tcp"\nlocalIP = "127.0.0.1"\nlocalPort = %d\n' \
                           'remotePort = %d\n' % (echo.port, second)
        with open(t.client_cfg, "w") as f:
            f.write(added)
        rc, out = run_cli(["bin/jfrpc", "reload", "-c", t.client_cfg])
        check(rc == 0 and wait_until(lambda: tunnel_works(second), 10), "the reload did not add the proxy: %s" % out)

        with open(t.client_cfg, "w") as f:
            f.write(added + '\n[[proxies]]\nname = "third"\nlocalPort = "eighty"\n')
        rc, out = run_cli(["bin/jfrpc", "rollback", "-c", t.client_cfg])
        with open(t.client_cfg) as f:
            check(rc == 0 and f.read() == added, "the broken edit was not rolled back to the last applied config: %s" % out)
        check(os.path.exists(t.client_cfg + ".before-rollback"), "the broken edit was not kept aside")

        rc, out = run_cli(["bin/jfrpc", "rollback", "-c", t.client_cfg])
        with open(t.client_cfg) as f:
            check(rc == 0 and f.read() == original, "a second rollback did not return to the first config: %s" % out)
        check(wait_until(lambda: not port_open(second), 10), "the running client kept the proxy rolled back: %s" % out)
        check(tunnel_works(first), "the first proxy stopped")
        return "a broken edit rolled back to the last applied config, then to the one before, applied at once"
    finally:
        t.close()
        echo.close()


@case
def server_reload_narrows_allow_ports_and_keeps_the_rest():
    """`jfrps reload` refuses a broken file naming its line, then narrows allowPorts: the proxy on the port
    it no longer allows ends and its client hears why; the other proxy's live connection goes on.
    `jfrpc log-level debug` shows the client's quiet retries at once; SIGHUP widens allowPorts again and
    the proxy is back without a restart of anything."""
    from harness import port_open, run_cli
    echo = EchoServer()
    first, second, web = free_port(), free_port(), free_port()

    def server_extra(allowed):
        return ('allowPorts = [ %s ]\nwebServer.addr = "127.0.0.1"\nwebServer.port = %d\n'
                'webServer.user = "admin"\nwebServer.password = "pw"\n'
                % (", ".join("{ single = %d }" % p for p in allowed), web))

    t = Tunnel("server-reload", lambda t: [tcp_proxy("first", echo.port, first), tcp_proxy("second", echo.port, second)],
               server_extra=server_extra([first, second]), admin=True)
    user = None
    try:
        t.start(ready_port=first)
        check(wait_until(lambda: tunnel_works(second), 20), "the second proxy does not work")
        user = socket.create_connection(("127.0.0.1", second), timeout=10)
        user.sendall(b"before\n")
        check(user.recv(64) == b"before\n", "no echo before the reload")
        with open(t.server_cfg) as f:
            head = f.read().split("allowPorts")[0]

        with open(t.server_cfg, "w") as f:
            f.write(head + server_extra([first, second]) + "maxPortsPerClient = \"two\"\n")
        rc, out = run_cli(["bin/jfrps", "reload", "-c", t.server_cfg])
        check(rc != 0 and re.search(r"frps\.toml:\d+:\d+: maxPortsPerClient", out) is not None,
              "a broken server file was not refused with its line (rc %d): %s" % (rc, out))
        check(tunnel_works(first) and tunnel_works(second), "a refused server reload broke a tunnel")

        with open(t.server_cfg, "w") as f:
            f.write(head + server_extra([second]))
        rc, out = run_cli(["bin/jfrps", "reload", "-c", t.server_cfg])
        check(rc == 0 and "allowPorts" in out and "1 proxy(ies)" in out, "jfrps reload did not apply (rc %d): %s"
              % (rc, out))
        check(wait_until(lambda: not port_open(first), 10), "the port no longer allowed still listens")
        check(wait_until(lambda: "is no longer allowed" in t.client.output(), 10),
              "the client was not told why its proxy ended: %s" % t.client.output()[-1500:])
        user.sendall(b"after\n")
        check(user.recv(64) == b"after\n", "the kept proxy's connection broke across the server's reload")

        rc, out = run_cli(["bin/jfrpc", "log-level", "debug", "-c", t.client_cfg])
        check(rc == 0 and "log level debug" in out, "jfrpc log-level failed (rc %d): %s" % (rc, out))
        check(wait_until(lambda: "refused again" in t.client.output(), 20),
              "no debug line after jfrpc log-level debug: %s" % t.client.output()[-1500:])
        rc, out = run_cli(["bin/jfrpc", "log-level", "chatty", "-c", t.client_cfg])
        check(rc != 0 and "not one of" in out, "a bad level was not refused (rc %d): %s" % (rc, out))

        with open(t.server_cfg, "w") as f:
            f.write(head + server_extra([first, second]))
        os.kill(t.server.p.pid, signal.SIGHUP)
        check(wait_until(lambda: "reload on SIGHUP" in t.server.output(), 15),
              "the server did not reload on SIGHUP: %s" % t.server.output()[-1500:])
        check(wait_until(lambda: tunnel_works(first), 40), "the proxy did not come back once its port was allowed")
        user.sendall(b"last\n")
        check(user.recv(64) == b"last\n", "the kept proxy's connection broke")
        return "broken server file refused with its line; narrowed allowPorts ended one proxy, kept a live " \
               "connection; log-level debug at once; SIGHUP widened it and the proxy came back"
    finally:
        if user:
            user.close()
        t.close()
        echo.close()
