"""Server settings, read from the environment once at start-up."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
MODEL_ID = "qa-news-zh"  # the one model /v1/models lists


def _int(name: str, default: int, minimum: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"环境变量 {name}={raw!r} 不是整数。") from None
    if value < minimum:
        raise SystemExit(f"环境变量 {name} 不能小于 {minimum}(现在是 {value})。")
    return value


def default_workers() -> int:
    """One answering process per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def uploads_enabled() -> bool:
    """False when `QA_UPLOADS` is off/0/false/no."""
    return os.environ.get("QA_UPLOADS", "on").strip().lower() not in ("off", "0", "false", "no")


@dataclass(frozen=True)
class ServerSettings:
    """Where the server listens and how much it accepts.

    `workers` answering processes (0: answer inside the server process), at most `max_pending`
    answers waiting or running before new ones get 503, request bodies up to `max_body_bytes`
    on /api and /v1, and a Bearer key for those routes when `api_key` is set.
    """

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    api_key: str | None = None
    workers: int = 1
    max_pending: int = 64
    max_body_bytes: int = 256 * 1024
    answer_timeout: float = 30.0
    uploads: bool = True  # readers may add and remove articles (QA_UPLOADS=off for a public deployment)

    @classmethod
    def from_env(cls) -> ServerSettings:
        """GRADIO_SERVER_NAME / GRADIO_SERVER_PORT, QA_API_KEY, QA_WORKERS, QA_MAX_PENDING, QA_MAX_BODY_BYTES, QA_UPLOADS."""
        return cls(
            host=os.environ.get("GRADIO_SERVER_NAME", "").strip() or DEFAULT_HOST,
            port=_int("GRADIO_SERVER_PORT", DEFAULT_PORT, 0),
            api_key=os.environ.get("QA_API_KEY") or None,
            workers=_int("QA_WORKERS", default_workers(), 0),
            max_pending=_int("QA_MAX_PENDING", 64, 1),
            max_body_bytes=_int("QA_MAX_BODY_BYTES", 256 * 1024, 1024),
            uploads=uploads_enabled(),
        )

    @property
    def exposed(self) -> bool:
        """Whether the address accepts connections from other machines."""
        if self.host == "localhost":
            return False
        try:
            return not ipaddress.ip_address(self.host).is_loopback
        except ValueError:  # a host name: assume it resolves beyond this machine
            return True
