"""`make train`: fit the passage, sentence, passage-order, answer-extent, runner-up and answerability models on public SQuAD-style sets.

    python -m qa.learn.train --squad A.json --squad B.json --out qa/data/weights.json

Each set's contexts are chunked like articles and indexed in memory twice: all together (a large
corpus, where ranking is hard) and grouped by their Wikipedia title (small corpora of one to a few
paragraphs, like one news article). Questions are asked of
- the corpus holding their context (answerable),
- the same corpus with their own context hidden (not answerable: the subject is often still there,
  in a sibling paragraph, but not the fact asked for),
- a small corpus of another title (not answerable).
The six models are fitted in turn with scikit-learn (only needed here), cross-validated by title,
and written as JSON. Deterministic: fixed order, fixed seed, a deterministic solver.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..answering import (
    SENTENCE_PASSAGES, SentenceChoice, answer_text, best_sentence, corpus_text, decision_features, extent_inputs,
    in_answer_order, joined, order_inputs, runner_up,
)
from ..building import dense_text, local_store
from ..chunking import Chunk, chunk_article
from ..config import DEFAULT_WEIGHTS, ChunkerSettings
from ..encoders import Encoder, load_query_encoder
from ..phrase import asked_type
from ..retriever import HAND_SET_WEIGHTS, Hit, Retriever
from ..tokens import passage_sentences
from ..squad import SquadQuestion, SquadSet, contains_answer, read_squad
from ..store import IndexBundle
from .features import ANSWERABLE_SIGNS, FEATURES
from .linear import LinearModel, Weights, save_weights
from .negatives import attribute_pool, swapped_focus

SEED = 20201030
# A question asked with its own context hidden is an uncertain negative: a sibling paragraph sometimes
# answers it in other words. Counted in full, these rows made the model refuse ~10 % of answerable
# training questions; at 0.3 it refuses ~6 % while other articles' questions stay 99.9 % refused.
HIDDEN_CONTEXT_WEIGHT = 0.3
# A question whose focus noun was swapped for one its article never mentions (`qa.learn.negatives`).
# The swap can land on a near-synonym its passage still answers; counted in full these rows made the
# model abstain on 2.9 % of answerable DRCD questions (2.4 % without them), at 0.3 on 2.1 %.
SWAPPED_FOCUS_WEIGHT = 0.3
# A sentence beside the best one joins the answer when the chance that the answer runs into it is at
# least 1 in 10: reading one more sentence costs a reader far less than an answer cut short.
EXTENT_THRESHOLD = 0.1
# The runner-up sentence is shown beside the answer when the chance that it, not the answer, holds what
# was asked is at least 1 in 5: a second sentence apart from the first costs more reading than a
# neighbour, so it needs better odds (README, Quality: what it costs in answer length).
RUNNER_THRESHOLD = 0.2
# The models read against a threshold of their own rather than ranked: fitted plainly, one row each.
_THRESHOLDS = {"extent": EXTENT_THRESHOLD, "runner": RUNNER_THRESHOLD}
_RANKERS = ("passage", "sentence", "order")
_SHARED_SENTENCES: OrderedDict = OrderedDict()
_SHARED_LOCK = threading.Lock()


@dataclass
class Corpus:
    """An in-memory index over some contexts, and which context each chunk came from."""

    name: str
    retriever: Retriever
    context_of: list[str]
    corpus_text: str
    chunks_of: dict[str, frozenset[int]] = field(default_factory=dict)


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


def _progress(items, label: str):
    from tqdm import tqdm

    return tqdm(items, desc=label, file=sys.stderr, leave=False, mininterval=2.0)


def chunk_contexts(squad: SquadSet) -> tuple[list[Chunk], list[str]]:
    chunks: list[Chunk] = []
    owners: list[str] = []
    for name, text in squad.contexts.items():
        for part in chunk_article(text, name, ChunkerSettings())[1]:
            chunks.append(part)
            owners.append(name)
    return chunks, owners


def in_memory_corpus(name: str, chunks: list[Chunk], owners: list[str], vectors: np.ndarray, encoder: Encoder) -> Corpus:
    """The retriever the engine would build for these chunks, without touching the disk."""
    numbered = [dataclasses.replace(chunk, chunk_id=i) for i, chunk in enumerate(chunks)]
    store = local_store(numbered, vectors, "flat")
    bundle = IndexBundle(Path("."), {"articles": []}, numbered, store, store.words, store.pairs)
    chunks_of: dict[str, set[int]] = defaultdict(set)
    for i, owner in enumerate(owners):
        chunks_of[owner].add(i)
    retriever = Retriever(bundle, encoder, weights=HAND_SET_WEIGHTS)
    retriever._sentence_cache, retriever._cache_lock = _SHARED_SENTENCES, _SHARED_LOCK  # encode each sentence once
    return Corpus(name, retriever, owners, corpus_text(numbered), {k: frozenset(v) for k, v in chunks_of.items()})


@dataclass
class Prepared:
    """One set ready for training: its large corpus, its per-title corpora and its questions."""

    squad: SquadSet
    large: Corpus
    small: dict[str, Corpus]
    title_of: dict[str, str]
    vectors: dict[str, np.ndarray]
    swapped: dict[str, tuple[SquadQuestion, np.ndarray]]  # qid -> its swapped-focus negative, that one's vector


def prepare(squad: SquadSet, encoder: Encoder) -> Prepared:
    chunks, owners = chunk_contexts(squad)
    texts = [dense_text(c.search_text) for c in chunks]
    vectors = np.vstack([encoder.encode(texts[i : i + 64]) for i in _progress(range(0, len(texts), 64), f"{squad.name} passages")])
    large = in_memory_corpus(squad.name, chunks, owners, vectors, encoder)
    by_title: dict[str, list[int]] = defaultdict(list)
    for i, owner in enumerate(owners):
        by_title[squad.titles[owner] or owner].append(i)
    small = {
        title: in_memory_corpus(title, [chunks[i] for i in ids], [owners[i] for i in ids], vectors[ids], encoder)
        for title, ids in _progress(sorted(by_title.items()), f"{squad.name} articles")
    }
    # Every sentence the sentence model may see, encoded in batches once (as at query time, from the cache).
    sentences = list(dict.fromkeys(s for c in chunks for s in passage_sentences(c.text)))
    fresh = [s for s in sentences if s not in _SHARED_SENTENCES]
    for i in _progress(range(0, len(fresh), 64), f"{squad.name} sentences"):
        batch = fresh[i : i + 64]
        _SHARED_SENTENCES.update(zip(batch, encoder.encode([dense_text(s) for s in batch])))
    questions = [q.question for q in squad.questions]
    qvectors = np.vstack([encoder.encode([dense_text(q)]) for q in _progress(questions, f"{squad.name} questions")])
    title_of = {name: squad.titles[name] or name for name in squad.contexts}
    pool = attribute_pool(questions)
    swapped = {}
    for q in _progress(squad.questions, f"{squad.name} swapped questions"):
        text = swapped_focus(q.question, pool, small[title_of[q.context]].corpus_text, f"{SEED}:{q.qid}")
        if text is not None:
            swapped[q.qid] = (dataclasses.replace(q, question=text), encoder.encode([dense_text(text)])[0])
    return Prepared(squad, large, small, title_of, {q.qid: v for q, v in zip(squad.questions, qvectors)}, swapped)


def ask(corpus: Corpus, item: SquadQuestion, vector: np.ndarray, hide: bool):
    """The query and candidates of a question asked of `corpus` (its own context hidden if `hide`)."""
    exclude = corpus.chunks_of.get(item.context, frozenset()) if hide else frozenset()
    query = corpus.retriever.prepare(item.question, vector)
    return query, corpus.retriever.candidates_for(query, SENTENCE_PASSAGES, exclude), exclude


def holds_answer(corpus: Corpus, chunk_id: int, item: SquadQuestion) -> bool:
    """Whether a chunk is of the question's own context and holds its gold answer."""
    return corpus.context_of[chunk_id] == item.context and contains_answer(corpus.retriever.bundle.chunks[chunk_id].text, item.answers)


