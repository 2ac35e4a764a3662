"""The `qa` command: build-index, ask, eval. Parses arguments, calls the library, prints."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from .errors import QAError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Question answering over Chinese news articles.")
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build-index", help="build (or rebuild) the index from article files")
    build.add_argument("--source", action="append", type=Path, help="article file or directory (.txt/.md); repeatable")
    build.add_argument("--model", help="sentence-transformers model name or path (default: QA_MODEL or USE v3)")
    build.add_argument("--index-dir", type=Path, help="where the index lives (default: QA_INDEX_DIR or ./index)")

    ask = sub.add_parser("ask", help="answer one question")
    ask.add_argument("question")
    ask.add_argument("-k", type=int, default=3, help="number of passages (default 3)")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument("--index-dir", type=Path)

    ev = sub.add_parser("eval", help="measure quality over a JSONL question file")
    ev.add_argument("--questions", type=Path, required=True, help="JSONL with q, gold, kind")
    ev.add_argument("--json", action="store_true", help="print the report as JSON")
    ev.add_argument("--index-dir", type=Path)
    return parser


def _build(args: argparse.Namespace) -> None:
    from .building import build_index
    from .config import DEFAULT_MODEL, env_model

    report = build_index(
        args.source, args.index_dir, model=args.model or env_model() or DEFAULT_MODEL, show_progress=True
    )
    print(f"索引已建立:{report.index_dir}")
    print(f"  段落数:{report.chunks}(来自 {report.sources} 个文件)")
    print(f"  模型:{report.model}({report.dimension} 维)")
    print(f"  用时:{report.seconds:.1f} 秒")


def _ask(args: argparse.Namespace) -> None:
    from .engine import Engine

    result = Engine(args.index_dir, strict=True).answer(args.question, k=args.k)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    print(result.text)
    for number, passage in enumerate(result.passages, start=1):
        where = f"{passage.section} · 第{passage.paragraph}段" if passage.paragraph else passage.section
        print(f"\n[{number}] {where}  相关度 {passage.score:.0%}")
        print(f"    {passage.text}")


def _eval(args: argparse.Namespace) -> None:
    from .engine import Engine
    from .evaluation import evaluate, read_questions

    report = evaluate(Engine(args.index_dir, strict=True), read_questions(args.questions))
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    columns = ["questions", "hit@1", "hit@3", "mrr", "answer_accuracy", "abstention", "false_abstentions"]
    rows = [("all", report.overall)] + list(report.by_kind.items())
    show = lambda v: "-" if v is None else str(v)  # noqa: E731
    print("| kind | " + " | ".join(columns) + " |")
    print("|" + "---|" * (len(columns) + 1))
    for name, rates in rows:
        print(f"| {name} | " + " | ".join(show(rates[c]) for c in columns) + " |")
    print(f"\nlatency per question: p50 {report.latency_ms['p50']} ms, p95 {report.latency_ms['p95']} ms")
    if report.failures:
        print(f"\n{len(report.failures)} question(s) not fully right:")
        for failure in report.failures:
            print(f"  - [{failure['kind']}] {failure['q']} (rank {failure['rank']}, found {failure['found']}): {failure['answer']}")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        {"build-index": _build, "ask": _ask, "eval": _eval}[args.command](args)
    except QAError as exc:
        print(f"错误:{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    return 0
