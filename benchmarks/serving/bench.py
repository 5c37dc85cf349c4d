"""Load benchmark of the API on loopback, with `mlflow models serve` as the peer.

Two scenarios, each bounded in requests and in time:

- fixed rate: requests sent on a clock (open loop), as real traffic arrives, whatever the
  server's speed; latency percentiles show what a client waits at that load;
- max throughput: a fixed number of clients send requests back to back (closed loop);
  throughput shows what one server process can sustain.

Both servers get the same model folder, one worker, one OpenMP thread, and the same real
November flights. Afterwards our server is stopped with SIGTERM and its prediction log
must hold exactly one row per successful prediction. A last scenario kills our server
with SIGKILL right after a fixed-rate run and counts the answered predictions missing
from its log: the loss bound of the log writer's flush interval, measured.

Method: client and server on the same machine (loopback), one flight per request, the
fixed-rate runs at each ``--rates`` value (default 10 and 20 requests/s, open loop), the
latency of a request from just before it is sent to its parsed answer, percentiles of the
successful ones; the load average of the machine before and after is recorded, because
on a shared machine it moves every figure.

Run (one command, on a quiet machine): ``make bench-serving`` or
``.venv/bin/python benchmarks/serving/bench.py``; results go to
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
import signal
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
from threadpoolctl import threadpool_limits

from labs_common import contract, paths
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
    """Warm up, then the fixed-rate runs and the max-throughput run against ``base``."""
    asyncio.run(max_throughput(base, requests[:10], 1, 60))  # first calls pay for imports
    results = []
    for rate in args.rates:
        fixed = requests[: int(rate * args.seconds)]
        results.append(asyncio.run(fixed_rate(base, fixed, rate, args.cap)))
    results.append(
        asyncio.run(max_throughput(base, requests[: args.max_requests], args.clients, args.cap))
    )
    return results


def one_flight_split(model: Path, requests: list, repeats: int = 300) -> dict:
    """In process, median CPU ms per flight of: the API's validation, the contract's, the model.

    Why it matters: it says where one flight's time goes. The API's pydantic model is read
    from the same contract as the pandera schema, so the service checks one flight with
    it alone; the model call is what remains. The model call is timed three ways on the
    same flights: as the service makes it (the few-flights path of the predictor), the
    fitted pipeline itself, and the pipeline with its features on the frame path (how
    one flight was scored before the fast paths existed). Times are ``process_time``
    (CPU of this process): on a shared machine it moves far less than wall time.
    """
    import pandas as pd

    from module04_ml_fundamentals import features
    from module06_lifecycle.predictor import load_predictor
    from module06_lifecycle.schemas import validate_schedule
    from module08_deployment.service.schemas import Flight
    from module08_deployment.service.scoring import flights_frame

    predictor = load_predictor(model)
    bodies = [requests[i % len(requests)] for i in range(repeats)]
    flights = [Flight.model_validate(b) for b in bodies]
    frames = [flights_frame([f]) for f in flights]

    def median_ms(step) -> float:
        times = []
        for item in step[1]:
            start = time.process_time()
            step[0](item)
            times.append(time.process_time() - start)
        return round(float(np.median(times)) * 1000, 3)

    def frame_path(frame: pd.DataFrame) -> object:
        small, features.SMALL_INPUT_ROWS = features.SMALL_INPUT_ROWS, -1
        try:
            return predictor.model.predict_proba(frame)
        finally:
            features.SMALL_INPUT_ROWS = small

    steps = {
        "pydantic_flight_ms": (Flight.model_validate, bodies),
        "pandera_contract_ms": (validate_schedule, frames),
        "frame_ms": (lambda f: flights_frame([f]), flights),
        "model_ms": (lambda fr: predictor.predict(fr, validate=False), frames),
        "pipeline_ms": (predictor.model.predict_proba, frames),
        "frame_path_pipeline_ms": (frame_path, frames),
    }
    with threadpool_limits(1):  # as the service does (LABS_MODEL_THREADS)
        for step in ("model_ms", "pipeline_ms", "frame_path_pipeline_ms"):
            median_ms((steps[step][0], frames[:5]))  # warm-up (the features' tables too)
        times = {name: median_ms(step) for name, step in steps.items()}
    return times | {"repeats": repeats, "rows": len(pd.concat(frames[:1])),
                    "fast_path": predictor.fast is not None, "clock": "process_time",
                    "load_average": list(os.getloadavg())}  # fmt: skip


def bench_sigkill(model: Path, requests: list, args: argparse.Namespace, tmp: Path) -> list:
    """Answer at a fixed rate, SIGKILL the server at once, count answers missing from the log.

    Why it matters: SIGTERM lets the writer flush; SIGKILL (the OOM killer, a node lost)
    does not. What is lost is what was answered since the last write, so the bound is
    about the request rate times ``LABS_LOG_FLUSH_SECONDS``.
    """
    runs = []
    for flush in args.kill_flush:
        port, db = free_port(), tmp / f"killed-{flush}.db"
        env = {"LABS_MODEL_URI": str(model), "LABS_PREDICTIONS_DB": str(db),
               "OMP_NUM_THREADS": "1", "LABS_LOG_FLUSH_SECONDS": str(flush)}  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        body = [ours(r) for r in requests[: int(args.kill_rate * args.kill_seconds)]]
        with running_server(service_command(port), f"{base}/ready", env, tmp / "k.log") as proc:
            result = asyncio.run(fixed_rate(base, body, args.kill_rate, args.cap))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        missing = result["ok"] - len(read_prediction_log(db))
        runs.append({"flush_seconds": flush, "rate_rps": args.kill_rate, "answered": result["ok"],
                     "missing_after_sigkill": missing,
                     "bound_rows": round(args.kill_rate * flush) + 1})  # fmt: skip
    return runs


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
            name = s["scenario"] + (f" {s['target_rps']:g}/s" if "target_rps" in s else "")
            lines.append(f"| {server['server']} | {name} | {s['requests']} | "
                         f"{s['errors']} | {s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} | "
                         f"{s['throughput_rps']} |")  # fmt: skip
    ours_ = report["servers"][0]
    lines += ["", f"Prediction log after SIGTERM: {ours_['log_rows']} rows for "
              f"{ours_['predictions_ok']} successful predictions "
              f"({'complete' if ours_['log_complete'] else 'ROWS MISSING'})."]  # fmt: skip
    if report.get("sigkill"):
        lines += ["", "After SIGKILL (answered at a fixed rate, killed at once):", "",
                  "| flush interval s | rate req/s | answered | missing from the log | "
                  "rate x interval + 1 |", "|---:|---:|---:|---:|---:|"]  # fmt: skip
        for k in report["sigkill"]:
            lines.append(f"| {k['flush_seconds']} | {k['rate_rps']} | {k['answered']} | "
                         f"{k['missing_after_sigkill']} | {k['bound_rows']} |")  # fmt: skip
    if split := report.get("one_flight_in_process"):
        lines += ["", "One flight in process (median CPU ms, process_time, "
                  f"{split['repeats']} flights): API validation (pydantic, read from the "
                  f"contract) {split['pydantic_flight_ms']}; the same contract in pandera "
                  f"{split['pandera_contract_ms']} (not run by the service); request to frame "
                  f"{split['frame_ms']}; model call as the service makes it "
                  f"{split['model_ms']} (the fitted pipeline itself {split['pipeline_ms']}; "
                  "the pipeline with its features on the frame path, as before the fast "
                  f"paths, {split['frame_path_pipeline_ms']})."]  # fmt: skip
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rates", type=float, nargs="+", default=[10.0, 20.0],
                        help="fixed-rate requests/s, one run each")  # fmt: skip
    parser.add_argument("--seconds", type=float, default=20.0, help="fixed-rate duration")
    parser.add_argument("--clients", type=int, default=8, help="max-throughput clients")
    parser.add_argument("--max-requests", type=int, default=400)
    parser.add_argument("--cap", type=float, default=90.0, help="time cap per scenario (s)")
    parser.add_argument("--no-peer", action="store_true", help="skip mlflow models serve")
    parser.add_argument(
        "--kill-flush",
        type=float,
        nargs="*",
        default=[0.5, 0.05],
        help="LABS_LOG_FLUSH_SECONDS values of the SIGKILL runs (none: skip)",
    )
    parser.add_argument("--kill-rate", type=float, default=20.0)
    parser.add_argument("--kill-seconds", type=float, default=10.0)  # fmt: skip
    parser.add_argument("--model", type=Path, default=contract.MODEL_DIR)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    configure_offline()
    load_before = os.getloadavg()
    requests = sample_requests(max(int(max(args.rates) * args.seconds), args.max_requests) + 10)
    with tempfile.TemporaryDirectory() as tmp:
        servers = [bench_ours(args.model, requests, args, Path(tmp))]
        if not args.no_peer:
            servers.append(bench_mlflow(args.model, requests, args, Path(tmp)))
        killed = bench_sigkill(args.model, requests, args, Path(tmp)) if args.kill_flush else []
    split = one_flight_split(args.model, requests)
    load_after = os.getloadavg()
    rates = ", ".join(f"{r:g}" for r in args.rates)
    report = {
        "machine": f"{os.cpu_count()} CPUs, load average {load_before[0]:.1f} before and "
        f"{load_after[0]:.1f} after, Python {platform.python_version()}, client and server "
        "on the same machine",
        "load_average": {"before": list(load_before), "after": list(load_after)},
        "requests_note": f"fixed rate {rates}/s for {args.seconds:g} s each; max throughput "
        f"{args.clients} clients, {args.max_requests} requests; one flight per request",
        "command": "make bench-serving  (or .venv/bin/python benchmarks/serving/bench.py)",
        "servers": servers,
        "sigkill": killed,
        "one_flight_in_process": split,
    }
    write_text(json.dumps(report, indent=2) + "\n", args.out / "serving.json")
    write_text(markdown(report), args.out / "serving.md")
    log.info("\n%s", markdown(report))
    return report


if __name__ == "__main__":
    setup_logging()
    main()
