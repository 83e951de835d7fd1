"""Benchmark (not a test): calendar feeds under load, beside a static file server.

Builds the feeds benchmark's organisation (benchmarks/feeds_bench.py) in a temporary
SQLite database, starts gunicorn exactly as shipped (gunicorn.conf.py: gthread workers)
and, for comparison, Python's own `http.server` serving the same family feed as a
static .ics file. Then its own clients, all in this one process (asyncio, HTTP/1.1 with
keep-alive where the server allows it), poll for a fixed time:

  1. the static file (full GET),
  2. the family feed with If-None-Match (conditional GET, answered 304),
  3. the family feed without it (full GET, 200).

It prints requests per second and the 50th/99th percentile latency of each phase, the
ratio of the conditional GETs to the static file, and the load average before and
after (the machine is shared: note it with the numbers).

    .venv/bin/python benchmarks/feeds_load.py [--clients 200] [--seconds 10]
"""

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import feeds_bench  # noqa: E402 (the data builder, next to this file)

HOST = "127.0.0.1"
WARMUP_S = 2.0


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    seconds: float = 0.0

    def report(self) -> str:
        done = len(self.latencies)
        rate = done / self.seconds if self.seconds else 0.0
        ordered = sorted(self.latencies) or [0.0]
        p50 = statistics.median(ordered) * 1000
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
        codes = ", ".join(f"{code}×{n}" for code, n in sorted(self.statuses.items()))
        return (
            f"{self.name:<22} {rate:>8.0f} req/s  p50 {p50:>7.1f} ms  p99 {p99:>7.1f} ms"
            f"  ({codes}; errors {self.errors})"
        )

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for(port: int, proc: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Status and whether the connection stays open; the body is read and dropped."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed")
    version, status = status_line.split()[:2]
    length, keep = 0, version == b"HTTP/1.1"
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection":
            keep = value.strip().lower() == b"keep-alive" or (
                keep and value.strip().lower() != b"close"
            )
    if length:
        await reader.readexactly(length)
    return int(status), keep


async def client(port: int, request: bytes, start: float, end: float, phase: Phase) -> None:
    reader = writer = None
    while True:
        began = time.perf_counter()
        if began >= end:
            break
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(HOST, port)
            writer.write(request)
            status, keep = await read_response(reader)
        except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError):
            phase.errors += began >= start
            writer = None
            await asyncio.sleep(0.01)
            continue
        if began >= start:
            phase.latencies.append(time.perf_counter() - began)
            phase.statuses[status] = phase.statuses.get(status, 0) + 1
        if not keep:
            writer.close()
            writer = None
    if writer is not None:
        writer.close()


async def run_phase(port: int, path: str, headers: dict, clients: int, seconds: float, name: str):
    lines = [f"GET {path} HTTP/1.1", f"Host: {HOST}:{port}", "User-Agent: lotse-bench"]
    lines += [f"{key}: {value}" for key, value in headers.items()]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    phase = Phase(name, seconds=seconds)
    start = time.perf_counter() + WARMUP_S
    end = start + seconds
    await asyncio.gather(*(client(port, request, start, end, phase) for _ in range(clients)))
    return phase


def start_servers(tmp: str, family_path: str) -> tuple[int, int, list[subprocess.Popen]]:
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    app_port, static_port = free_port(), free_port()
    gunicorn = subprocess.Popen(  # noqa: S603 (our own command line)
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
        + ["--bind", f"{HOST}:{app_port}", "--access-logfile", f"{tmp}/access.log"],
        cwd=ROOT,
        env=env,
    )
    static_dir = Path(tmp, "static-root")
    static_dir.mkdir()
    static = subprocess.Popen(  # noqa: S603 (our own command line)
        [sys.executable, "-m", "http.server", "--bind", HOST, str(static_port)]
        + ["--directory", str(static_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(app_port, gunicorn)
    wait_for(static_port, static)
    return app_port, static_port, [gunicorn, static]


def fetch(port: int, path: str) -> tuple[bytes, str]:
    import urllib.request

    with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=30) as response:  # noqa: S310
        return response.read(), response.headers["ETag"]


async def measure(args, app_port: int, static_port: int, family: str) -> list[Phase]:
    body, etag = fetch(app_port, family)
    print(f"family feed: {len(body)} bytes, {body.count(b'BEGIN:VEVENT')} events")
    return [
        await run_phase(static_port, "/family.ics", {}, args.clients, args.seconds, "static file"),
        await run_phase(
            app_port,
            family,
            {"If-None-Match": etag},
            args.clients,
            args.seconds,
            "feed conditional (304)",
        ),
        await run_phase(app_port, family, {}, args.clients, args.seconds, "feed full (200)"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10.0, help="per phase, after warm-up")
    args = parser.parse_args()
    if not 1 <= args.clients <= 1000 or not 1 <= args.seconds <= 60:
        parser.error("--clients 1..1000 and --seconds 1..60")
    with tempfile.TemporaryDirectory() as tmp:
        feeds_bench.setup_django(tmp, cached=True)
        family = feeds_bench.build()["family"]
        app_port, static_port, servers = start_servers(tmp, family)
        try:
            body, _ = fetch(app_port, family)
            Path(tmp, "static-root", "family.ics").write_bytes(body)
            before = os.getloadavg()
            phases = asyncio.run(measure(args, app_port, static_port, family))
            after = os.getloadavg()
        finally:
            for proc in servers:
                proc.terminate()
                proc.wait(timeout=30)
    print(
        f"{args.clients} clients, {args.seconds:.0f} s per phase, {os.cpu_count()} cores;"
        f" load average before {before[0]:.2f}, after {after[0]:.2f}"
    )
    for phase in phases:
        print(phase.report())
    static, conditional = phases[0], phases[1]
    ratio = conditional.rate / static.rate if static.rate else 0.0
    print(
        f"conditional GETs: {ratio:.0%} of the static file's throughput (goal ≥ 30 %, p99 < 500 ms)"
    )


if __name__ == "__main__":
    main()
