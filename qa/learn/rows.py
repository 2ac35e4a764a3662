"""The training rows of each model: the features of every candidate each question meets, stage by
stage, labelled by whether it holds the gold answer."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field

import numpy as np

from ..answering.asking import asked_type
from ..answering.sentences import (
    SENTENCE_PASSAGES,
    SentenceChoice,
    answer_text,
    best_sentence,
    compose_answer,
    decision_features,
    extent_inputs,
    in_answer_order,
    joined,
    order_inputs,
    runner_up,
)
from ..evaluation.span_scores import exact_match
from ..evaluation.squad import SquadQuestion, contains_answer
from ..models.linear import LinearModel, Weights
from ..retrieve.retriever import Hit
from .corpus import SEED, Prepared, TrainingCorpus, ask, holds_answer, progress

# A question asked with its own context hidden is an uncertain negative: a sibling paragraph sometimes
# answers it in other words. Counted in full, these rows made the model refuse ~10 % of answerable
# training questions; at 0.3 it refuses ~6 % while other articles' questions stay 99.9 % refused.
HIDDEN_CONTEXT_WEIGHT = 0.3
# A question whose focus noun was swapped for one its article never mentions (`qa.learn.negatives`).
# The swap can land on a near-synonym its passage still answers; counted in full these rows made the
# model abstain on 2.9 % of answerable DRCD questions (2.4 % without them), at 0.3 on 2.1 %.
SWAPPED_FOCUS_WEIGHT = 0.3
# A question counting in a unit its article never uses (有多少吨 of an article without 吨) is a sure
# negative: counted in full.
SWAPPED_WEIGHTS = {"focus": SWAPPED_FOCUS_WEIGHT, "unit": 1.0}


@dataclass
class Rows:
    """Feature rows with labels and the title each came from (for grouped cross-validation)."""

    x: list[np.ndarray] = field(default_factory=list)
    y: list[np.ndarray] = field(default_factory=list)
    group: list[np.ndarray] = field(default_factory=list)
    origin: list[np.ndarray] = field(default_factory=list)
    query: list[np.ndarray] = field(default_factory=list)
    weight: list[np.ndarray] = field(default_factory=list)

    def add(self, x: np.ndarray, y: np.ndarray, group: str, origin: str, weight: float = 1.0) -> None:
        self.weight.append(np.full(len(y), weight))
        self.x.append(x)
        self.y.append(np.asarray(y, dtype=np.int64))
        self.group.append(np.full(len(y), group, dtype=object))
        self.origin.append(np.full(len(y), origin, dtype=object))
        self.query.append(np.full(len(y), len(self.query)))

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return np.vstack(self.x), np.concatenate(self.y), np.concatenate(self.group), np.concatenate(self.origin)

    def queries(self) -> np.ndarray:
        """Which question each row belongs to (rows of one question are candidates to rank)."""
        return np.concatenate(self.query)

    def weights(self) -> np.ndarray:
        """How much each row counts in fitting."""
        return np.concatenate(self.weight)


def passage_rows(sets: list[Prepared], rows: Rows) -> None:
    """Stage 1: candidates of every question in its large corpus; positive = holds the answer."""
    for prepared in sets:
        corpus = prepared.large
        for item in progress(prepared.squad.questions, f"{prepared.squad.name} passage rows"):
            query, candidates, _ = ask(corpus, item, prepared.vectors[item.qid], hide=False)
            features = corpus.retriever.features(candidates)
            labels = np.array([holds_answer(corpus, int(i), item) for i in candidates.ids])
            if labels.any():  # every candidate: the model meets at run time what it learned from
                rows.add(features, labels, prepared.title_of[item.context], prepared.squad.name)


@dataclass
class QuestionCandidates:
    """One question's top passages and candidate sentences as stage 2 saw them; stages 3 and 4 read them again."""

    item: SquadQuestion
    hits: list[Hit]
    choice: SentenceChoice
    holds: np.ndarray  # which of the top passages hold the answer
    group: str
    origin: str


def sentence_rows(sets: list[Prepared], model: LinearModel, sentence_model: LinearModel, rows: Rows) -> list[QuestionCandidates]:
    """Stage 2: sentences of the top passages; positive = holds the answer. Returns every question's
    top passages and sentences for stages 3 and 4."""
    asked = []
    for prepared in sets:
        corpus = prepared.large
        corpus.retriever.model, corpus.retriever.weights = model, None
        for item in progress(prepared.squad.questions, f"{prepared.squad.name} sentence rows"):
            query, candidates, _ = ask(corpus, item, prepared.vectors[item.qid], hide=False)
            hits = corpus.retriever.fuse(candidates, SENTENCE_PASSAGES)
            asks = asked_type(item.question) is not None
            choice = best_sentence(query, hits, corpus.retriever, sentence_model, asks)
            labels = np.array([contains_answer(text, item.answers) for text, _ in choice.candidates])
            group = prepared.title_of[item.context]
            if labels.any():
                rows.add(choice.features, labels, group, prepared.squad.name)
            holds = np.array([holds_answer(corpus, hit.chunk.chunk_id, item) for hit in hits[:SENTENCE_PASSAGES]])
            asked.append(QuestionCandidates(item, hits, choice, holds, group, prepared.squad.name))
    return asked


