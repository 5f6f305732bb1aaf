"""A fake BAN web API on a local port, whose mood the test sets: ``up`` (answers a point in Saint-Étienne),
``refuse`` (503 at once), ``hang`` (answers too late for the caller's timeout). It counts the requests it gets, so
a test can prove that no geocoder call happened."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SAINT_ETIENNE = (4.3900, 45.4400)


@dataclass
class FakeBanState:
    mode: str = "up"
    hang_seconds: float = 1.5
    point: tuple[float, float] = SAINT_ETIENNE
    citycode: str = "42218"
    url: str = ""
    requests: list[str] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    state: FakeBanState

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the caller gave up waiting (timeout)
            pass

    def do_GET(self) -> None:
        state = self.state
        state.requests.append(self.path)
        if state.mode == "refuse":
            return self._send(503, b"indisponible", "text/plain")
        if state.mode == "hang":
            time.sleep(state.hang_seconds)
        feature = {
            "geometry": {"type": "Point", "coordinates": list(state.point)},
            "properties": {"label": "12 Avenue de la Libération 42000 Saint-Étienne", "score": 0.95,
                           "citycode": state.citycode, "postcode": "42000", "city": "Saint-Étienne",
                           "type": "housenumber"},
        }  # fmt: skip
        self._send(200, json.dumps({"features": [feature]}).encode(), "application/json")

    def do_POST(self) -> None:
        self.state.requests.append(self.path)
        self._send(503, b"indisponible", "text/plain")


@contextmanager
def fake_ban_api(settings: Any) -> Iterator[FakeBanState]:
    """The fake BAN API as the configured geocoder, with short timeouts and no retry (tests stay fast). Use it
    in a fixture: ``with fake_ban_api(settings) as fake: yield fake``."""
    state = FakeBanState()
    handler = type("Handler", (_Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.GEOCODER = "ban_api"
    settings.BAN_API_URL = state.url = f"http://127.0.0.1:{server.server_port}"
    settings.BAN_API_MIN_INTERVAL = 0
    settings.BAN_API_RETRIES = 0
    settings.BAN_API_TIMEOUT = 0.5
    settings.GEOCODE_INLINE_TIMEOUT = 0.3
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
