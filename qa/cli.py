"""The `qa` command: build-index, add, list, remove, ask, eval. Parses arguments, calls the library, prints."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from .errors import QAError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Question answering over Chinese news articles.")
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build-index", help="build (or rebuild) the index from article files")
    build.add_argument(
        "--source", action="append", type=Path, help="article file or directory (.txt/.md/.html/.pdf/.docx); repeatable"
    )
    build.add_argument("--model", help="sentence-transformers model name or path (default: QA_MODEL or USE v3)")
    build.add_argument("--index-dir", type=Path, help="where the index lives (default: QA_INDEX_DIR or ./index)")
    build.add_argument("--backend", choices=["local", "milvus"], help="where passages are stored (default: QA_BACKEND or local)")
    build.add_argument("--milvus-uri", help="with --backend milvus: a local .db path (milvus-lite) or http://host:19530")

    ask = sub.add_parser("ask", help="answer one question")
    ask.add_argument("question")
    ask.add_argument("-k", type=int, default=3, help="number of passages (default 3)")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument("--article", help="ask about this article only (its id from `qa list`)")
    ask.add_argument("--index-dir", type=Path)

    add = sub.add_parser("add", help="add articles (.txt/.md/.html/.pdf/.docx files or directories) to the index")
    add.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_DIR")
    add.add_argument("--index-dir", type=Path)

    listing = sub.add_parser("list", help="list the indexed articles")
    listing.add_argument("--json", action="store_true", help="print the list as JSON")
    listing.add_argument("--index-dir", type=Path)

    remove = sub.add_parser("remove", help="remove an article and its passages from the index")
    remove.add_argument("id", help="the article's id (or a unique start of it, 4+ characters)")
    remove.add_argument("--index-dir", type=Path)

    ev = sub.add_parser("eval", help="measure quality over a JSONL question file, a news folder or a SQuAD-style set")
    what = ev.add_mutually_exclusive_group(required=True)
    what.add_argument("--questions", type=Path, help="JSONL with q, gold, kind (asked of the index)")
    what.add_argument(
        "--news", type=Path, metavar="DIR",
        help="a folder of articles and questions.jsonl (article, q, gold, kind): added to a temporary index, "
        "each question asked of its own article",
    )
    what.add_argument(
        "--squad", type=Path, action="append", help="SQuAD-style JSON: its contexts become a temporary index; repeatable"
    )
    ev.add_argument("--limit", type=int, help="with --squad: only the first N questions of each set")
    ev.add_argument("--json", action="store_true", help="print the report as JSON")
    ev.add_argument("--index-dir", type=Path)
    return parser


def _build(args: argparse.Namespace) -> None:
    from .config import DEFAULT_MODEL, BackendSettings, env_model
    from .index.build import build_index
    from .storage import MILVUS, Backend, env_backend

    backend = env_backend()
    if args.backend or args.milvus_uri:
        kind = args.backend or (backend.kind if backend else MILVUS)
        asked = BackendSettings.from_env()
        uri = args.milvus_uri or (backend.uri if backend else None) or asked.uri
        backend = Backend(kind, uri if kind == MILVUS else None, asked.collection)
    report = build_index(
        args.source, args.index_dir, model=args.model or env_model() or DEFAULT_MODEL, show_progress=True, backend=backend
    )
    print(f"索引已建立:{report.index_dir}")
    print(f"  段落数:{report.chunks}(来自 {report.sources} 个文件)")
    print(f"  模型:{report.model}({report.dimension} 维)")
    print(f"  存储:{report.backend}")
    print(f"  用时:{report.seconds:.1f} 秒")


def _ask(args: argparse.Namespace) -> None:
    from .engine import Engine

    engine = Engine(args.index_dir, strict=True)
    if args.article:
        engine.article(args.article)  # an unknown id is an error here, not an answer
    result = engine.answer(args.question, k=args.k, article=args.article)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    if result.phrase:
        bold = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("【", "】")
        print(f"答案:{bold[0]}{result.phrase}{bold[1]}")
    print(result.text)
    several = len(engine.articles()) > 1
    for number, passage in enumerate(result.passages, start=1):
        where = f"{passage.section} · 第{passage.paragraph}段" if passage.paragraph else passage.section
        where = f"《{passage.source}》{where}" if several else where
        print(f"\n[{number}] {where}  相关度 {passage.score:.0%}")
        print(f"    {passage.text}")


def _progress_bars():
    """A progress bar on stderr per stage of a long operation (`qa.progress`), when a person watches it;
    and the function that closes them."""
    from .progress import silent

    if not sys.stderr.isatty():
        return silent, lambda: None
    from tqdm import tqdm

    bars: dict = {}

    def report(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            for bar in bars.values():
                bar.close()
            bars[stage] = tqdm(total=total, desc=stage, file=sys.stderr, leave=False, dynamic_ncols=True)
        bar = bars[stage]
        bar.total, bar.n = total, done
        bar.refresh()

    return report, lambda: [bar.close() for bar in bars.values()]


def _add(args: argparse.Namespace) -> int:
    from .engine import Engine

    progress, done = _progress_bars()
    try:
        report = Engine(args.index_dir, strict=True).add(args.paths, progress=progress)
    finally:
        done()
    for _, message in report.skipped:
        print(f"跳过:{message}", file=sys.stderr)
    for article in report.added:
        print(f"已添加:《{article.title}》 编号 {article.id},{article.passages} 段")
    print(f"用时 {report.seconds:.1f} 秒")
    return 1 if report.skipped else 0


def _list(args: argparse.Namespace) -> None:
    from .engine import Engine

    articles = Engine(args.index_dir, strict=True).articles()
    if args.json:
        print(json.dumps([a.public() for a in articles], ensure_ascii=False, indent=2))
        return
    for article in articles:
        facts = " · ".join(x for x in (article.date, article.author, article.site) if x)
        print(f"{article.id}  {article.title}  ({article.passages} 段{' · ' + facts if facts else ''})")
        if article.url:
            print(f"{'':{len(article.id)}}  {article.url}")


def _remove(args: argparse.Namespace) -> None:
    from .engine import Engine

    gone = Engine(args.index_dir, strict=True).remove(args.id)
    print(f"已删除:《{gone.title}》 编号 {gone.id}")


def _print_table(columns: list[str], rows: list[tuple[str, dict]], first: str = "kind") -> None:
    show = lambda v: "-" if v is None else str(v)  # noqa: E731
    print(f"| {first} | " + " | ".join(columns) + " |")
    print("|" + "---|" * (len(columns) + 1))
    for name, rates in rows:
        print(f"| {name} | " + " | ".join(show(rates.get(c)) for c in columns) + " |")


def _eval_squad(args: argparse.Namespace) -> None:
    from .engine import Engine
    from .evaluation.public_sets import COLUMNS, evaluate_squad
    from .evaluation.squad import read_squad

    shipped = Engine(args.index_dir, strict=True)
    reports = [evaluate_squad(read_squad(path), limit=args.limit, out_of_scope=shipped) for path in args.squad]
    if args.json:
        print(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2))
        return
    columns = list(COLUMNS)
    for report in reports:
        print(f"\n{report.name}: {report.contexts} contexts, {report.passages} passages (index built in {report.build_seconds} s)\n")
        _print_table(columns, list(report.systems.items()), first="system")
        lost = report.systems["qa"]["lost"]
        stages = ", ".join(f"{stage} {share:.1%}" for stage, share in lost.items())
        print(f"\nqa answers without the gold text, by the stage that lost it: {stages}")
        if report.pseudo_out_of_scope:
            oos = report.pseudo_out_of_scope
            print(f"\nasked of the shipped article instead: {oos['refused']}/{oos['questions']} refused ({oos['refusal_rate']:.1%})")


def _eval_news(args: argparse.Namespace) -> None:
    from .evaluation.news import evaluate_news
    from .evaluation.news_scores import COLUMNS, LOSSES

    report = evaluate_news(args.news)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    print(f"{report.folder}:{len(report.articles)} 篇文章,{report.overall['questions']} 个问题(各问其文)\n")
    _print_table(list(COLUMNS), [("all", report.overall)] + list(report.by_kind.items()))
    print()
    _print_table(list(COLUMNS), list(report.by_article.items()), first="article")
    lost = report.overall["lost"]
    print("\n可回答却没答对的问题,按丢失的环节:" + ",".join(f"{stage} {lost[stage]}" for stage in LOSSES))
    if report.failures:
        print(f"\n{len(report.failures)} 个问题没有答对:")
        for r in report.failures:
            said = r.text.replace("\n", " ")
            where = f"首条依据{'含' if r.passage_hit else '不含'}答案,{r.loss}" if r.gold else "应拒答"
            print(f"  - [{r.kind}] 《{r.article}》{r.q}({where}):{said}")


def _eval(args: argparse.Namespace) -> None:
    from .engine import Engine
    from .evaluation.questions import evaluate, read_questions

    if args.squad:
        _eval_squad(args)
        return
    if args.news:
        _eval_news(args)
        return
    if args.questions.is_dir():
        raise QAError(f"{args.questions} 是文件夹:--questions 需要一个 JSONL 文件;文章和问题的文件夹请用 --news。")
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
        commands = {"build-index": _build, "ask": _ask, "eval": _eval, "add": _add, "list": _list, "remove": _remove}
        status = commands[args.command](args)
        sys.stdout.flush()
    except QAError as exc:
        print(f"错误:{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of the output left (`qa eval | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit flush fails no more
        return 1
    return status or 0
