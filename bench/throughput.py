"""Throughput at the provider's limit: `make bench` (or `python -m bench.throughput`).

Starts the real stack (gunicorn, Celery workers, Redis, the database) and the
simulator with a fixed latency and a requests-per-minute limit, submits one job
of --items items over HTTP, and prints: wall time, achieved items/s, the ceiling
min(RPM/60, concurrency/latency) and the ratio to it, 429s, duplicate provider
calls, CPU seconds per item of web and workers, and peak memory.

Uses DATABASE_URL (a fresh `contentgen_bench` database on that server) or a
SQLite file, and REDIS_URL (database 15, flushed) or an embedded Redis.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import redis

from devtools import devstack

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its reaped and living children."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    own = (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / CLOCK_TICKS
    return own + sum(cpu_seconds(child) for child in children(pid))


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and its children, in MiB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0.0
    kb = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")), 0)
    return kb / 1024 + sum(peak_rss_mb(child) for child in children(pid))


def fresh_database(env: dict, data_dir: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{data_dir / 'bench.sqlite3'}"
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS contentgen_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE contentgen_bench")
    return urlunsplit(parts._replace(path="/contentgen_bench"))


def start_simulator(config: dict, log_dir: Path) -> tuple[subprocess.Popen, str]:
    log = open(log_dir / "simulator.log", "w")  # noqa: SIM115 - lives as long as the child
    process = subprocess.Popen(
        [sys.executable, "-m", "devtools.simulator", "--port", "0", "--config", json.dumps(config)],
        cwd=devstack.BASE_DIR, stdout=subprocess.PIPE, stderr=log, text=True)
    line = process.stdout.readline().strip()
    if not line.startswith("SIMULATOR_READY "):
        raise RuntimeError(f"simulator did not start: {line!r}")
    return process, line.split(" ", 1)[1]


BRAND = {"slug": "bench", "name": "Bench", "voice": "Warm, calm and practical."}


def products(count: int) -> list[dict]:
    return [{"sku": f"BENCH-{n:05d}", "name": f"Oak desk lamp {n}",
             "brief": "A dimmable desk lamp with a solid oak base.",
             "attributes": {"material": "oak", "height_cm": 45}, "price": "49.90",
             "currency": "EUR", "keywords": ["desk lamp"]} for n in range(count)]


def run(args) -> dict:
    data_dir = devstack.BASE_DIR / "var" / "bench"
    shutil.rmtree(data_dir, ignore_errors=True)
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True)
    processes: list[devstack.ManagedProcess] = []
    sim_process = None
    try:
        env = dict(os.environ)
        env.update({"DJANGO_SECRET_KEY": env.get("DJANGO_SECRET_KEY", "bench-secret"),
                    "CONTENTGEN_DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING"})
        env["DATABASE_URL"] = fresh_database(env, data_dir)
        if os.environ.get("REDIS_URL"):
            env["REDIS_URL"] = urlunsplit(urlsplit(os.environ["REDIS_URL"])._replace(path="/15"))
        else:
            redis_process = devstack.start_embedded_redis(port=devstack.free_port(),
                                                          log_dir=log_dir)
            processes.append(redis_process)
            env["REDIS_URL"] = redis_process.url
        redis.Redis.from_url(env["REDIS_URL"]).flushdb()

        sim_process, sim_url = start_simulator(
            {"default": {"latency_ms": int(args.latency * 1000), "rpm_limit": args.rpm}}, log_dir)
        for prefix in ("HERMES", "OPENAI"):
            env[f"{prefix}_BASE_URL"] = sim_url + "/v1"
            env[f"{prefix}_API_KEY"] = "sk-bench"
            # Configured just under the provider's limit, as an operator would.
            env[f"{prefix}_RPM"] = str(int(args.rpm * args.limit_margin))
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=devstack.BASE_DIR,
                       env=env, check=True, capture_output=True)
        key = subprocess.run(
            [sys.executable, "manage.py", "create_api_key", "--workspace", "bench"],
            cwd=devstack.BASE_DIR, env=env, check=True, capture_output=True, text=True,
        ).stdout.strip().splitlines()[-1]
        web = devstack.start_web(env=env, port=devstack.free_port(), log_dir=log_dir, workers=2)
        processes.append(web)
        workers = [devstack.start_worker(env=env, log_dir=log_dir, concurrency=args.concurrency,
                                         name=f"worker{n}") for n in range(args.workers)]
        processes.extend(workers)

        client = httpx.Client(base_url=web.url, timeout=60,
                              headers={"Authorization": f"Bearer {key}"})
        client.post("/api/v1/brands/", json=BRAND).raise_for_status()
        cpu_before = {p.name: cpu_seconds(p.popen.pid) for p in [web, *workers]}
        started = time.monotonic()
        response = client.post("/api/v1/jobs/", json={
            "kind": "product_description", "brand": "bench", "locales": ["en"],
            "items": products(args.items)})
        response.raise_for_status()
        submitted_s = time.monotonic() - started
        job_id = response.json()["id"]
        deadline = started + args.timeout
        while True:
            job = client.get(f"/api/v1/jobs/{job_id}/").json()
            if job["status"] not in {"queued", "running"} or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        wall = time.monotonic() - started
        cpu_web = cpu_seconds(web.popen.pid) - cpu_before["web"]
        cpu_workers = sum(cpu_seconds(w.popen.pid) - cpu_before[w.name] for w in workers)
        stats = httpx.get(sim_url + "/_sim/stats").json()
        statuses: dict[str, int] = {}
        for model in stats["by_model"].values():
            for status, count in model["status"].items():
                statuses[status] = statuses.get(status, 0) + count
        done = job["progress"]["succeeded"] + job["progress"]["needs_review"]
        ceiling = min(args.rpm / 60, args.workers * args.concurrency / args.latency)
        achieved = done / wall
        baseline = baseline_run(args, log_dir)
        service_cpu_ms = 1000 * (cpu_web + cpu_workers) / max(done, 1)
        return {
            "items": args.items, "status": job["status"], "progress": job["progress"],
            "submit_s": round(submitted_s, 2), "wall_s": round(wall, 1),
            "items_per_s": round(achieved, 2), "ceiling_items_per_s": round(ceiling, 2),
            "ratio": round(achieved / ceiling, 3),
            "provider_calls": stats["total"], "answered_429": statuses.get("429", 0),
            "share_429": round(statuses.get("429", 0) / max(stats["total"], 1), 4),
            "duplicate_calls": max(statuses.get("200", 0) - job["items_total"], 0),
            "cpu_ms_per_item_web": round(1000 * cpu_web / max(done, 1), 2),
            "cpu_ms_per_item_workers": round(1000 * cpu_workers / max(done, 1), 2),
            "peak_rss_mb_web": round(peak_rss_mb(web.popen.pid), 1),
            "peak_rss_mb_workers": round(sum(peak_rss_mb(w.popen.pid) for w in workers), 1),
            "workers": args.workers, "concurrency_per_worker": args.concurrency,
            "rpm": args.rpm, "latency_s": args.latency,
            "database": urlsplit(env["DATABASE_URL"]).scheme,
            "baseline_items_per_s": baseline["items_per_s"],
            "baseline_ratio": round(baseline["items_per_s"] / ceiling, 3),
            "baseline_answered_429": baseline["answered_429"],
            "baseline_cpu_ms_per_item": baseline["cpu_ms_per_item"],
            "cpu_ratio_service_to_baseline": round(
                service_cpu_ms / max(baseline["cpu_ms_per_item"], 0.01), 2),
        }
    finally:
        for process in reversed(processes):
            process.stop()
        if sim_process is not None:
            sim_process.terminate()
            sim_process.wait(timeout=10)


def baseline_run(args, log_dir: Path) -> dict:
    """The plain-script baseline (bench/baseline.py) against a fresh simulator with the
    same latency and limits, in its own process so its CPU is its own."""
    sim_process, sim_url = start_simulator(
        {"default": {"latency_ms": int(args.latency * 1000), "rpm_limit": args.rpm}}, log_dir)
    try:
        output = subprocess.run(
            [sys.executable, "-m", "bench.baseline", "--base-url", sim_url + "/v1",
             "--items", str(args.items), "--rpm", str(args.rpm * args.limit_margin),
             "--concurrency", str(args.workers * args.concurrency)],
            cwd=devstack.BASE_DIR, check=True, capture_output=True, text=True,
            env={**os.environ, "CONTENTGEN_DATA_DIR": str(log_dir.parent)},
        ).stdout
        return json.loads(output.strip().splitlines()[-1])
    finally:
        sim_process.terminate()
        sim_process.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--rpm", type=int, default=1200, help="the simulated provider's limit")
    parser.add_argument("--latency", type=float, default=1.0, help="seconds per model call")
    parser.add_argument("--workers", type=int, default=1, help="Celery worker processes")
    parser.add_argument("--concurrency", type=int, default=32, help="threads per worker")
    parser.add_argument("--limit-margin", type=float, default=0.98,
                        help="our configured RPM as a share of the provider's")
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    result = run(args)
    width = max(len(key) for key in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    results = devstack.BASE_DIR / "bench" / "results"
    results.mkdir(exist_ok=True)
    name = f"throughput-{args.items}-w{args.workers}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    (results / name).write_text(json.dumps(result, indent=2))
    ok = (result["ratio"] >= 0.95 and result["share_429"] <= 0.01
          and result["duplicate_calls"] == 0 and result["cpu_ratio_service_to_baseline"] <= 2)
    print("targets met" if ok else "targets NOT met (ratio >= 0.95, 429s <= 1%, no duplicates, "
                                   "CPU per item <= 2x the baseline's)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
