"""Runs the simulator as a process: `python -m devtools.simulator --port 0`.

Prints one line `SIMULATOR_READY http://127.0.0.1:<port>` once it accepts
connections, then serves until SIGTERM or SIGINT and exits with code 0.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from .server import start_simulator

READY_PREFIX = "SIMULATOR_READY"


def parse_config(text: str | None) -> dict[str, Any]:
    """Inline JSON, or @path to a JSON file."""
    if not text:
        return {}
    if text.startswith("@"):
        text = Path(text[1:]).read_text(encoding="utf-8")
    config = json.loads(text)
    if not isinstance(config, dict):
        raise ValueError("the config must be a JSON object")
    return config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--config", default=None, help="JSON object, or @file.json")
    args = parser.parse_args(argv)
    try:
        config = parse_config(args.config)
    except (OSError, ValueError) as error:
        parser.error(f"--config: {error}")

    stop_requested = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop_requested.set())

    server = start_simulator(config, host=args.host, port=args.port)
    print(f"{READY_PREFIX} {server.url}", flush=True)
    try:
        # A timed wait keeps the main thread responsive to signals.
        while not stop_requested.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
