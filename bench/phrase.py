"""Answer-phrase extraction (`qa.answering.phrase`) on public SQuAD-style sets: for each question, the sentence of
its context holding the first gold answer is given, and the phrase must contain a gold answer.

    python bench/phrase.py [--sets cmrc2018-trial drcd-test] [--examples 0] [--limit N]

CMRC 2018 trial was used to develop the rules; DRCD test is held out (reported, never tuned on).
Prints Markdown tables and writes bench/results/phrase.json.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections import defaultdict

from _util import ROOT, table, write_result

from qa.answering.asking import KINDS, asked_type
from qa.answering.phrase import answer_phrase
from qa.text.normalize import normalize, split_sentences

EXTERNAL = ROOT.parent / "shared" / "eval" / "external"
ROLE = {"cmrc2018-trial": "development", "drcd-test": "held-out"}
ARTICLE = ROOT / "qa" / "data" / "baohe-2020-10-30.txt"
ARTICLE_QUESTIONS = [
    "包河区综合实力在全国百强区排第几位?",
    "报社的广告电话是多少",
    "谁跟随考察小分队去了南通海门?",
    "滨湖金融小镇与清华大学哪个研究院签约?",
    "合杭梦想小镇是什么时候开园的?",
    "到2025年包河区人均GDP要达到多少?",
    "喜马拉雅合肥服务中心的负责人是谁?",
    "包河区教育体育局与哪个机构签订了战略合作协议?",
    "包河区驻杭州招商分局设在哪里?",
    "今年4月出台了什么方案?",
    "报社地址在哪里?",
    "合杭梦想小镇和哪个城市的梦想小镇相连?",
    "合杭梦想小镇已落地导入几个企业?",
    "包河區綜合實力在全國百強區排第幾位?",
]
SHORT_GOLD = 8  # a gold answer this short is itself a phrase (CMRC golds are often whole clauses)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", normalize(text))


def sentence_of(context: str, start: int | None, answer: str) -> str | None:
    """The sentence of `context` (as `split_sentences` cuts it) holding the answer; None if it crosses."""
    if start is None or context[start:start + len(answer)] != answer:
        start = context.find(answer)
        if start < 0:
            return None
    at = 0
    for sentence in split_sentences(context):
        begin = context.find(sentence, at)
        if begin < 0:
            continue
        at = begin + len(sentence)
        if begin <= start and start + len(answer) <= at:
            return sentence
        if begin > start:
            break
    return None


def evaluate(name: str, limit: int | None) -> tuple[dict, list[dict]]:
    data = json.loads((EXTERNAL / f"{name}.json").read_text(encoding="utf-8"))["data"]
    rows: list[dict] = []
    skipped = total = 0
    for article in data:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                if limit and total >= limit:
                    break
                total += 1
                answers = [a for a in qa["answers"] if a["text"].strip()]
                if not answers:
                    skipped += 1
                    continue
                sentence = sentence_of(paragraph["context"], answers[0].get("answer_start"), answers[0]["text"])
                if sentence is None:
                    skipped += 1
                    continue
                rows.append({"question": qa["question"], "sentence": sentence,
                             "gold": [a["text"] for a in answers]})
    typed = []
    seconds = []
    for row in rows:
        started = time.perf_counter()
        kind = asked_type(row["question"])
        phrase = answer_phrase(row["question"], row["sentence"]) if kind else None
        seconds.append(time.perf_counter() - started)
        row["kind"], row["phrase"] = kind, phrase
        if kind is None:
            continue
        golds = [squeeze(g) for g in row["gold"]]
        got = squeeze(phrase) if phrase else ""
        row["hit"] = bool(got) and any(g in got for g in golds)
        row["inside"] = bool(got) and any(got in g for g in golds)
        typed.append(row)

    def summary(group: list[dict], kind: str) -> dict:
        phrases = [len(r["phrase"]) for r in group if r["phrase"]]
        short = [r for r in group if min(len(g) for g in r["gold"]) <= SHORT_GOLD]
        return {
            "kind": kind, "questions": len(group),
            "contains_gold": round(sum(r["hit"] for r in group) / len(group), 3) if group else 0.0,
            "short_gold": len(short),
            "contains_short_gold": round(sum(r["hit"] for r in short) / len(short), 3) if short else 0.0,
            "inside_gold": round(sum(r["inside"] for r in group) / len(group), 3) if group else 0.0,
            "none": round(sum(r["phrase"] is None for r in group) / len(group), 3) if group else 0.0,
            "phrase_chars": round(statistics.mean(phrases), 2) if phrases else 0.0,
            "gold_chars": round(statistics.mean(min(len(g) for g in r["gold"]) for r in group), 2) if group else 0.0,
        }

    by_kind = defaultdict(list)
    for row in typed:
        by_kind[row["kind"]].append(row)
    ordered = sorted(seconds)
    result = {
        "set": name, "role": ROLE.get(name, "other"), "questions": total, "skipped_crossing": skipped,
        "scored": len(rows), "typed_share": round(len(typed) / len(rows), 3) if rows else 0.0,
        **{k: v for k, v in summary(typed, "all").items() if k not in ("kind", "questions")},
        "typed": len(typed),
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 3),
        "by_kind": [summary(by_kind[k], k) for k in KINDS if by_kind[k]],
    }
    return result, typed


def article_examples() -> list[dict]:
    """The project's own questions, each with the article sentence that answers it (first match)."""
    sentences = [s for line in ARTICLE.read_text(encoding="utf-8").splitlines() for s in split_sentences(line)]
    picks = {
        "包河区综合实力在全国百强区排第几位?": "第41位",
        "报社的广告电话是多少": "广告垂询电话",
        "谁跟随考察小分队去了南通海门?": "跟随包河产业招商考察小分队",
        "滨湖金融小镇与清华大学哪个研究院签约?": "清华大学金融科技研究院",
        "合杭梦想小镇是什么时候开园的?": "合杭梦想小镇正式挂牌开园",
        "到2025年包河区人均GDP要达到多少?": "人均GDP达到",
        "喜马拉雅合肥服务中心的负责人是谁?": "负责人杨宇",
        "包河区教育体育局与哪个机构签订了战略合作协议?": "包河区教育体育局与",
        "包河区驻杭州招商分局设在哪里?": "包河区驻杭州招商分局正式揭牌成立,将成为",
        "今年4月出台了什么方案?": "今年4月《",
        "报社地址在哪里?": "地址:",
        "合杭梦想小镇和哪个城市的梦想小镇相连?": "杭州余杭、合肥包河",
        "合杭梦想小镇已落地导入几个企业?": "8个企业",
        "包河區綜合實力在全國百強區排第幾位?": "第41位",
    }
    rows = []
    for question in ARTICLE_QUESTIONS:
        sentence = next(s for s in sentences if picks[question] in s)
        rows.append({"question": question, "type": asked_type(question) or "—",
                     "phrase": answer_phrase(question, sentence) or "—",
                     "sentence": sentence if len(sentence) <= 60 else sentence[:57] + "…"})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", default=["cmrc2018-trial", "drcd-test"])
    parser.add_argument("--limit", type=int, default=None, help="at most this many questions per set")
    parser.add_argument("--examples", type=int, default=0, help="print this many misses per set")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results/phrase.json")
    args = parser.parse_args()

    results = []
    for name in args.sets:
        result, typed = evaluate(name, args.limit)
        results.append(result)
        if args.examples:
            misses = [r for r in typed if not r["hit"]]
            print(f"\n### misses in {name} ({len(misses)})\n")
            for r in misses[: args.examples]:
                print(f"- [{r['kind']}] {r['question']} → {r['phrase']!r} | gold {r['gold'][:2]} | "
                      f"{r['sentence'][:90]}")
    print("\n## Answer phrase: overall (sentence holding the gold answer given)\n")
    print(table(results, ["set", "role", "questions", "skipped_crossing", "scored", "typed_share", "typed",
                          "contains_gold", "short_gold", "contains_short_gold", "inside_gold", "none",
                          "phrase_chars", "gold_chars", "p50_ms", "p95_ms"]))
    print(f"\ncontains_gold: the phrase contains a gold answer; short_gold / contains_short_gold: the questions whose "
          f"shortest gold is at most {SHORT_GOLD} characters, and the same share on them; inside_gold: the phrase lies "
          "within a gold answer (right but shorter); none: no phrase returned. Lengths in characters (gold: the "
          "shortest). Times: asked_type + answer_phrase per question.")
    for result in results:
        print(f"\n## {result['set']} ({result['role']}) by asked type\n")
        print(table(result["by_kind"], ["kind", "questions", "contains_gold", "short_gold", "contains_short_gold",
                                        "inside_gold", "none", "phrase_chars", "gold_chars"]))
    examples = article_examples()
    print("\n## The project's article (qa/data/baohe-2020-10-30.txt)\n")
    print(table(examples, ["question", "type", "phrase", "sentence"]))
    if not args.no_write:
        path = write_result("phrase", {"sets": results, "article_examples": examples,
                                        "note": "cmrc2018-trial used for development; drcd-test held out"})
        print(f"\nwrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
