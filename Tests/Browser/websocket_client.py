"""A small blocking WebSocket client (RFC 6455, text frames) on the standard library, for browser tests that speak
to the stack as a non-browser client would: JSON-RPC on a worker's /rpc/ws with a bearer token, Janus's API on
nginx's /sfu with the `janus-protocol` subprotocol."""
import base64
import json
import os
import socket
import struct


class HandshakeRefused(Exception):
    """The server answered the upgrade with something other than 101 (`status` holds the HTTP status)."""

    def __init__(self, status: int, head: str):
        super().__init__(f"WebSocket upgrade refused: {status}\n{head}")
        self.status = status


class Closed(Exception):
    """The server closed the WebSocket."""


class WebSocket:
    """One client WebSocket over TCP (`host`, `port`) or a Unix socket (`unix`)."""

    def __init__(self, path: str = "/", host: str = "127.0.0.1", port: int | None = None, unix: str | None = None,
                 headers: dict | None = None, protocol: str | None = None, timeout: float = 10):
        if unix:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(timeout)
            self.sock.connect(unix)
        else:
            self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}" if port else "Host: worker", "Upgrade: websocket",
                 "Connection: Upgrade", f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        if protocol:
            lines.append(f"Sec-WebSocket-Protocol: {protocol}")
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise HandshakeRefused(0, self.buffer.decode(errors="replace"))
            self.buffer += chunk
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        text = head.decode(errors="replace")
        status = int(text.split(" ", 2)[1])
        if status != 101:
            self.sock.close()
            raise HandshakeRefused(status, text)
        self.protocol = next((line.split(":", 1)[1].strip() for line in text.split("\r\n")
                              if line.lower().startswith("sec-websocket-protocol:")), None)

    def send(self, text: str) -> None:
        self._frame(0x1, text.encode())

    def send_json(self, value) -> None:
        self.send(json.dumps(value))

    def recv(self) -> str:
        """The next text message (pings answered, fragments joined); raises `Closed` when the server closes."""
        message = b""
        while True:
            fin, opcode, payload = self._read_frame()
            if opcode == 0x8:
                raise Closed(payload[:2].hex() if payload else "")
            if opcode == 0x9:
                self._frame(0xA, payload)
                continue
            if opcode in (0x1, 0x0, 0x2):
                message += payload
                if fin:
                    return message.decode()

    def recv_json(self):
        return json.loads(self.recv())

    def close(self) -> None:
        try:
            self._frame(0x8, struct.pack("!H", 1000))
        except OSError:
            pass
        self.sock.close()

    def _frame(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            header = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
        elif n < 65536:
            header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise Closed("connection ended")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _read_frame(self) -> tuple[bool, int, bytes]:
        first, second = self._read(2)
        length = second & 0x7F
        if length == 126:
            length = struct.unpack("!H", self._read(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self._read(8))[0]
        mask = self._read(4) if second & 0x80 else None
        payload = self._read(length)
        if mask:
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        return bool(first & 0x80), first & 0x0F, payload
