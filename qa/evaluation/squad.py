"""SQuAD-style reading-comprehension files (CMRC 2018, DRCD) as a corpus of articles with questions."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import SourceError
from ..text.normalize import normalize

_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class SquadQuestion:
    """One question, the context it was written for and its gold answer texts."""

    qid: str
    question: str
    answers: tuple[str, ...]
    context: str  # the context's article name


@dataclass(frozen=True)
class SquadSet:
    """Every context of a file (name → text, one article each), its titles and its questions."""

    name: str
    contexts: dict[str, str]
    titles: dict[str, str]
    questions: list[SquadQuestion]

    def first(self, limit: int | None) -> SquadSet:
        """The set with only its first `limit` questions (all of them when `limit` is None or 0)."""
        return replace(self, questions=self.questions[:limit]) if limit else self


def answer_form(text: str) -> str:
    """How gold and returned answers are compared: NFKC, simplified, lower case, no white space."""
    return _SPACE_RE.sub("", normalize(text))


def contains_answer(text: str, answers: tuple[str, ...] | list[str]) -> bool:
    """Whether `text` holds one of the gold answers (in `answer_form`)."""
    form = answer_form(text)
    return any(answer_form(a) and answer_form(a) in form for a in answers)


def read_squad(path: Path) -> SquadSet:
    """Read a SQuAD-style JSON file; each context becomes an article named `<set>-<number>.txt`."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))["data"]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise SourceError(f"无法读取 SQuAD 格式的文件 {path}:需要含有 data[].paragraphs[] 的 JSON。") from exc
    label = Path(path).stem
    contexts: dict[str, str] = {}
    titles: dict[str, str] = {}
    questions: list[SquadQuestion] = []
    for article in data:
        for paragraph in article.get("paragraphs", []):
            name = f"{label}-{len(contexts):04d}.txt"
            # One line per context: the chunker then sees one paragraph and no headline.
            contexts[name] = _SPACE_RE.sub(" ", str(paragraph.get("context", ""))).strip()
            titles[name] = str(article.get("title", ""))
            for item in paragraph.get("qas", []):
                answers = tuple(dict.fromkeys(str(a["text"]) for a in item.get("answers", []) if str(a.get("text", "")).strip()))
                if answers and str(item.get("question", "")).strip():
                    questions.append(SquadQuestion(str(item.get("id", len(questions))), str(item["question"]), answers, name))
    if not questions:
        raise SourceError(f"文件 {path} 中没有带答案的问题。")
    return SquadSet(label, contexts, titles, questions)


def write_articles(squad: SquadSet, directory: Path) -> list[Path]:
    """Write every context as one UTF-8 article file; returns the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in squad.contexts.items():
        path = directory / name
        path.write_text(text + "\n", encoding="utf-8")
        paths.append(path)
    return paths
