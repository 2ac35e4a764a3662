"""The features the fitted models read: per candidate passage, per candidate sentence, per question.

Every feature is on a scale that does not depend on the corpus size (shares, cosines, gaps to the best
candidate, reciprocal ranks), so a model fitted on public sets of thousands of passages transfers to
one article of a few dozen.
"""

from __future__ import annotations

import math

import numpy as np

PASSAGE_FEATURES = (
    "dense", "words", "bigrams", "dense_gap", "words_gap", "bigrams_gap", "bm25_rel", "dense_rr", "lexical_rr",
    "sentence_words", "sentence_pairs",
)
SENTENCE_FEATURES = (
    "words", "bigrams", "words_gap", "bigrams_gap", "window_words", "focus", "focus_gap", "dense", "dense_gap",
    "passage", "passage_rank", "first", "typed", "untyped", "reason", "length",
    "local_words", "local_pairs", "local_words_gap", "local_pairs_gap", "rest_words", "run", "run_gap", "defines",
    "topic", "topic_gap", "local_chars", "local_chars_gap", "phrase_fit",
)
PHRASE_COST_SCALE = 8.0  # characters of distance (or their equivalent) at which a phrase's fit falls to 1/e
ANSWERABLE_FEATURES = (
    "passage", "margin", "dense", "words", "bigrams", "sentence", "sentence_words", "sentence_dense",
    "sentence_focus", "uncovered", "nouns_uncovered", "focus_missing", "unknown_names", "typed", "untyped", "unfit",
    "terms", "order", "order_margin",
)
# Which way a feature may move P(answerable), from what it means: more support, more coverage, a
# phrase of the asked kind push up; words the passages lack and names the corpus never uses push down.
# Fitted freely, correlated features (passage vs margin, uncovered vs nouns_uncovered) took opposite
# signs that cancel on the public sets but not on a news article, where they refused right answers.
ANSWERABLE_SIGNS = {
    "passage": 1, "margin": 1, "dense": 1, "words": 1, "bigrams": 1, "sentence": 1, "sentence_words": 1,
    "sentence_dense": 1, "sentence_focus": 1, "uncovered": -1, "nouns_uncovered": -1, "focus_missing": -1,
    "unknown_names": -1, "typed": 1, "untyped": -1, "unfit": -1, "order": 1, "order_margin": 1,
}
ORDER_FEATURES = ("passage", "sentence", "run")
EXTENT_FEATURES = (
    "neighbour", "best", "ratio", "second", "after", "best_length", "neighbour_length", "leans", "listing", "describes",
    "typed", "untyped",
)
RUNNER_FEATURES = ("runner", "best", "ratio", "third", "same_passage", "typed_best", "typed_runner", "best_length", "runner_length")
PHRASE_KINDS = ("number", "date", "person", "organization", "place", "name")
PHRASE_FEATURES = (
    *PHRASE_KINDS, "fit", "cost", "margin", "rivals", "sure", "likely", "length", "digits", "from_question",
    "sentence", "sentence_gap", "joined", "runner",
)
FEATURES = {
    "passage": PASSAGE_FEATURES, "sentence": SENTENCE_FEATURES, "answerable": ANSWERABLE_FEATURES, "order": ORDER_FEATURES,
    "extent": EXTENT_FEATURES, "runner": RUNNER_FEATURES, "phrase": PHRASE_FEATURES,
}
_FLOOR = 1e-6  # the smallest probability the order model reads (its features are logarithms)


def _reciprocal_rank(values: np.ndarray) -> np.ndarray:
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
    return 1.0 / (1.0 + ranks)


def passage_features(
    dense: np.ndarray, words: np.ndarray, pairs: np.ndarray, bm25: np.ndarray,
    sentence_words: np.ndarray, sentence_pairs: np.ndarray,
) -> np.ndarray:
    """One row per candidate passage, columns in PASSAGE_FEATURES order."""
    if not len(dense):
        return np.zeros((0, len(PASSAGE_FEATURES)))
    top_bm25 = float(bm25.max())
    return np.column_stack([
        dense, words, pairs,
        dense - dense.max(), words - words.max(), pairs - pairs.max(),
        bm25 / top_bm25 if top_bm25 > 0 else np.zeros_like(bm25),
        _reciprocal_rank(dense), _reciprocal_rank(bm25) if top_bm25 > 0 else np.zeros_like(bm25),
        sentence_words, sentence_pairs,
    ])


