"""`qa add FILE` from the command line: wall time of the whole process (median of `--runs`, each on a
fresh copy of the corpus) and how many times one add reads the index, on the shipped article and on
a synthetic corpus of ~10,000 passages.

    python bench/cli_add.py [--runs 5] [--sizes 10000] [--file F] [--checkout DIR]

The synthetic corpus is `bench/add_article.py`'s, with random unit vectors (the add itself encodes
with the real model). The reads are counted in-process: `qa.cli.main(["add", …])` with the function
that reads and checks one published version of the index (`qa.index.files._load_once`) wrapped by a
counter. `--checkout DIR` also times another checkout's `qa add` on the same corpora (before/after).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _util import ROOT, run_measured, table, write_result
from add_article import build_corpus

import qa.index.files
from qa.cli import main as cli

DEFAULT_FILE = ROOT / "tests" / "data" / "articles" / "news-utf8.html"
COLUMNS = ["corpus_passages", "code", "runs", "median_s", "min_s", "index_reads"]


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


def timed_adds(checkout: Path, corpus: Path, file: Path, runs: int, work: Path) -> list[float]:
    """Wall seconds of `runs` `qa add` processes of `checkout`, each on a fresh copy of `corpus`."""
    env = dict(os.environ, PYTHONPATH=str(checkout))
    seconds = []
    for run in range(runs):
        index_dir = work / f"run-{run}"
        shutil.copytree(corpus, index_dir)
        started = time.perf_counter()
        run_measured([sys.executable, "-m", "qa", "add", str(file), "--index-dir", str(index_dir)], env=env)
        seconds.append(time.perf_counter() - started)
        shutil.rmtree(index_dir)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10000], help="synthetic corpus sizes (passages)")
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="the article to add")
    parser.add_argument("--checkout", type=Path, help="another checkout whose `qa add` to time on the same corpora")
    args = parser.parse_args()
    file = args.file.resolve()
    rows = []
    with tempfile.TemporaryDirectory(prefix="qa-cli-add-") as temp:
        temp = Path(temp)
        for size in [None, *args.sizes]:
            corpus = temp / f"corpus-{size or 'shipped'}"
            passages = build_corpus(corpus, size, random_vectors=True)
            codes = [("this", ROOT)] + ([("other", args.checkout.resolve())] if args.checkout else [])
            for code, checkout in codes:
                seconds = timed_adds(checkout, corpus, file, args.runs, temp)
                row = {"corpus_passages": passages, "code": code, "runs": len(seconds),
                       "median_s": round(statistics.median(seconds), 3), "min_s": round(min(seconds), 3)}
                if code == "this":
                    shutil.copytree(corpus, temp / "counted")
                    row["index_reads"] = index_reads(file, temp / "counted")
                    shutil.rmtree(temp / "counted")
                rows.append(row)
                print(table([row], COLUMNS), flush=True)
            shutil.rmtree(corpus)
    print("\n" + table(rows, COLUMNS))
    path = write_result("cli_add", {"rows": [r for r in rows if r["code"] == "this"], "file": file.name,
                                    "compared": [r for r in rows if r["code"] == "other"]})
    print(f"\n→ {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
