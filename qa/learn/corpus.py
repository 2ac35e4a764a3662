"""The public SQuAD-style sets turned into what the trainer asks questions of: in-memory corpora (one
large, one per title) and the questions encoded, with their made-up negatives (`qa.learn.negatives`)."""

from __future__ import annotations

import dataclasses
import sys
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..answering.sentences import SENTENCE_PASSAGES, corpus_text
from ..config import ChunkerSettings
from ..encoders.loading import Encoder
from ..evaluation.squad import SquadQuestion, SquadSet, contains_answer
from ..index.build import dense_text, local_store
from ..index.files import IndexBundle
from ..ingest.chunking import Chunk, chunk_article
from ..retrieve.retriever import HAND_SET_WEIGHTS, Retriever
from ..text.tokens import passage_sentences
from .negatives import attribute_pool, swapped_focus, swapped_unit, unit_pool

SEED = 20201030
SHARED_SENTENCES: OrderedDict = OrderedDict()
_SHARED_LOCK = threading.Lock()


@dataclass
class TrainingCorpus:
    """An in-memory index over some contexts, and which context each chunk came from."""

    name: str
    retriever: Retriever
    context_of: list[str]
    corpus_text: str
    chunks_of: dict[str, frozenset[int]] = field(default_factory=dict)


def progress(items, label: str):
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


def in_memory_corpus(name: str, chunks: list[Chunk], owners: list[str], vectors: np.ndarray, encoder: Encoder) -> TrainingCorpus:
    """The retriever the engine would build for these chunks, without touching the disk."""
    numbered = [dataclasses.replace(chunk, chunk_id=i) for i, chunk in enumerate(chunks)]
    store = local_store(numbered, vectors, "flat")
    bundle = IndexBundle(Path("."), {"articles": []}, numbered, store, store.words, store.pairs)
    chunks_of: dict[str, set[int]] = defaultdict(set)
    for i, owner in enumerate(owners):
        chunks_of[owner].add(i)
    retriever = Retriever(bundle, encoder, weights=HAND_SET_WEIGHTS)
    retriever._sentence_cache, retriever._cache_lock = SHARED_SENTENCES, _SHARED_LOCK  # encode each sentence once
    return TrainingCorpus(name, retriever, owners, corpus_text(numbered), {k: frozenset(v) for k, v in chunks_of.items()})


@dataclass
class Prepared:
    """One set ready for training: its large corpus, its per-title corpora and its questions."""

    squad: SquadSet
    large: TrainingCorpus
    small: dict[str, TrainingCorpus]
    title_of: dict[str, str]
    vectors: dict[str, np.ndarray]
    # qid -> its made-up negatives: (how it was made: "focus" or "unit", the question, its vector)
    swapped: dict[str, list[tuple[str, SquadQuestion, np.ndarray]]]


def prepare(squad: SquadSet, encoder: Encoder) -> Prepared:
    chunks, owners = chunk_contexts(squad)
    texts = [dense_text(c.search_text) for c in chunks]
    vectors = np.vstack([encoder.encode(texts[i : i + 64]) for i in progress(range(0, len(texts), 64), f"{squad.name} passages")])
    large = in_memory_corpus(squad.name, chunks, owners, vectors, encoder)
    by_title: dict[str, list[int]] = defaultdict(list)
    for i, owner in enumerate(owners):
        by_title[squad.titles[owner] or owner].append(i)
    small = {
        title: in_memory_corpus(title, [chunks[i] for i in ids], [owners[i] for i in ids], vectors[ids], encoder)
        for title, ids in progress(sorted(by_title.items()), f"{squad.name} articles")
    }
    # Every sentence the sentence model may see, encoded in batches once (as at query time, from the cache).
    sentences = list(dict.fromkeys(s for c in chunks for s in passage_sentences(c.text)))
    fresh = [s for s in sentences if s not in SHARED_SENTENCES]
    for i in progress(range(0, len(fresh), 64), f"{squad.name} sentences"):
        batch = fresh[i : i + 64]
        SHARED_SENTENCES.update(zip(batch, encoder.encode([dense_text(s) for s in batch])))
    questions = [q.question for q in squad.questions]
    qvectors = np.vstack([encoder.encode([dense_text(q)]) for q in progress(questions, f"{squad.name} questions")])
    title_of = {name: squad.titles[name] or name for name in squad.contexts}
    pool, units = attribute_pool(questions), unit_pool(questions)
    swapped: dict[str, list[tuple[str, SquadQuestion, np.ndarray]]] = defaultdict(list)
    for q in progress(squad.questions, f"{squad.name} swapped questions"):
        article = small[title_of[q.context]].corpus_text
        made = {"focus": swapped_focus(q.question, pool, article, f"{SEED}:{q.qid}"),
                "unit": swapped_unit(q.question, units, article, f"{SEED}:unit:{q.qid}")}
        for how, text in made.items():
            if text is not None:
                vector = encoder.encode([dense_text(text)])[0]
                swapped[q.qid].append((how, dataclasses.replace(q, question=text), vector))
    return Prepared(squad, large, small, title_of, {q.qid: v for q, v in zip(squad.questions, qvectors)}, swapped)


def ask(corpus: TrainingCorpus, item: SquadQuestion, vector: np.ndarray, hide: bool):
    """The query and candidates of a question asked of `corpus` (its own context hidden if `hide`)."""
    exclude = corpus.chunks_of.get(item.context, frozenset()) if hide else frozenset()
    query = corpus.retriever.prepare(item.question, vector)
    return query, corpus.retriever.candidates_for(query, SENTENCE_PASSAGES, exclude), exclude


def holds_answer(corpus: TrainingCorpus, chunk_id: int, item: SquadQuestion) -> bool:
    """Whether a chunk is of the question's own context and holds its gold answer."""
    return corpus.context_of[chunk_id] == item.context and contains_answer(corpus.retriever.bundle.chunks[chunk_id].text, item.answers)