def sentence_features(
    words: np.ndarray, pairs: np.ndarray, window: np.ndarray, focus: np.ndarray, dense: np.ndarray,
    passage: np.ndarray, rank: np.ndarray, position: np.ndarray, typed: np.ndarray, asks_type: bool,
    reason: np.ndarray, length: np.ndarray, local_words: np.ndarray, local_pairs: np.ndarray,
    rest_words: np.ndarray, run: np.ndarray, definition: bool, topic: np.ndarray,
    local_chars: np.ndarray, phrase_cost: np.ndarray,
) -> np.ndarray:
    """One row per candidate sentence (of the top passages), columns in SENTENCE_FEATURES order.

    `window` is the word share of the sentence together with the one before it (a pronoun's antecedent),
    `focus` the share of the question's focus words it mentions, `reason` whether a why-question meets
    a sentence that gives a cause, `local_*` the shares of `qa.storage.lexical.local_shares` (terms weighed by
    their rarity among these sentences too), `rest_words` the share of the question's words beyond its
    subject, `run` the longest stretch of the question the sentence repeats (a share of its length);
    `defines` marks a passage's opening sentence when the question asks what something is; `topic` is the
    word share of the sentence together with the words it inherits (`Retriever.topic_terms`), `local_chars`
    the share of the question's characters, weighed by their rarity among these sentences; `phrase_cost`
    the `qa.answering.phrase.Phrase.cost` of the sentence's answer phrase (inf without one): a number next to the
    question's words and carrying the asked unit fits, an incidental 一个 far from them hardly.
    """
    if not len(words):
        return np.zeros((0, len(SENTENCE_FEATURES)))
    asks = float(asks_type)
    return np.column_stack([
        words, pairs, words - words.max(), pairs - pairs.max(), window, focus, focus - focus.max(),
        dense, dense - dense.max(), passage, rank, (position == 0).astype(float),
        asks * typed, asks * (1 - typed), reason, np.log1p(length) / math.log(200),
        local_words, local_pairs, local_words - local_words.max(), local_pairs - local_pairs.max(),
        rest_words, run, run - run.max(), float(definition) * (position == 0),
        topic, topic - topic.max(), local_chars, local_chars - local_chars.max(),
        asks * np.exp(-np.maximum(phrase_cost, 0.0) / PHRASE_COST_SCALE),
    ])


def answerable_features(
    passages: np.ndarray, top_signals: tuple[float, float, float], sentence: float, sentence_words: float,
    sentence_dense: float, sentence_focus: float, uncovered: float, nouns_uncovered: float, focus_missing: float, unknown_names: bool,
    typed: bool | None, unfit: bool, terms: int, order: np.ndarray,
) -> np.ndarray:
    """One row for the question, columns in ANSWERABLE_FEATURES order.

    `passages` are the passage probabilities best first; `uncovered` is the IDF-weighted share of the
    question's words that none of the top passages holds, `nouns_uncovered` the share of its nouns
    (what it is about: 房价, 人口, 院长) that they do not mention, `focus_missing` the share of the
    words around the question word (`qa.answering.focus`) that the answer's passage lacks; `typed` is None when the question
    asks for no particular kind of phrase, else whether the chosen sentence holds one; `unfit` whether a
    how-many question names the unit its answer carries (多少人, 多少钱 → 元, 几岁) and the answer's phrase
    is a number in none of it (`qa.answering.sentences.lacks_asked_unit`); `terms` is the number of
    the question's words (an English word once, whatever its senses); `order` are the
    shown passages' probabilities of holding the answer (`qa.answering.sentences.in_answer_order`), best first.
    """
    shown = np.zeros(2)
    shown[: min(2, len(order))] = order[:2]
    first = float(passages[0]) if len(passages) else 0.0
    second = float(passages[1]) if len(passages) > 1 else 0.0
    dense, words, pairs = top_signals
    return np.array([[
        first, first - second, dense, words, pairs, sentence, sentence_words, sentence_dense, sentence_focus, uncovered,
        nouns_uncovered, focus_missing, float(unknown_names), float(typed is True), float(typed is False), float(unfit),
        math.log1p(terms),
        shown[0], shown[0] - shown[1],
    ]])


