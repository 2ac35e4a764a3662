"""From ranked passages to an answer: the fitted sentence model picks the sentence, the fitted extent
model adds the sentences beside it that the answer runs into, the fitted order model orders the passages
shown, the fitted runner-up model adds the next most likely sentence when it may well be the one that
answers, the fitted answerability model decides whether to answer at all, and the answer phrase is cut
from the sentence."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from ..ingest.chunking import Chunk
from ..models.features import (
    EXTENT_FEATURES,
    SENTENCE_FEATURES,
    answerable_features,
    extent_features,
    order_features,
    runner_features,
    sentence_features,
)
from ..models.linear import LinearModel
from ..results import Passage
from ..retrieve.retriever import Hit, Query, Retriever
from ..storage.lexical import local_shares
from ..text.highlight import matched_terms
from ..text.normalize import CLOSERS, normalize
from ..text.tokens import (
    content_chars,
    dictionary_names,
    is_noun,
    passage_sentences,
    read_as_names,
    sentence_chars,
    sentence_terms,
    without_question_phrases,
    word_units,
)
from .asking import parse_question
from .focus import focus_words
from .phrase import Phrase, find_phrase
from .phrase_confidence import phrase_inputs

SENTENCE_PASSAGES = 3
_PEOPLE_UNITS = {"人", "名", "位", "员"}  # 多少人 is answered in 名 and 位 too
_ANY_UNIT = {"个", "萬", "万"}
# The header (headline, subtitle, byline) restates the body in brief: its sentences compete only when
# they hold a word the question asks about that no body sentence of the top passages holds (`offered`). Captions
# always compete: the shipped article's photo captions hold facts its body does not.
RESTATING_KINDS = frozenset({"head"})
RUNNER_SEPARATOR = "\n"  # between the answer and the runner-up shown beside it
_WHY_RE = re.compile(r"为什么|为何|原因|怎么会|why")
_ANAPHOR_RE = re.compile(
    r"^(?:他|她|它|其|此|这|该|本|同年|同月|同日|次年|翌年|当年|当时|此时|其后|此后|之后|随后|后来|因此|因而|所以|于是)"
)
_DEFINITION_RE = re.compile(r"^(?:什么是|何为|何谓|啥是)(?P<a>.+)$|^(?P<b>.+?)(?:是什么|是谁|是啥|指什么|是指什么|是何物)$")
# A sentence that goes on from the one before it: its pronoun or time refers back, or it adds, contrasts
# or continues a list.
_CONTINUES_RE = re.compile(
    _ANAPHOR_RE.pattern + r"|^(?:并|但|而|也|又|另|此外|另外|同时|然而|不过|且|再|最后|首先|其次|第二|第三|二是|三是|包括|即)"
)
# Questions whose answer is a description, a list or a reason: it often runs over more than one sentence.
_DESCRIBES_RE = re.compile(r"哪些|什么样|怎样|怎么样|如何|特征|特点|外形|外貌|形状|样子|为什么|为何|原因|怎么|过程|作用|影响|内容|区别|分别|有什么")
_CAUSE_RE = re.compile(r"因为|由于|所以|因此|因而|为了|导致|原因|以便|以免|鉴于|缘于|because|due to")


@dataclass(frozen=True)
class Sentence:
    """The chosen answer sentence, the passage it is in, its probability of holding the answer."""

    text: str
    chunk_id: int
    score: float
    words: float = 0.0
    dense: float = 0.0
    focus: float = 0.0
    phrase: str | None = None  # the phrase of the asked kind the answer holds, however sure
    runner_up: str | None = None  # the runner-up sentence `text` ends with, on a line of its own
    phrase_probability: float | None = None  # the fitted phrase model's, when there is a phrase and a model
    phrase_shown: bool = False  # whether that probability reaches the model's threshold

    @property
    def shown_phrase(self) -> str | None:
        """The phrase to show: only one the phrase model is sure enough of."""
        return self.phrase if self.phrase_shown else None


@dataclass(frozen=True)
class SentenceChoice:
    """The chosen sentence, and every candidate sentence (text, chunk id) with its features and
    probability (training reads these; the passage order reads the probabilities)."""

    sentence: Sentence
    candidates: list[tuple[str, int]]
    features: np.ndarray
    scores: np.ndarray


@dataclass(frozen=True)
class Decision:
    """Whether to answer, and the probability the fitted answerability model gave."""

    answer: bool
    probability: float


def corpus_text(chunks: list[Chunk]) -> str:
    """All passages normalized, one per line: where `unknown_names` looks for a question's names."""
    return "\n".join(normalize(chunk.text) for chunk in chunks)


