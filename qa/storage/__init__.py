"""Where passages live: the storage interface, the default in-process store and Milvus beside it."""

from .backends import backend_of, describe, open_store, retire_previous, same_place, with_prefix, write_store
from .base import LOCAL, MILVUS, Backend, PassageStore, TextResult, env_backend
from .local import LocalStore
from .terms import TermStats

__all__ = [
    "LOCAL",
    "MILVUS",
    "Backend",
    "LocalStore",
    "PassageStore",
    "TermStats",
    "TextResult",
    "backend_of",
    "describe",
    "env_backend",
    "open_store",
    "retire_previous",
    "same_place",
    "with_prefix",
    "write_store",
]
