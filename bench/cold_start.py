"""Cold start: wall time and peak RSS of a `qa ask` process and of `python app.py` to page ready.

    python bench/cold_start.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from _util import ROOT, peak_rss_mb, run_measured, table, write_result

from tests.browser import free_port

QUESTION = "合肥港的生产情况怎么样?"


def qa_ask(index_dir: Path) -> tuple[float, float]:
    seconds, rss, output = run_measured([sys.executable, "-m", "qa", "ask", QUESTION, "--index-dir", str(index_dir)])
    assert "生产一片繁忙" in output, output
    return seconds, rss


def app_ready(index_dir: Path) -> tuple[float, float]:
    """Seconds from starting `python app.py` until its page answers, and its peak RSS then."""
    port = free_port()
    env = dict(os.environ, GRADIO_SERVER_PORT=str(port), QA_INDEX_DIR=str(index_dir), GRADIO_ANALYTICS_ENABLED="False")
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.perf_counter() - started > 180:
                    raise RuntimeError("app did not start")
                time.sleep(0.05)
        return time.perf_counter() - started, peak_rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=20)


def summarize(name: str, runs: list[tuple[float, float]]) -> dict:
    return {"what": name, "runs": len(runs), "median_s": round(statistics.median(r[0] for r in runs), 2),
            "min_s": round(min(r[0] for r in runs), 2), "peak_rss_mb": round(max(r[1] for r in runs), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    index_dir = ROOT / "index"  # only read: the app and `qa ask` never write to a valid index
    rows = [summarize("qa ask (cold process)", [qa_ask(index_dir) for _ in range(args.runs)]),
            summarize("python app.py → page ready", [app_ready(index_dir) for _ in range(max(2, args.runs // 2))])]
    print(table(rows, ["what", "runs", "median_s", "min_s", "peak_rss_mb"]))
    path = write_result("cold_start", {"rows": rows})
    print(f"\n→ {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
