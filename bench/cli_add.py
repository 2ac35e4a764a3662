"""`qa add FILE` from the command line: wall time of the whole process (median of `--runs`, each on a
fresh copy of the shipped index) and how many times one add reads the index.

    python bench/cli_add.py [--runs 7] [--file tests/data/articles/news-utf8.html]

The reads are counted in-process: `qa.cli.main(["add", …])` with the function that reads and checks
one published version of the index (`qa.index.files._load_once`) wrapped by a counter.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _util import ROOT, run_measured, table, write_result

import qa.index.files
from qa.cli import main as cli

DEFAULT_FILE = ROOT / "tests" / "data" / "articles" / "news-utf8.html"


def index_reads(file: Path, index_dir: Path) -> int:
    """How many times one `qa add` reads the index, counted in this process."""
    reads = 0
    original = qa.index.files._load_once

    def counted(directory: Path):
        nonlocal reads
        reads += 1
        return original(directory)

    qa.index.files._load_once = counted
    try:
        status = cli(["add", str(file), "--index-dir", str(index_dir)])
    finally:
        qa.index.files._load_once = original
    if status != 0:
        raise RuntimeError(f"qa add {file} failed ({status})")
    return reads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="the article to add")
    args = parser.parse_args()
    seconds = []
    with tempfile.TemporaryDirectory(prefix="qa-cli-add-") as temp:
        for run in range(args.runs):
            index_dir = Path(temp) / f"index-{run}"
            shutil.copytree(ROOT / "index", index_dir)
            started = time.perf_counter()
            run_measured([sys.executable, "-m", "qa", "add", str(args.file), "--index-dir", str(index_dir)])
            seconds.append(time.perf_counter() - started)
        index_dir = Path(temp) / "index-counted"
        shutil.copytree(ROOT / "index", index_dir)
        reads = index_reads(args.file, index_dir)
    row = {"runs": len(seconds), "median_s": round(statistics.median(seconds), 3),
           "min_s": round(min(seconds), 3), "index_reads": reads}
    print(table([row], list(row)))
    path = write_result("cli_add", {**row, "file": args.file.name, "seconds": [round(s, 3) for s in seconds]})
    print(f"\n→ {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
