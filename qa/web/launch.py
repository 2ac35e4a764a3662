"""Start the chat: `python app.py` (which calls `main()`) serves it on 127.0.0.1:7860.

The same server answers the JSON API (/api) and the OpenAI-compatible chat (/v1) from
`qa.server`, with docs at /docs; answers come from worker processes shared by all routes.
Readers can add articles (a file or pasted text), remove them and ask about one article or all;
QA_UPLOADS=off hides adding and removing; with QA_API_KEY set, the page and all its routes ask
for that key (Gradio's login: any non-empty user name, the key as password).
GRADIO_SERVER_NAME / GRADIO_SERVER_PORT override the address; QA_CONCURRENCY (4) and
QA_QUEUE_SIZE (64) bound the chat's queue; QA_WORKERS, QA_MAX_PENDING, QA_API_KEY and
QA_MAX_BODY_BYTES are described in the README (all read by `qa.config.ServerSettings`).
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import gradio as gr

from ..api import default_engine
from ..config import ServerSettings
from ..ingest import MAX_FILE_BYTES
from ..server import create_app, make_answerer, serve
from ..server.auth import LOGIN_MESSAGE, login_check
from .chat import build_demo
from .ui_text import CHINESE, I18N

log = logging.getLogger("qa.app")

CSS = (Path(__file__).parent / "assets" / "style.css").read_text(encoding="utf-8")
# Citations, copy as text, and the one label of Gradio's that its i18n cannot reach (from ui_text's table).
PAGE_JS = (Path(__file__).parent / "assets" / "page.js").read_text(encoding="utf-8").replace(
    "QA_SCROLL_DOWN", json.dumps(CHINESE.scroll_down)
)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = ServerSettings.from_env()
    started = time.perf_counter()
    engine = default_engine()
    log.info("加载索引 %s", engine.index_dir)
    engine.chunks  # load (or build) the index before the workers and the page use it
    log.info("索引就绪:%d 段,%.1f 秒", len(engine.chunks), time.perf_counter() - started)
    answerer = make_answerer(settings, engine)  # workers load the index while the page is built
    demo = build_demo(answerer.answer_blocking, uploads=settings.uploads)
    # A bounded queue: a flood gets "queue full" (HTTP 503) replies instead of unbounded memory.
    demo.queue(default_concurrency_limit=settings.chat_concurrency, max_size=settings.chat_queue, api_open=False)
    app = gr.mount_gradio_app(
        create_app(answerer, settings, engine),
        demo,
        path="/",
        server_name=settings.host,
        server_port=settings.port,
        ssr_mode=False,
        enable_monitoring=False,
        show_error=False,
        max_file_size=MAX_FILE_BYTES,
        css=CSS,
        js=PAGE_JS,
        i18n=I18N,  # the page's labels in the browser's language (qa/web/ui_text.py)
        auth=login_check(settings.api_key) if settings.api_key else None,
        auth_message=LOGIN_MESSAGE,
    )
    # launch() would switch on Gradio's rule that a handler takes only files uploaded through the
    # page (not any server path a client names); mounting skips launch, so it is switched on here.
    demo.has_launched = True
    serve(app, settings)
