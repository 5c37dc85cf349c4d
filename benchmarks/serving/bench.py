"""Load benchmark of the API on loopback, with `mlflow models serve` as the peer.

Two scenarios, each bounded in requests and in time:

- fixed rate: requests sent on a clock (open loop), as real traffic arrives, whatever the
  server's speed; latency percentiles show what a client waits at that load;
- max throughput: a fixed number of clients send requests back to back (closed loop);
  throughput shows what one server process can sustain.

Both servers get the same model folder, one worker, one OpenMP thread, and the same real
November flights. Afterwards our server is stopped with SIGTERM and its prediction log
must hold exactly one row per successful prediction.

Run: ``python benchmarks/serving/bench.py`` (or ``make bench-serving``); results go to
``benchmarks/serving/results/serving.{json,md}``. httpx + asyncio drive the load (locust
must not share a process with mlflow, and needs none of its features here).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

from labs_common import paths
from labs_common.data import write_text
from labs_common.logs import setup_logging
from labs_common.tooling import configure_offline
from module04_ml_fundamentals.features import SCHEDULE_COLUMNS
from module06_lifecycle.batch import load_flights
from module08_deployment.prediction_log import read_prediction_log
from module08_deployment.server import free_port, running_server, service_command

log = logging.getLogger("bench")
RESULTS = paths.ROOT / "benchmarks" / "serving" / "results"


def sample_requests(n: int, seed: int = 0) -> list[dict]:
    """``n`` real November flights as request bodies (a missing tail number is null)."""
    flights = load_flights(11).sample(n, random_state=seed)[SCHEDULE_COLUMNS]
    flights = flights.astype(object).where(flights.notna(), None)
    return flights.to_dict("records")


def ours(flight: dict) -> tuple[str, dict]:
    return "/predict", flight


def mlflow_peer(flight: dict) -> tuple[str, dict]:
    cols = list(flight)
    return "/invocations", {"dataframe_split": {"columns": cols, "data": [list(flight.values())]}}


async def _one(client: httpx.AsyncClient, request: tuple[str, dict], out: list) -> None:
    start = time.perf_counter()
    try:
        status = (await client.post(request[0], json=request[1])).status_code
    except httpx.HTTPError:
        status = 0
    out.append((time.perf_counter() - start, status))


async def fixed_rate(base: str, requests: list, rate: float, cap_s: float) -> dict:
    """Send ``requests`` at ``rate`` per second (open loop), stopping at ``cap_s``."""
    out: list = []
    limits = httpx.Limits(max_connections=200)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        start, tasks = time.perf_counter(), []
        for i, request in enumerate(requests):
            delay = start + i / rate - time.perf_counter()
            if time.perf_counter() - start > cap_s:
                break
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(_one(client, request, out)))
        await asyncio.gather(*tasks)
        wall = time.perf_counter() - start
    return summarize(out, wall) | {"scenario": "fixed_rate", "target_rps": rate}


async def max_throughput(base: str, requests: list, clients: int, cap_s: float) -> dict:
    """``clients`` loops send the requests back to back until done or ``cap_s``."""
    out: list = []
    queue = list(reversed(requests))
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        start = time.perf_counter()

        async def worker() -> None:
            while queue and time.perf_counter() - start < cap_s:
                await _one(client, queue.pop(), out)

        await asyncio.gather(*(worker() for _ in range(clients)))
        wall = time.perf_counter() - start
    return summarize(out, wall) | {"scenario": "max_throughput", "clients": clients}


def summarize(out: list, wall: float) -> dict:
    """Latency percentiles (ms) of successful requests, throughput and error count."""
    ok = np.array([t for t, s in out if s == 200]) * 1000
    pct = np.percentile(ok, [50, 95, 99]) if len(ok) else [float("nan")] * 3
    return {
        "requests": len(out),
        "ok": len(ok),
        "errors": len(out) - len(ok),
        "p50_ms": round(float(pct[0]), 1),
        "p95_ms": round(float(pct[1]), 1),
        "p99_ms": round(float(pct[2]), 1),
        "throughput_rps": round(len(ok) / wall, 1),
        "wall_s": round(wall, 1),
    }


def run_scenarios(base: str, requests: list, args: argparse.Namespace) -> list[dict]:
    """Warm up, then the two scenarios against the server at ``base``."""
    asyncio.run(max_throughput(base, requests[:10], 1, 60))  # first calls pay for imports
    fixed = requests[: int(args.rate * args.seconds)]
    return [
        asyncio.run(fixed_rate(base, fixed, args.rate, args.cap)),
        asyncio.run(max_throughput(base, requests[: args.max_requests], args.clients, args.cap)),
    ]


def bench_ours(model: Path, requests: list, args: argparse.Namespace, tmp: Path) -> dict:
    """Our FastAPI service; after SIGTERM, compare the log with the answered predictions."""
    port, db = free_port(), tmp / "predictions.db"
    env = {"LABS_MODEL_URI": str(model), "LABS_PREDICTIONS_DB": str(db), "OMP_NUM_THREADS": "1"}
    base = f"http://127.0.0.1:{port}"
    body = [ours(r) for r in requests]
    with running_server(service_command(port), f"{base}/ready", env, tmp / "ours.log"):
        results = run_scenarios(base, body, args)
    answered = 10 + sum(r["ok"] for r in results)  # the warm-up's 10 are logged too
    logged = len(read_prediction_log(db))
    return {
        "server": "fastapi (this course)",
        "scenarios": results,
        "predictions_ok": answered,
        "log_rows": logged,
        "log_complete": logged == answered,
    }


def bench_mlflow(model: Path, requests: list, args: argparse.Namespace, tmp: Path) -> dict:
    """The peer: ``mlflow models serve`` on the same model folder, one worker."""
    port = free_port()
    bin_dir = Path(sys.executable).parent  # mlflow starts `uvicorn` from PATH
    command = [str(bin_dir / "mlflow"), "models", "serve", "-m", str(model),
               "--env-manager", "local", "-h", "127.0.0.1", "-p", str(port), "-w", "1"]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    body = [mlflow_peer(r) for r in requests]
    env = {"OMP_NUM_THREADS": "1", "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    with running_server(command, f"{base}/ping", env, tmp / "mlflow.log"):
        results = run_scenarios(base, body, args)
    return {"server": "mlflow models serve", "scenarios": results}


def markdown(report: dict) -> str:
    """A short table of both servers and scenarios."""
    lines = [
        "# Serving benchmark", "",
        f"{report['machine']}; {report['requests_note']}", "",
        "| server | scenario | requests | errors | p50 ms | p95 ms | p99 ms | req/s |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]  # fmt: skip
    for server in report["servers"]:
        for s in server["scenarios"]:
            lines.append(f"| {server['server']} | {s['scenario']} | {s['requests']} | "
                         f"{s['errors']} | {s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} | "
                         f"{s['throughput_rps']} |")  # fmt: skip
    ours_ = report["servers"][0]
    lines += ["", f"Prediction log after SIGTERM: {ours_['log_rows']} rows for "
              f"{ours_['predictions_ok']} successful predictions "
              f"({'complete' if ours_['log_complete'] else 'ROWS MISSING'})."]  # fmt: skip
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=10.0, help="fixed-rate requests/s")
    parser.add_argument("--seconds", type=float, default=20.0, help="fixed-rate duration")
    parser.add_argument("--clients", type=int, default=8, help="max-throughput clients")
    parser.add_argument("--max-requests", type=int, default=400)
    parser.add_argument("--cap", type=float, default=90.0, help="time cap per scenario (s)")
    parser.add_argument("--no-peer", action="store_true", help="skip mlflow models serve")
    parser.add_argument("--model", type=Path, default=paths.MODELS / "model")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    configure_offline()
    requests = sample_requests(max(int(args.rate * args.seconds), args.max_requests) + 10)
    with tempfile.TemporaryDirectory() as tmp:
        servers = [bench_ours(args.model, requests, args, Path(tmp))]
        if not args.no_peer:
            servers.append(bench_mlflow(args.model, requests, args, Path(tmp)))
    report = {
        "machine": f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end, "
        f"Python {platform.python_version()}, client and server on the same machine",
        "requests_note": f"fixed rate {args.rate:g}/s for {args.seconds:g} s; max throughput "
        f"{args.clients} clients, {args.max_requests} requests; one flight per request",
        "servers": servers,
    }
    write_text(json.dumps(report, indent=2) + "\n", args.out / "serving.json")
    write_text(markdown(report), args.out / "serving.md")
    log.info("\n%s", markdown(report))
    return report


if __name__ == "__main__":
    setup_logging()
    main()
