"""Adding (and removing) one ~3,000-character article with the real default encoder, into corpora of
growing size: the shipped article alone, ~1,000 and ~10,000 passages. Median of `--runs` runs, each on
a fresh copy of the corpus, with the phases of an add timed by wrapping the library's own functions.

    python bench/add_article.py [--runs 5] [--sizes 1000 10000] [--random-vectors]

The corpora are synthetic articles made from the shipped text with other place names and numbers,
encoded once with the real model (`--random-vectors`: random unit vectors instead, faster to build;
the add itself always encodes with the real model). Times are in-process, the engine loaded first:
"add_s" is `Engine.add` until the engine answers from the new version.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from _util import ROOT, table, write_result

import qa.index.build
import qa.index.changes
from qa.config import DEFAULT_MODEL, DEFAULT_SOURCE, ChunkerSettings
from qa.encoders.loading import load_encoder, load_query_encoder
from qa.engine import Engine
from qa.index.build import Corpus, build_index, chunk_document, write_index
from qa.ingest import Document, read_pasted
from qa.ingest.sources import read_source
from qa.storage import LocalStore
from qa.storage.dense import DenseIndex
from qa.storage.lexical import LexicalIndex

PLACES = ["蜀山", "瑶海", "庐阳", "肥西", "长丰", "巢湖", "庐江", "肥东", "滨湖", "高新", "新站", "经开", "包公", "三河"]
COLUMNS = ["corpus_passages", "article_passages", "runs", "add_s", "load_s", "encode_s", "tokenize_s", "bm25_s", "dense_s", "write_s",
           "publish_s", "reload_s", "remove_s"]


def synthetic_documents(passages: int) -> list[Document]:
    """Articles made from the shipped text (each ~36 passages), places and numbers varied, until `passages`."""
    text = read_source(DEFAULT_SOURCE).document.text
    per_article = chunk_document(read_pasted(text), ChunkerSettings())[0].passages
    documents = []
    for i in range(max(1, round(passages / per_article))):
        place = PLACES[i % len(PLACES)] + (str(i // len(PLACES)) if i >= len(PLACES) else "")
        varied = re.sub(r"\d+", lambda m, i=i: str(int(m.group()) * (i + 7) % 99991), text.replace("包河", place))
        documents.append(read_pasted(f"{place}区发展纪实(第{i + 1}篇)\n\n{varied}"))
    return documents


def new_article() -> Document:
    """~3,000 characters: the reader fixtures' paragraphs, twice with other numbers, under one headline."""
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "data"))
    from make_articles import BUS, ELEVATOR, LIBRARY, RIVER

    paragraphs = [p for a in (LIBRARY, RIVER, BUS, ELEVATOR) for p in a["paragraphs"]]
    varied = [re.sub(r"\d+", lambda m: str(int(m.group()) + 17), p) for p in paragraphs]
    body, size = [], 0
    for paragraph in paragraphs + varied:
        if size + len(paragraph) > 3000:
            break
        body.append(paragraph)
        size += len(paragraph)
    return read_pasted("各地民生工程一览\n\n" + "\n\n".join(body))


