"""A real threaded HTTP server that replays recorded replies, faults included, for the connector tests."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

RECORDED = Path(__file__).resolve().parents[2] / "recorded"


def recorded(relative: str) -> bytes:
    """The bytes of a file under tests/recorded/ (see its README for where each came from)."""
    return (RECORDED / relative).read_bytes()


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a timeout when longer than the client's)
    hold: threading.Event | None = None  # answer only once the test sets it
    close_after: int | None = None  # announce the whole body, send this many bytes, close: a dropped connection
    content_type: str = "application/json;charset=utf-8"
    drip: tuple[int, float] | None = None  # (bytes, seconds): send the body that many bytes at a time, this far apart


@dataclass
class Route:
    path: str
    query: dict[str, str]
    replies: list[Reply]

    def matches(self, path: str, query: dict[str, str]) -> bool:
        return path == self.path and all(query.get(key) == value for key, value in self.query.items())


class ReplayServer:
    """Serves the replies queued per route in order; the last reply of a route repeats."""

    def __init__(self):
        self.routes: list[Route] = []
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.requested = threading.Condition()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def add(self, path: str, *replies: Reply, **query: str) -> None:
        self.routes.insert(0, Route(path=path, query=query, replies=list(replies)))

    def wait_for_requests(self, count: int, timeout: float = 30.0) -> bool:
        with self.requested:
            return self.requested.wait_for(lambda: len(self.requests) >= count, timeout=timeout)

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        query = {key: values[-1] for key, values in parse_qs(split.query).items()}
        with self.requested:
            self.requests.append((split.path, query))
            self.requested.notify_all()
            route = next((r for r in self.routes if r.matches(split.path, query)), None)
            reply = None
            if route is not None:
                reply = route.replies.pop(0) if len(route.replies) > 1 else route.replies[0]
        if reply is None:
            reply = Reply(status=404, body=b'{"error": "no recorded reply for this request"}')
        if reply.hold is not None:
            reply.hold.wait(timeout=300)
        if reply.delay:
            time.sleep(reply.delay)
        try:
            handler.send_response(reply.status)
            handler.send_header("Content-Type", reply.content_type)
            handler.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            body = reply.body if reply.close_after is None else reply.body[: reply.close_after]
            size, pause = reply.drip or (len(body) or 1, 0.0)
            for start in range(0, len(body), size):
                handler.wfile.write(body[start : start + size])
                handler.wfile.flush()
                time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            return
        if reply.close_after is not None:
            handler.close_connection = True

    def __enter__(self) -> "ReplayServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
