"""The few error types of the package; every message is Chinese and names the fix."""

from __future__ import annotations


class QAError(Exception):
    """Base class: a problem the user can act on, with a message meant for them."""


class SourceError(QAError):
    """A source file or directory is missing, empty, binary or in an unknown encoding."""


class IndexMissingError(QAError):
    """No index exists where one was expected."""


class IndexDamagedError(QAError):
    """Index files are missing, truncated or do not match their recorded hashes."""


class IndexMismatchError(QAError):
    """The index was built from other sources, another model or other settings."""


class ModelError(QAError):
    """The embedding model could not be loaded."""


class WeightsError(QAError):
    """The fitted ranking/answering parameters (a JSON file) are missing or damaged."""


class BusyError(QAError):
    """The work cannot start now (for instance another upload is being read); retrying later may succeed."""
