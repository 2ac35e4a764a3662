"""`qa eval --news DIR`: readers' own news pages as a benchmark.

The folder's articles (`news_set.py`) are added to a scratch index in a temporary directory through
`Engine.add`, as a reader adds them (never the user's index), and every question is asked of its own
article. Scored (`news_scores.py`) per kind, per article and overall: passage@1 (the first passage
shown holds a gold string), answer (the reply's text holds one), the bold phrase in CMRC 2018's style
(how often one is shown, exact when shown, F1 over all answerable questions), refusals of answerable
and of unanswerable questions, and the median time per question.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..config import DEFAULT_MODEL, env_model
from ..encoders.loading import Encoder, load_encoder
from ..engine import Engine
from ..errors import SourceError
from ..index.articles import article_id
from ..index.build import build_index
from ..ingest import read_path
from ..storage import Backend
from .news_scores import QuestionResult, score, tally
from .news_set import NewsQuestion, NewsSet, read_news_set


@dataclass
class NewsReport:
    """A news folder's figures: overall, per kind and per article, and every question not right."""

    folder: str
    articles: dict[str, str]  # file name → article id in the scratch index
    overall: dict
    by_kind: dict[str, dict]
    by_article: dict[str, dict]
    results: list[QuestionResult] = field(default_factory=list)

    @property
    def failures(self) -> list[QuestionResult]:
        return [r for r in self.results if not r.right]

    def to_dict(self) -> dict:
        data = asdict(self)
        data["failures"] = [asdict(r) for r in self.failures]
        return data


def _progress(items, enabled: bool):
    if not enabled or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc="news", file=sys.stderr, leave=False, mininterval=1.0)


def add_articles(engine: Engine, news: NewsSet) -> dict[str, str]:
    """Read and add the set's articles; each file name → its article id. SourceError naming the file
    when one cannot be read."""
    documents = {name: read_path(news.folder / name) for name in news.articles}
    engine.add(list(documents.values()))
    known = {article.id for article in engine.articles()}
    ids = {name: article_id(document.sha256) for name, document in documents.items()}
    missing = [name for name, key in ids.items() if key not in known]
    if missing:
        raise SourceError(f"文章 {'、'.join(missing)} 没有加入评测索引(没有可以索引的段落)。")
    return ids


def ask_all(engine: Engine, questions: list[NewsQuestion], ids: dict[str, str], progress: bool = False) -> list[QuestionResult]:
    """Ask every question of its own article and score the reply."""
    engine.retriever  # load before timing
    results = []
    for question in _progress(questions, progress):
        started = time.perf_counter()
        answer, hits = engine.run(question.q, k=3, article=ids[question.article])
        ms = (time.perf_counter() - started) * 1000
        results.append(score(question, answer.found, answer.text, answer.phrase, [h.chunk.text for h in hits], ms))
    return results


def evaluate_news(
    folder: Path, encoder: Encoder | None = None, progress: bool = True, work_dir: Path | None = None
) -> NewsReport:
    """Add a news folder's articles to a scratch index (in a temporary directory, never the user's)
    and measure the answers to its questions."""
    news = read_news_set(folder)
    encoder = encoder or load_encoder(env_model() or DEFAULT_MODEL)
    with tempfile.TemporaryDirectory(dir=work_dir, prefix="qa-news-") as tmp:
        # The scratch index starts as the shipped article, on local files whatever QA_BACKEND says.
        index = build_index(None, Path(tmp) / "index", model=encoder.name, encoder=encoder, backend=Backend()).index_dir
        engine = Engine(index, model=encoder.name, strict=True, encoder=encoder, backend=Backend())
        ids = add_articles(engine, news)
        results = ask_all(engine, news.questions, ids, progress)
    overall, kinds, articles = tally(results)
    return NewsReport(str(news.folder), ids, overall, kinds, articles, results)
