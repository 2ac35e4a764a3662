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

    ev = sub.add_parser("eval", help="measure quality over a JSONL question file or a SQuAD-style set")
    what = ev.add_mutually_exclusive_group(required=True)
    what.add_argument("--questions", type=Path, help="JSONL with q, gold, kind (asked of the index)")
    what.add_argument(
        "--squad", type=Path, action="append", help="SQuAD-style JSON: its contexts become a temporary index; repeatable"
    )
    ev.add_argument("--limit", type=int, help="with --squad: only the first N questions of each set")
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
    if result.phrase:
        bold = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("【", "】")
        print(f"答案:{bold[0]}{result.phrase}{bold[1]}")
    print(result.text)
    for number, passage in enumerate(result.passages, start=1):
        where = f"{passage.section} · 第{passage.paragraph}段" if passage.paragraph else passage.section
        print(f"\n[{number}] {where}  相关度 {passage.score:.0%}")
        print(f"    {passage.text}")


def _print_table(columns: list[str], rows: list[tuple[str, dict]], first: str = "kind") -> None:
    show = lambda v: "-" if v is None else str(v)  # noqa: E731
    print(f"| {first} | " + " | ".join(columns) + " |")
    print("|" + "---|" * (len(columns) + 1))
    for name, rates in rows:
        print(f"| {name} | " + " | ".join(show(rates.get(c)) for c in columns) + " |")


def _eval_squad(args: argparse.Namespace) -> None:
    from .engine import Engine
    from .external_eval import evaluate_squad
    from .squad import read_squad

    shipped = Engine(args.index_dir, strict=True)
    reports = [evaluate_squad(read_squad(path), limit=args.limit, out_of_scope=shipped) for path in args.squad]
    if args.json:
        print(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2))
        return
    columns = ["questions", "ctx@1", "ctx@3", "answer", "phrase_hit", "phrase_chars", "abstain", "p50_ms", "p95_ms"]
    for report in reports:
        print(f"\n{report.name}: {report.contexts} contexts, {report.passages} passages (index built in {report.build_seconds} s)\n")
        _print_table(columns, list(report.systems.items()), first="system")
        if report.pseudo_out_of_scope:
            oos = report.pseudo_out_of_scope
            print(f"\nasked of the shipped article instead: {oos['refused']}/{oos['questions']} refused ({oos['refusal_rate']:.1%})")


def _eval(args: argparse.Namespace) -> None:
    from .engine import Engine
    from .evaluation import evaluate, read_questions

    if args.squad:
        _eval_squad(args)
        return
    report = evaluate(Engine(args.index_dir, strict=True), read_questions(args.questions))
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    columns = ["questions", "hit@1", "hit@3", "mrr", "answer_accuracy", "abstention", "false_abstentions"]
    _print_table(columns, [("all", report.overall)] + list(report.by_kind.items()))
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
