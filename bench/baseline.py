"""The plain-script baseline the service is measured against: `python -m bench.baseline`.

The same prompts as the service sends (built by the same prompt builder for the same
brand and products), through `AsyncOpenAI` with a shared async rate limiter and a
semaphore for concurrency, against the same simulator and limits; no database, no
queue, no checks. It prints one JSON line: items, wall time, items/s, 429s and CPU
milliseconds per item (this process's user + system time during the run).
"""

import argparse
import asyncio
import json
import os
import resource
import sys
import time

import django
import openai
from aiolimiter import AsyncLimiter


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def prompts(count: int) -> list[list[dict]]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contentgen.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-baseline")
    django.setup()
    # Imported after django.setup(): models cannot load before the app registry.
    from apps.brands.models import BrandTemplate
    from apps.brands.services import SNAPSHOT_FIELDS
    from apps.generation.prompts import ItemInput, prompt_build
    from bench.throughput import BRAND, products

    template = BrandTemplate(**BRAND)
    brand = {field: getattr(template, field) for field in SNAPSHOT_FIELDS}
    brand.update(locales={}, examples=[])
    return [prompt_build(brand=brand, kind="product_description", locale="en",
                         item=ItemInput.from_product(product)).messages
            for product in products(count)]


async def run(*, base_url: str, model: str, messages: list[list[dict]], rpm: float,
              concurrency: int) -> dict:
    client = openai.AsyncOpenAI(base_url=base_url, api_key="sk-bench", max_retries=0,
                                timeout=60)
    # One call per 60/rpm seconds, no burst: paced the way the service paces.
    limiter = AsyncLimiter(1, 60 / rpm)
    gate = asyncio.Semaphore(concurrency)
    outcome = {"ok": 0, "429": 0, "other": 0}

    async def one(item_messages: list[dict]) -> None:
        async with gate:
            while True:
                async with limiter:
                    try:
                        response = await client.chat.completions.create(
                            model=model, messages=item_messages, max_tokens=800,
                            response_format={"type": "json_object"})
                    except openai.RateLimitError:
                        outcome["429"] += 1
                        await asyncio.sleep(1)
                        continue
                    except openai.APIError:
                        outcome["other"] += 1
                        return
                json.loads(response.choices[0].message.content)
                outcome["ok"] += 1
                return

    await asyncio.gather(*(one(m) for m in messages))
    await client.close()
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True, help="the simulator's /v1 URL")
    parser.add_argument("--model", default="nousresearch/hermes-3-llama-3.1-405b")
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--rpm", type=float, default=1200 * 0.98)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    messages = prompts(args.items)
    cpu_before, started = cpu_s(), time.monotonic()
    outcome = asyncio.run(run(base_url=args.base_url, model=args.model, messages=messages,
                              rpm=args.rpm, concurrency=args.concurrency))
    wall, cpu = time.monotonic() - started, cpu_s() - cpu_before
    print(json.dumps({"items": args.items, "ok": outcome["ok"], "answered_429": outcome["429"],
                      "errors": outcome["other"], "wall_s": round(wall, 1),
                      "items_per_s": round(outcome["ok"] / wall, 2),
                      "cpu_ms_per_item": round(1000 * cpu / max(outcome["ok"], 1), 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
