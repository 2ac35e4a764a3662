"""A folder of readers' articles with questions about them (`qa eval --news DIR`): the article files and a
`questions.jsonl` whose lines are `{"article": file name, "q": …, "gold": [strings], "kind": …}`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError

QUESTIONS_FILE = "questions.jsonl"


@dataclass(frozen=True)
class NewsQuestion:
    """One question of the set: the article file it is asked of, its gold strings and its kind."""

    article: str
    q: str
    gold: tuple[str, ...]
    kind: str


@dataclass(frozen=True)
class NewsSet:
    """A folder's articles (file names, in the order first asked about) and its questions."""

    folder: Path
    articles: list[str]
    questions: list[NewsQuestion]


def read_news_set(folder: Path) -> NewsSet:
    """The articles and questions of a news folder; SourceError (Chinese, naming the line) otherwise."""
    folder = Path(folder)
    if not folder.exists():
        raise SourceError(f"找不到评测文件夹 {folder}。请检查路径是否正确。")
    if not folder.is_dir():
        raise SourceError(f"{folder} 不是文件夹。--news 需要一个含有文章和 {QUESTIONS_FILE} 的文件夹。")
    path = folder / QUESTIONS_FILE
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise SourceError(f"文件夹 {folder} 中没有 {QUESTIONS_FILE}(每行一个含 article、q、gold、kind 的 JSON)。") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"无法读取 {path}:{exc}。请确认它是 UTF-8 编码的文本文件。") from exc
    questions: list[NewsQuestion] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            questions.append(_question(line, number, folder))
    if not questions:
        raise SourceError(f"{path} 中没有问题。")
    return NewsSet(folder, list(dict.fromkeys(q.article for q in questions)), questions)


def _question(line: str, number: int, folder: Path) -> NewsQuestion:
    """One line of questions.jsonl, checked."""
    where = f"{QUESTIONS_FILE} 第 {number} 行"
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise SourceError(f"{where}不是合法的 JSON:{exc.msg}(第 {exc.colno} 个字符)。") from exc
    if not isinstance(item, dict):
        raise SourceError(f"{where}应是一个 JSON 对象,含有 article、q、gold、kind。")
    missing = [key for key in ("article", "q", "gold") if key not in item]
    if missing:
        raise SourceError(f"{where}缺少字段 {'、'.join(missing)}。")
    article, q, gold, kind = item["article"], item["q"], item["gold"], item.get("kind", "-")
    if not isinstance(q, str) or not q.strip():
        raise SourceError(f"{where}的 q 应是非空的问题文本。")
    if not isinstance(gold, list) or not all(isinstance(g, str) and g.strip() for g in gold):
        raise SourceError(f"{where}的 gold 应是字符串列表(文章没有答案时为 [])。")
    if not isinstance(kind, str) or not kind.strip():
        raise SourceError(f"{where}的 kind 应是非空字符串。")
    if not isinstance(article, str) or not article or Path(article).name != article:
        raise SourceError(f"{where}的 article 应是文件夹 {folder} 中的一个文件名。")
    if not (folder / article).is_file():
        raise SourceError(f"{where}提到的文章 {article} 不在文件夹 {folder} 中。")
    return NewsQuestion(article, q, tuple(gold), kind)
