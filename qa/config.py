"""Defaults and the environment variables that override them: the one place the environment is read."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MODEL = "use-multilingual-v3"
USE_DIMENSION = 512
DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_SOURCE = DATA_DIR / "baohe-2020-10-30.txt"
MAX_QUESTION_CHARS = 500
DEFAULT_WEIGHTS = DATA_DIR / "weights.json"
MAX_PASSAGES = 100_000  # the corpus size benchmarked on one machine (BENCHMARKS.md)
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860


def _checkout_root() -> Path | None:
    """The source checkout this package runs from, if any (it has a pyproject.toml)."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() else None


def default_index_dir() -> Path:
    """`QA_INDEX_DIR`, else `index/` of the checkout, else a per-user cache directory."""
    env = os.environ.get("QA_INDEX_DIR")
    if env:
        return Path(env).expanduser()
    root = _checkout_root()
    if root is not None:
        return root / "index"
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "qa" / "index"


def env_model() -> str | None:
    """The model asked for through `QA_MODEL`, if any."""
    return os.environ.get("QA_MODEL") or None


def env_weights() -> Path:
    """The fitted models' JSON file: `QA_WEIGHTS`, else the one that ships with the package."""
    env = os.environ.get("QA_WEIGHTS")
    return Path(env).expanduser() if env else DEFAULT_WEIGHTS


def env_sources() -> list[Path] | None:
    """Source files or directories asked for through `QA_SOURCE` (os.pathsep separated)."""
    env = os.environ.get("QA_SOURCE")
    if not env:
        return None
    return [Path(p).expanduser() for p in env.split(os.pathsep) if p]


@dataclass(frozen=True)
class ChunkerSettings:
    """How articles are cut into passages; recorded in the manifest."""

    max_chars: int = 320
    heading_max_chars: int = 30
    splitter: int = 3  # raised when splitting changes (2: quotations keep their attribution; 3: no passage over max_chars)

    def to_dict(self) -> dict[str, int]:
        return {"max_chars": self.max_chars, "heading_max_chars": self.heading_max_chars, "splitter": self.splitter}


def max_passages() -> int:
    """The corpus cap: `QA_MAX_PASSAGES`, else MAX_PASSAGES."""
    try:
        return max(1, int(os.environ.get("QA_MAX_PASSAGES", MAX_PASSAGES)))
    except ValueError:
        return MAX_PASSAGES


def cache_dir() -> Path:
    """Where set-up writes what it derives once (the English→Chinese table): `QA_CACHE_DIR`, else the
    user's cache directory."""
    env = os.environ.get("QA_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "qa"


@dataclass(frozen=True)
class BackendSettings:
    """Where passages are stored, as the environment asks: `QA_BACKEND` (local | milvus),
    `QA_MILVUS_URI`, `QA_MILVUS_COLLECTION`, `QA_MILVUS_TOKEN`."""

    kind: str = ""
    uri: str | None = None
    collection: str | None = None
    token: str = ""

    @classmethod
    def from_env(cls) -> BackendSettings:
        return cls(
            os.environ.get("QA_BACKEND", "").strip().lower(),
            os.environ.get("QA_MILVUS_URI") or None,
            os.environ.get("QA_MILVUS_COLLECTION") or None,
            os.environ.get("QA_MILVUS_TOKEN", ""),
        )


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
    on /api and /v1, and a Bearer key for those routes when `api_key` is set. The chat page's Gradio
    queue runs `chat_concurrency` jobs at once and holds at most `chat_queue` waiting.
    """

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    api_key: str | None = None
    workers: int = 1
    max_pending: int = 64
    max_body_bytes: int = 256 * 1024
    answer_timeout: float = 30.0
    uploads: bool = True  # readers may add and remove articles (QA_UPLOADS=off for a public deployment)
    chat_concurrency: int = 4
    chat_queue: int = 64

    @classmethod
    def from_env(cls) -> ServerSettings:
        """GRADIO_SERVER_NAME / GRADIO_SERVER_PORT, QA_API_KEY, QA_WORKERS, QA_MAX_PENDING, QA_MAX_BODY_BYTES, QA_UPLOADS,
        QA_CONCURRENCY, QA_QUEUE_SIZE."""
        return cls(
            host=os.environ.get("GRADIO_SERVER_NAME", "").strip() or DEFAULT_HOST,
            port=_int("GRADIO_SERVER_PORT", DEFAULT_PORT, 0),
            api_key=os.environ.get("QA_API_KEY") or None,
            workers=_int("QA_WORKERS", default_workers(), 0),
            max_pending=_int("QA_MAX_PENDING", 64, 1),
            max_body_bytes=_int("QA_MAX_BODY_BYTES", 256 * 1024, 1024),
            uploads=uploads_enabled(),
            chat_concurrency=_int("QA_CONCURRENCY", 4, 1),
            chat_queue=_int("QA_QUEUE_SIZE", 64, 1),
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
