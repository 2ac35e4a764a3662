"""Answer quality on real news pages (`qa eval --news`): the articles of a news folder added to a scratch
index as a reader adds them, each question asked of its own article; overall, per kind and per article.

    python bench/news.py [--folder DIR]      # writes bench/results/news.json
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _util import ROOT, table, write_result

from qa.evaluation.news import evaluate_news
from qa.evaluation.news_scores import COLUMNS

FOLDER = ROOT.parent / "shared" / "eval" / "news"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=FOLDER, help="a news folder (articles and questions.jsonl)")
    args = parser.parse_args()
    report = evaluate_news(args.folder)
    overall = {"kind": "all", **report.overall}
    kinds = [{"kind": kind, **rates} for kind, rates in report.by_kind.items()]
    articles = [{"article": name, **rates} for name, rates in report.by_article.items()]
    print(table([overall, *kinds], ["kind", *COLUMNS]))
    path = write_result("news", {"folder": args.folder.name, "overall": overall, "kinds": kinds, "articles": articles,
                                 "lost": report.overall.get("lost", {})})
    print(f"\n→ {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
