"""Load test: start the app on loopback, drive N concurrent clients through /answer for a bounded time.

Each client calls the endpoint over Gradio's HTTP API (POST /gradio_api/call/answer, then read
the result stream), the route every client library uses.

    python scripts/loadtest.py --clients 16 --seconds 60

Prints requests/s, p50/p95 latency and errors, and writes bench/results/loadtest.json.
Traffic goes to 127.0.0.1 only; every loop stops at its deadline.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._util import percentiles, questions, write_result  # noqa: E402
from tests.browser import running_app  # noqa: E402

QUESTIONS = questions()


def ask(url: str, question: str) -> dict:
    """One call of the /answer endpoint over Gradio's HTTP API (what curl or any client does)."""
    body = json.dumps({"data": [question]}).encode()
    request = urllib.request.Request(f"{url}gradio_api/call/answer", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        event_id = json.loads(response.read())["event_id"]
    with urllib.request.urlopen(f"{url}gradio_api/call/answer/{event_id}", timeout=30) as response:
        stream = response.read().decode("utf-8")
    event = data = ""
    for line in stream.splitlines():
        if line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data = line[5:].strip()
    if event != "complete":
        raise RuntimeError(f"{event}: {data[:120]}")
    return json.loads(data)[0]


def client_loop(url: str, deadline: float, offset: int, latencies: list[float], errors: list[str]) -> None:
    i = offset
    while time.monotonic() < deadline:
        question = QUESTIONS[i % len(QUESTIONS)]
        i += 1
        started = time.perf_counter()
        try:
            result = ask(url, question)
            if "found" not in result:
                raise ValueError(f"unexpected reply {result!r:.80}")
            latencies.append(time.perf_counter() - started)
        except Exception as exc:  # counted, not raised: the point is to see them
            errors.append(f"{type(exc).__name__}: {exc}"[:200])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()

    index_dir = ROOT / "index"  # only read: the app and `qa ask` never write to a valid index
    latencies: list[float] = []
    errors: list[str] = []
    with running_app(index_dir) as url:
        deadline = time.monotonic() + args.seconds
        started = time.monotonic()
        threads = [
            threading.Thread(target=client_loop, args=(url, deadline, n, latencies, errors)) for n in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 60)
        elapsed = time.monotonic() - started
    result = {
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        **percentiles(latencies),
        "errors": len(errors),
        "first_errors": errors[:5],
    }
    write_result("loadtest", result)
    print(f"{args.clients} clients, {result['seconds']} s: {result['requests']} requests, "
          f"{result['requests_per_second']} req/s, p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
          f"errors {result['errors']}")
    for error in result["first_errors"]:
        print("  ", error)


if __name__ == "__main__":
    main()