def passage_rows(sets: list[Prepared], rows: Rows) -> None:
    """Stage 1: candidates of every question in its large corpus; positive = holds the answer."""
    for prepared in sets:
        corpus = prepared.large
        for item in _progress(prepared.squad.questions, f"{prepared.squad.name} passage rows"):
            query, candidates, _ = ask(corpus, item, prepared.vectors[item.qid], hide=False)
            features = corpus.retriever.features(candidates)
            labels = np.array([holds_answer(corpus, int(i), item) for i in candidates.ids])
            if labels.any():  # every candidate: the model meets at run time what it learned from
                rows.add(features, labels, prepared.title_of[item.context], prepared.squad.name)


@dataclass
class Asked:
    """One question's top passages and candidate sentences as stage 2 saw them; stages 3 and 4 read them again."""

    item: SquadQuestion
    hits: list[Hit]
    choice: SentenceChoice
    holds: np.ndarray  # which of the top passages hold the answer
    group: str
    origin: str


def sentence_rows(sets: list[Prepared], model: LinearModel, sentence_model: LinearModel, rows: Rows) -> list[Asked]:
    """Stage 2: sentences of the top passages; positive = holds the answer. Returns every question's
    top passages and sentences for stages 3 and 4."""
    asked = []
    for prepared in sets:
        corpus = prepared.large
        corpus.retriever.model, corpus.retriever.weights = model, None
        for item in _progress(prepared.squad.questions, f"{prepared.squad.name} sentence rows"):
            query, candidates, _ = ask(corpus, item, prepared.vectors[item.qid], hide=False)
            hits = corpus.retriever.fuse(candidates, SENTENCE_PASSAGES)
            asks = asked_type(item.question) is not None
            choice = best_sentence(query, hits, corpus.retriever, sentence_model, asks)
            labels = np.array([contains_answer(text, item.answers) for text, _ in choice.candidates])
            group = prepared.title_of[item.context]
            if labels.any():
                rows.add(choice.features, labels, group, prepared.squad.name)
            holds = np.array([holds_answer(corpus, hit.chunk.chunk_id, item) for hit in hits[:SENTENCE_PASSAGES]])
            asked.append(Asked(item, hits, choice, holds, group, prepared.squad.name))
    return asked


