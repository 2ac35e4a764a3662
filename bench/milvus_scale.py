"""The default store vs Milvus (milvus-lite) at 1k/10k/100k passages, and top-3 parity on a public set.

    python bench/milvus_scale.py [--sizes 1000 10000 100000] [--parity ../shared/eval/external/cmrc2018-trial.json]

Passages are the article's sentences resampled (seed 20201030) with random unit vectors (512
dimensions, seeded) instead of encoded ones, so the figures are the stores' own. Each (backend,
size) runs in its own process for its peak RSS: build = writing the store, query = one dense
search (depth 50) + one full-text search + the lexical signals of the candidates, for 200 queries
(40 at 100k).
recall@10 is the dense search's against exact inner-product search.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from _util import ROOT, percentiles, questions, run_measured, table, write_result

COLUMNS = ["passages", "backend", "dense_index", "build_s", "query_p50_ms", "query_p95_ms", "peak_rss_mb", "recall@10"]
SEED = 20201030
DIM = 512
QUERIES = 200


def synthetic(passages: int):
    import numpy as np
    from scale import article_sentences

    from qa.ingest.chunking import Chunk

    rng = random.Random(SEED)
    sentences = article_sentences()
    chunks = [Chunk(i, "".join(rng.sample(sentences, rng.randint(1, 3))), "", "synthetic", i % 1000, "body", f"a{i // 1000:05d}")
              for i in range(passages)]
    vectors = np.random.default_rng(SEED).normal(size=(passages, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return chunks, vectors


def child(backend: str, passages: int, work: Path) -> dict:
    import numpy as np

    from qa.storage import Backend, open_store, with_prefix, write_store
    from qa.text.tokens import bigrams, tokenize

    chunks, vectors = synthetic(passages)
    words = [tokenize(c.search_text) for c in chunks]
    pairs = [bigrams(c.search_text) for c in chunks]
    settings = Backend() if backend == "local" else with_prefix(Backend("milvus", str(work / "milvus.db")), work)
    started = time.perf_counter()
    record = write_store(work, chunks, vectors, words, pairs, settings)
    build_s = time.perf_counter() - started
    store, _, _ = open_store(work, {"backend": record, "dimension": DIM, "chunk_count": passages}, chunks)
    asked = questions()
    rng = np.random.default_rng(SEED + 1)
    probes = rng.normal(size=(QUERIES if passages <= 10_000 else QUERIES // 5, DIM)).astype(np.float32)
    probes /= np.linalg.norm(probes, axis=1, keepdims=True)
    seconds, found = [], []
    for n, vector in enumerate(probes):
        text = asked[n % len(asked)]
        t0 = time.perf_counter()
        dense = store.dense_search(vector, 50)
        lexical = store.text_search(tokenize(text), bigrams(text), [[w] for w in tokenize(text)], 50)
        ids = np.array(list(dict.fromkeys([*dense, *lexical.ids])), dtype=np.int64)
        lexical.signals(ids)
        seconds.append(time.perf_counter() - t0)
        exact = set(np.argsort(-(vectors @ vector))[:10].tolist())
        found.append(len(exact & set(list(store.dense_search(vector, 10))[:10])) / 10)
    dense_index = record.get("dense_index") or record["index"]["dense"]["index_type"].lower()
    return {"passages": passages, "backend": "in-process (faiss + bm25s)" if backend == "local" else "milvus-lite",
            "dense_index": dense_index, "build_s": round(build_s, 2), **{f"query_{k}": v for k, v in percentiles(seconds).items()},
            "recall@10": round(float(np.mean(found)), 3)}


def parity(path: Path, limit: int | None) -> dict:
    """Top-3 passages of every question of a SQuAD-style set on both backends (the real encoder)."""
    from qa.encoders.loading import load_encoder
    from qa.engine import Engine
    from qa.evaluation.squad import read_squad, write_articles
    from qa.index.build import build_index
    from qa.storage import Backend

    squad = read_squad(path)
    work = Path(tempfile.mkdtemp(prefix="milvus-parity-"))
    files = write_articles(squad, work / "articles")
    encoder = load_encoder("use-multilingual-v3")
    local = Engine(build_index(files, work / "a", encoder=encoder).index_dir, encoder=encoder, strict=True)
    remote = Engine(build_index(files, work / "b", encoder=encoder, backend=Backend("milvus", str(work / "m.db"))).index_dir,
                    encoder=encoder, strict=True)
    asked = squad.questions[:limit] if limit else squad.questions
    same = same_answer = 0
    for item in asked:
        (a, ha), (b, hb) = local.run(item.question), remote.run(item.question)
        same += [h.chunk.chunk_id for h in ha] == [h.chunk.chunk_id for h in hb]
        same_answer += a.text == b.text
    return {"set": path.stem, "questions": len(asked), "passages": len(local.chunks),
            "top3_identical": round(same / len(asked), 4), "answer_identical": round(same_answer / len(asked), 4)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--backends", nargs="+", default=["local", "milvus"])
    parser.add_argument("--parity", type=Path, default=ROOT.parent / "shared" / "eval" / "external" / "cmrc2018-trial.json")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--child", nargs=2, metavar=("BACKEND", "PASSAGES"))
    parser.add_argument("--child-parity", action="store_true")
    args = parser.parse_args()
    if args.child:
        with tempfile.TemporaryDirectory(prefix="milvus-scale-") as work:
            print(json.dumps(child(args.child[0], int(args.child[1]), Path(work))))
        return
    if args.child_parity:
        print(json.dumps(parity(args.parity, args.limit)))
        return
    rows = []
    for passages in args.sizes:
        for backend in args.backends:
            _, rss, out = run_measured([sys.executable, __file__, "--child", backend, str(passages)])
            row = json.loads(out.strip().splitlines()[-1]) | {"peak_rss_mb": round(rss, 1)}
            rows.append(row)
            print(table([row], COLUMNS), flush=True)
    result = {"rows": rows}
    if args.parity and args.parity.is_file():
        command = [sys.executable, __file__, "--child-parity", "--parity", str(args.parity)] + (["--limit", str(args.limit)] if args.limit else [])
        _, _, out = run_measured(command)
        result["parity"] = json.loads(out.strip().splitlines()[-1])
        print(result["parity"])
    write_result("milvus_scale", result)


if __name__ == "__main__":
    main()
