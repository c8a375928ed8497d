"""A jfrp client written frame by frame (docs/protocol.md), for cases that need a peer which does what
the real client never would: flood, never read, lie. Plain TCP (the server takes both on one port)."""
import hashlib
import hmac
import socket
import struct
import threading
import time

MAGIC = 0x4A465250
HELLO, CHALLENGE, LOGIN, LOGIN_OK, LOGIN_FAIL, NEW_PROXY, NEW_PROXY_RESULT = 1, 2, 3, 4, 5, 6, 7
PING, PONG, GOAWAY = 9, 10, 11
STREAM_OPEN, STREAM_OPEN_OK, STREAM_OPEN_FAIL, DATA, WINDOW_UPDATE, FIN, RESET = 32, 33, 34, 35, 36, 37, 38


def s16(text):
    b = text.encode()
    return struct.pack(">H", len(b)) + b


def frame(kind, stream, payload=b""):
    return struct.pack(">BII", kind, stream, len(payload)) + payload


class RawClient:
    def __init__(self, port, token, run_id="raw-peer", rcvbuf=None):
        self.sock = socket.socket()
        if rcvbuf:
            # Before connect, so the window the kernel advertises is small from the start.
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(10)
        self.sock.connect(("127.0.0.1", port))
        self.sock.sendall(struct.pack(">IBB", MAGIC, 1, 0) + frame(HELLO, 0, s16("raw-peer") + struct.pack(">I", 0)))
        self._exact(6)
        kind, _, payload = self.read_frame()
        assert kind == CHALLENGE, "expected CHALLENGE, got %d" % kind
        nonce = payload[2:2 + struct.unpack(">H", payload[:2])[0]]
        ts = int(time.time() * 1000)
        proof = hmac.new(("jfrp:" + token).encode(), b"jfrp-login-v1" + nonce + struct.pack(">q", ts) + run_id.encode(),
                         hashlib.sha256).digest()
        body = s16(run_id) + s16("") + struct.pack(">q", ts) + struct.pack(">H", len(proof)) + proof + s16("raw") \
            + struct.pack(">I", 30000)
        self.sock.sendall(frame(LOGIN, 0, body))
        kind, _, payload = self.read_frame()
        assert kind == LOGIN_OK, "login refused: %r" % payload

    def _exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise EOFError("the server closed the connection")
            buf += chunk
        return buf

    def read_frame(self):
        kind, stream, length = struct.unpack(">BII", self._exact(9))
        return kind, stream, self._exact(length) if length else b""

    def new_proxy(self, name, remote_port):
        self.sock.sendall(frame(NEW_PROXY, 0, s16(name) + s16("tcp") + struct.pack(">H", remote_port)))
        while True:
            kind, _, payload = self.read_frame()
            if kind == NEW_PROXY_RESULT:
                return payload

    def send(self, data):
        self.sock.sendall(data)

    def drain_in_background(self, on_frame=None):
        """Reads and discards (or hands to on_frame) everything the server sends, until it closes."""
        def loop():
            try:
                self.sock.settimeout(None)
                while True:
                    f = self.read_frame()
                    if on_frame:
                        on_frame(*f)
            except (OSError, EOFError):
                pass
        t = threading.Thread(target=loop, daemon=True)
        t.start()
        return t

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def rss_mb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


class RssWatch:
    """Samples a process's RSS every 100 ms in the background; .peak is the largest seen, in MB."""

    def __init__(self, pid):
        self.pid = pid
        self.peak = rss_mb(pid)
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._loop, daemon=True)
        self._t.start()

    def _loop(self):
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, rss_mb(self.pid))

    def stop(self):
        self._stop.set()
        self._t.join(2)
        return self.peak