def rescored(asked: list[Asked], sentence_model: LinearModel) -> list[Asked]:
    """Stage 2's questions with their candidate sentences scored by the fitted sentence model, once for
    stages 3 and 4."""
    return [
        dataclasses.replace(q, choice=dataclasses.replace(q.choice, scores=sentence_model.probability(q.choice.features)))
        for q in asked
    ]


def order_rows(asked: list[Asked], rows: Rows) -> None:
    """Stage 3: the passages that offered sentences, by their probability and their best sentence's
    (`asked` as `rescored`); positive = holds the answer."""
    for question in asked:
        if question.holds.any():
            rows.add(order_inputs(question.hits, question.choice), question.holds, question.group, question.origin)


def extent_rows(asked: list[Asked], rows: Rows) -> None:
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


def runner_rows(asked: list[Asked], extent: LinearModel, rows: Rows) -> None:
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


def answerable_rows(sets: list[Prepared], weights: Weights, rows: Rows) -> None:
    """Stage 6: each question answerable (its corpus) and not (own context hidden; another article; its
    focus noun swapped for one its article lacks)."""
    rng = random.Random(SEED)
    for prepared in sets:
        titles = sorted(prepared.small)
        for item in _progress(prepared.squad.questions, f"{prepared.squad.name} answerability rows"):
            title = prepared.title_of[item.context]
            own = prepared.small[title]
            other = prepared.small[rng.choice([t for t in titles if t != title])]
            cases = [(prepared.large, False, 1), (prepared.large, True, 0), (own, False, 1), (other, False, 0)]
            if len(own.chunks_of) > 1:  # sibling paragraphs: the subject is known, the fact is not
                cases.append((own, True, 0))
            vector = prepared.vectors[item.qid]
            asked = [(corpus, item, vector, hide, label, HIDDEN_CONTEXT_WEIGHT if hide else 1.0) for corpus, hide, label in cases]
            if item.qid in prepared.swapped:  # the subject is there, the fact asked for is not
                asked.append((own, *prepared.swapped[item.qid], False, 0, SWAPPED_FOCUS_WEIGHT))
            for corpus, question, vector, hide, label, weight in asked:
                features = question_features(corpus, question, vector, hide, weights)
                if features is not None:
                    rows.add(features, np.array([label]), title, prepared.squad.name, weight)


