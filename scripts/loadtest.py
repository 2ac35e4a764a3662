"""Load test: start the app on loopback and drive concurrent clients through each answering route in turn.

- `POST /api/answer` and `POST /v1/chat/completions` with wrk (Debian's C load generator, script
  `scripts/loadtest.lua`): a Python client on the same two cores would be the bottleneck.
- Gradio's `/answer` with Python threads over Gradio's HTTP API (POST /gradio_api/call/answer,
  then read the result stream), the route every Gradio client uses; its queue, not the client,
  is the limit there.

Each request asks the next of the 39 test questions (the app has no answer cache). The first
client count drives every route; the larger ones (overload: more clients than the server queues,
QA_MAX_PENDING) drive `POST /api/answer` again, where what counts is the answers completed per
second, the refused (503) requests aside.

    python scripts/loadtest.py --clients 16,256,1024 --seconds 30

Prints a table (requests/s, answers completed/s, p50/p95 latency, non-200 replies, errors, the
app's CPU time per answer) and writes bench/results/loadtest.json. Traffic goes to 127.0.0.1 only;
every run stops at its deadline.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._util import percentiles, questions, table, write_result  # noqa: E402
from tests.browser import running_app  # noqa: E402

QUESTIONS = questions()
COLUMNS = ["route", "clients", "client", "requests", "requests_per_second", "answered_per_second", "p50_ms", "p95_ms",
           "non_200", "errors", "app_cpu_ms_per_answer"]


def app_processes() -> list[int]:
    """The app started by this script and its worker processes (found through /proc parent ids)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = [], [os.getpid()]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        tree += children
        frontier = children
    return tree


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the processes so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def check(url: str, body: dict) -> dict:
    """One request before the run: the route answers 200 with an answer."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def run_wrk(url: str, bodies: list[dict], clients: int, seconds: float) -> dict:
    """wrk posting `bodies` round-robin; its Lua script reports the figures as JSON."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as lines:
        lines.write("".join(json.dumps(b, ensure_ascii=False) + "\n" for b in bodies))
        lines.flush()
        command = ["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "10s",
                   "-s", str(ROOT / "scripts" / "loadtest.lua"), url, "--", lines.name]
        output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    return {
        "client": f"wrk, {clients} connections",
        "requests": figures["requests"],
        "seconds": round(figures["seconds"], 1),
        "requests_per_second": round(figures["requests"] / figures["seconds"], 1),
        "answered_per_second": round((figures["requests"] - figures["non_200"]) / figures["seconds"], 1),
        "p50_ms": round(figures["p50_ms"], 1),
        "p95_ms": round(figures["p95_ms"], 1),
        "non_200": figures["non_200"],
        "errors": figures["socket_errors"],
    }


def ask_gradio(url: str, question: str) -> dict:
    """One call of Gradio's /answer over its HTTP API (what curl or any client does)."""
    body = json.dumps({"data": [question]}).encode()
    headers = {"Content-Type": "application/json"}
    request = urllib.request.Request(f"{url}gradio_api/call/answer", data=body, headers=headers)
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