def order_features(passage: np.ndarray, sentence: np.ndarray, run: np.ndarray) -> np.ndarray:
    """One row per passage that offered sentences, columns in ORDER_FEATURES order: the log of its passage
    probability and of the probability of its best sentence, and the longest stretch of the question
    that sentence repeats (`qa.answering.sentences.longest_run`)."""
    return np.column_stack([np.log(np.maximum(passage, _FLOOR)), np.log(np.maximum(sentence, _FLOOR)), run])


def extent_features(
    best: float, neighbour: np.ndarray, second: np.ndarray, after: np.ndarray, best_length: int,
    neighbour_length: np.ndarray, leans: np.ndarray, listing: np.ndarray, describes: bool, typed: float, untyped: float,
) -> np.ndarray:
    """One row per neighbour of the best sentence in its passage, columns in EXTENT_FEATURES order.

    `best` and `neighbour` are sentence-model probabilities, `second` whether the neighbour ranks second
    of all candidates, `after` whether it follows the best sentence; `leans` whether the later of the two
    opens by leaning on the earlier (a pronoun, 同年, 此外, 但 …), `listing` whether the earlier ends
    with a semicolon (a list goes on); `describes` whether the question asks for a description, a list
    or a reason; `typed` / `untyped` whether it asks for a kind of phrase that the best sentence holds /
    lacks.
    """
    n = len(neighbour)
    return np.column_stack([
        np.log(np.maximum(neighbour, _FLOOR)), np.full(n, math.log(max(best, _FLOOR))),
        neighbour / max(best, _FLOOR), second, after, np.full(n, math.log1p(best_length)), np.log1p(neighbour_length),
        leans, listing, np.full(n, float(describes)), np.full(n, typed), np.full(n, untyped),
    ])


def runner_features(
    best: float, runner: float, third: float, same_passage: bool, typed_best: float, typed_runner: float,
    best_length: int, runner_length: int,
) -> np.ndarray:
    """One row for the best candidate sentence outside the answer (the runner-up), columns in
    RUNNER_FEATURES order: the sentence-model probabilities of the best sentence, the runner-up and the
    next most likely candidate, whether the runner-up is in the best sentence's passage, whether each holds a
    phrase of the asked kind (`typed` of SENTENCE_FEATURES), and their lengths."""
    return np.array([[
        math.log(max(runner, _FLOOR)), math.log(max(best, _FLOOR)), runner / max(best, _FLOOR), math.log(max(third, _FLOOR)),
        float(same_passage), typed_best, typed_runner, math.log1p(best_length), math.log1p(runner_length),
    ]])


def phrase_features(
    kind: str, cost: float, margin: float, rivals: int, tier: int, text: str, from_question: float, sentence: float,
    sentence_gap: float, joined: bool, runner: bool,
) -> np.ndarray:
    """One row for the answer phrase, columns in PHRASE_FEATURES order: the kind asked, the phrase's cost
    (`qa.answering.phrase.Phrase`: as a fit, like the sentence model reads it, and plain, in units of
    PHRASE_COST_SCALE), its margin over its best rival (same unit), how many candidates it was chosen from,
    how sure its source is (tier 0 sure, 1 likely), its length and whether it holds digits, the share of its
    characters the question has, the sentence model's probability of its sentence and its lead over the
    next sentence, whether the answer joins several sentences and whether the phrase comes from the
    runner-up sentence."""
    return np.array([[
        *(float(kind == k) for k in PHRASE_KINDS),
        math.exp(-max(cost, 0.0) / PHRASE_COST_SCALE), min(max(cost, -3 * PHRASE_COST_SCALE), 6 * PHRASE_COST_SCALE) / PHRASE_COST_SCALE,
        margin / PHRASE_COST_SCALE, math.log1p(rivals), float(tier == 0), float(tier == 1), math.log1p(len(text)),
        float(any(c.isdigit() for c in text)), from_question, math.log(max(sentence, _FLOOR)), sentence_gap,
        float(joined), float(runner),
    ]])
