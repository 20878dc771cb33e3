"""One worker process for test_ratelimit: threads book through the shared limiter and
"send" (record the wall-clock time after sleeping the booked wait). Prints the send
times as JSON. Plain redis, no Django: the limiter needs only a client.

    python -m tests.generation.ratelimit_worker \
        URL PREFIX ROUTE RPM BURST_S REQUESTS THREADS START_AT
"""

import json
import sys
import threading
import time

import redis

from apps.generation.ratelimit import RateLimiter, RouteLimits


def main(url, prefix, route, rpm, burst_s, requests, threads, start_at):
    limiter = RateLimiter(redis.Redis.from_url(url), prefix=prefix)
    limits = RouteLimits(rpm=int(rpm), burst_s=float(burst_s))
    remaining = [int(requests)]
    sends = []
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
            time.sleep(limiter.reserve(route, limits, tokens=1))
            sent_at = time.time()
            with lock:
                sends.append(sent_at)

    # Both processes start together, so their threads really contend for the route.
    time.sleep(max(0.0, float(start_at) - time.time()))
    pool = [threading.Thread(target=work) for _ in range(int(threads))]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    print(json.dumps(sends))


if __name__ == "__main__":
    main(*sys.argv[1:])
