"""`python -m qa.server [--host H] [--port P]`: the JSON and OpenAI-format API without the Gradio page."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import time

from ..api import default_engine
from ..config import ServerSettings
from .application import create_app, make_answerer, serve

log = logging.getLogger("qa.server")


def main(argv: list[str] | None = None) -> None:
    settings = ServerSettings.from_env()
    parser = argparse.ArgumentParser(
        prog="python -m qa.server", description="只提供 JSON 接口(/api)和 OpenAI 兼容接口(/v1),不含聊天页面。"
    )
    parser.add_argument("--host", default=settings.host, help=f"监听地址(默认 {settings.host})")
    parser.add_argument("--port", type=int, default=settings.port, help=f"端口(默认 {settings.port})")
    args = parser.parse_args(argv)
    settings = dataclasses.replace(settings, host=args.host, port=args.port)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    started = time.perf_counter()
    engine = default_engine()
    engine.chunks  # build a missing or stale index here, once, before the workers load it
    log.info("索引就绪:%d 段,%.1f 秒", len(engine.chunks), time.perf_counter() - started)
    serve(create_app(make_answerer(settings, engine), settings, engine), settings)


if __name__ == "__main__":
    main()
