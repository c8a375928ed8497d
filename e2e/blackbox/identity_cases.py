"""Attack cases on who gets in (issue 13), run with jfrp_cases.py against real jfrps and jfrpc: a client of
the same server that knows a victim's runId and the shared token, and a flood of wrong logins while a good
client logs in. Bounded in count and time; loopback only."""
import re
import socket
import struct
import threading
import time

from harness import EchoServer, Tunnel, check, free_port, tcp_proxy, tunnel_works, wait_until
from raw_peer import CHALLENGE, HELLO, LOGIN, LOGIN_FAIL, MAGIC, frame, s16

CASES = {}
TOKEN = "acceptance-token"


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def _read_frame(sock):
    def exact(n):
        buf = b""
        while len(buf) < n:
            chunk = sock.recv(n - len(buf))
            if not chunk:
                raise EOFError("closed")
            buf += chunk
        return buf
    kind, stream, length = struct.unpack(">BII", exact(9))
    return kind, exact(length) if length else b"", exact


def raw_login(port, token, run_id, user="", source="127.0.0.1"):
    """Logs in frame by frame, proving the token but no session (no resume proof).
    @return (kind of the answer, its text) or (None, why) when the server closed first."""
    import hashlib
    import hmac
    sock = socket.socket()
    sock.settimeout(15)
    try:
        sock.bind((source, 0))
        sock.connect(("127.0.0.1", port))
        sock.sendall(struct.pack(">IBB", MAGIC, 1, 0) + frame(HELLO, 0, s16("attacker") + struct.pack(">I", 0)))
        kind, payload, exact = _read_frame_after_preface(sock)
        if kind != CHALLENGE:
            return kind, payload.decode("utf-8", "replace")
        nonce = payload[2:2 + struct.unpack(">H", payload[:2])[0]]
        ts = int(time.time() * 1000)
        proof = hmac.new(("jfrp:" + token).encode(), b"jfrp-login-v1" + nonce + struct.pack(">q", ts) + run_id.encode(),
                         hashlib.sha256).digest()
        body = s16(run_id) + s16(user) + struct.pack(">q", ts) + struct.pack(">H", len(proof)) + proof + s16("raw") \
            + struct.pack(">I", 30000)
        sock.sendall(frame(LOGIN, 0, body))
        kind, payload, _ = _read_frame(sock)
        return kind, payload.decode("utf-8", "replace")
    except (OSError, EOFError) as e:
        return None, str(e)
    finally:
        sock.close()


def _read_frame_after_preface(sock):
    got = b""
    while len(got) < 6:
        chunk = sock.recv(6 - len(got))
        if not chunk:
            raise EOFError("closed during the preface")
        got += chunk
    return _read_frame(sock)


@case
def stolen_run_id_neither_resumes_nor_closes():
    """Another client of the server (it has the shared token) logs in with the victim's runId, as itself
    and as another user: refused both times, with nothing of the victim's in the answer, and the
    victim's tunnel never stops."""
    echo = EchoServer()
    remote = free_port()
    t = Tunnel("stolen", lambda t: [tcp_proxy("victim", echo.port, remote)])
    try:
        t.start(ready_port=remote)
        m = re.search(r"runId ([A-Za-z0-9._-]+)", t.client.output())
        check(m is not None, "the client's log names no runId: %s" % t.client.output()[-800:])
        run_id = m.group(1)
        answers = [raw_login(t.bind_port, TOKEN, run_id), raw_login(t.bind_port, TOKEN, run_id, user="mallory")]
        for kind, text in answers:
            check(kind == LOGIN_FAIL, "a login with the victim's runId and no proof was answered %r: %s" % (kind, text))
            check("127.0.0.1:" not in text and run_id not in text, "the refusal shows the victim: %s" % text)
        check(tunnel_works(remote), "the victim's tunnel does not work after the attempts")
        check(not re.search(r"replac|channel lost", t.server.output()), "the victim's session was touched: %s"
              % t.server.output()[-1500:])
        check(wait_until(lambda: tunnel_works(remote), 5), "the victim's tunnel stopped")
        return "2 logins with the victim's runId (same user, another user) refused; the victim's tunnel untouched"
    finally:
        t.close()
        echo.close()


@case
def wrong_login_flood_while_a_good_client_logs_in():
    """16 threads from 127.0.0.2 send wrong logins for 5 s; 1 s in, a real jfrpc (from 127.0.0.1) starts.
    The flood must be throttled and the good client's tunnel work soon, its start included."""
    echo = EchoServer()
    remote = free_port()
    t = Tunnel("flood", lambda t: [tcp_proxy("good", echo.port, remote)])
    counts = {"attempts": 0, "refused": 0}
    lock = threading.Lock()
    stop = [0.0]

    def flood():
        while time.monotonic() < stop[0]:
            kind, _ = raw_login(t.bind_port, "wrong-token", "guesser", source="127.0.0.2")
            with lock:
                counts["attempts"] += 1
                if kind == LOGIN_FAIL or kind is None:
                    counts["refused"] += 1
    try:
        t.start_server()
        stop[0] = time.monotonic() + 5  # from when the server listens, however long its start took
        threads = [threading.Thread(target=flood, daemon=True) for _ in range(16)]
        [th.start() for th in threads]
        time.sleep(1)  # the flood is under way when the good client starts: this is the case
        start = time.monotonic()
        t.start_client()
        check(wait_until(lambda: tunnel_works(remote), 20, step=0.1),
              "the good client's tunnel does not work during the flood: %s" % t.client.output()[-1500:])
        took = time.monotonic() - start
        [th.join(20) for th in threads]
        check(counts["attempts"] > 0 and counts["refused"] == counts["attempts"],
              "%d of %d wrong logins refused" % (counts["refused"], counts["attempts"]))
        checked = len(re.findall(r"login refused", t.server.output()))
        check(took < 10, "the good client's tunnel worked only %.1f s after its start" % took)
        return "%d wrong logins in 5 s (%.0f/s), all refused, %d log lines; a good jfrpc's tunnel worked %.2f s after " \
               "its start (JVM start included)" % (counts["attempts"], counts["attempts"] / 5.0, checked, took)
    finally:
        t.close()
        echo.close()
