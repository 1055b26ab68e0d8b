"""A real ``equivmetrics serve`` in a subprocess, and a stdlib HTTP client for it (no mocks)."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """A running service: ``port``, ``log`` (its standard error) and requests to it."""

    def __init__(self, port: int, log: Path) -> None:
        self.port = port
        self.log = log

    def request(
        self,
        method: str,
        path: str,
        body: bytes | str | dict[str, Any] | list[Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        if isinstance(body, dict | list):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def post(
        self, path: str, body: Any, tenant: str | None = None
    ) -> tuple[int, dict[str, str], Any]:
        headers = {"Content-Type": "application/json"}
        if tenant is not None:
            headers["X-Tenant"] = tenant
        status, got, raw = self.request("POST", path, body, headers)
        return status, got, json.loads(raw)

    def get(self, path: str, tenant: str | None = None) -> tuple[int, dict[str, str], Any]:
        status, got, raw = self.request("GET", path, None, {"X-Tenant": tenant} if tenant else {})
        return status, got, json.loads(raw)


@contextlib.contextmanager
def running(tenants: Path | None, log: Path, *extra: str) -> Iterator[Server]:
    """``equivmetrics serve`` on a free port until the block ends."""
    port = free_port()
    args = [sys.executable, "-m", "equivmetrics", "serve", "--port", str(port), *extra]
    if tenants is not None:
        args += ["--tenants", str(tenants)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as err:
        process = subprocess.Popen(args, stdout=err, stderr=subprocess.STDOUT, env=env)
    server = Server(port, log)
    try:
        deadline = time.monotonic() + 120
        while True:
            with contextlib.suppress(OSError):
                if server.request("GET", "/readyz")[0] == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{log.read_text()}")
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