def question_features(corpus: Corpus, item: SquadQuestion, vector: np.ndarray, hide: bool, weights: Weights):
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


def fit(
    x: np.ndarray, y: np.ndarray, features: tuple[str, ...], balanced: bool = False, weight: np.ndarray | None = None,
    signs: dict[str, int] | None = None,
) -> LinearModel:
    """Logistic regression (L2, C = 1, as scikit-learn's) on standardized features; with `signs`, each
    named feature's coefficient is held to that sign (+1 or -1) and the others are free."""
    from sklearn.preprocessing import StandardScaler
    from sklearn.utils.class_weight import compute_sample_weight

    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 1e-9, scaler.scale_, 1.0)
    z = (x - scaler.mean_) / scale
    w = np.ones(len(y)) if weight is None else np.asarray(weight, dtype=np.float64)
    if balanced:
        w = w * compute_sample_weight("balanced", y)
    coef, intercept = _logistic(z, y.astype(np.float64), w, [(signs or {}).get(f, 0) for f in features])
    r = lambda v: tuple(round(float(a), 6) for a in v)  # noqa: E731
    return LinearModel(features, r(scaler.mean_), r(scale), r(coef), round(float(intercept), 6))


def _logistic(z: np.ndarray, y: np.ndarray, w: np.ndarray, signs: list[int]) -> tuple[np.ndarray, float]:
    """Minimize sum(w · log-loss) + ||coef||² / 2 under the sign bounds (L-BFGS-B from zero: deterministic)."""
    from scipy.optimize import minimize

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        s = z @ theta[:-1] + theta[-1]
        p = 1.0 / (1.0 + np.exp(-s))
        value = float(np.sum(w * (np.logaddexp(0.0, s) - y * s)) + 0.5 * theta[:-1] @ theta[:-1])
        g = w * (p - y)
        return value, np.r_[z.T @ g + theta[:-1], g.sum()]

    bounds = [(0.0, None) if s > 0 else (None, 0.0) if s < 0 else (None, None) for s in signs] + [(None, None)]
    result = minimize(loss, np.zeros(z.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=bounds,
                      options={"maxiter": 5000, "gtol": 1e-8})
    return result.x[:-1], float(result.x[-1])


def fit_ranking(x: np.ndarray, y: np.ndarray, query: np.ndarray, features: tuple[str, ...]) -> LinearModel:
    """A model that picks the right candidate among those of one question: a softmax over each question's
    candidates (listwise: the probability its right candidates get is what is maximized, as the answer
    takes the top one), then its score calibrated into a probability of holding the answer (Platt
    scaling over all candidates)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 1e-9, scaler.scale_, 1.0)
    z = (x - scaler.mean_) / scale
    direction = _listwise(z, y.astype(np.float64), query)
    platt = LogisticRegression(C=1.0, max_iter=2000).fit((z @ direction)[:, None], y)
    coef = direction * platt.coef_[0][0]
    r = lambda v: tuple(round(float(a), 6) for a in v)  # noqa: E731
    return LinearModel(features, r(scaler.mean_), r(scale), r(coef), round(float(platt.intercept_[0]), 6))


def _listwise(z: np.ndarray, y: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Minimize -Σ log(softmax mass on each question's right candidates) + ||w||² / 2 (L-BFGS from zero:
    deterministic)."""
    from scipy.optimize import minimize

    order = np.argsort(query, kind="stable")
    z, y, query = z[order], y[order], query[order]
    starts = np.r_[0, np.flatnonzero(query[1:] != query[:-1]) + 1]
    owner = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(query)]))
    answerable = np.add.reduceat(y, starts) > 0

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = z @ w
        e = np.exp(s - np.maximum.reduceat(s, starts)[owner])
        total, right = np.add.reduceat(e, starts), np.add.reduceat(e * y, starts)
        value = -float(np.sum(np.log(right[answerable] / total[answerable]))) + 0.5 * float(w @ w)
        keep = answerable[owner]
        p = np.where(keep, e / total[owner], 0.0)
        q = np.where(keep & (y > 0), e / np.where(right[owner] > 0, right[owner], 1.0), 0.0)
        return value, z.T @ (p - q) + w

    result = minimize(loss, np.zeros(z.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 5000, "gtol": 1e-8})
    return result.x


