"""A web page's own address (<link rel="canonical"> / og:url): read with the page, kept in the index,
carried on the answer's passages and shown as a link; hostile addresses are never links, and an index
written before addresses were kept still opens."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from qa.cli import main
from qa.engine import Engine
from qa.index.articles import Article
from qa.index.build import build_index
from qa.index.files import MANIFEST
from qa.ingest import read_document
from qa.ingest.intake import Upload
from qa.ingest.shape import URL_MAX_CHARS, clean_url
from qa.results import Answer, Passage
from qa.web.render import escape, linked, render_answer, render_article_head, render_article_list

from .conftest import ARTICLE, HashEncoder

PAGE = (Path(__file__).parent / "data" / "articles" / "news-utf8.html").read_text(encoding="utf-8")
QUESTION = "南湖区图书馆新馆总建筑面积是多少?"
URL = "https://news.example.com/2024/04/23/library.html"


def with_head(extra: str) -> bytes:
    """The fixture news page with `extra` added to its <head>."""
    return PAGE.replace("</head>", f"{extra}\n</head>", 1).encode("utf-8")


def canonical(href: str) -> bytes:
    return with_head(f'<link rel="canonical" href="{href}">')


@pytest.fixture
def engine(tmp_path) -> Engine:
    index_dir = tmp_path / "index"
    build_index([ARTICLE], index_dir, encoder=HashEncoder())
    return Engine(index_dir, model=HashEncoder().name, encoder=HashEncoder(), strict=True)


@pytest.mark.parametrize("url", [URL, "http://example.com", "HTTPS://例子.中国/新闻?id=1#正文", "https://a.b:8080/x_(1)"])
def test_sane_web_addresses_are_kept(url):
    assert clean_url(f"  {url} ") == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://example.com/a",
        "/news/1.html",
        "//example.com/news/1.html",
        "https://",
        "https://example.com/a b",
        "https://example.com/\"onmouseover=\"alert(1)",
        "https://example.com/'><img src=x onerror=alert(1)>",
        "https://example.com/\x00",
        "https://example.com/a\u2028b",
        "https://example.com/a\u200bb",
        "https://example.com:99999/",
        "https://[::1/",
        "https://example.com/" + "a" * URL_MAX_CHARS,
        "",
        None,
    ],
)
def test_other_addresses_are_dropped(url):
    assert clean_url(url) is None


def test_a_page_keeps_its_canonical_address_else_its_og_url():
    assert read_document(canonical(URL), "page.html").url == URL
    assert read_document(with_head(f'<meta property="og:url" content="{URL}?og">'), "page.html").url == URL + "?og"
    assert read_document(PAGE.encode("utf-8"), "page.html").url is None
    assert read_document(canonical("javascript:alert(1)"), "page.html").url is None


def test_the_address_goes_through_the_index_into_the_answer_and_its_json(engine):
    added = engine.add([Upload(canonical(URL), "page.html")]).added[0]
    assert added.url == URL and added.public()["url"] == URL
    reopened = Engine(engine.index_dir, model=HashEncoder().name, encoder=HashEncoder(), strict=True)
    assert [a.url for a in reopened.articles()] == [None, URL]  # the shipped .txt has none
    answer = reopened.answer(QUESTION)
    assert answer.found and answer.passages
    assert all(p.url == URL for p in answer.passages if p.article == added.id)
    passages = json.loads(answer.to_json())["passages"]
    assert {p["url"] for p in passages if p["article"] == added.id} == {URL}


def test_the_reply_links_the_title_to_the_page_in_a_new_tab(engine):
    added = engine.add([Upload(canonical(URL), "page.html")]).added[0]
    html = render_answer(engine.answer(QUESTION), name_sources=True)
    link = f'<a class="qa-source" href="{escape(URL)}" target="_blank" rel="noopener noreferrer">'
    assert link in html and html.count('rel="noopener noreferrer"') >= 2  # the answer's article and its passages
    head = render_article_head(added)
    assert 'class="qa-title-link"' in head and 'target="_blank" rel="noopener noreferrer"' in head
    assert 'target="_blank"' in render_article_list(engine.articles())


def test_a_javascript_canonical_gets_no_link(engine):
    added = engine.add([Upload(canonical("javascript:alert(1)"), "page.html")]).added[0]
    assert added.url is None
    html = render_answer(engine.answer(QUESTION), name_sources=True)
    assert "href=\"javascript" not in html.lower() and "<a class=\"qa-source\"" not in html
    assert "javascript" not in render_article_list(engine.articles()).lower()


def test_an_address_from_a_tampered_index_or_result_is_never_a_link():
    record = Article.from_dict({"id": "a" * 12, "title": "t", "name": "n", "format": "html", "sha256": "a" * 64,
                                "size": 1, "passages": 1, "url": "javascript:alert(1)"})
    assert record.url is None
    passage = Passage("正文", 0.9, 0, "导语", '"><script>', article="a" * 12, url="javascript:alert(1)")
    html = render_answer(Answer("q", True, "正文", [passage]), name_sources=True)
    assert "javascript" not in html and "<script>" not in html and '<span class="qa-source">' in html
    assert linked("《t》", "data:text/html,x", "qa-source") == '<span class="qa-source">《t》</span>'


def test_a_page_address_names_the_source_even_with_one_article():
    passage = Passage("正文", 0.9, 0, "导语", "标题", article="a" * 12, url=URL)
    html = render_answer(Answer("q", True, "正文", [passage]))  # one article: titles are not named otherwise
    assert 'class="qa-from"' in html and html.count(f'href="{escape(URL)}"') == 2


def test_an_index_written_before_addresses_were_kept_still_opens(engine):
    engine.add([Upload(PAGE.encode("utf-8"), "page.html")])
    manifest_path = engine.index_dir / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for record in manifest["articles"]:
        del record["url"]  # as the previous version wrote it
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    old = Engine(engine.index_dir, model=HashEncoder().name, encoder=HashEncoder(), strict=True)
    assert [a.url for a in old.articles()] == [None, None]
    answer = old.answer(QUESTION)
    assert answer.found and all(p.url is None for p in answer.passages)
    assert old.add([Upload(canonical(URL), "other.html")]).added[0].url == URL  # and it still takes new ones


@pytest.mark.model
def test_qa_list_shows_the_address(real_index, tmp_path, capsys):
    index_dir = tmp_path / "copy" / "index"
    shutil.copytree(real_index, index_dir)
    page = tmp_path / "page.html"
    page.write_bytes(canonical(URL))
    assert main(["add", str(page), "--index-dir", str(index_dir)]) == 0
    capsys.readouterr()
    assert main(["list", "--index-dir", str(index_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].strip() == URL and lines[-2].split()[0] != URL  # under its article's line
    assert main(["list", "--json", "--index-dir", str(index_dir)]) == 0
    assert [a["url"] for a in json.loads(capsys.readouterr().out)] == [None, URL]