def unknown_names(question: str, corpus_text: str) -> list[str]:
    """Proper nouns of the question that the (normalized) sources never mention (the question is read
    with LAC only when a dictionary name is missing from them)."""
    missing = [name for name in dictionary_names(question) if name not in corpus_text]
    return read_as_names(question, missing)


def best_sentence(
    query: Query,
    hits: list[Hit],
    retriever: Retriever,
    model: LinearModel,
    asks_type: bool,
    extent: LinearModel | None = None,
    runner: LinearModel | None = None,
    phrase_model: LinearModel | None = None,
) -> SentenceChoice:
    """The sentence of the top passages most likely to hold the answer (the fitted sentence model), with
    the sentences beside it that the fitted extent model judges the answer to run into (none without
    one), then, on a line of its own, the runner-up sentence when the fitted runner-up model judges it
    likely enough to be the one that answers (never without one); its phrase is shown when the fitted
    phrase model is sure enough of it (never without one)."""
    words, pairs = retriever.bundle.words, retriever.bundle.bigrams
    focus = focus_forms(query.text, retriever.carried_over)
    why = bool(_WHY_RE.search(query.text))
    # One unit per word for the shares below: a long name's sub-words would count it several times.
    units = query.word_groups if query.groups is not None else [list(u) for u in word_units(without_question_phrases(query.text))]
    candidates: list[tuple[str, int]] = []
    terms: list[tuple[frozenset[str], frozenset[str]]] = []
    columns: list[list[float]] = [[] for _ in range(12)]
    header: list[bool] = []
    normals: list[str] = []
    for hit in hits[:SENTENCE_PASSAGES]:
        previous: frozenset[str] = frozenset()
        topic = retriever.topic_terms(hit.chunk)
        for position, sentence in enumerate(passage_sentences(hit.chunk.text)):
            sentence_words, sentence_pairs = sentence_terms(sentence)
            phrase = find_phrase(query.text, sentence) if asks_type else None
            normalized = normalize(sentence)
            values = (
                words.share(query.word_groups, sentence_words),
                pairs.share(query.bigrams, sentence_pairs),
                words.share(query.word_groups, sentence_words | previous),
                sum(any(form in normalized for form in forms) for forms in focus) / len(focus) if focus else 0.0,
                hit.score,
                hit.rank,
                position,
                float(phrase is not None),
                float(why and bool(_CAUSE_RE.search(normalized))),
                len(sentence),
                words.share(query.word_groups, sentence_words | topic),
                phrase.cost if phrase is not None else math.inf,
            )
            for column, value in zip(columns, values):
                column.append(value)
            candidates.append((sentence, hit.chunk.chunk_id))
            terms.append((sentence_words, sentence_pairs))
            header.append(hit.chunk.kind in RESTATING_KINDS)
            normals.append(normalized)
            previous = sentence_words
    # What the question asks about: its focus (总投资 of 总投资多少), else all its words.
    asked = focus or [list(group) for group in query.word_groups]
    covers = np.array([[any(form in text for form in forms) for text in normals] for forms in asked], dtype=bool)
    keep = offered(np.array(header, dtype=bool), covers.reshape(-1, len(normals)))
    candidates = [c for c, k in zip(candidates, keep) if k]
    terms = [t for t, k in zip(terms, keep) if k]
    columns = [[v for v, k in zip(column, keep) if k] for column in columns]
    share, pair_share, window, in_focus, passage, rank, position, typed, reason, length, topic_share, phrase_cost = (
        np.asarray(c, dtype=np.float64) for c in columns
    )
    dense = retriever.sentence_vectors([text for text, _ in candidates]) @ query.vector
    local_words = local_shares(units, [w for w, _ in terms], words.idf)
    local_pairs = local_shares(query.bigrams, [p for _, p in terms], pairs.idf)
    local_chars = local_shares(content_chars(query.tokens), [sentence_chars(text) for text, _ in candidates], _even)
    # What the question asks beyond its subject: its words that the best passage's lead sentence (the
    # first candidate) lacks; a Chinese text names its subject once, then drops it.
    lead = terms[0][0]
    rest = [group for group in units if not any(t in lead for t in group)]
    features = sentence_features(
        share, pair_share, window, in_focus, dense, passage, rank, position, typed, asks_type, reason, length,
        local_words, local_pairs, np.array([words.share(rest, w) for w, _ in terms]),
        np.array([longest_run(query.text, text) for text, _ in candidates]), asks_definition(query.text),
        topic_share, local_chars, phrase_cost,
    )
    scores = model.probability(features)
    best = int(np.argmax(scores))
    chunk_id = candidates[best][1]
    composed = compose_answer(query.text, candidates, scores, features, best, extent, runner, asks_type)
    text, phrase, extra = composed.text, composed.phrase, composed.runner_up
    probability = None
    if composed.phrase_row is not None and phrase_model is not None:
        probability = float(phrase_model.probability(composed.phrase_row)[0])
    sentence = Sentence(
        text, chunk_id, float(scores[best]), float(share[best]), float(dense[best]), float(in_focus[best]),
        phrase.text if phrase else None, extra, probability,
        probability is not None and probability >= phrase_model.threshold,
    )
    return SentenceChoice(sentence, candidates, features, scores)


