"""Defaults and the environment variables that override them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MODEL = "use-multilingual-v3"
USE_DIMENSION = 512
DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_SOURCE = DATA_DIR / "baohe-2020-10-30.txt"
MAX_QUESTION_CHARS = 500
DEFAULT_WEIGHTS = DATA_DIR / "weights.json"


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