def run_gradio(url: str, clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    non_200: list[int] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    def client_loop(offset: int) -> None:
        i = offset
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                if "found" not in ask_gradio(url, QUESTIONS[i % len(QUESTIONS)]):
                    raise ValueError("reply without an answer")
                latencies.append(time.perf_counter() - started)
            except urllib.error.HTTPError as exc:
                non_200.append(exc.code)
            except Exception as exc:  # counted, not raised: the point is to see them
                errors.append(f"{type(exc).__name__}: {exc}"[:200])
            i += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client_loop, args=(n * 7,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.monotonic() - started
    return {
        "client": f"Python threads, {clients}",
        "requests": len(latencies),
        "seconds": round(elapsed, 1),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "answered_per_second": round(len(latencies) / elapsed, 1),
        **{k: round(v, 1) for k, v in percentiles(latencies).items()},
        "non_200": len(non_200),
        "errors": len(errors),
        "first_errors": errors[:5],
    }


def answer_ms(index_dir: Path, rounds: int = 5) -> float:
    """The mean `answer()` over the test questions in this process, one BLAS thread as in a worker:
    how fast this (shared, noisy) machine answers right now, to read the run's figures against."""
    from qa.encoders.use import UseEncoder
    from qa.engine import Engine

    engine = Engine(index_dir, encoder=UseEncoder(threads=1), strict=True)
    for question in QUESTIONS:
        engine.answer(question)
    started = time.perf_counter()
    for _ in range(rounds):
        for question in QUESTIONS:
            engine.answer(question)
    return round((time.perf_counter() - started) * 1000 / (rounds * len(QUESTIONS)), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="16,256,1024", help="client counts, comma-separated; the first drives every route")
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    counts = [int(c) for c in args.clients.split(",") if c.strip()]
    if shutil.which("wrk") is None:
        raise SystemExit("未找到 wrk(负载生成器):sudo apt-get install wrk,或以 root 运行 make loadtest")

    index_dir = ROOT / "index"  # only read: the app and `qa ask` never write to a valid index
    api_bodies = [{"question": q} for q in QUESTIONS]
    chat_bodies = [{"model": "qa-news-zh", "messages": [{"role": "user", "content": q}]} for q in QUESTIONS]
    rows = []
    speed = answer_ms(index_dir)
    load_before = os.getloadavg()[0]
    first = counts[0]
    with running_app(index_dir) as url:
        processes = app_processes()
        assert "found" in check(f"{url}api/answer", api_bodies[0])
        assert check(f"{url}v1/chat/completions", chat_bodies[0])["choices"][0]["message"]["content"]
        runs = [
            ("POST /api/answer", first, lambda: run_wrk(f"{url}api/answer", api_bodies, first, args.seconds)),
            ("POST /v1/chat/completions", first,
             lambda: run_wrk(f"{url}v1/chat/completions", chat_bodies, first, args.seconds)),
            ("Gradio /answer (queue)", first, lambda: run_gradio(url, first, args.seconds)),
        ] + [
            ("POST /api/answer", n, lambda n=n: run_wrk(f"{url}api/answer", api_bodies, n, args.seconds))
            for n in counts[1:]
        ]
        for route, clients, run in runs:
            time.sleep(3)  # let the previous run's held refusals drain
            cpu_before = cpu_seconds(processes)
            row = {"route": route, "clients": clients, **run()}
            spent = cpu_seconds(processes) - cpu_before
            answered = row["answered_per_second"] * row["seconds"]
            row["app_cpu_ms_per_answer"] = round(spent * 1000 / max(1, answered), 2)
            rows.append(row)
    gradio = next(r for r in rows if r["route"].startswith("Gradio"))
    api = [r for r in rows if r["route"] == "POST /api/answer"]
    result = {
        "clients": first,
        "client_counts": counts,
        "seconds_per_route": args.seconds,
        "load_average_before": round(load_before, 2),
        "answer_ms_in_process": speed,
        "app_processes": len(processes),
        "routes": rows,
        # Answers completed per second with more clients, against the first count's.
        "overload_ratios": {
            str(row["clients"]): round(row["answered_per_second"] / max(api[0]["answered_per_second"], 1e-9), 3)
            for row in api[1:]
        },
        # The one-line summary bench/report.py writes ("... through `/answer`") reads these keys.
        **{key: gradio[key] for key in ("seconds", "requests", "requests_per_second", "p50_ms", "p95_ms")},
        "errors": gradio["errors"] + gradio["non_200"],
    }
    write_result("loadtest", result)
    print(f"{args.seconds:g} s per run, loopback; load average before: {load_before:.2f}; "
          f"app processes: {len(processes)}; answer() in one process before the run: {speed} ms")
    print(table(rows, COLUMNS))
    for clients, ratio in result["overload_ratios"].items():
        print(f"answers completed per second with {clients} clients / with {first}: {ratio:.2f}")
    for row in rows:
        for error in row.get("first_errors", []):
            print("  ", row["route"], error)


if __name__ == "__main__":
    main()