def offered(header: np.ndarray, covers: np.ndarray) -> np.ndarray:
    """Which candidate sentences compete, given which are the header's and which of the words the question
    asks about each holds (`covers[word, sentence]`): every body sentence; a header sentence only when it
    holds such a word that no body sentence holds. A headline restates the body in brief, naming the
    subject the body then calls 该线 or 该校, but sometimes holds a fact the body omits."""
    if header.all():
        return np.ones_like(header)
    in_body = covers[:, ~header].any(axis=1)
    return ~header | (covers & ~in_body[:, None]).any(axis=0)


@dataclass(frozen=True)
class ComposedAnswer:
    """The answer text around the best candidate, its phrase (however sure), the runner-up sentence shown
    beside it, and the phrase model's input for that phrase."""

    text: str
    phrase: Phrase | None
    runner_up: str | None
    phrase_row: np.ndarray | None


def compose_answer(
    question: str, candidates: list[tuple[str, int]], scores: np.ndarray, features: np.ndarray, best: int,
    extent: LinearModel | None, runner: LinearModel | None, asks_type: bool,
) -> ComposedAnswer:
    """The answer around the best candidate (`answer_text`), the runner-up on a line of its own when the
    fitted runner-up model judges it likely enough, and the phrase: the answer's, else the runner-up's."""
    text, phrase = answer_text(question, candidates, scores, features, best, extent, asks_type)
    joined, extra, from_runner = text != candidates[best][0], None, False
    if runner is not None:
        other = runner_up(candidates, scores, features, best, text)
        if other is not None and runner.probability(other[1])[0] >= runner.threshold:
            extra = candidates[other[0]][0]
            text += RUNNER_SEPARATOR + extra
            if asks_type and phrase is None:
                phrase = find_phrase(question, extra)
                from_runner = phrase is not None
    row = phrase_inputs(question, phrase, scores, best, joined, from_runner) if phrase is not None else None
    return ComposedAnswer(text, phrase, extra, row)