def rescored(asked: list[QuestionCandidates], sentence_model: LinearModel) -> list[QuestionCandidates]:
    """Stage 2's questions with their candidate sentences scored by the fitted sentence model, once for
    stages 3 and 4."""
    return [
        dataclasses.replace(q, choice=dataclasses.replace(q.choice, scores=sentence_model.probability(q.choice.features)))
        for q in asked
    ]


def order_rows(asked: list[QuestionCandidates], rows: Rows) -> None:
    """Stage 3: the passages that offered sentences, by their probability and their best sentence's
    (`asked` as `rescored`); positive = holds the answer."""
    for question in asked:
        if question.holds.any():
            rows.add(order_inputs(question.hits, question.choice), question.holds, question.group, question.origin)


def extent_rows(asked: list[QuestionCandidates], rows: Rows) -> None:
    """Stage 4: the neighbours in its passage of each question's best sentence (`asked` as `rescored`);
    positive = the best sentence lacks the answer and the two together hold it."""
    for question in asked:
        choice = question.choice
        if not choice.candidates:
            continue
        best = int(np.argmax(choice.scores))
        neighbours, features = extent_inputs(question.item.question, choice.candidates, choice.scores, choice.features, best)
        if not neighbours:
            continue
        answers = question.item.answers
        text = lambda i: choice.candidates[i][0]  # noqa: E731
        alone = contains_answer(text(best), answers)
        labels = [not alone and contains_answer(joined(text(min(i, best)), text(max(i, best))), answers) for i in neighbours]
        rows.add(features, np.array(labels), question.group, question.origin)


def runner_rows(asked: list[QuestionCandidates], extent: LinearModel, rows: Rows) -> None:
    """Stage 5: the runner-up of each question's answer (`asked` as `rescored`, the answer widened by the
    fitted extent model); positive = the answer lacks the gold text and the runner-up holds it."""
    for question in asked:
        choice = question.choice
        if not choice.candidates:
            continue
        best = int(np.argmax(choice.scores))
        asks = asked_type(question.item.question) is not None
        text, _ = answer_text(question.item.question, choice.candidates, choice.scores, choice.features, best, extent, asks)
        other = runner_up(choice.candidates, choice.scores, choice.features, best, text)
        if other is None:
            continue
        answers = question.item.answers
        label = not contains_answer(text, answers) and contains_answer(choice.candidates[other[0]][0], answers)
        rows.add(other[1], np.array([label]), question.group, question.origin)


def phrase_rows(asked: list[QuestionCandidates], extent: LinearModel, runner: LinearModel, rows: Rows) -> None:
    """Stage 6: the phrase of each answer (`asked` as `rescored`, the answer widened by the fitted extent
    model, the runner-up added by the fitted runner-up model); positive = exactly a gold answer, as
    CMRC 2018's scoring counts it (punctuation and spaces aside)."""
    for question in asked:
        choice = question.choice
        if not choice.candidates or asked_type(question.item.question) is None:
            continue
        best = int(np.argmax(choice.scores))
        composed = compose_answer(question.item.question, choice.candidates, choice.scores, choice.features, best, extent,
                                  runner, True)
        if composed.phrase_row is not None:
            label = exact_match(composed.phrase.text, question.item.answers)
            rows.add(composed.phrase_row, np.array([label]), question.group, question.origin)


def answerable_rows(sets: list[Prepared], weights: Weights, rows: Rows) -> None:
    """Stage 7: each question answerable (its corpus) and not (own context hidden; another article; its
    focus noun, or the unit it counts in, swapped for one its article lacks)."""
    rng = random.Random(SEED)
    for prepared in sets:
        titles = sorted(prepared.small)
        for item in progress(prepared.squad.questions, f"{prepared.squad.name} answerability rows"):
            title = prepared.title_of[item.context]
            own = prepared.small[title]
            other = prepared.small[rng.choice([t for t in titles if t != title])]
            cases = [(prepared.large, False, 1), (prepared.large, True, 0), (own, False, 1), (other, False, 0)]
            if len(own.chunks_of) > 1:  # sibling paragraphs: the subject is known, the fact is not
                cases.append((own, True, 0))
            vector = prepared.vectors[item.qid]
            asked = [(corpus, item, vector, hide, label, HIDDEN_CONTEXT_WEIGHT if hide else 1.0) for corpus, hide, label in cases]
            for how, made, made_vector in prepared.swapped.get(item.qid, ()):  # the subject is there, the fact is not
                asked.append((own, made, made_vector, False, 0, SWAPPED_WEIGHTS[how]))
            for corpus, question, vector, hide, label, weight in asked:
                features = question_features(corpus, question, vector, hide, weights)
                if features is not None:
                    rows.add(features, np.array([label]), title, prepared.squad.name, weight)


def question_features(corpus: TrainingCorpus, item: SquadQuestion, vector: np.ndarray, hide: bool, weights: Weights):
    retriever = corpus.retriever
    retriever.model, retriever.weights = weights.passage, None
    query, candidates, _ = ask(corpus, item, vector, hide)
    hits = retriever.fuse(candidates, SENTENCE_PASSAGES)
    if not hits:
        return None
    asks = asked_type(item.question) is not None
    choice = best_sentence(query, hits, retriever, weights.sentence, asks, weights.extent)
    shown = in_answer_order(hits, choice, weights.order)
    return decision_features(query, hits, choice.sentence, retriever, corpus.corpus_text, asks, shown)
