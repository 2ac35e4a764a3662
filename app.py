"""The Gradio chat over `qa.answer()`: `python app.py` serves it on 127.0.0.1:7860.

The same server answers the JSON API (/api) and the OpenAI-compatible chat (/v1) from
`qa.server`, with docs at /docs; answers come from worker processes shared by all routes.
GRADIO_SERVER_NAME / GRADIO_SERVER_PORT override the address; QA_CONCURRENCY (4) and
QA_QUEUE_SIZE (64) bound the chat's queue; QA_WORKERS, QA_MAX_PENDING, QA_API_KEY and
QA_MAX_BODY_BYTES are described in the README. All retrieval lives in `qa`;
this file lays out the page and turns answers into chat messages.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable

import gradio as gr

from qa import Answer, answer, default_engine
from qa.config import DEFAULT_SOURCE, MAX_QUESTION_CHARS
from qa.render import escape, render_answer, render_article, render_question, topics_of
from qa.server import Overloaded, ServerSettings, create_app, make_answerer, serve

log = logging.getLogger("qa.app")

EXAMPLES = [  # about the shipped article; shown only when it is the one indexed
    "包河区综合实力在全国百强区排第几位?",
    "合杭梦想小镇是什么时候开园的?",
    "滨湖金融小镇与清华大学哪个研究院签约?",
    "包河區的營商服務體系叫什麼名字?",
    "报社的广告电话是多少",
]
# Bring the best passage into view inside the article panel (the page itself does not move).
SCROLL_TO_TOP_PASSAGE = """() => {
  const hit = document.querySelector('#qa-article .qa-top');
  const box = document.querySelector('#qa-article .qa-article');
  if (hit && box) box.scrollTop = hit.offsetTop - box.offsetTop - 40;
}"""
ERROR_REPLY = "抱歉,处理这个问题时出错了,请稍后再试或换个问法。"
BUSY_REPLY = "现在提问的人太多,请稍后再试。"
CSS = """
.qa-answer {font-size: 1.05em; line-height: 1.7; margin-bottom: .6em}
.qa-phrase {font-size: 1.15em; margin-right: .3em}
.qa-sentence {margin-top: .2em}
.qa-label {background: #2563eb; color: #fff; border-radius: 4px; padding: 0 .4em; margin-right: .5em; font-size: .85em}
.qa-evidence-title {font-weight: 600; margin: .4em 0; color: #555}
.qa-passage {border-left: 3px solid #93c5fd; padding: .3em .7em; margin: .5em 0; background: rgba(147,197,253,.08)}
.qa-meta {font-size: .85em; color: #666; display: flex; align-items: center; gap: .5em; flex-wrap: wrap}
.qa-bar {display: inline-block; width: 80px; height: 6px; background: #e5e7eb; border-radius: 3px; overflow: hidden}
.qa-bar > span {display: block; height: 100%; background: #2563eb}
.qa-text {line-height: 1.7; margin-top: .2em}
mark {background: #fde68a; color: inherit; padding: 0 1px; border-radius: 2px}
.qa-notfound, .qa-notice {color: #92400e}
.qa-article {max-height: 70vh; overflow-y: auto; font-size: .92em; line-height: 1.7}
.qa-para {padding: .3em .5em; margin: .3em 0; border-radius: 4px}
.qa-para-no {font-size: .75em; color: #888; margin-right: .5em}
.qa-hit {background: #fef3c7; border-left: 3px solid #f59e0b}
.qa-top {background: #fde68a}
.qa-section {margin: .8em 0 .3em}
"""


Ask = Callable[..., Answer]  # answer(question, k=, history=) -> Answer


def respond(question: str, chat: list[dict], asked: list[str], k: int, ask: Ask = answer):
    """One turn: answer the question with the earlier questions as context."""
    engine = default_engine()
    shown = render_question(question or "")
    try:
        result = ask(question, k=k, history=asked)
        reply = render_answer(result, topics_of(engine.chunks))
        marked = [p.chunk_id for p in result.passages]
        if result.found:
            asked = asked + [result.question]
    except Overloaded:
        reply, marked = BUSY_REPLY, []
    except Exception:  # a reader sees a message, the log keeps the details
        log.exception("answer failed")
        reply, marked = ERROR_REPLY, []
    chat = chat + [{"role": "user", "content": shown}, {"role": "assistant", "content": reply}]
    return "", chat, asked, render_article(engine.chunks, marked)


def answer_api(question: str, ask: Ask = answer) -> dict:
    """Answer one question about the article; returns `qa.answer(question).to_dict()`."""
    try:
        return ask(question).to_dict()
    except Overloaded:
        raise gr.Error(BUSY_REPLY) from None


def shipped_article(engine) -> bool:
    """Whether the index holds the article the example questions are about."""
    return any(a.name == DEFAULT_SOURCE.name for a in engine.articles())


def build_demo(ask: Ask = answer) -> gr.Blocks:
    """The chat page; `ask` answers (the server passes its worker pool's)."""
    engine = default_engine()
    title = engine.title
    with gr.Blocks(title=title) as demo:
        gr.Markdown(f"# {escape(title)}")
        gr.Markdown("用中文(简体、繁体或口语)或英文就这篇报道提问,我会给出答案(要点加粗)、答案句和原文依据段落,并标出与问题匹配的词;文章没有提到的内容会如实说明。")
        asked = gr.State([])
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(label="问答", height=520, sanitize_html=True, elem_id="qa-chat")
                question = gr.Textbox(
                    placeholder="请输入问题" + (",例如:" + EXAMPLES[0] if shipped_article(engine) else ""),
                    show_label=False,
                    max_length=MAX_QUESTION_CHARS,
                    elem_id="qa-question",
                )
                with gr.Row():
                    send = gr.Button("提问", variant="primary", elem_id="qa-send")
                    clear = gr.Button("清空对话", elem_id="qa-clear")
                    k = gr.Slider(1, 5, value=3, step=1, label="依据段落数")
                if shipped_article(engine):
                    gr.Examples(EXAMPLES, inputs=question, label="示例问题")
            with gr.Column(scale=2):
                with gr.Accordion("文章全文(命中的段落已标出)", open=True):
                    article = gr.HTML(render_article(engine.chunks), elem_id="qa-article")

        inputs, outputs = [question, chat, asked, k], [question, chat, asked, article]

        def turn(question: str, chat: list[dict], asked: list[str], k: int):
            return respond(question, chat, asked, k, ask)

        def answer_question(question: str) -> dict:
            """Answer one question about the article; returns `qa.answer(question).to_dict()`."""
            return answer_api(question, ask)

        for event in (question.submit, send.click):
            event(turn, inputs, outputs, api_visibility="private").then(
                None, None, None, js=SCROLL_TO_TOP_PASSAGE, api_visibility="private"
            )
        clear.click(
            lambda: ("", [], [], render_article(engine.chunks)), None, outputs, api_visibility="private"
        )
        gr.api(answer_question, api_name="answer")
    return demo


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = ServerSettings.from_env()
    started = time.perf_counter()
    engine = default_engine()
    log.info("加载索引 %s", engine.index_dir)
    engine.chunks  # load (or build) the index before the workers and the page use it
    log.info("索引就绪:%d 段,%.1f 秒", len(engine.chunks), time.perf_counter() - started)
    answerer = make_answerer(settings, engine)  # workers load the index while the page is built
    demo = build_demo(answerer.answer_blocking)
    # A bounded queue: a flood gets "queue full" (HTTP 503) replies instead of unbounded memory.
    demo.queue(
        default_concurrency_limit=int(os.environ.get("QA_CONCURRENCY", "4")),
        max_size=int(os.environ.get("QA_QUEUE_SIZE", "64")),
        api_open=False,
    )
    app = gr.mount_gradio_app(
        create_app(answerer, settings, engine),
        demo,
        path="/",
        server_name=settings.host,
        server_port=settings.port,
        ssr_mode=False,
        enable_monitoring=False,
        show_error=False,
        css=CSS,
    )
    serve(app, settings)


if __name__ == "__main__":
    main()