def answer_text(
    question: str, candidates: list[tuple[str, int]], scores: np.ndarray, features: np.ndarray, best: int,
    extent: LinearModel | None, asks_type: bool,
) -> tuple[str, Phrase | None]:
    """The answer text and phrase around the best candidate: its extent (`answer_span`), preceded by
    the sentence it leans on (`with_antecedent`)."""
    chunk_id = candidates[best][1]
    first, last = answer_span(question, candidates, scores, features, best, extent)
    text = candidates[first][0]
    for i in range(first + 1, last + 1):
        text = joined(text, candidates[i][0])
    previous = candidates[first - 1][0] if first > 0 and candidates[first - 1][1] == chunk_id else None
    return with_antecedent(question, text, previous, asks_type)


def _even(_: str) -> float:
    """Characters have no corpus IDF here: only their rarity among the candidate sentences weighs them."""
    return 1.0


def answer_span(
    question: str, candidates: list[tuple[str, int]], scores: np.ndarray, features: np.ndarray, best: int,
    extent: LinearModel | None,
) -> tuple[int, int]:
    """The first and the last candidate of the answer: the best sentence, widened to the neighbours the
    extent model judges the answer to run into."""
    if extent is None:
        return best, best
    neighbours, rows = extent_inputs(question, candidates, scores, features, best)
    joins = [i for i, p in zip(neighbours, extent.probability(rows)) if p >= extent.threshold] if neighbours else []
    return min([best, *joins]), max([best, *joins])


def extent_inputs(
    question: str, candidates: list[tuple[str, int]], scores: np.ndarray, features: np.ndarray, best: int
) -> tuple[list[int], np.ndarray]:
    """The best sentence's neighbours in its passage (candidate indices) and the extent model's input for
    each: whether the answer runs over into them, as an answer over a sentence end, a list or a
    description of several sentences does."""
    chunk_id = candidates[best][1]
    neighbours = [i for i in (best - 1, best + 1) if 0 <= i < len(candidates) and candidates[i][1] == chunk_id]
    if not neighbours:
        return [], np.zeros((0, len(EXTENT_FEATURES)))
    second = int(np.argsort(-scores, kind="stable")[1])
    later = [normalize(candidates[max(i, best)][0]) for i in neighbours]
    earlier = [candidates[min(i, best)][0].rstrip(CLOSERS + " ") for i in neighbours]
    column = SENTENCE_FEATURES.index
    rows = extent_features(
        float(scores[best]),
        scores[neighbours],
        np.array([float(i == second) for i in neighbours]),
        np.array([float(i > best) for i in neighbours]),
        len(candidates[best][0]),
        np.array([len(candidates[i][0]) for i in neighbours]),
        np.array([float(bool(_CONTINUES_RE.match(text))) for text in later]),
        np.array([float(text.endswith(("；", ";"))) for text in earlier]),
        bool(_DESCRIBES_RE.search(normalize(question))),
        float(features[best, column("typed")]),
        float(features[best, column("untyped")]),
    )
    return neighbours, rows


def runner_up(
    candidates: list[tuple[str, int]], scores: np.ndarray, features: np.ndarray, best: int, answer: str
) -> tuple[int, np.ndarray] | None:
    """The most likely candidate sentence that the answer text does not already hold, and the runner-up
    model's input for it; None when there is none."""
    order = [i for i in np.argsort(-scores, kind="stable") if candidates[i][0] not in answer]
    if not order:
        return None
    other = int(order[0])
    third = float(scores[order[1]]) if len(order) > 1 else 0.0
    typed = SENTENCE_FEATURES.index("typed")
    row = runner_features(
        float(scores[best]), float(scores[other]), third, candidates[other][1] == candidates[best][1],
        float(features[best, typed]), float(features[other, typed]), len(candidates[best][0]), len(candidates[other][0]),
    )
    return other, row


