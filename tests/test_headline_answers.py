"""The headline restates the body in brief: a fact comes from the body's sentence, the headline answers
only when no body passage is among the top ones."""

from qa.answering.sentences import answer_passages
from qa.ingest.chunking import Chunk
from qa.retrieve.retriever import Hit

ARTICLE = """星河市地铁三号线开通 全长二十八公里
2023-04-02 08:15 来源：星河日报 作者：周某某
4月1日上午，星河市地铁三号线正式开通运营，线路全长28.6公里，共设车站21座。
市交通局负责人介绍，三号线连接城东商务区与城西大学城，预计日均客流量可达15万人次。
开通首日，不少市民专程前来体验，车厢内秩序井然。
"""


def _hit(chunk_id: int, kind: str, score: float) -> Hit:
    return Hit(Chunk(chunk_id, f"第{chunk_id}段。", "", "a.txt", chunk_id, kind), score, 0.0, 0.0, 0.0, chunk_id)


def test_the_header_offers_sentences_only_when_no_body_passage_is_among_the_top_ones():
    hits = [_hit(0, "head", 0.9), _hit(1, "body", 0.5), _hit(2, "caption", 0.4), _hit(3, "body", 0.3)]
    assert [h.chunk.chunk_id for h in answer_passages(hits)] == [1, 2]
    only_header = [_hit(0, "head", 0.9)]
    assert answer_passages(only_header) == only_header
    assert answer_passages([]) == []


def test_a_question_in_the_headlines_words_is_answered_from_the_body(tmp_path, fake_encoder):
    from qa import Engine, build_index
    from qa.ingest import read_path

    path = tmp_path / "metro.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    index = build_index(None, tmp_path / "index", encoder=fake_encoder, model=fake_encoder.name).index_dir
    engine = Engine(index, model=fake_encoder.name, encoder=fake_encoder, strict=True)
    article = engine.add([read_path(path)]).added[0].id
    result = engine.answer("星河市地铁三号线全长多少公里？", article=article)
    assert result.found
    assert "28.6公里" in result.text and "二十八公里" not in result.text