def top1_hits(scores: np.ndarray, y: np.ndarray, query: np.ndarray) -> dict:
    """Per question (its `query` value): whether its best-scored candidate is a right one."""
    return {q: bool(y[rows][np.argmax(scores[rows])]) for q in np.unique(query) for rows in [np.flatnonzero(query == q)]}


def top1_accuracy(model: LinearModel, x: np.ndarray, y: np.ndarray, query: np.ndarray) -> float:
    """Share of questions whose best-scored candidate is a right one."""
    return float(np.mean(list(top1_hits(model.probability(x), y, query).values())))


def _fit_for(name: str, x: np.ndarray, y: np.ndarray, query: np.ndarray, weight: np.ndarray) -> LinearModel:
    """The fitting each model gets: rankers (passage, sentence, order) listwise, answerability balanced and
    weighted, the extent and the runner-up plain (read against EXTENT_THRESHOLD and RUNNER_THRESHOLD)."""
    if name == "answerable":
        return fit(x, y, FEATURES[name], balanced=True, weight=weight, signs=ANSWERABLE_SIGNS)
    if name in _THRESHOLDS:
        return dataclasses.replace(fit(x, y, FEATURES[name]), threshold=_THRESHOLDS[name])
    return fit_ranking(x, y, query, FEATURES[name])