def joined(first: str, second: str) -> str:
    """Two consecutive sentences of a passage as one text (a space between them after a Latin end)."""
    return first + ("" if unicodedata.east_asian_width(first[-1]) in "WF" else " ") + second


def with_antecedent(question: str, sentence: str, previous: str | None, asks_type: bool) -> tuple[str, Phrase | None]:
    """The answer text and phrase: the sentence, preceded by the sentence before it in its passage when
    it leans on that one (opens with a pronoun or "同年", "因此" …) or lacks the kind of phrase asked
    for while that one holds it ("他是……的教宗。" needs the sentence that names him)."""
    phrase = find_phrase(question, sentence) if asks_type else None
    if previous is None:
        return sentence, phrase
    missing = asks_type and phrase is None and find_phrase(question, previous) is not None
    if not (missing or _ANAPHOR_RE.match(normalize(sentence))):
        return sentence, phrase
    text = joined(previous, sentence)
    return text, find_phrase(question, text) if asks_type else None


def asks_definition(question: str) -> bool:
    """What is X (什么是X, 何谓X, X是什么, X是谁, not X的Y是什么): what an opening sentence tells."""
    text = normalize(question).rstrip("?？。!！ ")
    match = _DEFINITION_RE.search(text)
    return bool(match) and "的" not in (match.group("a") or match.group("b") or "的")


def longest_run(question: str, sentence: str) -> float:
    """The longest stretch of the question that the sentence repeats verbatim, as a share of the
    question's length: a question is often written by copying a phrase of the sentence that answers it."""
    q, s = normalize(question), normalize(sentence)
    best = start = 0
    for end in range(1, len(q) + 1):
        while start < end and q[start:end] not in s:
            start += 1
        best = max(best, end - start)
    return best / len(q) if q else 0.0


def focus_forms(question: str, carry: Callable[[str], list[str]]) -> list[list[str]]:
    """The question's focus words (`qa.answering.focus`), each as the forms a passage may use: an English word's
    Chinese translations (`carry`), a Chinese word itself."""
    return [carry(word) if word.isascii() else [word] for word in focus_words(question)]


def focus_missing(question: str, passage: str, carry: Callable[[str], list[str]]) -> float:
    """The share of the question's focus words that `passage` (normalized) never mentions."""
    focus = focus_forms(question, carry)
    return sum(not any(form in passage for form in forms) for forms in focus) / len(focus) if focus else 0.0


def decision_features(
    query: Query,
    hits: list[Hit],
    sentence: Sentence,
    retriever: Retriever,
    corpus_text: str,
    asks_type: bool,
    shown: list[Hit],
) -> np.ndarray:
    """The answerability model's input for one question (`shown`: the passages in answer order)."""
    words = retriever.bundle.words
    top = hits[:SENTENCE_PASSAGES]
    covered = frozenset().union(*(sentence_terms(hit.chunk.text)[0] for hit in top))
    uncovered = 1.0 - words.share(query.word_groups, covered)
    text = "\n".join(normalize(hit.chunk.search_text) for hit in top)
    units = question_units(query)
    answer_passage = next((h.chunk for h in top if h.chunk.chunk_id == sentence.chunk_id), hits[0].chunk)
    focus = focus_missing(query.text, normalize(answer_passage.search_text), retriever.carried_over)
    return answerable_features(
        np.array([hit.score for hit in hits]),
        (hits[0].dense, hits[0].words, hits[0].bigrams),
        sentence.score,
        sentence.words,
        sentence.dense,
        sentence.focus,
        uncovered if query.tokens else 1.0,
        nouns_uncovered(units, text, words.idf),
        focus,
        bool(unknown_names(query.text, corpus_text)),
        (sentence.phrase is not None) if asks_type else None,
        lacks_asked_unit(query.text, sentence.phrase) if asks_type else False,
        len(units),
        np.array([hit.score for hit in shown[:SENTENCE_PASSAGES]]),
    )