def build_corpus(directory: Path, passages: int | None, random_vectors: bool) -> int:
    """The corpus index in `directory`; returns its passage count."""
    if passages is None:
        return build_index([DEFAULT_SOURCE], directory, encoder=load_query_encoder()).chunks
    documents = [read_source(DEFAULT_SOURCE).document] + synthetic_documents(passages)
    if not random_vectors:
        return build_index(documents=documents, index_dir=directory, encoder=load_encoder()).chunks
    articles, texts, chunks = [], {}, []
    for document in documents:
        record, parts = chunk_document(document, ChunkerSettings(), len(chunks))
        articles.append(record)
        texts[record.id] = document.text
        chunks.extend(parts)
    vectors = np.random.default_rng(0).standard_normal((len(chunks), 512)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    directory.mkdir(parents=True)
    write_index(Corpus(articles, texts, chunks, vectors), directory, DEFAULT_MODEL, 512)
    return len(chunks)


@contextmanager
def phases() -> dict[str, float]:
    """Seconds spent in the library functions an add or remove calls, by phase, while the block runs."""
    spent: dict[str, float] = defaultdict(float)
    patches = [
        (qa.index.changes, "load_bundle", "load"), (qa.index.changes, "read_texts", "load"),
        (qa.index.changes, "encode_chunks", "encode"),
        (qa.index.build, "tokenize", "tokenize"), (qa.index.build, "bigrams", "tokenize"),
        (LexicalIndex, "build", "bm25"), (DenseIndex, "build", "dense"), (LocalStore, "save", "write"),
        (qa.index.build, "write_files", "write"), (qa.index.build, "write_manifest", "write"),
        (qa.index.build, "publish", "publish"), (Engine, "_reload", "reload"),
    ]
    originals = [(owner, name, owner.__dict__[name]) for owner, name, _ in patches]

    def timed(function, phase):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[phase] += time.perf_counter() - started
        return wrapper

    for owner, name, phase in patches:
        original = owner.__dict__[name]
        if isinstance(original, classmethod):
            setattr(owner, name, classmethod(timed(original.__func__, phase)))
        else:
            setattr(owner, name, timed(original, phase))
    try:
        yield spent
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


def one_run(corpus: Path, work: Path, encoder, document: Document) -> dict[str, float]:
    copy = work / "index"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(corpus, copy)
    engine = Engine(copy, strict=True, encoder=encoder)
    engine.articles()  # loaded before the clock starts
    with phases() as spent:
        started = time.perf_counter()
        added = engine.add([document]).added[0]
        add_s = time.perf_counter() - started
    row = {"add_s": add_s, "article_passages": added.passages,
           **{f"{k}_s": spent[k] for k in ("load", "encode", "tokenize", "bm25", "dense", "write", "publish", "reload")}}
    started = time.perf_counter()
    engine.remove(added.id)
    row["remove_s"] = time.perf_counter() - started
    assert added.id not in {a.id for a in engine.articles()}
    shutil.rmtree(work, ignore_errors=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000], help="synthetic corpus sizes (passages)")
    parser.add_argument("--random-vectors", action="store_true", help="random unit vectors for the synthetic corpora")
    args = parser.parse_args()
    document = new_article()
    encoder = load_query_encoder()
    rows = []
    with tempfile.TemporaryDirectory(prefix="qa-add-bench-") as temp:
        temp = Path(temp)
        for size in [None, *args.sizes]:
            corpus = temp / f"corpus-{size or 'shipped'}" / "index"
            started = time.perf_counter()
            passages = build_corpus(corpus, size, args.random_vectors)
            print(f"corpus of {passages} passages built in {time.perf_counter() - started:.1f} s", flush=True)
            runs = [one_run(corpus, temp / "run", encoder, document) for _ in range(args.runs)]
            row = {"corpus_passages": passages, "runs": len(runs), "article_passages": runs[0]["article_passages"]}
            row.update({key: round(statistics.median(r[key] for r in runs), 3) for key in COLUMNS if key in runs[0]
                        and key != "article_passages"})
            rows.append(row)
            print(table([row], COLUMNS), flush=True)
            shutil.rmtree(corpus.parent, ignore_errors=True)
    print("\n" + table(rows, COLUMNS))
    path = write_result("add_article", {
        "rows": rows,
        "article_chars": len(document.text),
        "corpus_vectors": "random unit vectors" if args.random_vectors else "real model",
        "note": "in-process, engine loaded first; add_s = Engine.add until the engine answers from the new version; "
                "phases: load = read the published index, bm25 = tokenize + both BM25 indexes, dense = faiss index, "
                "write = data files + hashes + manifest, publish = fsync + swap, reload = the engine loading the new version",
    })
    print(f"\n→ {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
