"""HTTP service throughput: ``equivmetrics serve`` at 50 concurrent clients against in-process.

    python bench/bench_service.py                      # 5,000 requests, 1 worker
    python bench/bench_service.py --requests 20000 --workers 2

Starts the real service (uvicorn) on a free port with the three tenants of docs/service.md,
then sends ``--requests`` POST /v1/convert requests (the README's conversions, the tenants in
turn) from ``--clients`` threads, each with its own keep-alive connection (stdlib
``http.client``), and times each request. The same conversions done in-process with
``Engine.convert(...).to_dict()`` are the baseline. Prints requests per second, p50 and p99
latency and the ratios of the service to in-process (docs/service.md). The client threads share
this process's cores with the server, so on a small machine the figures are a floor.
"""

from __future__ import annotations

import argparse
import http.client
import json
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import equivmetrics as em

ROOT = Path(__file__).resolve().parent.parent
REQUESTS: list[tuple[str, dict[str, Any]]] = [
    ("us", {"quantity": "12000 transaction/month", "to": "fte"}),
    ("de", {"quantity": "12000 transaction/month", "to": "labor_cost"}),
    ("gb", {"quantity": "1000 kWh", "to": "co2e", "of": "electricity_consumed"}),
]


def tenant_file(folder: Path) -> Path:
    text = (ROOT / "docs" / "service.md").read_text(encoding="utf-8")
    found = re.search(r"^```yaml\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    assert found is not None
    path = folder / "tenants.yaml"
    path.write_text(found.group(1), encoding="utf-8")
    return path


def start(tenants: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "equivmetrics", "serve", "--port", str(port)]
    args += ["--tenants", str(tenants), "--workers", str(workers), "--log-level", "warning"]
    process = subprocess.Popen(args)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the service did not start")


def over_http(port: int, requests: int, clients: int) -> tuple[float, list[float]]:
    local = threading.local()
    bodies = [(t, json.dumps(r).encode()) for t, r in REQUESTS]

    def one(i: int) -> float:
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        tenant, body = bodies[i % len(bodies)]
        began = time.perf_counter()
        local.conn.request("POST", "/v1/convert", body, {"X-Tenant": tenant})
        response = local.conn.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"HTTP {response.status}")
        return time.perf_counter() - began

    with ThreadPoolExecutor(max_workers=clients) as pool:
        began = time.perf_counter()
        latencies = list(pool.map(one, range(requests)))
        return time.perf_counter() - began, latencies


def in_process(requests: int) -> tuple[float, list[float]]:
    engines = {
        "us": em.load(),
        "de": em.load(region="DE").with_params(minutes_per_transaction="4 min/transaction"),
        "gb": em.load(region="GB").with_params(hourly_labor_cost="38 GBP/hour"),
    }
    latencies = []
    began = time.perf_counter()
    for i in range(requests):
        tenant, request = REQUESTS[i % len(REQUESTS)]
        options = {k: v for k, v in request.items() if k not in ("quantity", "to")}
        start_one = time.perf_counter()
        json.dumps(engines[tenant].convert(request["quantity"], request["to"], **options).to_dict())
        latencies.append(time.perf_counter() - start_one)
    return time.perf_counter() - began, latencies


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()} on {platform.machine()}, equivmetrics {em.__version__}"
    )
    with tempfile.TemporaryDirectory() as folder:
        process = start(tenant_file(Path(folder)), args.port, args.workers)
        try:
            over_http(args.port, min(500, args.requests), args.clients)  # warm up
            wall, http_lat = over_http(args.port, args.requests, args.clients)
        finally:
            process.terminate()
            process.wait()
    local_wall, local_lat = in_process(args.requests)
    rps, local_rps = args.requests / wall, args.requests / local_wall
    print(f"{args.requests} requests, {args.clients} clients, {args.workers} worker(s)")
    for name, per_s, lat in (("HTTP", rps, http_lat), ("in-process", local_rps, local_lat)):
        p50, p99 = pct(lat, 50), pct(lat, 99)
        print(f"  {name:<11} {per_s:10,.0f}/s  p50 {p50:8.3f} ms  p99 {p99:8.3f} ms")
    print(
        f"  ratio in-process/HTTP throughput: {local_rps / rps:,.1f}x; "
        f"p50 latency HTTP/in-process: {pct(http_lat, 50) / pct(local_lat, 50):,.0f}x"
    )


if __name__ == "__main__":
    main()