def lacks_asked_unit(question: str, phrase: str | None) -> bool:
    """Whether a how-many question names the unit its answer carries (多少人, 多少钱 → 元, 几岁) and
    `phrase` is a number in none of it (2014年 for 花了多少钱). No phrase is `untyped`'s concern; a
    generic measure word (几个) fits any."""
    asked = parse_question(question)
    if phrase is None or asked is None or asked.kind != "number" or asked.ordinal or not asked.hints:
        return False
    hints = set(asked.hints) | (_PEOPLE_UNITS if "人" in asked.hints else set())
    if hints <= _ANY_UNIT:
        return False
    text = normalize(phrase)
    return not any(hint in text for hint in hints)


def question_units(query: Query) -> list[tuple[str, ...]]:
    """The question's words, each once, as the forms a passage may use: an English word's Chinese senses
    are alternatives, not words of their own."""
    return list(dict.fromkeys(tuple(group) for group in query.word_groups))


def nouns_uncovered(units: list[tuple[str, ...]], text: str, idf: Callable[[str], float]) -> float:
    """The IDF-weighted share of the question's nouns (what it is about: 房价, 人口, 院长) that `text`
    (the top passages, normalized) mentions in none of their forms."""
    nouns = [unit for unit in units if any(is_noun(word) for word in unit)]
    weights = [max(idf(word) for word in noun) for noun in nouns]
    total = sum(weights)
    missing = sum(w for noun, w in zip(nouns, weights) if not any(word in text for word in noun))
    return missing / total if total > 0 else 0.0


def order_inputs(hits: list[Hit], choice: SentenceChoice) -> np.ndarray:
    """The order model's input: per passage that offered sentences, its probability, its best sentence's
    and how much of the question that sentence repeats."""
    top = hits[:SENTENCE_PASSAGES]
    best: dict[int, int] = {}
    for i, (_, chunk_id) in enumerate(choice.candidates):
        if chunk_id not in best or choice.scores[i] > choice.scores[best[chunk_id]]:
            best[chunk_id] = i
    chosen = [best.get(hit.chunk.chunk_id) for hit in top]
    run = SENTENCE_FEATURES.index("run")
    return order_features(
        np.array([hit.score for hit in top]),
        np.array([0.0 if i is None else float(choice.scores[i]) for i in chosen]),
        np.array([0.0 if i is None else float(choice.features[i, run]) for i in chosen]),
    )


def in_answer_order(hits: list[Hit], choice: SentenceChoice, model: LinearModel) -> list[Hit]:
    """The passages as shown: those that offered sentences ordered by the fitted order model (from
    their own probability and their best sentence's), each scored with its probability of holding the
    answer; the rest after them, never shown as more relevant than the ones above."""
    top = hits[:SENTENCE_PASSAGES]
    if not top:
        return hits
    probability = model.probability(order_inputs(hits, choice))
    order = np.argsort(-probability, kind="stable")
    shown = [replace(top[i], score=float(probability[i]), rank=rank) for rank, i in enumerate(order)]
    floor = shown[-1].score
    return shown + [replace(hit, score=min(hit.score, floor)) for hit in hits[SENTENCE_PASSAGES:]]


def decide(features: np.ndarray, model: LinearModel) -> Decision:
    probability = float(model.probability(features)[0])
    return Decision(probability >= model.threshold, probability)


def to_passages(hits: list[Hit], query: Query) -> list[Passage]:
    """Hits as evidence passages, with the question's words found in each."""
    # Single characters would light up half the passage; words and character pairs are enough.
    terms = [t for t in dict.fromkeys(query.tokens + query.bigrams) if len(t) > 1]
    return [
        Passage(
            text=hit.chunk.text,
            score=round(hit.score, 4),
            chunk_id=hit.chunk.chunk_id,
            section=hit.chunk.section,
            source=hit.chunk.source,
            paragraph=hit.chunk.paragraph,
            kind=hit.chunk.kind,
            matched=matched_terms(hit.chunk.text, [normalize(t) for t in terms]),
            article=hit.chunk.article,
        )
        for hit in hits
    ]