def _scores(name: str, model: LinearModel, x: np.ndarray, y: np.ndarray, query: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import roc_auc_score

    p = model.probability(x)
    out = {"auc": round(float(roc_auc_score(y, p)), 4), "accuracy": round(float(((p >= 0.5) == y).mean()), 4)}
    if name in _RANKERS:
        out["top1"] = round(top1_accuracy(model, x, y, query), 4)
    return out


def out_of_fold(fit: Callable[[np.ndarray], LinearModel], x: np.ndarray, y: np.ndarray, group: np.ndarray,
                folds: int = 5) -> np.ndarray:
    """Each row's probability from the model `fit` makes of the other folds' rows (their indices);
    k folds grouped by `group` (the title), so no article is on both sides."""
    from sklearn.model_selection import GroupKFold

    scores = np.zeros(len(y))
    for train_rows, test_rows in GroupKFold(n_splits=folds).split(x, y, group):
        scores[test_rows] = fit(train_rows).probability(x[test_rows])
    return scores


def cross_validate(name: str, rows: Rows, folds: int = 5) -> dict[str, float]:
    """Grouped (by title) k-fold figures: AUC, accuracy at 0.5 and, for the rankers, how often the
    top candidate of a question is a right one."""
    x, y, group, _ = rows.arrays()
    query, weight = rows.queries(), rows.weights()
    scores = out_of_fold(lambda r: _fit_for(name, x[r], y[r], query[r], weight[r]), x, y, group, folds)
    held = LinearModel(("score",), (0.0,), (1.0,), (1.0,), 0.0)  # scores are already probabilities
    logit = np.log(np.clip(scores, 1e-9, 1 - 1e-9) / np.clip(1 - scores, 1e-9, 1))[:, None]
    return {"rows": int(len(y)), "positives": int(y.sum()), **_scores(name, held, logit, y, query)}


def cross_set(name: str, rows: Rows) -> dict[str, dict[str, float]]:
    """Fit on one set, score on the other: how a model carries over to data it never saw."""
    x, y, _, origin = rows.arrays()
    query, weight = rows.queries(), rows.weights()
    out = {}
    for held in sorted(set(origin)):
        train_rows, test_rows = origin != held, origin == held
        if not train_rows.any() or len(set(y[test_rows])) < 2:
            continue
        model = _fit_for(name, x[train_rows], y[train_rows], query[train_rows], weight[train_rows])
        out[f"held_out_{held}"] = _scores(name, model, x[test_rows], y[test_rows], query[test_rows])
    return out


def train(paths: list[Path], out: Path, limit: int | None = None, report: bool = True) -> dict:
    """Fit the six models on the SQuAD-style files and write them to `out`; returns the figures."""
    started = time.perf_counter()
    _SHARED_SENTENCES.clear()
    encoder = load_query_encoder()
    sets = []
    for path in paths:
        sets.append(prepare(read_squad(path).first(limit), encoder))

    passages = Rows()
    passage_rows(sets, passages)
    passage = fit_ranking(*passages.arrays()[:2], passages.queries(), FEATURES["passage"])

    # The sentence rows need a sentence model to run `best_sentence`; its choice is not used here.
    sentences = Rows()
    asked = sentence_rows(sets, passage, _uniform(FEATURES["sentence"]), sentences)
    sentence = fit_ranking(*sentences.arrays()[:2], sentences.queries(), FEATURES["sentence"])

    asked = rescored(asked, sentence)
    orders = Rows()
    order_rows(asked, orders)
    order = fit_ranking(*orders.arrays()[:2], orders.queries(), FEATURES["order"])

    extents = Rows()
    extent_rows(asked, extents)
    extent = _fit_for("extent", *extents.arrays()[:2], extents.queries(), extents.weights())

    runners = Rows()
    runner_rows(asked, extent, runners)
    runner = _fit_for("runner", *runners.arrays()[:2], runners.queries(), runners.weights())

    questions = Rows()
    answerable_rows(sets, Weights(passage, sentence, _uniform(FEATURES["answerable"]), order, extent, runner), questions)
    answerable = _fit_for("answerable", *questions.arrays()[:2], questions.queries(), questions.weights())

    figures: dict = {}
    if report:
        models = (("passage", passages), ("sentence", sentences), ("order", orders), ("extent", extents), ("runner", runners),
                  ("answerable", questions))
        for name, rows in models:
            figures[name] = cross_validate(name, rows) | cross_set(name, rows)
    meta = {
        "command": "make train",
        "trained_on": [{"file": Path(p).name, "questions": len(s.squad.questions), "contexts": len(s.squad.contexts)} for p, s in zip(paths, sets)],
        "seed": SEED,
        "cross_validation": figures,
    }
    save_weights(Weights(passage, sentence, answerable, order, extent, runner), out, meta)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    return figures


def _uniform(features: tuple[str, ...]) -> LinearModel:
    n = len(features)
    return LinearModel(features, (0.0,) * n, (1.0,) * n, (1.0,) * n, 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qa.learn.train", description=__doc__.split("\n")[0])
    parser.add_argument("--squad", type=Path, action="append", required=True, help="SQuAD-style JSON; repeatable")
    parser.add_argument("--out", type=Path, default=DEFAULT_WEIGHTS, help="where to write the weights JSON")
    parser.add_argument("--limit", type=int, help="only the first N questions of each set (a quick run)")
    parser.add_argument("--no-report", action="store_true", help="skip cross-validation")
    args = parser.parse_args(argv)
    figures = train(args.squad, args.out, args.limit, report=not args.no_report)
    import json

    print(json.dumps(figures, ensure_ascii=False, indent=1))
    print(f"已写入 {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
