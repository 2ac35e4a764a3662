"""Scale: synthetic sources (the article's sentences resampled with a fixed seed) at 1k, 10k and 100k
passages; build time, index size, query p50/p95 and peak RSS for an exact and an HNSW index, and
HNSW's recall@10 against exact search.

    python bench/scale.py [--sizes 1000 10000 100000]

Each build and each query run is a separate process, so peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _util import ROOT, percentiles, questions, run_measured, self_peak_rss_mb, table, write_result

COLUMNS = ["passages", "index", "build_s", "encode_s", "index_mb", "query_p50_ms", "query_p95_ms",
           "build_peak_rss_mb", "query_peak_rss_mb", "recall@10"]
PARAGRAPHS_PER_FILE = 1000
SEED = 20201030


def article_sentences() -> list[str]:
    from qa.config import DEFAULT_SOURCE, ChunkerSettings
    from qa.index.build import chunk_sources
    from qa.ingest.sources import read_source
    from qa.text.normalize import split_sentences

    chunks, _ = chunk_sources([read_source(DEFAULT_SOURCE)], ChunkerSettings())
    return [s for c in chunks if c.kind == "body" for s in split_sentences(c.text)]


def write_sources(directory: Path, passages: int) -> None:
    """Files of PARAGRAPHS_PER_FILE paragraphs, each 1-3 article sentences drawn at random."""
    rng = random.Random(SEED)
    sentences = article_sentences()
    directory.mkdir(parents=True)
    files = max(1, round(passages / (PARAGRAPHS_PER_FILE + 1)))
    per_file = passages // files - 1
    for n in range(files):
        paragraphs = ["".join(rng.sample(sentences, rng.randint(1, 3))) for _ in range(per_file)]
        text = f"合成文章第{n}篇\n\n" + "\n\n".join(paragraphs) + "\n"
        (directory / f"synthetic-{n:04d}.txt").write_text(text, encoding="utf-8")


def child_build(work: Path, passages: int) -> dict:
    """Build the exact and the HNSW index of one synthetic corpus (encoding once, shared)."""
    from qa.encoders.loading import load_encoder
    from qa.index.build import build_index

    write_sources(work / "src", passages)

    class Memo:
        """Encodes once; the second build reuses the vectors."""

        def __init__(self, inner):
            self.inner, self.name, self.dimension, self.cache, self.seconds = inner, inner.name, inner.dimension, None, 0.0

        def encode(self, texts, show_progress=False):
            if self.cache is None:
                started = time.perf_counter()
                self.cache = self.inner.encode(texts)
                self.seconds = time.perf_counter() - started
            return self.cache

    encoder = Memo(load_encoder())
    out = {}
    for kind in ("flat", "hnsw"):
        started = time.perf_counter()
        report = build_index([work / "src"], work / kind, encoder=encoder, dense_kind=kind)
        seconds = time.perf_counter() - started
        if kind == "hnsw":
            seconds += encoder.seconds  # its build reused the exact build's vectors
        size = sum(p.stat().st_size for p in (work / kind).rglob("*") if p.is_file())
        out[kind] = {"build_s": round(seconds, 1), "index_mb": round(size / 2**20, 1), "chunks": report.chunks}
    out["encode_s"] = round(encoder.seconds, 1)
    return out


def child_query(work: Path, kind: str) -> dict:
    """Warm query latency on one index; for HNSW also recall@10 against the exact index."""
    import numpy as np

    from qa.engine import Engine

    engine = Engine(work / kind, strict=True)
    asked = questions()
    for question in asked:
        engine.answer(question)
    seconds = []
    for i in range(len(asked) * 8):
        started = time.perf_counter()
        engine.answer(asked[i % len(asked)])
        seconds.append(time.perf_counter() - started)
    result = {**percentiles(seconds), "peak_rss_mb": round(self_peak_rss_mb(), 1)}
    if kind == "hnsw":
        from qa.storage.dense import DenseIndex

        exact = DenseIndex.load(work / "flat" / "dense.faiss")
        rng = random.Random(SEED + 1)
        probes = asked + rng.sample(article_sentences(), 60)
        vectors = engine.retriever.encoder.encode(probes)
        exact_scores, _ = exact.search(vectors, 10)
        approx_scores, _ = engine.retriever.bundle.store.dense.search(vectors, 10)
        # Resampled passages repeat, so ties are common: a result counts when it scores as high
        # as the exact 10th neighbour.
        hits = (approx_scores >= exact_scores[:, -1:] - 1e-5).sum(axis=1)
        result["recall@10"] = round(float(np.mean(hits / 10)), 4)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--keep", action="store_true", help="keep the built indexes (printed) for inspection")
    parser.add_argument("--reuse", nargs="+", help="re-measure queries on directories kept by --keep")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        action, work, arg = args.child
        result = child_build(Path(work), int(arg)) if action == "build" else child_query(Path(work), arg)
        print(json.dumps(result))
        return
    if args.reuse:
        rows = [row for work in args.reuse for row in measure(Path(work), None)]
        return report(rows)

    rows = []
    for size in args.sizes:
        work = Path(tempfile.mkdtemp(prefix=f"qa-scale-{size}-"))
        try:
            rows += measure(work, size)
        finally:
            if args.keep:
                print(f"kept {work}")
            else:
                shutil.rmtree(work, ignore_errors=True)
    report(rows)


def measure(work: Path, size: int | None) -> list[dict]:
    """Build (unless `size` is None: reuse what `work` holds) and query both index kinds."""
    if size is not None:
        _, build_rss, output = run_measured([sys.executable, __file__, "--child", "build", str(work), str(size)])
        built = {**json.loads(output.strip().splitlines()[-1]), "peak_rss_mb": round(build_rss, 1)}
        (work / "build.json").write_text(json.dumps(built), encoding="utf-8")
    built = json.loads((work / "build.json").read_text(encoding="utf-8"))
    rows = []
    for kind in ("flat", "hnsw"):
        _, _, output = run_measured([sys.executable, __file__, "--child", "query", str(work), kind])
        queried = json.loads(output.strip().splitlines()[-1])
        rows.append({"passages": built[kind]["chunks"], "index": "exact (flat)" if kind == "flat" else "HNSW",
                     "build_s": built[kind]["build_s"], "encode_s": built["encode_s"],
                     "index_mb": built[kind]["index_mb"], "build_peak_rss_mb": built["peak_rss_mb"],
                     "query_p50_ms": queried["p50_ms"], "query_p95_ms": queried["p95_ms"],
                     "query_peak_rss_mb": queried["peak_rss_mb"], "recall@10": queried.get("recall@10", 1.0)})
        print(table(rows[-1:], COLUMNS), flush=True)
    return rows


def report(rows: list[dict]) -> None:
    print("\n" + table(rows, COLUMNS))
    path = write_result("scale", {"rows": rows, "seed": SEED})
    print(f"\n→ {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
