"""A fake OpenID Connect provider (ProConnect-like) served on 127.0.0.1 for the tests: token, JWKS and a signed
JWT userinfo endpoint. The authorisation step is simulated by the test (it reads the state from the redirect)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


class FakeProvider:
    def __init__(self, client_id: str) -> None:
        self.client_id = client_id
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.claims: dict[str, str] = {}
        self.nonce = ""
        self.token_requests: list[dict[str, list[str]]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeProvider:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _sign(self, payload: dict[str, object]) -> str:
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": "test-key"})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _send(self, body: str, content_type: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.end_headers()
                self.wfile.write(body.encode())

            def do_GET(self) -> None:  # noqa: N802
                if self.path.startswith("/jwks"):
                    jwk = json.loads(RSAAlgorithm.to_jwk(provider.key.public_key()))
                    jwk.update({"kid": "test-key", "alg": "RS256", "use": "sig"})
                    self._send(json.dumps({"keys": [jwk]}), "application/json")
                elif self.path.startswith("/userinfo"):
                    self._send(provider._sign({"sub": "agent-1", **provider.claims}), "application/jwt")
                else:
                    self.send_error(404)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                provider.token_requests.append(parse_qs(self.rfile.read(length).decode()))
                now = int(time.time())
                id_token = provider._sign(
                    {
                        "iss": provider.base_url,
                        "aud": provider.client_id,
                        "sub": "agent-1",
                        "iat": now,
                        "exp": now + 300,
                        "nonce": provider.nonce,
                    }
                )
                self._send(
                    json.dumps({"id_token": id_token, "access_token": "jeton-acces", "token_type": "Bearer"}),
                    "application/json",
                )

        return Handler
